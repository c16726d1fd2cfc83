/* eslint-disable @typescript-eslint/no-explicit-any -- run configurations are read loosely, as in the tests */
/**
 * A fake of the ZenML server endpoints the `zenml` target calls, for what a local server cannot
 * do: running a snapshot needs ZenML Pro (or a workload manager) and a remote stack. It follows
 * the ZenML server's REST API as its OpenAPI description (the server's /docs page) and a real 0.98.0
 * server show it (errors, login, snapshots, run templates, runs):
 * - '0.98' mode: snapshots, the WRAPPED body {"run_configuration": …}; an unwrapped body is accepted
 *   and its overrides silently dropped; pipeline-level parameters on a static snapshot, an unknown
 *   step parameter, build/schedule/docker settings → 400; a duplicate run name → 409; runs have in_progress.
 * - '0.74' mode: run templates, the UNWRAPPED body; StrictBaseModel → unknown keys 422 (top-level
 *   array body); every step's full parameter set required → 400; no snapshot routes (404).
 */
import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FakeZenmlOptions {
  mode: '0.98' | '0.74'
  apiKey: string
  /**
   * What runs do once started: finish completed or failed, keep running, or fail before any step
   * starts, which leaves in_progress true for good (seen on a real 0.98.0 server when on_init raises).
   */
  outcome?: 'completed' | 'failed' | 'running' | 'failed-before-steps'
  /** Create the first run, then drop the connection before answering (a lost answer). */
  loseFirstRunAnswer?: boolean
  /**
   * How long a run lasts: it reports running until this many milliseconds after it started (by
   * `now`), then its outcome. Unset: it reports running to its first read, then its outcome.
   */
  runMs?: number
  /** The fake's clock, milliseconds since the epoch; default Date.now. Moved on, it ends a long run without waiting for it. */
  now?: () => number
  /**
   * What every run logged with log_metadata, as a real 0.98.0 server returns it under
   * metadata.run_metadata of a hydrated run: the run's own keys always, the steps' (`step::key`)
   * only with include_full_metadata=true.
   */
  runMetadata?: Record<string, unknown>
}

export interface FakeZenml {
  url: string
  requests: { method: string; path: string; body: unknown }[]
  close(): Promise<void>
}

const PIPELINE = { id: '11111111-1111-4111-8111-111111111111', name: 'training_pipeline' }
const STEPS = {
  load_data: { parameters: { data_url: 's3://example-bucket/data.csv' } },
  train_and_evaluate: { parameters: { model_type: 'random_forest' } }
}
const SNAPSHOT = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'production-training',
  body: { runnable: true, is_dynamic: false },
  metadata: { config_template: { steps: STEPS } }
}
/** A second pipeline, the downstream link of the pipeline-chain example. */
const EVALUATION = {
  pipeline: { id: '44444444-4444-4444-8444-444444444444', name: 'evaluation_pipeline' },
  steps: { evaluate: { parameters: { training_run_id: '' } } },
  snapshot: {
    id: '55555555-5555-4555-8555-555555555555',
    name: 'production-evaluation',
    body: { runnable: true, is_dynamic: false }
  }
}
const SNAPSHOTS = [
  { pipeline: PIPELINE, snapshot: SNAPSHOT, steps: STEPS as Record<string, { parameters: object }> },
  {
    pipeline: EVALUATION.pipeline,
    snapshot: { ...EVALUATION.snapshot, metadata: { config_template: { steps: EVALUATION.steps } } },
    steps: EVALUATION.steps as Record<string, { parameters: object }>
  }
]
const TEMPLATE = {
  id: '33333333-3333-4333-8333-333333333333',
  name: 'production-training-template',
  body: { runnable: true },
  metadata: { config_template: { steps: STEPS } }
}
const RUN_CONFIGURATION_KEYS = new Set([
  'run_name',
  'enable_cache',
  'enable_artifact_metadata',
  'enable_step_logs',
  'steps',
  'settings',
  'extra',
  'model',
  'parameters',
  'build',
  'schedule',
  'tags'
])

const page = (items: unknown[]) => ({
  index: 1,
  max_size: 20,
  total_pages: items.length ? 1 : 0,
  total: items.length,
  items
})

