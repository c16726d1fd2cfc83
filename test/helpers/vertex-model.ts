/**
 * Vertex AI's own contract for the vertex target's stand-in: the `aiplatform.v1.json` discovery
 * document shipped in the pinned google-api-python-client 2.202.0 (.venv-models, made by
 * scripts/setup-python.sh from scripts/python-servers/models.txt), read at test time, never copied.
 *
 * A request is matched to a method by its HTTP method and `flatPath`; its path parameters are
 * checked against the method's `path` and their `pattern`s, its query against the method's and the
 * document's global `parameters` (type, enum), and its body against the `request` schema: every
 * member known, of its type and enum, no output-only (readOnly) member, every member whose
 * description says "Required." present. The documents's prose rules are read from the same text:
 * "less than N characters" and "valid characters are `/…/`" (pipelineJobId), "up to N characters"
 * (displayName), and the label rules ("no longer than 64 characters … lowercase letters, numeric
 * characters, underscores and dashes"). A reply is checked against the `response` schema (output-only
 * members allowed). Google's error body ({error: {code, message, status}}) is not in the document;
 * it is checked against the google.rpc.Code names and their HTTP statuses (API Design Guide).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './run-action.js'

export const DISCOVERY_FILE = join(
  ROOT,
  '.venv-models/lib/python3.11/site-packages/googleapiclient/discovery_cache/documents/aiplatform.v1.json'
)

export interface Schema {
  id?: string
  type?: string
  $ref?: string
  format?: string
  description?: string
  readOnly?: boolean
  enum?: string[]
  properties?: Record<string, Schema>
  additionalProperties?: Schema
  items?: Schema
}
interface Parameter {
  type: string
  location: 'path' | 'query'
  required?: boolean
  pattern?: string
  enum?: string[]
  description?: string
}
export interface Method {
  id: string
  httpMethod: string
  flatPath: string
  path: string
  parameters?: Record<string, Parameter>
  request?: { $ref: string }
  response?: { $ref: string }
}
interface Resource {
  methods?: Record<string, Method>
  resources?: Record<string, Resource>
}
interface Discovery {
  revision: string
  parameters: Record<string, Parameter>
  schemas: Record<string, Schema>
  resources: Record<string, Resource>
}

let loaded: { doc: Discovery; methods: Method[] } | undefined

export function discovery(): { doc: Discovery; methods: Method[] } {
  if (loaded) return loaded
  if (!existsSync(DISCOVERY_FILE))
    throw new Error(
      `The aiplatform.v1 discovery document is missing (${DISCOVERY_FILE}): run bash scripts/setup-python.sh`
    )
  const doc = JSON.parse(readFileSync(DISCOVERY_FILE, 'utf8')) as Discovery
  const methods: Method[] = []
  const walk = (resources: Record<string, Resource>) => {
    for (const resource of Object.values(resources)) {
      methods.push(...Object.values(resource.methods ?? {}))
      walk(resource.resources ?? {})
    }
  }
  walk(doc.resources)
  loaded = { doc, methods }
  return loaded
}

const escape = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&')
/** A discovery path template as a regex: {x} is one segment, {+x} may hold slashes. */
const templateRegex = (template: string, segment: string) =>
  new RegExp(
    `^${template
      .split(/(\{\+?[^}]+\})/)
      .map((part) => (part.startsWith('{+') ? '(.+?)' : part.startsWith('{') ? `(${segment})` : escape(part)))
      .join('')}$`
  )
const templateNames = (template: string) => [...template.matchAll(/\{\+?([^}]+)\}/g)].map((m) => m[1]!)

