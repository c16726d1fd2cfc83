/**
 * A pipeline version's parameters, as its compiled KFP v2 IR declares them
 * (pipeline_spec.root.inputDefinitions.parameters: parameterType NUMBER_DOUBLE, NUMBER_INTEGER,
 * STRING, BOOLEAN, LIST, STRUCT; isOptional or a defaultValue when it may be left out), and the
 * check of a request's parameters against them: an unknown name, a wrong type or a required one
 * left out is refused before any run starts, with the list of what the version takes.
 */
import { UserError, preview } from '../../errors.js'

export interface DeclaredParameter {
  type: string
  required: boolean
}

/** Before kfp 2.0 the IR said `type` (INT, DOUBLE, STRING); the same checks apply. */
const LEGACY: Record<string, string> = { INT: 'NUMBER_INTEGER', DOUBLE: 'NUMBER_DOUBLE', STRING: 'STRING' }

const KINDS: Record<string, { says: string; fits: (value: unknown) => boolean }> = {
  NUMBER_DOUBLE: { says: 'a number', fits: (v) => typeof v === 'number' && Number.isFinite(v) },
  NUMBER_INTEGER: { says: 'an integer', fits: (v) => Number.isInteger(v) },
  STRING: { says: 'a string', fits: (v) => typeof v === 'string' },
  BOOLEAN: { says: 'true or false', fits: (v) => typeof v === 'boolean' },
  LIST: { says: 'a list', fits: (v) => Array.isArray(v) },
  STRUCT: { says: 'a mapping', fits: (v) => v !== null && typeof v === 'object' && !Array.isArray(v) }
}

const object = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined

/**
 * The root parameters of a version's pipeline_spec (a PipelineSpec, or {pipeline_spec,
 * platform_spec} when the pipeline has a platform config); undefined when the spec has no root.
 */
export function declaredParameters(spec: unknown): Record<string, DeclaredParameter> | undefined {
  const outer = object(spec)
  const root = object(outer?.root) ?? object(object(outer?.pipeline_spec)?.root)
  if (!root) return undefined
  const parameters = object(object(root.inputDefinitions)?.parameters) ?? {}
  return Object.fromEntries(
    Object.entries(parameters).map(([name, raw]) => {
      const declared = object(raw) ?? {}
      const word = typeof declared.parameterType === 'string' ? declared.parameterType : String(declared.type ?? '')
      const required = declared.isOptional !== true && declared.defaultValue === undefined
      return [name, { type: LEGACY[word] ?? word, required }]
    })
  )
}

/** Refuses what the version would not take, naming each parameter, what it needs and what was given. */
export function checkParameters(
  what: string,
  version: string,
  parameters: Record<string, unknown>,
  declared: Record<string, DeclaredParameter>
): void {
  const takes = Object.entries(declared)
    .map(([name, p]) => `${name} (${p.type}${p.required ? '' : ', optional'})`)
    .join(', ')
  const problems: string[] = []
  for (const [name, value] of Object.entries(parameters)) {
    const parameter = Object.hasOwn(declared, name) ? declared[name] : undefined
    if (!parameter) {
      problems.push(`${version} has no parameter ${JSON.stringify(name)}`)
      continue
    }
    const kind = KINDS[parameter.type]
    if (kind && !kind.fits(value))
      problems.push(
        `parameter ${name} is ${parameter.type} (${kind.says}), and the pipeline gives ${preview(value, 40)}`
      )
  }
  const missing = Object.entries(declared)
    .filter(([name, p]) => p.required && !Object.hasOwn(parameters, name))
    .map(([name]) => name)
  if (missing.length) problems.push(`${version} needs ${missing.join(', ')}, which the pipeline does not give`)
  if (problems.length)
    throw new UserError(
      `${what}: ${problems.join('; ')}. ${version} takes: ${takes || 'no parameters'}. Fix: give the pipeline's parameters those names and types (a number unquoted in YAML), or set pipeline-version to the version that takes them.`
    )
}