export async function startFakeZenml(options: FakeZenmlOptions): Promise<FakeZenml> {
  const requests: FakeZenml['requests'] = []
  const token = `jwt-${randomUUID()}`
  const runs = new Map<string, { name: string; polls: number; stopped: boolean; startedAt: number }>()
  const now = options.now ?? Date.now
  const going = (run: { polls: number; startedAt: number }) =>
    options.runMs === undefined ? run.polls < 2 : now() - run.startedAt < options.runMs

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, cls: string, message: string) =>
    send(res, status, { detail: [cls, message] })

  const startRun = (res: ServerResponse, runName: string | undefined) => {
    const name = runName ?? `training_pipeline-${runs.size}`
    if ([...runs.values()].some((r) => r.name === name))
      return error(res, 409, 'EntityExistsError', `Pipeline run name '${name}' already exists in this project.`)
    const id = randomUUID()
    runs.set(id, { name, polls: 0, stopped: false, startedAt: now() })
    if (options.loseFirstRunAnswer && runs.size === 1) return res.socket?.destroy()
    return send(res, 200, {
      id,
      name,
      body: { status: 'initializing', ...(options.mode === '0.98' ? { in_progress: true } : {}), status_reason: null }
    })
  }

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = url.pathname
    let body: unknown
    try {
      body = raw && req.headers['content-type']?.includes('json') ? JSON.parse(raw) : raw
    } catch {
      return send(res, 422, ['ValueError', 'body is not JSON'])
    }
    requests.push({ method: req.method!, path: `${path}${url.search}`, body })

    if (path === '/api/v1/info')
      return send(res, 200, {
        version: options.mode === '0.98' ? '0.98.0' : '0.74.0',
        deployment_type: 'cloud',
        auth_scheme: 'OAUTH2_PASSWORD_BEARER',
        pro_dashboard_url: null
      })
    if (path === '/api/v1/login' && req.method === 'POST') {
      const password = new URLSearchParams(raw).get('password')
      if (!password) return send(res, 400, { detail: 'API key is required.' })
      if (password !== options.apiKey)
        return error(res, 401, 'CredentialsNotValid', 'Authentication error: error decoding API key')
      return send(res, 200, { access_token: token, token_type: 'bearer', expires_in: 3600, refresh_token: null })
    }
    if (req.headers.authorization !== `Bearer ${token}`) return send(res, 401, { detail: 'Not authenticated' })
    if (
      options.mode === '0.98' &&
      url.searchParams.get('project') === null &&
      /^\/api\/v1\/(pipelines|pipeline_snapshots)$/.test(path)
    ) {
      return send(res, 422, { detail: [{ loc: ['query', 'project'], msg: 'project must be set' }] })
    }

    if (path === '/api/v1/pipelines') {
      const name = url.searchParams.get('name')
      const pipelines = options.mode === '0.98' ? SNAPSHOTS.map((s) => s.pipeline) : [PIPELINE]
      return send(res, 200, page(pipelines.filter((p) => !name || name === p.name)))
    }
    if (options.mode === '0.98' && path === '/api/v1/pipeline_snapshots') {
      const name = url.searchParams.get('name')
      const matches = SNAPSHOTS.filter(
        (s) => url.searchParams.get('pipeline') === s.pipeline.id && (!name || name === s.snapshot.name)
      )
      return send(res, 200, page(matches.map((s) => ({ ...s.snapshot, metadata: null }))))
    }
    const snapshotMatch = /^\/api\/v1\/pipeline_snapshots\/([0-9a-f-]{36})(\/runs)?$/.exec(path)
    const known = SNAPSHOTS.find((s) => s.snapshot.id === snapshotMatch?.[1])
    if (options.mode === '0.98' && known && !snapshotMatch![2]) return send(res, 200, known.snapshot)
    if (options.mode === '0.98' && known && req.method === 'POST') {
      const request = body as { run_configuration?: Record<string, any> }
      const config = request.run_configuration ?? {} // unwrapped bodies are accepted; their overrides are dropped
      if (config.parameters)
        return error(
          res,
          400,
          'ValueError',
          "Can't set pipeline parameters when running a static pipeline via the REST API."
        )
      if (config.build || config.schedule)
        return error(res, 400, 'ValueError', "Can't set build or schedule when running a snapshot.")
      for (const [step, stepConfig] of Object.entries<any>(config.steps ?? {})) {
        const names = Object.keys(known.steps[step]?.parameters ?? {})
        const unknown = Object.keys(stepConfig.parameters ?? {}).filter((p) => !names.includes(p))
        if (unknown.length)
          return error(
            res,
            400,
            'ValueError',
            `Run configuration contains the following unknown parameters for step ${step}: {${unknown.map((u) => `'${u}'`).join(', ')}}`
          )
      }
      return startRun(res, config.run_name)
    }
    if (options.mode === '0.74' && path === '/api/v1/run_templates') {
      const name = url.searchParams.get('name')
      return send(
        res,
        200,
        page(
          url.searchParams.get('pipeline_id') === PIPELINE.id && (!name || name === TEMPLATE.name)
            ? [{ ...TEMPLATE, metadata: null }]
            : []
        )
      )
    }
    if (options.mode === '0.74' && path === `/api/v1/run_templates/${TEMPLATE.id}`) return send(res, 200, TEMPLATE)
    if (options.mode === '0.74' && path === `/api/v1/run_templates/${TEMPLATE.id}/runs` && req.method === 'POST') {
      const config = (body ?? {}) as Record<string, any>
      const extra = Object.keys(config).filter((k) => !RUN_CONFIGURATION_KEYS.has(k))
      if (extra.length)
        return send(res, 422, [
          'ValueError',
          `1 validation error for PipelineRunConfiguration\n${extra[0]}\n  Extra inputs are not permitted`
        ])
      if (config.parameters)
        return error(res, 400, 'ValueError', "Can't set parameters when running pipeline via Rest API.")
      for (const [step, stepConfig] of Object.entries(STEPS)) {
        const sent = Object.keys(config.steps?.[step]?.parameters ?? {})
          .sort()
          .join(',')
        if (sent !== Object.keys(stepConfig.parameters).sort().join(',')) {
          return error(
            res,
            400,
            'ValueError',
            `Run configuration is missing missing the following required parameters for step ${step}: ${Object.keys(stepConfig.parameters).join(', ')}.`
          )
        }
      }
      return startRun(res, config.run_name)
    }
    if (options.mode === '0.74' && path.startsWith('/api/v1/pipeline_snapshots'))
      return send(res, 404, { detail: 'Not Found' })

    if (path === '/api/v1/runs') {
      const name = url.searchParams.get('name')
      const found = [...runs.entries()].filter(([, run]) => !name || run.name === name)
      return send(
        res,
        200,
        page(
          found.map(([id, run]) => ({
            id,
            name: run.name,
            body: { status: 'running', in_progress: true, status_reason: null }
          }))
        )
      )
    }
    const runMatch = /^\/api\/v1\/runs\/([0-9a-f-]{36})(\/stop)?$/.exec(path)
    if (runMatch) {
      const run = runs.get(runMatch[1]!)
      if (!run)
        return error(
          res,
          404,
          'KeyError',
          `Unable to get pipeline run with ID '${runMatch[1]}': No pipeline run with this ID found`
        )
      if (runMatch[2]) {
        run.stopped = true
        return send(res, 200, null)
      }
      run.polls++
      const outcome = options.outcome ?? 'completed'
      const beforeSteps = outcome === 'failed-before-steps'
      const status = run.stopped
        ? 'stopped'
        : beforeSteps
          ? 'failed'
          : going(run) || outcome === 'running'
            ? 'running'
            : outcome
      const inProgress = beforeSteps || !['completed', 'failed', 'stopped'].includes(status)
      const hydrated = url.searchParams.get('hydrate') !== 'false'
      const full = url.searchParams.get('include_full_metadata') === 'true'
      const metadata = Object.fromEntries(
        Object.entries(options.runMetadata ?? {}).filter(([key]) => full || !key.includes('::'))
      )
      return send(res, 200, {
        id: runMatch[1],
        name: run.name,
        ...(hydrated ? { metadata: { run_metadata: metadata } } : { metadata: null }),
        body: {
          status,
          ...(options.mode === '0.98' ? { in_progress: inProgress } : {}),
          status_reason: beforeSteps
            ? 'Failed to run the init hook'
            : status === 'failed'
              ? 'Step train_and_evaluate failed: ValueError: unknown model type'
              : null
        }
      })
    }
    return req.method === 'GET'
      ? send(res, 404, { detail: 'Not Found' })
      : send(res, 405, { detail: 'Method Not Allowed' })
  }

  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => handle(req, res, raw))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
