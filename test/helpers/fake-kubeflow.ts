/**
 * A stand-in for a Kubeflow Pipelines v2 API server (REST v2beta1) on 127.0.0.1, for the kubeflow
 * target's tests. The real one needs Kubernetes, so this keeps the documented semantics of the
 * calls the target makes: pipelines and their versions (found by id, by name, or by a filter on
 * name or display_name; versions newest first with sort_by "created_at desc"), experiments, runs
 * created with a version reference and runtime_config.parameters checked against the version's
 * pipeline_spec (root.inputDefinitions.parameters), read (PENDING, then RUNNING, then the end the
 * test scripts: SUCCEEDED, FAILED with an error and a failed task, or never), listed with a
 * display_name filter, and terminated (CANCELING, then CANCELED). No run dedupes: two creates make
 * two runs, as on the real server.
 *
 * It checks EVERY request against the pinned kfp-server-api 2.17.3 model
 * (test/helpers/kubeflow-model.ts: operation, query, body) and the bearer token, and EVERY reply
 * it sends against the operation's response type (google.rpc.Status for errors); what the model
 * refuses is answered 400 with google.rpc.Status, and each misfit is kept in `violations`, which
 * every test asserts is empty. It records each request so tests can assert what was sent.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { kubeflowReplyErrors, kubeflowRequestErrors, type Operation } from './kubeflow-model.js'

/** A KFP v2 IR parameter of the root DAG: NUMBER_DOUBLE, NUMBER_INTEGER, STRING, BOOLEAN, LIST, STRUCT. */
export interface SeedParameter {
  parameterType: string
  isOptional?: boolean
  defaultValue?: unknown
}
export interface SeedPipeline {
  name: string
  displayName?: string
  namespace?: string
  /** Oldest first: the last is the newest. */
  versions: { name: string; parameters: Record<string, SeedParameter> }[]
}
/** How a run goes: RUNNING for `runningReads` reads, then its end ('never': until it is terminated). */
export interface RunPlan {
  runningReads: number
  end: 'SUCCEEDED' | 'FAILED' | 'never'
  /** For FAILED: the task that failed and why. */
  failedTask?: string
  reason?: string
}

export interface FakeKubeflowOptions {
  /** The bearer token every request must carry. */
  token: string
  pipelines: SeedPipeline[]
  experiments?: { name: string; namespace?: string }[]
  /** Default: `fail: true` fails in task train, `forever: true` never ends, else SUCCEEDED after one RUNNING read. */
  plan?: (parameters: Record<string, unknown>) => RunPlan
  /** For the default plan: the reads a run stays RUNNING before it ends (default 1). */
  runningReads?: number
  /** Where the versions' package_url and code_source_url point: another origin, which must never see the token. */
  linksTo?: string
  /** Requests a sign-in proxy in front (IAP, Dex) answers with a 302 to `location`, before the API sees them. */
  signIn?: { matches: (method: string, path: string) => boolean; location: string }
}

export interface SeenKubeflowRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body?: unknown
  operation?: string
}

type Json = Record<string, unknown>

export interface FakeKubeflow {
  url: string
  requests: SeenKubeflowRequest[]
  /** Every request or reply the model refused, and every request without the right token. */
  violations: string[]
  /** The runs as stored (V2beta1Run), oldest first. */
  runs: Json[]
  pipelines: Json[]
  versions: Json[]
  experiments: Json[]
  /** Set or cleared between tests: a sign-in proxy in front, as `signIn` in the options. */
  signIn?: FakeKubeflowOptions['signIn']
  close(): Promise<void>
}

/** google.rpc.Code values the server answers with. */
const CODE = { INVALID_ARGUMENT: 3, NOT_FOUND: 5, PERMISSION_DENIED: 7, FAILED_PRECONDITION: 9, UNAUTHENTICATED: 16 }

const defaultPlan =
  (runningReads: number) =>
  (parameters: Record<string, unknown>): RunPlan =>
    parameters.fail === true
      ? { runningReads, end: 'FAILED', failedTask: 'train', reason: 'train: loss is NaN (exit code 1)' }
      : parameters.forever === true
        ? { runningReads: 0, end: 'never' }
        : { runningReads, end: 'SUCCEEDED' }

const FINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELED', 'SKIPPED'])

