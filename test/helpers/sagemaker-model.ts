/**
 * SageMaker's own contract, for the sagemaker target's stand-in: botocore's model of the service
 * (data/sagemaker/2017-07-24/service-2.json.gz from the pinned botocore 1.44.18 in .venv-models,
 * made by scripts/setup-python.sh from scripts/python-servers/models.txt), read at test time. A
 * request is checked as the JSON 1.1 protocol sends it (POST /, X-Amz-Target SageMaker.<Op>,
 * application/x-amz-json-1.1) and its body against the operation's input shape; a reply against
 * its output shape, or an error reply against the JSON 1.1 error shape and the operation's errors.
 * Shapes are checked whole: required members, no unknown members, string lengths (in characters),
 * patterns (anchored: the service matches a whole value), enums, number ranges, lists, maps and
 * timestamps (epoch seconds in JSON 1.1).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'

export const MODELS_VENV = join(import.meta.dirname, '../../.venv-models')
const MODEL_FILE = 'botocore/data/sagemaker/2017-07-24/service-2.json.gz'

interface Shape {
  type:
    'structure' | 'string' | 'list' | 'map' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'timestamp' | 'blob'
  required?: string[]
  members?: Record<string, { shape: string }>
  member?: { shape: string }
  key?: { shape: string }
  value?: { shape: string }
  min?: number
  max?: number
  pattern?: string
  enum?: string[]
  exception?: boolean
}
interface Operation {
  http: { method: string; requestUri: string }
  input?: { shape: string }
  output?: { shape: string }
  errors?: { shape: string }[]
}
export interface Model {
  metadata: {
    apiVersion: string
    targetPrefix: string
    jsonVersion: string
    signingName: string
    endpointPrefix: string
  }
  operations: Record<string, Operation>
  shapes: Record<string, Shape>
}

/** Errors any AWS JSON service may answer besides an operation's own (they are not in the model). */
export const COMMON_ERRORS = new Set([
  'ValidationException',
  'ThrottlingException',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'UnrecognizedClientException',
  'ExpiredTokenException',
  'AccessDeniedException',
  'InternalFailure',
  'ServiceUnavailable',
  'UnknownOperationException'
])

let loaded: Model | undefined

/** botocore's model of SageMaker, from the pinned package. */
export function sagemakerModel(): Model {
  if (loaded) return loaded
  const lib = join(MODELS_VENV, 'lib')
  const python = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python')) : undefined
  const path = python ? join(lib, python, 'site-packages', MODEL_FILE) : ''
  if (!path || !existsSync(path))
    throw new Error(
      `botocore's SageMaker model is missing (${MODEL_FILE} in ${MODELS_VENV}): run bash scripts/setup-python.sh`
    )
  loaded = JSON.parse(gunzipSync(readFileSync(path)).toString('utf8')) as Model
  return loaded
}

const patterns = new Map<string, RegExp | undefined>()

/** A model pattern as JS reads it, anchored; undefined when JS cannot read it (a Java-only construct). */
function patternOf(source: string): RegExp | undefined {
  if (!patterns.has(source)) {
    let compiled: RegExp | undefined
    try {
      compiled = new RegExp(`^(?:${source})$`, source.includes('\\p') ? 'u' : '')
    } catch {
      compiled = undefined
    }
    patterns.set(source, compiled)
  }
  return patterns.get(source)
}