/** The method a request is for: its HTTP method and flatPath (ids hold no '/' or ':'). */
export function methodFor(httpMethod: string, path: string): Method | undefined {
  const bare = path.split('?')[0]!.replace(/^\//, '')
  return discovery().methods.find((m) => m.httpMethod === httpMethod && templateRegex(m.flatPath, '[^/:]+').test(bare))
}

/** The rules the document's prose gives a string: "less than N characters", "up to N characters", "valid characters are `/…/`". */
function proseRules(description = ''): { max?: number; pattern?: RegExp } {
  const less = /less than (\d+) characters/.exec(description)
  const upTo = /up to (\d+) characters/.exec(description)
  const chars = /valid characters are `\/([^`]+)\/`/.exec(description)
  return {
    ...(less ? { max: Number(less[1]) - 1 } : upTo ? { max: Number(upTo[1]) } : {}),
    ...(chars ? { pattern: new RegExp(`^[${chars[1]}]+$`) } : {})
  }
}

function checkParameter(name: string, value: string, spec: Parameter, where: string): string[] {
  const errors: string[] = []
  if (spec.type === 'integer' && !/^-?\d+$/.test(value)) errors.push(`${where}: ${name}=${value} is not an integer`)
  if (spec.type === 'boolean' && value !== 'true' && value !== 'false')
    errors.push(`${where}: ${name}=${value} is not a boolean`)
  if (spec.enum && !spec.enum.includes(value))
    errors.push(`${where}: ${name}=${value} is not one of ${spec.enum.join(', ')}`)
  if (spec.pattern && !new RegExp(spec.pattern).test(value))
    errors.push(`${where}: ${name}=${value} does not match ${spec.pattern}`)
  const prose = proseRules(spec.description)
  if (prose.max !== undefined && value.length > prose.max)
    errors.push(`${where}: ${name} has ${value.length} characters (at most ${prose.max})`)
  if (prose.pattern && !prose.pattern.test(value))
    errors.push(`${where}: ${name}=${value} has characters outside ${prose.pattern.source}`)
  return errors
}

/** Labels as the document describes them: keys and values no longer than 64, lowercase letters, digits, _ and -. */
function labelErrors(value: Record<string, unknown>, where: string): string[] {
  const errors: string[] = []
  for (const [key, item] of Object.entries(value)) {
    if (!/^[\p{Ll}\p{Lo}0-9_-]{1,64}$/u.test(key))
      errors.push(`${where}: label key ${JSON.stringify(key)} breaks the label rules`)
    if (typeof item === 'string' && !/^[\p{Ll}\p{Lo}0-9_-]{0,64}$/u.test(item))
      errors.push(`${where}.${key}: label value ${JSON.stringify(item)} breaks the label rules`)
  }
  return errors
}

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value)

/**
 * The errors of `value` against a schema of the document. `request`: output-only members are
 * refused and members whose description begins "Required." must be there; a reply may hold both.
 */
export function schemaErrors(schema: Schema, value: unknown, where: string, request: boolean): string[] {
  const { doc } = discovery()
  const resolved = schema.$ref ? doc.schemas[schema.$ref] : schema
  if (!resolved) return [`${where}: the document has no schema ${schema.$ref}`]
  const type = resolved.type
  if (type === 'any' || type === undefined) return []
  const got = typeOf(value)
  const errors: string[] = []
  if (type === 'string') {
    if (got !== 'string') return [`${where}: a string, not ${got}`]
    const text = value as string
    if (resolved.enum && !resolved.enum.includes(text))
      errors.push(`${where}: ${JSON.stringify(text)} is not one of ${resolved.enum.join(', ')}`)
    if ((resolved.format === 'int64' || resolved.format === 'uint64') && !/^-?\d+$/.test(text))
      errors.push(`${where}: ${JSON.stringify(text)} is not an ${resolved.format}`)
    if (resolved.format === 'google-datetime' && Number.isNaN(Date.parse(text)))
      errors.push(`${where}: ${JSON.stringify(text)} is not a timestamp`)
    const prose = proseRules(resolved.description)
    if (prose.max !== undefined && [...text].length > prose.max)
      errors.push(`${where}: ${[...text].length} characters (at most ${prose.max})`)
    return errors
  }
  if (type === 'integer')
    return Number.isInteger(value) && Math.abs(value as number) < 2 ** 31 ? [] : [`${where}: an int32, not ${got}`]
  if (type === 'number') return got === 'number' ? [] : [`${where}: a number, not ${got}`]
  if (type === 'boolean') return got === 'boolean' ? [] : [`${where}: a boolean, not ${got}`]
  if (type === 'array') {
    if (got !== 'array') return [`${where}: an array, not ${got}`]
    return (value as unknown[]).flatMap((item, i) =>
      schemaErrors(resolved.items ?? {}, item, `${where}[${i}]`, request)
    )
  }
  if (type === 'object') {
    if (got !== 'object') return [`${where}: an object, not ${got}`]
    const object = value as Record<string, unknown>
    const properties = resolved.properties ?? {}
    for (const [key, item] of Object.entries(object)) {
      const property = Object.hasOwn(properties, key) ? properties[key] : undefined
      if (property) {
        if (request && property.readOnly) errors.push(`${where}.${key}: output only, not for a request`)
        errors.push(...schemaErrors(property, item, `${where}.${key}`, request))
        if (
          key === 'labels' &&
          /lowercase letters, numeric characters, underscores and dashes/.test(property.description ?? '') &&
          typeOf(item) === 'object'
        )
          errors.push(...labelErrors(item as Record<string, unknown>, `${where}.${key}`))
      } else if (resolved.additionalProperties)
        errors.push(...schemaErrors(resolved.additionalProperties, item, `${where}.${key}`, request))
      else errors.push(`${where}.${key}: not a member of ${resolved.id ?? 'this object'}`)
    }
    if (request)
      for (const [key, property] of Object.entries(properties))
        if (/^Required\./.test(property.description ?? '') && !Object.hasOwn(object, key))
          errors.push(`${where}.${key}: required, missing`)
    return errors
  }
  return [`${where}: the document's type ${type} is not understood here`]
}

