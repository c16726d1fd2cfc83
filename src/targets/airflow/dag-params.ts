/**
 * A request's parameters checked against the DAG's `params` before any run starts: Airflow itself
 * takes an unknown name without a word (the run starts with it ignored) and refuses a wrong type
 * only once the trigger is sent, so both are named here, with the DAG's own params as the fix.
 */
import { UserError, preview } from '../../errors.js'

/** A DAG's params as /api/v2/dags/{dag_id}/details gives them: each with its default and JSON schema. */
export type DagParams = Record<string, { value?: unknown; schema?: { type?: unknown } } | undefined>

const JSON_TYPES: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  integer: (v) => Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => v !== null && typeof v === 'object' && !Array.isArray(v),
  null: (v) => v === null
}

/** The params as "name (type)", for messages. */
function listed(params: DagParams): string {
  const names = Object.entries(params).map(([name, param]) => {
    const types = typesOf(param)
    return types.length ? `${name} (${types.join(' or ')})` : name
  })
  return names.length ? names.join(', ') : 'none'
}

function typesOf(param: DagParams[string]): string[] {
  const type = param?.schema?.type
  return (Array.isArray(type) ? type : [type]).filter(
    (t): t is string => typeof t === 'string' && Object.hasOwn(JSON_TYPES, t)
  )
}

/** @throws UserError naming the parameter, what was given, the DAG's params, and the fix. */
export function checkParameters(
  where: string,
  dag: string,
  parameters: Record<string, unknown>,
  params: DagParams
): void {
  for (const [name, value] of Object.entries(parameters)) {
    if (!Object.hasOwn(params, name))
      throw new UserError(
        `${where}: DAG ${dag} has no param ${JSON.stringify(name)}; its params: ${listed(params)}. Airflow would start the run and ignore it. Fix: rename the parameter, or add it to the DAG's params.`
      )
    const types = typesOf(params[name])
    if (types.length && !types.some((type) => JSON_TYPES[type]!(value)))
      throw new UserError(
        `${where}: param ${name} of DAG ${dag} is ${types.join(' or ')}, and the parameter gives ${preview(value)}. Fix: give a ${types.join(' or ')} (in YAML, unquoted for a number or boolean).`
      )
  }
}
