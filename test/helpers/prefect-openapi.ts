/**
 * Prefect's own contract for the scripted server of the prefect target's unit tests: the OpenAPI
 * document of the pinned server (.venv-prefect, prefect==3.9.1), made by its app factory once per
 * process, without starting a server. Each request the target sends and each 200 the script
 * replays is checked against it, so the recordings and the target cannot drift from the server.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PREFECT_PYTHON } from './prefect-server.js'

interface Operation {
  requestBody?: { content?: Record<string, { schema: object }> }
  responses: Record<string, { content?: Record<string, { schema: object }> }>
}
interface Spec {
  components: object
  paths: Record<string, Record<string, Operation>>
}

let loaded: { spec: Spec; ajv: Ajv; cache: Map<string, ValidateFunction> } | undefined

function contract() {
  if (loaded) return loaded
  const home = mkdtempSync(join(tmpdir(), 'pt-prefect-openapi-'))
  try {
    const text = execFileSync(
      PREFECT_PYTHON,
      [
        '-c',
        'import json, sys\nfrom prefect.server.api.server import create_app\nsys.stdout.write(json.dumps(create_app(ephemeral=True).openapi()))'
      ],
      {
        env: { PATH: process.env.PATH, HOME: home, PREFECT_HOME: home, PREFECT_SERVER_ANALYTICS_ENABLED: 'false' },
        maxBuffer: 16 * 1024 * 1024,
        encoding: 'utf8'
      }
    )
    const spec = JSON.parse(text) as Spec
    const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
    ajv.addSchema({ $id: 'prefect', components: spec.components })
    loaded = { spec, ajv, cache: new Map() }
    return loaded
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

/**
 * Makes the contract now (seconds: the pinned server's app factory runs once). Call it in a
 * `before` hook: made lazily inside a scripted server's handler, it blocks the event loop while the
 * client under test waits on its own timeout.
 */
export function loadPrefectContract(): void {
  contract()
}

/** The documented path template a concrete path (without the /api root) matches, e.g. /flow_runs/{id}. */
function template(spec: Spec, path: string): string | undefined {
  const bare = path.split('?')[0]!
  // A literal path wins over a template that also matches it (/artifacts/filter, not /artifacts/{id}).
  if (Object.hasOwn(spec.paths, bare)) return bare
  const placeholders = (key: string) => key.split('{').length
  // The fewest placeholders win too: /work_pools/{pool}/queues/filter, not /work_pools/{pool}/queues/{name}.
  return Object.keys(spec.paths)
    .filter((key) =>
      new RegExp(`^${key.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`).test(bare)
    )
    .sort((a, b) => placeholders(a) - placeholders(b))[0]
}

function errors(key: string, schema: object | undefined, value: unknown, what: string): string[] {
  const { ajv, cache } = contract()
  if (!schema) return [`${what}: not documented by the server`]
  let validate = cache.get(key)
  if (!validate) {
    validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"prefect#/components/')))
    cache.set(key, validate)
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${what}: ${e.instancePath} ${e.message}`)
}

/** What does not keep to the contract in one exchange: the request's body, and a 200 reply's body. */
export function prefectContractErrors(
  method: string,
  path: string,
  requestBody: unknown,
  status: number,
  replyBody: unknown
): string[] {
  const { spec } = contract()
  const found = template(spec, path)
  const operation = found ? spec.paths[found]?.[method.toLowerCase()] : undefined
  if (!found || !operation) return [`${method} ${path}: no such operation in Prefect's API`]
  const problems: string[] = []
  const requestSchema = operation.requestBody?.content?.['application/json']?.schema
  if (requestBody !== undefined || operation.requestBody)
    problems.push(...errors(`request ${method} ${found}`, requestSchema, requestBody, `${method} ${found} request`))
  if (status === 200) {
    const replySchema = operation.responses['200']?.content?.['application/json']?.schema
    problems.push(...errors(`reply ${method} ${found}`, replySchema, replyBody, `${method} ${found} → 200`))
  }
  return problems
}