/** What in `value` does not fit shape `name`; each problem with its path. None: it fits. */
export function shapeErrors(name: string, value: unknown, path = name): string[] {
  const shape = sagemakerModel().shapes[name]
  if (!shape) return [`${path}: no shape ${name} in the model`]
  const errors: string[] = []
  const range = (size: number, what: string) => {
    if (shape.min !== undefined && size < shape.min) errors.push(`${path}: ${what} ${size} < min ${shape.min}`)
    if (shape.max !== undefined && size > shape.max) errors.push(`${path}: ${what} ${size} > max ${shape.max}`)
  }
  switch (shape.type) {
    case 'structure': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return [`${path}: not an object (${name})`]
      const object = value as Record<string, unknown>
      for (const member of shape.required ?? [])
        if (object[member] === undefined || object[member] === null)
          errors.push(`${path}: required member ${member} is missing`)
      for (const [member, memberValue] of Object.entries(object)) {
        const ref = shape.members?.[member]
        if (!ref)
          errors.push(`${path}: unknown member ${member} (${name} has ${Object.keys(shape.members ?? {}).join(', ')})`)
        else if (memberValue !== null) errors.push(...shapeErrors(ref.shape, memberValue, `${path}.${member}`))
      }
      return errors
    }
    case 'string': {
      if (typeof value !== 'string') return [`${path}: not a string (${name})`]
      range([...value].length, 'length')
      if (shape.enum && !shape.enum.includes(value))
        errors.push(`${path}: ${JSON.stringify(value)} is not one of ${shape.enum.join(', ')}`)
      const pattern = shape.pattern ? patternOf(shape.pattern) : undefined
      if (pattern && !pattern.test(value))
        errors.push(`${path}: ${JSON.stringify(value.slice(0, 80))} does not match ${shape.pattern}`)
      return errors
    }
    case 'integer':
    case 'long':
      if (!Number.isInteger(value)) return [`${path}: not an integer (${name})`]
      range(value as number, 'value')
      return errors
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return [`${path}: not a number (${name})`]
      range(value, 'value')
      return errors
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean (${name})`]
    case 'timestamp':
      // JSON 1.1 sends timestamps as epoch seconds (a number, fractions allowed).
      return typeof value === 'number' && Number.isFinite(value) && value >= 0
        ? []
        : [`${path}: not a timestamp in epoch seconds (${name})`]
    case 'blob':
      return typeof value === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? [] : [`${path}: not base64 (${name})`]
    case 'list': {
      if (!Array.isArray(value)) return [`${path}: not a list (${name})`]
      range(value.length, 'items')
      value.forEach((item, i) => errors.push(...shapeErrors(shape.member!.shape, item, `${path}[${i}]`)))
      return errors
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${path}: not a map (${name})`]
      const entries = Object.entries(value)
      range(entries.length, 'entries')
      for (const [key, item] of entries) {
        errors.push(...shapeErrors(shape.key!.shape, key, `${path} key`))
        errors.push(...shapeErrors(shape.value!.shape, item, `${path}.${key}`))
      }
      return errors
    }
    default:
      return [`${path}: shape type ${String(shape.type)} is not checked`]
  }
}

/** The operation a request names, or why it names none; checks how JSON 1.1 carries it. */
export function requestOperation(
  method: string,
  path: string,
  headers: Record<string, string | string[] | undefined>
): { operation?: string; errors: string[] } {
  const model = sagemakerModel()
  const errors: string[] = []
  if (method !== 'POST') errors.push(`${method} ${path}: JSON 1.1 requests are POST`)
  if (path !== '/') errors.push(`${method} ${path}: JSON 1.1 requests go to /`)
  const contentType = String(headers['content-type'] ?? '')
  if (contentType !== `application/x-amz-json-${model.metadata.jsonVersion}`)
    errors.push(
      `content-type ${JSON.stringify(contentType)}: JSON ${model.metadata.jsonVersion} needs application/x-amz-json-${model.metadata.jsonVersion}`
    )
  const target = String(headers['x-amz-target'] ?? '')
  const prefix = `${model.metadata.targetPrefix}.`
  const operation = target.startsWith(prefix) ? target.slice(prefix.length) : undefined
  if (!operation || !Object.hasOwn(model.operations, operation)) {
    errors.push(`X-Amz-Target ${JSON.stringify(target)}: no such operation in SageMaker ${model.metadata.apiVersion}`)
    return { errors }
  }
  return { operation, errors }
}

/** What in a request body does not fit the operation's input shape. */
export function requestErrors(operation: string, body: unknown): string[] {
  const op = sagemakerModel().operations[operation]
  if (!op) return [`${operation}: no such operation`]
  if (!op.input) return body === undefined || JSON.stringify(body) === '{}' ? [] : [`${operation}: takes no input`]
  return shapeErrors(op.input.shape, body, `${operation} request`)
}

/**
 * What in a reply does not fit: a 200's body against the output shape; an error's against the
 * JSON 1.1 error shape ({__type, message}), its type one the operation lists or any service's.
 */
export function replyErrors(operation: string, status: number, body: unknown): string[] {
  const model = sagemakerModel()
  const op = model.operations[operation]
  if (!op) return [`${operation}: no such operation`]
  if (status === 200) return op.output ? shapeErrors(op.output.shape, body, `${operation} reply`) : []
  if (body === null || typeof body !== 'object') return [`${operation} → ${status}: an error reply is a JSON object`]
  const { __type: type, message, ...rest } = body as Record<string, unknown>
  const errors: string[] = []
  if (typeof type !== 'string') errors.push(`${operation} → ${status}: __type is missing`)
  else if (!COMMON_ERRORS.has(type) && !(op.errors ?? []).some((e) => e.shape === type))
    errors.push(
      `${operation} → ${status}: ${type} is not an error of ${operation} (${(op.errors ?? []).map((e) => e.shape).join(', ')})`
    )
  else if (model.shapes[type]?.exception && status !== 400)
    errors.push(`${operation} → ${status}: ${type} is answered with HTTP 400 (no httpStatusCode in the model)`)
  if (typeof message !== 'string') errors.push(`${operation} → ${status}: message is missing`)
  if (Object.keys(rest).length) errors.push(`${operation} → ${status}: unknown members ${Object.keys(rest).join(', ')}`)
  return errors
}
