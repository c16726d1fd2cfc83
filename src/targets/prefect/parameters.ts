/**
 * A request's parameters checked against the deployment's parameter_openapi_schema before any run
 * starts: an unknown name or a required one missing (the flow would fail on it), and, where the
 * deployment enforces its schema (enforce_parameter_schema, as flow.serve() sets it), a value of
 * the wrong JSON type or outside an enum (the server would answer 409). A deployment that does not
 * enforce it lets the flow coerce a value ("0.01" for a float), so its types are not checked here.
 */
import { UserError, preview } from '../../errors.js'

/** A property's schema as the server sent it: any JSON, so each part is checked before it is read. */
type PropertySchema = Record<string, unknown>

export interface ParameterSchema {
  properties?: Record<string, unknown> | null
  required?: unknown
  additionalProperties?: unknown
}

function jsonType(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number'
  return typeof value
}

/** The types a property takes; undefined when the schema says nothing this check can read ($ref, allOf). */
function typesOf(property: unknown): string[] | undefined {
  if (property === null || typeof property !== 'object') return undefined
  const { type, anyOf } = property as PropertySchema
  if (typeof type === 'string') return [type]
  if (Array.isArray(type)) return type.every((each) => typeof each === 'string') ? type : undefined
  if (Array.isArray(anyOf)) {
    const types = anyOf.map(typesOf)
    return types.every((type) => type !== undefined) ? types.flat() : undefined
  }
  return undefined
}

function fits(value: unknown, types: string[]): boolean {
  const type = jsonType(value)
  return types.includes(type) || (type === 'integer' && types.includes('number'))
}

/**
 * @param defaults the deployment's own parameters: they count as given.
 * @param where e.g. `prefect: deployment train/ci on http://…/api`, for the message.
 * @param enforced the deployment enforces its schema: values are checked against their types too.
 */
export function checkParameters(
  parameters: Record<string, unknown>,
  schema: ParameterSchema | null | undefined,
  defaults: Record<string, unknown>,
  where: string,
  enforced: boolean
): void {
  const properties = schema?.properties
  if (!properties) return
  const names = Object.keys(properties)
  const known = names.length ? names.join(', ') : 'none'
  for (const [name, value] of Object.entries(parameters)) {
    const property = Object.hasOwn(properties, name) ? properties[name] : undefined
    if (property === undefined || property === false) {
      if (schema.additionalProperties === true || typeof schema.additionalProperties === 'object') continue
      throw new UserError(
        `${where}: the flow has no parameter ${JSON.stringify(name)} (it takes: ${known}). Fix: rename or drop it under the pipeline's parameters.`
      )
    }
    if (!enforced) continue
    const types = typesOf(property)
    if (types && !fits(value, types))
      throw new UserError(
        `${where}: parameter ${name} is ${preview(value)} (${jsonType(value)}), but the flow takes ${types.join(' or ')}. Fix: give a ${types.join(' or ')} under the pipeline's parameters (YAML: no quotes around a number or a boolean).`
      )
    const allowed = property !== null && typeof property === 'object' ? (property as PropertySchema).enum : undefined
    if (Array.isArray(allowed) && !allowed.some((each) => JSON.stringify(each) === JSON.stringify(value)))
      throw new UserError(
        `${where}: parameter ${name} is ${preview(value)}, not one of ${preview(allowed)}. Fix: give one of those.`
      )
  }
  const required = Array.isArray(schema.required) ? schema.required : []
  const missing = required.filter(
    (name): name is string =>
      typeof name === 'string' && !Object.hasOwn(parameters, name) && !Object.hasOwn(defaults, name)
  )
  if (missing.length)
    throw new UserError(
      `${where}: the flow needs ${missing.join(', ')}, which neither the pipeline's parameters nor the deployment give. Fix: add ${missing.length > 1 ? 'them' : 'it'} under the pipeline's parameters.`
    )
}