export async function startFakeKubeflow(options: FakeKubeflowOptions): Promise<FakeKubeflow> {
  const plan = options.plan ?? defaultPlan(options.runningReads ?? 1)
  const requests: SeenKubeflowRequest[] = []
  const violations: string[] = []
  const runs: Json[] = []
  const plans = new Map<string, RunPlan & { reads: number }>()
  const now = () => new Date().toISOString()
  const pipelines: Json[] = []
  const versions: Json[] = []
  let clock = Date.parse('2026-01-01T00:00:00Z')
  for (const seed of options.pipelines) {
    const pipelineId = randomUUID()
    pipelines.push({
      pipeline_id: pipelineId,
      name: seed.name,
      display_name: seed.displayName ?? seed.name,
      created_at: new Date((clock += 1000)).toISOString(),
      ...(seed.namespace ? { namespace: seed.namespace } : {})
    })
    for (const version of seed.versions)
      versions.push({
        pipeline_id: pipelineId,
        pipeline_version_id: randomUUID(),
        name: version.name,
        display_name: version.name,
        created_at: new Date((clock += 1000)).toISOString(),
        ...(options.linksTo
          ? {
              package_url: { pipeline_url: `${options.linksTo}/${version.name}.yaml` },
              code_source_url: `${options.linksTo}/src`
            }
          : {}),
        pipeline_spec: {
          pipelineInfo: { name: seed.name },
          schemaVersion: '2.1.0',
          sdkVersion: 'kfp-2.14.0',
          root: { inputDefinitions: { parameters: version.parameters }, dag: { tasks: {} } }
        }
      })
  }
  const experiments: Json[] = [{ experiment_id: randomUUID(), display_name: 'Default', storage_state: 'AVAILABLE' }]
  for (const seed of options.experiments ?? [])
    experiments.push({
      experiment_id: randomUUID(),
      display_name: seed.name,
      storage_state: 'AVAILABLE',
      created_at: now(),
      ...(seed.namespace ? { namespace: seed.namespace } : {})
    })

  const status = (code: number, message: string) => ({ code, message })

  /** The answer to a request the model took: [HTTP status, body]. */
  function answer(operation: Operation, path: string, query: URLSearchParams, body: unknown): [number, unknown] {
    const ids = pathIds(operation.path, path)
    const filtered = (items: Json[]) => applyFilter(items, query.get('filter'))
    switch (operation.id) {
      case 'pipeline_service_list_pipelines': {
        const found = filtered(pipelines).filter((p) => sameNamespace(p, query.get('namespace')))
        return [200, list('pipelines', found, query)]
      }
      case 'pipeline_service_get_pipeline': {
        const found = pipelines.find((p) => p.pipeline_id === ids.pipeline_id)
        return found ? [200, found] : [404, status(CODE.NOT_FOUND, `Pipeline ${ids.pipeline_id} not found.`)]
      }
      case 'pipeline_service_get_pipeline_by_name': {
        const found = pipelines.find((p) => p.name === ids.name && sameNamespace(p, query.get('namespace')))
        return found ? [200, found] : [404, status(CODE.NOT_FOUND, `Pipeline with name ${ids.name} not found.`)]
      }
      case 'pipeline_service_list_pipeline_versions': {
        if (!pipelines.some((p) => p.pipeline_id === ids.pipeline_id))
          return [404, status(CODE.NOT_FOUND, `Pipeline ${ids.pipeline_id} not found.`)]
        let found = filtered(versions.filter((v) => v.pipeline_id === ids.pipeline_id))
        const sort = query.get('sort_by')
        if (sort && !/^(created_at|name|display_name)( (asc|desc))?$/.test(sort))
          return [400, status(CODE.INVALID_ARGUMENT, `Invalid sorting field: "${sort}"`)]
        if (sort?.endsWith(' desc')) found = [...found].reverse()
        return [200, list('pipeline_versions', found, query)]
      }
      case 'pipeline_service_get_pipeline_version': {
        const found = versions.find(
          (v) => v.pipeline_id === ids.pipeline_id && v.pipeline_version_id === ids.pipeline_version_id
        )
        return found
          ? [200, found]
          : [404, status(CODE.NOT_FOUND, `Pipeline version ${ids.pipeline_version_id} not found.`)]
      }
      case 'experiment_service_list_experiments': {
        const found = filtered(experiments).filter((e) => sameNamespace(e, query.get('namespace')))
        return [200, list('experiments', found, query)]
      }
      case 'experiment_service_get_experiment': {
        const found = experiments.find((e) => e.experiment_id === ids.experiment_id)
        return found ? [200, found] : [404, status(CODE.NOT_FOUND, `Experiment ${ids.experiment_id} not found.`)]
      }
      case 'run_service_create_run':
        return createRun(body as Json, query.get('experiment_id'))
      case 'run_service_get_run': {
        const run = runs.find((r) => r.run_id === ids.run_id)
        if (!run) return [404, status(CODE.NOT_FOUND, `Run ${ids.run_id} not found.`)]
        advance(run)
        return [200, run]
      }
      case 'run_service_list_runs': {
        const experiment = query.get('experiment_id')
        const found = filtered(runs).filter((r) => !experiment || r.experiment_id === experiment)
        return [200, list('runs', found, query)]
      }
      case 'run_service_terminate_run': {
        const run = runs.find((r) => r.run_id === ids.run_id)
        if (!run) return [404, status(CODE.NOT_FOUND, `Run ${ids.run_id} not found.`)]
        if (FINAL.has(run.state as string))
          return [400, status(CODE.FAILED_PRECONDITION, `Run ${ids.run_id} is already ${String(run.state)}.`)]
        setState(run, 'CANCELING')
        return [200, {}]
      }
    }
    return [404, status(CODE.NOT_FOUND, `The stand-in does not serve ${operation.id}.`)]
  }

  function createRun(body: Json, queryExperiment: string | null): [number, unknown] {
    const reference = body.pipeline_version_reference as Json | undefined
    const version = versions.find(
      (v) => v.pipeline_id === reference?.pipeline_id && v.pipeline_version_id === reference?.pipeline_version_id
    )
    if (!version)
      return [404, status(CODE.NOT_FOUND, `Pipeline version ${String(reference?.pipeline_version_id)} not found.`)]
    if (!body.display_name) return [400, status(CODE.INVALID_ARGUMENT, 'Run display name is required.')]
    const experimentId = (body.experiment_id as string | undefined) ?? queryExperiment ?? experiments[0]!.experiment_id
    if (!experiments.some((e) => e.experiment_id === experimentId))
      return [404, status(CODE.NOT_FOUND, `Experiment ${String(experimentId)} not found.`)]
    const declared = (
      ((version.pipeline_spec as Json).root as Json).inputDefinitions as { parameters: Record<string, SeedParameter> }
    ).parameters
    const given = ((body.runtime_config as Json | undefined)?.parameters ?? {}) as Record<string, unknown>
    for (const [name, value] of Object.entries(given)) {
      const parameter = declared[name]
      if (!parameter)
        return [
          400,
          status(
            CODE.INVALID_ARGUMENT,
            `Failed to create a run: input parameter ${name} is not defined in the pipeline spec.`
          )
        ]
      if (!fits(parameter.parameterType, value))
        return [
          400,
          status(
            CODE.INVALID_ARGUMENT,
            `Failed to create a run: input parameter ${name} requires type ${parameter.parameterType}.`
          )
        ]
    }
    const run: Json = {
      ...body,
      run_id: randomUUID(),
      experiment_id: experimentId,
      storage_state: 'AVAILABLE',
      created_at: now(),
      scheduled_at: now(),
      state: 'PENDING',
      state_history: [{ update_time: now(), state: 'PENDING' }]
    }
    runs.push(run)
    plans.set(run.run_id as string, { ...plan(given), reads: 0 })
    return [200, run]
  }

  function setState(run: Json, state: string, error?: Json) {
    run.state = state
    ;(run.state_history as Json[]).push({ update_time: now(), state, ...(error ? { error } : {}) })
    if (error) run.error = error
    if (FINAL.has(state)) run.finished_at = now()
  }

  /** Each read moves the run on: PENDING → RUNNING → (after runningReads) its end; CANCELING → CANCELED. */
  function advance(run: Json) {
    const runPlan = plans.get(run.run_id as string)!
    if (run.state === 'CANCELING') return setState(run, 'CANCELED')
    if (run.state === 'PENDING') return setState(run, 'RUNNING')
    if (run.state !== 'RUNNING' || runPlan.end === 'never') return
    if (runPlan.reads++ < runPlan.runningReads) return
    if (runPlan.end === 'SUCCEEDED') {
      setState(run, 'SUCCEEDED')
      run.run_details = { task_details: [task(run, 'train', 'SUCCEEDED')] }
      return
    }
    const error = { code: 2, message: `task ${runPlan.failedTask ?? 'train'} failed: ${runPlan.reason ?? 'error'}` }
    setState(run, 'FAILED', error)
    run.run_details = {
      task_details: [
        {
          ...task(run, runPlan.failedTask ?? 'train', 'FAILED'),
          error: { code: 2, message: runPlan.reason ?? 'error' }
        }
      ]
    }
  }

  const task = (run: Json, name: string, state: string): Json => ({
    run_id: run.run_id,
    task_id: randomUUID(),
    display_name: name,
    create_time: now(),
    state,
    outputs: { metrics: { artifact_ids: ['42'] } }
  })

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = raw ? JSON.parse(raw) : undefined
      } catch {
        body = raw
      }
      const method = req.method ?? 'GET'
      const path = req.url ?? '/'
      const seen: SeenKubeflowRequest = { method, path, headers: req.headers, ...(body !== undefined ? { body } : {}) }
      requests.push(seen)
      const send = (code: number, reply: unknown, operation?: Operation) => {
        if (operation) violations.push(...kubeflowReplyErrors(operation, code, reply))
        res.writeHead(code, { 'content-type': 'application/json' })
        res.end(JSON.stringify(reply))
      }
      if (fake.signIn?.matches(method, path)) {
        res.writeHead(302, { location: fake.signIn.location })
        return res.end()
      }
      const { operation, errors } = kubeflowRequestErrors(method, path, body)
      if (operation) seen.operation = operation.id
      if (req.headers.authorization !== `Bearer ${options.token}`) {
        violations.push(`${method} ${path}: ${req.headers.authorization ? 'a wrong' : 'no'} bearer token`)
        return send(
          401,
          status(CODE.UNAUTHENTICATED, 'Request header error: there is no user identity header.'),
          operation
        )
      }
      if (errors.length) {
        violations.push(...errors)
        return send(400, status(CODE.INVALID_ARGUMENT, errors.join('; ')), operation)
      }
      const url = new URL(path, 'http://kfp.invalid')
      const [code, reply] = answer(operation!, decodeURIComponent(url.pathname), url.searchParams, body)
      send(code, reply, operation)
    })
  })
  const fake: FakeKubeflow = {
    url: '',
    requests,
    violations,
    runs,
    pipelines,
    versions,
    experiments,
    ...(options.signIn ? { signIn: options.signIn } : {}),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return fake
}

