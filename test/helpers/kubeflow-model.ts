/**
 * Kubeflow Pipelines' own contract for the kubeflow target's tests: the v2beta1 REST API as the
 * pinned kfp-server-api 2.17.3 package (.venv-models, from scripts/python-servers/models.txt)
 * generates it from the KFP swagger. PyPI carries no swagger file for KFP, so
 * kubeflow-model-dump.py reads the generated models (attribute_map, openapi_types, the enums'
 * allowable_values, the setters' patterns) and API classes (path, method, path and query
 * parameters, body, response type) once per test process, and this file checks against them:
 * a request's operation, query names and values (a `filter` is a JSON Filter message too) and
 * body (types, enums, patterns, no unknown member), and a reply's body against the operation's
 * response type, or google.rpc.Status for an error.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './run-action.js'

interface Model {
  members: Record<string, string>
  enum?: string[]
  patterns?: Record<string, string>
}

export interface Operation {
  id: string
  path: string
  method: string
  params: Record<string, string>
  required: string[]
  path_params: string[]
  query: string[]
  body: string | null
  response: string | null
}

interface Dump {
  package: string
  version: string
  models: Record<string, Model>
  operations: Record<string, Omit<Operation, 'id'>>
}

const PYTHON = join(ROOT, '.venv-models/bin/python')
const DUMP = join(ROOT, 'test/helpers/kubeflow-model-dump.py')

let loaded: Dump | undefined

/** The dumped model, once per process. */
export function kubeflowModel(): Dump {
  if (loaded) return loaded
  if (!existsSync(PYTHON))
    throw new Error(`The pinned kfp-server-api is missing (${PYTHON}): run bash scripts/setup-python.sh`)
  loaded = JSON.parse(execFileSync(PYTHON, [DUMP], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })) as Dump
  return loaded
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** The errors of `value` against a generated type ('str', 'list[T]', 'dict(str, T)', a model name), at `at`. */
export function kubeflowTypeErrors(type: string, value: unknown, at = type): string[] {
  const { models } = kubeflowModel()
  const list = /^list\[(.+)\]$/.exec(type)
  if (list) {
    if (!Array.isArray(value)) return [`${at}: ${describe(value)}, not a list`]
    return value.flatMap((item, i) => kubeflowTypeErrors(list[1]!, item, `${at}[${i}]`))
  }
  const dict = /^dict\(str, (.+)\)$/.exec(type)
  if (dict) {
    if (!isObject(value)) return [`${at}: ${describe(value)}, not a map`]
    return Object.entries(value).flatMap(([key, item]) => kubeflowTypeErrors(dict[1]!, item, `${at}.${key}`))
  }
  switch (type) {
    case 'object':
      return value === undefined ? [`${at}: missing`] : []
    case 'str':
      return typeof value === 'string' ? [] : [`${at}: ${describe(value)}, not a string`]
    case 'int':
      return Number.isInteger(value) ? [] : [`${at}: ${describe(value)}, not an integer`]
    case 'float':
      return typeof value === 'number' ? [] : [`${at}: ${describe(value)}, not a number`]
    case 'bool':
      return typeof value === 'boolean' ? [] : [`${at}: ${describe(value)}, not a boolean`]
    case 'datetime':
      return typeof value === 'string' && RFC3339.test(value) ? [] : [`${at}: ${describe(value)}, not an RFC 3339 time`]
  }
  const model = models[type]
  if (!model) return [`${at}: the model has no type ${type}`]
  if (model.enum)
    return typeof value === 'string' && model.enum.includes(value)
      ? []
      : [`${at}: ${describe(value)} is not one of ${type}'s values (${model.enum.join(', ')})`]
  if (!isObject(value)) return [`${at}: ${describe(value)}, not a ${type} object`]
  const errors: string[] = []
  for (const [key, item] of Object.entries(value)) {
    const member = model.members[key]
    if (!member) {
      errors.push(`${at}.${key}: ${type} has no member ${key} (its members: ${Object.keys(model.members).join(', ')})`)
      continue
    }
    errors.push(...kubeflowTypeErrors(member, item, `${at}.${key}`))
    const pattern = model.patterns?.[key]
    if (pattern && typeof item === 'string' && !new RegExp(pattern).test(item))
      errors.push(`${at}.${key}: ${JSON.stringify(item)} does not match ${pattern}`)
  }
  return errors
}

/** The documented operation a method and concrete path (without its query) match; a literal segment wins over a parameter. */
export function kubeflowOperation(method: string, path: string): Operation | undefined {
  const matches: [Operation, number][] = []
  for (const [id, op] of Object.entries(kubeflowModel().operations)) {
    if (op.method !== method.toUpperCase()) continue
    const pattern = op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[\w.]+\\?\}/g, '[^/:]+')
    if (new RegExp(`^${pattern}$`).test(path)) matches.push([{ id, ...op }, op.path.replace(/\{[\w.]+\}/g, '').length])
  }
  return matches.sort((a, b) => b[1] - a[1])[0]?.[0]
}

/** The errors of a request against its operation (none: it fits), and the operation it is. */
export function kubeflowRequestErrors(
  method: string,
  pathWithQuery: string,
  body: unknown
): { operation?: Operation; errors: string[] } {
  const url = new URL(pathWithQuery, 'http://kfp.invalid')
  const operation = kubeflowOperation(method, decodeURIComponentSafe(url.pathname))
  if (!operation) return { errors: [`${method} ${url.pathname}: no such operation in the v2beta1 API`] }
  const errors: string[] = []
  const where = `${operation.id} (${method} ${operation.path})`
  for (const [name, value] of url.searchParams) {
    if (!operation.query.includes(name)) {
      errors.push(`${where}: no query parameter ${name} (it takes ${operation.query.join(', ') || 'none'})`)
      continue
    }
    const type = operation.params[name]
    if (type === 'int' && !/^-?\d+$/.test(value)) errors.push(`${where}: ${name}=${value} is not an integer`)
    if (name === 'filter') {
      let filter: unknown
      try {
        filter = JSON.parse(value)
      } catch {
        errors.push(`${where}: filter=${value} is not JSON (a JSON-serialized Filter)`)
        continue
      }
      errors.push(...kubeflowTypeErrors('V2beta1Filter', filter, `${where} filter`))
    }
  }
  if (operation.body) {
    if (body === undefined) errors.push(`${where}: the body (${operation.params[operation.body]}) is required`)
    else errors.push(...kubeflowTypeErrors(operation.params[operation.body]!, body, `${where} body`))
  } else if (body !== undefined) errors.push(`${where}: takes no body, and one was sent`)
  return { operation, errors }
}

/** The errors of a reply's body: the operation's response type for a 200, google.rpc.Status for any other status. */
export function kubeflowReplyErrors(operation: Operation, status: number, body: unknown): string[] {
  const type = status === 200 ? operation.response : 'GoogleRpcStatus'
  if (!type) return body === undefined ? [] : [`${operation.id}: answers no body`]
  return kubeflowTypeErrors(type, body, `${operation.id} reply ${status}`)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function describe(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value).slice(0, 60)
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
