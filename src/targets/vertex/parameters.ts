/**
 * A request's parameters checked before any job starts, as far as they can be without reading the
 * compiled template (that would need Artifact Registry's API, another host for the token, and
 * another role): each name must be one a KFP pipeline can declare (a Python identifier), and each
 * value one a KFP parameter can hold: a string, a number, a boolean, a list or an object, never
 * null. Vertex AI itself checks names and types against the template's
 * root.inputDefinitions.parameters when the job is created, and refuses a misfit (400) before the
 * job exists.
 */
import { UserError, preview } from '../../errors.js'

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export function checkParameters(parameters: Record<string, unknown>, where: string): void {
  for (const [name, value] of Object.entries(parameters)) {
    if (name.includes('.'))
      throw new UserError(
        `${where}: parameter ${JSON.stringify(name)} is step-qualified, and a KFP pipeline takes only its own arguments (its components get theirs from the pipeline). Fix: give the pipeline function's argument, e.g. ${name.split('.').pop()}.`
      )
    if (!NAME.test(name))
      throw new UserError(
        `${where}: parameter ${JSON.stringify(name)} cannot be a KFP pipeline parameter (those are Python identifiers: letters, digits and _, not first a digit), so Vertex AI would refuse the job. Fix: use the name the pipeline function declares (e.g. ${name.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_')}).`
      )
    if (value === null || value === undefined)
      throw new UserError(
        `${where}: parameter ${name} is null; a KFP parameter is a string, number, boolean, list or object. Fix: give a value, or leave ${name} out so the pipeline's default applies.`
      )
    if (typeof value === 'number' && !Number.isFinite(value))
      throw new UserError(`${where}: parameter ${name} is ${preview(value)}, not a finite number. Fix: give a number.`)
  }
}