export interface CheckedRequest {
  method?: Method
  /** The path parameters (`parent`, `name`) and the query, as sent. */
  params: Record<string, string>
  errors: string[]
}

/** A request against its method: path parameters, query parameters, body. */
export function requestErrors(httpMethod: string, pathWithQuery: string, body: unknown): CheckedRequest {
  const method = methodFor(httpMethod, pathWithQuery)
  const where = `${httpMethod} ${pathWithQuery.split('?')[0]}`
  if (!method) return { params: {}, errors: [`${where}: no such method in aiplatform.v1`] }
  const bare = pathWithQuery.split('?')[0]!.replace(/^\//, '')
  const errors: string[] = []
  const params: Record<string, string> = {}
  const match = templateRegex(method.path, '[^/]+').exec(bare)
  templateNames(method.path).forEach((name, i) => (params[name] = decodeURIComponent(match?.[i + 1] ?? '')))
  const { doc } = discovery()
  for (const [name, spec] of Object.entries(method.parameters ?? {}))
    if (spec.location === 'path') errors.push(...checkParameter(name, params[name] ?? '', spec, `${method.id} path`))
  const query = new URLSearchParams(pathWithQuery.split('?')[1] ?? '')
  for (const [name, value] of query) {
    const spec = method.parameters?.[name] ?? doc.parameters[name]
    if (!spec || spec.location !== 'query') errors.push(`${method.id}: no query parameter ${name}`)
    else errors.push(...checkParameter(name, value, spec, `${method.id} query`))
    params[name] = value
  }
  for (const [name, spec] of Object.entries(method.parameters ?? {}))
    if (spec.required && spec.location === 'query' && !query.has(name)) errors.push(`${method.id}: ${name} is required`)
  if (method.request) {
    if (body === undefined) errors.push(`${method.id}: a ${method.request.$ref} body is required`)
    else errors.push(...schemaErrors(method.request, body, `${method.id} request`, true))
  } else if (body !== undefined) errors.push(`${method.id}: takes no body`)
  return { method, params, errors }
}

/** google.rpc.Code names and the HTTP status each maps to (google/rpc/code.proto). */
export const RPC_CODES: Record<string, number> = {
  CANCELLED: 499,
  UNKNOWN: 500,
  INVALID_ARGUMENT: 400,
  DEADLINE_EXCEEDED: 504,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  RESOURCE_EXHAUSTED: 429,
  FAILED_PRECONDITION: 400,
  ABORTED: 409,
  OUT_OF_RANGE: 400,
  UNIMPLEMENTED: 501,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  DATA_LOSS: 500
}

/** A reply against the method's response schema (2xx), or Google's error shape (anything else). */
export function replyErrors(method: Method, status: number, body: unknown): string[] {
  const where = `${method.id} → ${status}`
  if (status >= 200 && status < 300) return method.response ? schemaErrors(method.response, body, where, false) : []
  const error = (body as { error?: Record<string, unknown> } | undefined)?.error
  if (!error || typeOf(error) !== 'object')
    return [`${where}: not Google's error shape {error: {code, message, status}}`]
  const errors: string[] = []
  const keys = Object.keys(error).filter((key) => !['code', 'message', 'status', 'details'].includes(key))
  if (keys.length) errors.push(`${where}: error has unknown members ${keys.join(', ')}`)
  if (error.code !== status) errors.push(`${where}: error.code ${String(error.code)} is not the HTTP status`)
  if (typeof error.message !== 'string' || !error.message) errors.push(`${where}: error.message missing`)
  const name = String(error.status)
  if (!Object.hasOwn(RPC_CODES, name)) errors.push(`${where}: error.status ${name} is not a google.rpc.Code`)
  else if (RPC_CODES[name] !== status) errors.push(`${where}: ${name} is HTTP ${RPC_CODES[name]}, not ${status}`)
  return errors
}
