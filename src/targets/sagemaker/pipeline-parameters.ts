/**
 * A request's parameters as SageMaker takes them: PipelineParameters [{Name, Value}], each value
 * a string of at most 1024 characters, each name one the pipeline definition declares. Checked
 * before any execution starts against the definition's own Parameters (their names and types,
 * from DescribePipeline), so a misspelt name or a word where a Float is due fails the step with
 * the pipeline's parameters as the fix, not an execution later.
 */
import { UserError, preview } from '../../errors.js'

/** A parameter as a pipeline definition declares it (the SageMaker Python SDK's ParameterString, …). */
export interface DeclaredParameter {
  Name: string
  Type?: string
  DefaultValue?: unknown
}

export const VALUE_MAX = 1024

/** The definition's Parameters; an unreadable definition declares none that can be checked (undefined). */
export function declaredParameters(definition: unknown): DeclaredParameter[] | undefined {
  if (typeof definition !== 'string') return undefined
  try {
    const parsed = JSON.parse(definition) as { Parameters?: unknown }
    const list = parsed?.Parameters ?? []
    if (!Array.isArray(list)) return undefined
    return list.filter(
      (p): p is DeclaredParameter =>
        p !== null && typeof p === 'object' && typeof (p as { Name?: unknown }).Name === 'string'
    )
  } catch {
    return undefined
  }
}

/** A value as the string SageMaker takes: scalars as written, a mapping or list as JSON. */
export function parameterValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value !== null && typeof value === 'object') return JSON.stringify(value)
  return undefined
}

const TYPES: Record<string, { test(text: string): boolean; words: string }> = {
  Integer: { test: (text) => /^[+-]?\d+$/.test(text), words: 'an integer' },
  Float: { test: (text) => text.trim() !== '' && Number.isFinite(Number(text)), words: 'a number' },
  Boolean: { test: (text) => text === 'true' || text === 'false', words: 'true or false' }
}

const listed = (declared: DeclaredParameter[]) =>
  declared.map((p) => `${p.Name}${p.Type ? ` (${p.Type})` : ''}`).join(', ') || 'none'

/** The PipelineParameters for a request, checked against the declared parameters when there are any. */
export function pipelineParameters(
  where: string,
  pipeline: string,
  parameters: Record<string, unknown>,
  declared: DeclaredParameter[] | undefined
): { Name: string; Value: string }[] {
  return Object.entries(parameters).map(([name, value]) => {
    const text = parameterValue(value)
    if (text === undefined)
      throw new UserError(
        `${where}: parameter ${name} is ${preview(value)}; SageMaker takes each parameter as a string. Fix: give a value, or leave the parameter out to use the pipeline's default.`
      )
    if (!/^[A-Za-z0-9\-_]{1,256}$/.test(name))
      throw new UserError(
        `${where}: ${JSON.stringify(name)} is not a SageMaker parameter name (letters, digits, - and _, at most 256). Fix: rename the parameter as the pipeline declares it.`
      )
    if (text.length > VALUE_MAX)
      throw new UserError(
        `${where}: parameter ${name} is ${text.length} characters; SageMaker takes at most ${VALUE_MAX}. Fix: pass a shorter value, e.g. an S3 URI to the data instead of the data.`
      )
    if (declared) {
      const found = declared.find((p) => p.Name === name)
      if (!found)
        throw new UserError(
          `${where}: pipeline ${pipeline} declares no parameter ${JSON.stringify(name)}; it declares: ${listed(declared)}. Fix: rename the parameter, or add it to the pipeline definition.`
        )
      const type = found.Type && Object.hasOwn(TYPES, found.Type) ? TYPES[found.Type]! : undefined
      if (type && !type.test(text))
        throw new UserError(
          `${where}: parameter ${name} of pipeline ${pipeline} is ${found.Type}, and the parameter gives ${preview(text)}. Fix: give ${type.words}.`
        )
    }
    return { Name: name, Value: text }
  })
}
