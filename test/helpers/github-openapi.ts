/**
 * Validates the fake GitHub API's responses against GitHub's published OpenAPI description
 * (@octokit/openapi, api.github.com), so the fake cannot drift from the real contract.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)
const spec = require('@octokit/openapi/generated/api.github.com.json') as {
  components: object
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>
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

/** Errors of `body` against the documented 200 response of `GET pathTemplate`; empty when valid. */
export function responseErrors(pathTemplate: string, body: unknown): string[] {
  let validate = cache.get(pathTemplate)
  if (!validate) {
    const schema = spec.paths[pathTemplate]?.get?.responses['200']?.content?.['application/json']?.schema
    if (!schema) throw new Error(`no documented 200 response for GET ${pathTemplate}`)
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"github#/components/')))
    cache.set(pathTemplate, validate)
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${pathTemplate}: ${e.instancePath} ${e.message}`)
}