/** The values a concrete path gives its template's {parameters}. */
function pathIds(template: string, path: string): Record<string, string> {
  const names = [...template.matchAll(/\{([\w.]+)\}/g)].map((m) => m[1]!)
  const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[\w.]+\\?\}/g, '([^/:]+)')
  const values = new RegExp(`^${pattern}$`).exec(path)?.slice(1) ?? []
  return Object.fromEntries(names.map((name, i) => [name, values[i] ?? '']))
}

/** A Filter's EQUALS predicates on string members (the only kind the target sends; anything else matches nothing). */
function applyFilter(items: Json[], filter: string | null): Json[] {
  if (!filter) return items
  const { predicates = [] } = JSON.parse(filter) as { predicates?: Json[] }
  return items.filter((item) =>
    predicates.every((p) => p.operation === 'EQUALS' && item[p.key as string] === p.string_value)
  )
}

function sameNamespace(item: Json, namespace: string | null): boolean {
  return !namespace || item.namespace === undefined || item.namespace === namespace
}

/** A list reply as grpc-gateway writes it: empty lists and a zero total are left out. */
function list(key: string, items: Json[], query: URLSearchParams): Json {
  const size = Number(query.get('page_size') ?? 20)
  const page = items.slice(0, size)
  return page.length ? { [key]: page, total_size: items.length } : {}
}

function fits(type: string, value: unknown): boolean {
  switch (type) {
    case 'NUMBER_DOUBLE':
      return typeof value === 'number'
    case 'NUMBER_INTEGER':
      return Number.isInteger(value)
    case 'STRING':
      return typeof value === 'string'
    case 'BOOLEAN':
      return typeof value === 'boolean'
    case 'LIST':
      return Array.isArray(value)
    case 'STRUCT':
      return value !== null && typeof value === 'object' && !Array.isArray(value)
  }
  return true
}
