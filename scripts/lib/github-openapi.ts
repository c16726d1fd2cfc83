/**
 * Validates the fake GitHub API's requests and responses against GitHub's published OpenAPI
 * description (@octokit/openapi, api.github.com), so the fakes cannot drift from the real contract.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const spec = require('@octokit/openapi/generated/api.github.com.json') as {
  components: object
  paths: Record<string, unknown>
}

/**
 * OpenAPI 3.0's `nullable`: Ajv understands it next to `type`, but GitHub also puts it next to
 * `allOf`/`$ref`, where it means "or null"; rewrite those as anyOf [schema, null].
 */
function nullableToAnyOf(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableToAnyOf)
  if (node === null || typeof node !== 'object') return node
  const { nullable, ...rest } = node as Record<string, unknown>
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, nullableToAnyOf(v)]))
  if (nullable === true && !('type' in rest)) return { anyOf: [converted, { type: 'null' }] }
  return nullable === undefined ? converted : { ...converted, nullable }
}

// Formats are not checked (only shapes matter here).
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
ajv.addSchema({ $id: 'github', components: nullableToAnyOf(spec.components) })
const cache = new Map<string, ValidateFunction>()

type Operation = {
  responses: Record<string, { content?: Record<string, { schema: object }> }>
  requestBody?: { content?: Record<string, { schema: object }> }
}

function validator(key: string, schema: object | undefined, what: string): ValidateFunction {
  let validate = cache.get(key)
  if (!validate) {
    if (!schema) throw new Error(`no documented schema for ${what}`)
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"github#/components/')))
    cache.set(key, validate)
  }
  return validate
}

const operation = (method: string, pathTemplate: string): Operation | undefined =>
  (spec.paths[pathTemplate] as Record<string, Operation> | undefined)?.[method.toLowerCase()]

/** Errors of `body` against the documented `status` response of `method pathTemplate`; empty when valid. */
export function responseErrorsFor(method: string, pathTemplate: string, status: number, body: unknown): string[] {
  const schema = operation(method, pathTemplate)?.responses[String(status)]?.content?.['application/json']?.schema
  const validate = validator(
    `response ${method} ${pathTemplate} ${status}`,
    schema,
    `${method} ${pathTemplate} → ${status}`
  )
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${method} ${pathTemplate} → ${status}: ${e.instancePath} ${e.message}`)
}

/** Errors of a request body against the documented request schema of `method pathTemplate`; empty when valid. */
export function requestErrors(method: string, pathTemplate: string, body: unknown): string[] {
  const schema = operation(method, pathTemplate)?.requestBody?.content?.['application/json']?.schema
  const validate = validator(`request ${method} ${pathTemplate}`, schema, `the ${method} ${pathTemplate} request body`)
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${method} ${pathTemplate} request: ${e.instancePath} ${e.message}`)
}

/** Errors of `body` against the documented 200 response of `GET pathTemplate`; empty when valid. */
export function responseErrors(pathTemplate: string, body: unknown): string[] {
  return responseErrorsFor('GET', pathTemplate, 200, body)
}
