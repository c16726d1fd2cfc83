/**
 * Airflow's own contract for the airflow target's unit tests: the OpenAPI 3.1 documents shipped in
 * the pinned apache-airflow wheel (.venv-airflow, made by scripts/setup-python.sh): the REST API v2
 * and the simple auth manager's /auth/token. Each exchange is checked with Ajv, both ways: the body
 * the target sends against the operation's request schema (a missing logical_date, an unknown key:
 * additionalProperties is false), and the reply the scripted server plays against the response
 * schema for its status, so the recordings and the target cannot drift from the real server.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { AIRFLOW_VENV } from './airflow-server.js'

const FILES = {
  airflow: 'airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml',
  'airflow-auth': 'airflow/api_fastapi/auth/managers/simple/openapi/v2-simple-auth-manager-generated.yaml'
}

interface Operation {
  requestBody?: { content?: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object }> }>
}
interface Spec {
  components: object
  paths: Record<string, Record<string, Operation>>
}

function specPath(file: string): string {
  const lib = join(AIRFLOW_VENV, 'lib')
  const python = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python')) : undefined
  const path = python ? join(lib, python, 'site-packages', file) : ''
  if (!path || !existsSync(path))
    throw new Error(
      `Airflow's OpenAPI document is missing (${file} in ${AIRFLOW_VENV}): run bash scripts/setup-python.sh`
    )
  return path
}

let loaded: { specs: [id: string, spec: Spec][]; ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined

function contract() {
  if (loaded) return loaded
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
  const specs = Object.entries(FILES).map(([id, file]): [string, Spec] => {
    const spec = parse(readFileSync(specPath(file), 'utf8')) as Spec
    ajv.addSchema({ $id: id, components: spec.components })
    return [id, spec]
  })
  loaded = { specs, ajv, cache: new Map() }
  return loaded
}

function validator(id: string, schema: object): ValidateFunction {
  const { ajv, cache } = contract()
  const text = JSON.stringify(schema).replaceAll('"#/components/', `"${id}#/components/`)
  let validate = cache.get(text)
  if (!validate) {
    validate = ajv.compile(JSON.parse(text) as object)
    cache.set(text, validate)
  }
  return validate
}

const problems = (validate: ValidateFunction, value: unknown, what: string) =>
  validate(value) ? [] : (validate.errors ?? []).map((e) => `${what}: ${e.instancePath || '/'} ${e.message ?? ''}`)

/** The errors of `body` against components/schemas/<schema> of the REST API (none: it fits). */
export function airflowBodyErrors(schema: string, body: unknown): string[] {
  return problems(validator('airflow', { $ref: `#/components/schemas/${schema}` }), body, schema)
}

/** The documented operation a concrete path (with or without its query) matches, e.g. /api/v2/dags/{dag_id}. */
function operation(method: string, path: string): { id: string; template: string; operation: Operation } | undefined {
  const bare = path.split('?')[0]!
  for (const [id, spec] of contract().specs) {
    // A literal path wins over a template that also matches it.
    const template = Object.hasOwn(spec.paths, bare)
      ? bare
      : Object.keys(spec.paths).find((key) =>
          new RegExp(`^${key.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(bare)
        )
    const found = template ? spec.paths[template]?.[method.toLowerCase()] : undefined
    if (template && found) return { id, template, operation: found }
  }
  return undefined
}

/**
 * What does not keep to the contract in one exchange: the request's body, and the reply's status
 * (one the operation documents) and JSON body (its response schema for that status).
 */
export function airflowContractErrors(
  method: string,
  path: string,
  requestBody: unknown,
  status: number,
  replyBody: unknown
): string[] {
  const found = operation(method, path)
  if (!found) return [`${method} ${path}: no such operation in Airflow's API`]
  const { id, template, operation: op } = found
  const errors: string[] = []
  const requestSchema = op.requestBody?.content?.['application/json']?.schema
  if (requestBody !== undefined || op.requestBody)
    errors.push(
      ...(requestSchema
        ? problems(validator(id, requestSchema), requestBody, `${method} ${template} request`)
        : [`${method} ${template} request: not documented`])
    )
  const response = op.responses[String(status)]
  if (!response) return [...errors, `${method} ${template} → ${status}: a status the server does not document`]
  const replySchema = response.content?.['application/json']?.schema
  if (replySchema) errors.push(...problems(validator(id, replySchema), replyBody, `${method} ${template} → ${status}`))
  return errors
}
