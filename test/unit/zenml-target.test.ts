/**
 * The zenml target's prepare, start, status, cancel and find, driven directly against ZenML
 * servers on 127.0.0.1: a scripted one (every reply chosen by the test) and, for the two API
 * flavours end to end, the existing fake (test/helpers/fake-zenml.ts). Covers the calls sent and
 * their bodies (wrapped run_configuration for snapshots, unwrapped for run templates), every
 * ExecutionStatus in our words, lost answers, refusals with their fix, replies of the wrong
 * shape, and the API key and access token kept out of every message.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import type { ResolvedZenml } from '../../src/targets/zenml/resolve.js'
import type { RunStatus } from '../../src/core/run-state.js'
import { UserError } from '../../src/errors.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { isTransient } from '../../src/retry.js'
import { ZenmlTarget, apiFlavour } from '../../src/targets/zenml/zenml-target.js'
import { connectZenml, type ZenmlConnection } from '../../src/zenml/connection.js'
import { ZenmlError } from '../../src/zenml/zenml-errors.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

// Shaped like ZenML's own (base64 text): a key with a quote or a backslash is the one case left out (see the report).
const KEY = 'ZENKEY_c3ZjL2FjY3Q+a2V5=/x'
const TOKEN = 'eyJhbGciOi.eyJzdWIiOi+/tok=='
const PROJECT = 'ml-project'
const PIPELINE_ID = '11111111-1111-4111-8111-111111111111'
const SNAPSHOT_ID = '22222222-2222-4222-8222-222222222222'
const TEMPLATE_ID = '33333333-3333-4333-8333-333333333333'
const RUN_ID = '44444444-4444-4444-8444-444444444444'
const OTHER_PIPELINE_ID = '55555555-5555-4555-8555-555555555555'
const STEPS = {
  load_data: { parameters: { data_url: 's3://bucket/default.csv' } },
  train_and_evaluate: { parameters: { model_type: 'random_forest', epochs: 10 } }
}
const PROVENANCE = ['github-actions', 'repo:o/r', 'sha:0123456789ab']

interface ServerOptions {
  version?: string
  proDashboardUrl?: string
  dynamic?: boolean
  /** Runs listed by name (find). */
  listed?: unknown[]
  /** A reply of the test's own for this request; undefined keeps the server's default. */
  reply?: (request: SeenRequest, url: URL) => Answer | undefined
}

const closers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((server) => server.close()))
})

const page = (items: unknown[]) => ({ index: 1, max_size: 20, total_pages: 1, total: items.length, items })
const ok = (body: unknown): Answer => ({ status: 200, body })

/** A ZenML server as its REST API answers, each reply replaceable by the test. */
async function zenmlServer(options: ServerOptions = {}) {
  const runnable = (id: string, name: string, hydrated: boolean) => ({
    id,
    name,
    body: { runnable: true, is_dynamic: options.dynamic ?? false, pipeline_id: PIPELINE_ID },
    metadata: hydrated ? { config_template: { steps: STEPS } } : null
  })
  const server = await scriptedServer((req) => {
    const url = new URL(req.path, 'http://zenml')
    const own = options.reply?.(req, url)
    if (own) return own
    const route = `${req.method} ${url.pathname}`
    if (route === 'GET /api/v1/info')
      return ok({
        version: options.version ?? '0.98.0',
        deployment_type: 'cloud',
        auth_scheme: 'OAUTH2_PASSWORD_BEARER',
        pro_dashboard_url: options.proDashboardUrl ?? null
      })
    if (route === 'POST /api/v1/login') {
      if (new URLSearchParams(req.body).get('password') !== KEY)
        return {
          status: 401,
          body: { detail: ['CredentialsNotValid', 'Authentication error: error decoding API key'] }
        }
      return ok({ access_token: TOKEN, token_type: 'bearer', expires_in: 3600 })
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: { detail: 'Not authenticated' } }
    if (route === 'GET /api/v1/pipelines')
      return ok(
        page(
          url.searchParams.get('name') === 'training_pipeline' ? [{ id: PIPELINE_ID, name: 'training_pipeline' }] : []
        )
      )
    if (route === 'GET /api/v1/pipeline_snapshots')
      return ok(page([runnable(SNAPSHOT_ID, 'production-training', false)]))
    if (route === `GET /api/v1/pipeline_snapshots/${SNAPSHOT_ID}`)
      return ok(runnable(SNAPSHOT_ID, 'production-training', true))
    if (route === 'GET /api/v1/run_templates') return ok(page([runnable(TEMPLATE_ID, 'training-template', false)]))
    if (route === `GET /api/v1/run_templates/${TEMPLATE_ID}`)
      return ok(runnable(TEMPLATE_ID, 'training-template', true))
    if (
      route === `POST /api/v1/pipeline_snapshots/${SNAPSHOT_ID}/runs` ||
      route === `POST /api/v1/run_templates/${TEMPLATE_ID}/runs`
    ) {
      const config = (req.json as { run_configuration?: { run_name?: string }; run_name?: string }) ?? {}
      const name = config.run_configuration?.run_name ?? config.run_name
      return ok({ id: RUN_ID, name, body: { status: 'initializing', status_reason: null } })
    }
    if (route === 'GET /api/v1/runs') return ok(page(options.listed ?? []))
    if (route === `GET /api/v1/runs/${RUN_ID}`)
      return ok({ id: RUN_ID, name: 'training_pipeline-gh-1-1-0', body: { status: 'running', in_progress: true } })
    if (route === `POST /api/v1/runs/${RUN_ID}/stop`) return ok(null)
    return { status: 404, body: { detail: 'Not Found' } }
  })
  closers.push(server)
  return server
}

function config(overrides: Partial<ResolvedZenml> = {}): ResolvedZenml {
  return {
    type: 'zenml',
    name: 'zenml-pro',
    maxParallel: 4,
    server: { url: 'unused', apiKey: KEY, project: PROJECT },
    tags: ['team:ml'],
    enableCache: false,
    cancelOnTimeout: true,
    ...overrides
  }
}

const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({
    target: 'zenml-pro',
    parameters: { data_url: 's3://bucket/new.csv', 'train_and_evaluate.model_type': 'xgboost' },
    ...overrides
  })

const signal = () => AbortSignal.timeout(15_000)

async function connect(url: string, masks: string[] = []): Promise<ZenmlConnection> {
  return connectZenml(
    { url, apiKey: KEY, project: PROJECT },
    signal(),
    (s) => masks.push(s),
    () => {}
  )
}

async function target(url: string, overrides: Partial<ResolvedZenml> = {}) {
  return new ZenmlTarget(config(overrides), await connect(url), PROVENANCE)
}

/** The requests after the login, as "METHOD path" with the query read into an object. */
const calls = (requests: SeenRequest[]) =>
  requests
    .filter((r) => !/^\/api\/v1\/(info|login)/.test(r.path))
    .map((r) => {
      const url = new URL(r.path, 'http://zenml')
      return { call: `${r.method} ${url.pathname}`, query: Object.fromEntries(url.searchParams) }
    })

describe('zenml target: snapshots (ZenML 0.90 and newer)', () => {
  test('prepare resolves the pipeline, its newest runnable named snapshot and the parameters; start posts them wrapped in run_configuration', async () => {
    const server = await zenmlServer()
    const masks: string[] = []
    const zenml = new ZenmlTarget(config(), await connect(server.url, masks), PROVENANCE)
    assert.deepEqual(masks, [TOKEN], 'the access token is masked as soon as it is issued')
    await zenml.prepare(request(), signal())
    assert.deepEqual(calls(server.requests), [
      {
        call: 'GET /api/v1/pipelines',
        query: { name: 'training_pipeline', project: PROJECT, size: '1', hydrate: 'false' }
      },
      {
        call: 'GET /api/v1/pipeline_snapshots',
        query: {
          pipeline: PIPELINE_ID,
          project: PROJECT,
          named_only: 'true',
          sort_by: 'desc:created',
          size: '1',
          hydrate: 'false',
          runnable: 'true'
        }
      },
      {
        call: `GET /api/v1/pipeline_snapshots/${SNAPSHOT_ID}`,
        query: { hydrate: 'true', include_config_schema: 'false' }
      }
    ])

    const handle = await zenml.start(request(), signal())
    assert.deepEqual(handle, { runId: RUN_ID, runUrl: `${server.url}/projects/${PROJECT}/runs/${RUN_ID}` })
    const posted = server.requests.at(-1)!
    assert.equal(posted.method, 'POST')
    assert.equal(posted.path, `/api/v1/pipeline_snapshots/${SNAPSHOT_ID}/runs`)
    assert.equal(posted.headers.authorization, `Bearer ${TOKEN}`)
    assert.equal(posted.headers['content-type'], 'application/json')
    assert.deepEqual(posted.json, {
      run_configuration: {
        run_name: 'training_pipeline-gh-1-1-0',
        enable_cache: false,
        tags: [
          ...PROVENANCE,
          'team:ml',
          'pipeline-trigger:pt-0123456789abcdef',
          'pipeline-chain-root:https://github.com/o/r/actions/runs/1',
          'pipeline-chain-depth:1'
        ],
        steps: {
          load_data: { parameters: { data_url: 's3://bucket/new.csv' } },
          train_and_evaluate: { parameters: { model_type: 'xgboost' } }
        }
      }
    })
    assert.equal(calls(server.requests).length, 4, 'start reused what prepare resolved')
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/login').length, 1)
  })

  test('many requests of one pipeline read the pipeline and the snapshot once; a failed lookup is asked again', async () => {
    let pipelineLookups = 0
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === '/api/v1/pipelines' && pipelineLookups++ === 0
          ? { status: 503, headers: { 'retry-after': '2' }, body: { detail: 'warming up' } }
          : undefined
    })
    const zenml = await target(server.url)
    const failed = await rejection(zenml.prepare(request(), signal()))
    assert.ok(isTransient(failed), failed.message)
    assert.equal((failed as ZenmlError).retryAfterMs, 2000)
    await zenml.prepare(request(), signal())
    await zenml.prepare(request({ index: 1, runName: 'training_pipeline-gh-1-1-1' }), signal())
    await zenml.prepare(request({ index: 2, runName: 'training_pipeline-gh-1-1-2', parameters: {} }), signal())
    const count = (path: string) => calls(server.requests).filter((c) => c.call === `GET ${path}`).length
    assert.equal(count('/api/v1/pipelines'), 2, 'the failed lookup, then one more')
    assert.equal(count('/api/v1/pipeline_snapshots'), 1)
    assert.equal(count(`/api/v1/pipeline_snapshots/${SNAPSHOT_ID}`), 1)
  })

  test("a named snapshot is looked up by name and stack; the request's own snapshot wins over the target's", async () => {
    const server = await zenmlServer()
    const zenml = await target(server.url, { snapshot: 'production-training', stack: 'k8s-stack' })
    await zenml.prepare(request({ snapshot: 'nightly' }), signal())
    const lookup = calls(server.requests).find((c) => c.call === 'GET /api/v1/pipeline_snapshots')!
    assert.equal(lookup.query.name, 'nightly')
    assert.equal(lookup.query.stack, 'k8s-stack')
    assert.equal(lookup.query.runnable, undefined, 'a named snapshot is asked for by name alone')
  })

  test('a snapshot id is read directly, and one of another pipeline is refused', async () => {
    let belongsTo = PIPELINE_ID
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === `/api/v1/pipeline_snapshots/${SNAPSHOT_ID}`
          ? ok({
              id: SNAPSHOT_ID,
              name: 'by-id',
              body: { runnable: true, pipeline_id: belongsTo },
              metadata: { config_template: { steps: STEPS } }
            })
          : undefined
    })
    const zenml = await target(server.url, { snapshot: SNAPSHOT_ID })
    await zenml.prepare(request(), signal())
    assert.deepEqual(
      calls(server.requests).map((c) => c.call),
      ['GET /api/v1/pipelines', `GET /api/v1/pipeline_snapshots/${SNAPSHOT_ID}`]
    )
    belongsTo = OTHER_PIPELINE_ID
    const error = await rejection((await target(server.url, { snapshot: SNAPSHOT_ID })).prepare(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      `Snapshot ${SNAPSHOT_ID} belongs to another pipeline, not training_pipeline. Use a snapshot of training_pipeline, or set pipeline to the snapshot's pipeline.`
    )
  })

  test('a dynamic snapshot takes pipeline-level names as its parameters', async () => {
    const server = await zenmlServer({ dynamic: true })
    const zenml = await target(server.url)
    await zenml.start(request({ parameters: { epochs: 3, 'load_data.data_url': 's3://b/x' } }), signal())
    const body = server.requests.at(-1)!.json as { run_configuration: Record<string, unknown> }
    assert.deepEqual(body.run_configuration.parameters, { epochs: 3 })
    assert.deepEqual(body.run_configuration.steps, { load_data: { parameters: { data_url: 's3://b/x' } } })
  })

  test('an unknown parameter fails with the candidates, before any run is created', async () => {
    const server = await zenmlServer()
    const zenml = await target(server.url)
    const error = await rejection(zenml.start(request({ parameters: { learning_rate: 0.1 } }), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.equal(
      error.message,
      'snapshot "production-training" has no parameter "learning_rate". Parameters it accepts: load_data.data_url, train_and_evaluate.model_type, train_and_evaluate.epochs. Name one as step.parameter.'
    )
    assert.ok(!server.requests.some((r) => r.method === 'POST' && r.path.includes('/runs')))
  })

  test('no runnable snapshot: the error lists the named ones and says how to make one', async () => {
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === '/api/v1/pipeline_snapshots'
          ? ok(
              page(
                url.searchParams.get('size') === '1'
                  ? []
                  : [{ id: SNAPSHOT_ID, name: 'local-only', body: { runnable: false } }]
              )
            )
          : undefined
    })
    const error = await rejection((await target(server.url)).prepare(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      'Pipeline training_pipeline has no runnable named snapshot. Named snapshots: local-only (not runnable). Create one with "zenml pipeline snapshot create", on a remote stack.'
    )
  })

  test('an unknown pipeline lists the pipelines there', async () => {
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === '/api/v1/pipelines' && url.searchParams.get('size') === '50'
          ? ok(
              page([
                { id: PIPELINE_ID, name: 'training_pipeline' },
                { id: OTHER_PIPELINE_ID, name: 'eval' }
              ])
            )
          : undefined
    })
    const error = await rejection((await target(server.url)).prepare(request({ pipelineName: 'trainig' }), signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      `No pipeline named "trainig" in project "${PROJECT}" on ${server.url}. Pipelines there: training_pipeline, eval.`
    )
  })

  test('a run name with braces, which ZenML would expand, is refused before any call', async () => {
    const server = await zenmlServer()
    const zenml = await target(server.url)
    const before = server.requests.length
    const error = await rejection(zenml.start(request({ runName: 'train-{date}' }), signal()))
    assert.ok(error instanceof UserError)
    assert.match(error.message, /^Input run-name gives "train-\{date\}": ZenML would expand its braces/)
    assert.equal(server.requests.length, before)
  })

  test('a ZenML Pro server links runs to its dashboard', async () => {
    const server = await zenmlServer({ proDashboardUrl: 'https://cloud.zenml.io/workspaces/ws' })
    const handle = await (await target(server.url)).start(request(), signal())
    assert.equal(handle.runUrl, `https://cloud.zenml.io/workspaces/ws/projects/${PROJECT}/runs/${RUN_ID}`)
  })

  test('the body holds only what the request sets: no enable_cache unless configured, no build, schedule or settings', async () => {
    const server = await zenmlServer()
    const zenml = await target(server.url, { enableCache: undefined, tags: [] })
    await zenml.start(request({ parameters: {} }), signal())
    const { run_configuration: sent } = server.requests.at(-1)!.json as { run_configuration: Record<string, unknown> }
    assert.deepEqual(Object.keys(sent).sort(), ['run_name', 'tags'])
  })
})

describe('zenml target: run templates (ZenML 0.63 to 0.85)', () => {
  test("the template gets the unwrapped body with every step's full parameters, ours overlaid, and no tags", async () => {
    const server = await zenmlServer({ version: '0.74.0' })
    const zenml = await target(server.url)
    const handle = await zenml.start(request(), signal())
    assert.deepEqual(
      calls(server.requests).map((c) => c.call),
      [
        'GET /api/v1/pipelines',
        'GET /api/v1/run_templates',
        `GET /api/v1/run_templates/${TEMPLATE_ID}`,
        `POST /api/v1/run_templates/${TEMPLATE_ID}/runs`
      ]
    )
    assert.deepEqual(calls(server.requests)[1]!.query, {
      pipeline_id: PIPELINE_ID,
      project: PROJECT,
      sort_by: 'desc:created',
      size: '20',
      hydrate: 'false'
    })
    assert.deepEqual(server.requests.at(-1)!.json, {
      run_name: 'training_pipeline-gh-1-1-0',
      enable_cache: false,
      steps: {
        load_data: { parameters: { data_url: 's3://bucket/new.csv' } },
        train_and_evaluate: { parameters: { model_type: 'xgboost', epochs: 10 } }
      }
    })
    assert.equal(handle.runId, RUN_ID)
  })

  test('a template named in the config is used on a snapshot server too', async () => {
    const server = await zenmlServer({ version: '0.98.0' })
    await (await target(server.url, { template: 'training-template' })).start(request(), signal())
    const lookup = calls(server.requests).find((c) => c.call === 'GET /api/v1/run_templates')!
    assert.equal(lookup.query.name, 'training-template')
    assert.equal(server.requests.at(-1)!.path, `/api/v1/run_templates/${TEMPLATE_ID}/runs`)
  })

  test('the server version picks the flavour; older than 0.63 is refused with the fix', () => {
    assert.equal(apiFlavour('0.63.0'), 'templates')
    assert.equal(apiFlavour('0.85.1'), 'templates')
    assert.equal(apiFlavour('0.90.0'), 'snapshots')
    assert.equal(apiFlavour('0.98.0'), 'snapshots')
    assert.equal(apiFlavour('1.2.0'), 'snapshots')
    assert.throws(
      () => apiFlavour('0.62.4'),
      /^UserError: The ZenML server runs 0\.62\.4; triggering needs 0\.63 or newer \(run templates\) or 0\.90 or newer \(snapshots\)\. Upgrade the server, or use the command target\.$/
    )
  })

  test('connecting to a server older than 0.63 fails before the login', async () => {
    const server = await zenmlServer({ version: '0.58.2' })
    const error = await rejection(connect(server.url))
    assert.equal(
      error.message,
      `ZenML server ${server.url} runs 0.58.2; the action needs 0.63 or newer. Upgrade the server.`
    )
    assert.ok(!server.requests.some((r) => r.path === '/api/v1/login'))
  })
})

describe('zenml target: against the ZenML fake, which holds each API flavour to its body', () => {
  for (const mode of ['0.98', '0.74'] as const) {
    test(`${mode}: prepare, start, follow to completed, find by name, cancel`, async () => {
      const fake = await startFakeZenml({ mode, apiKey: KEY })
      closers.push(fake)
      const zenml = await target(fake.url)
      const parameters = { data_url: 's3://bucket/new.csv' }
      await zenml.prepare(request({ parameters }), signal())
      const handle = await zenml.start(request({ parameters }), signal())
      const seen: string[] = []
      for (let i = 0; i < 5 && seen.at(-1) !== 'completed'; i++)
        seen.push((await zenml.status(handle, signal())).status)
      assert.deepEqual(seen, ['running', 'completed'])

      const found = await zenml.find(request(), signal())
      assert.deepEqual(found, handle)
      assert.equal(await zenml.find(request({ runName: 'never-started' }), signal()), undefined)
      await zenml.cancel(handle, signal())
      assert.deepEqual(await zenml.status(handle, signal()), {
        status: 'cancelled',
        ...handle,
        detail: 'stopped',
        message: 'the run training_pipeline-gh-1-1-0 ended stopped'
      })
      const posted = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/runs'))!
      if (mode === '0.98') assert.ok('run_configuration' in (posted.body as object))
      else assert.ok(!('run_configuration' in (posted.body as object)))
    })
  }

  test('a lost answer to the run POST: start is transient, and find proves the run exists', async () => {
    const fake = await startFakeZenml({ mode: '0.98', apiKey: KEY, loseFirstRunAnswer: true })
    closers.push(fake)
    const zenml = await target(fake.url)
    const error = await rejection(zenml.start(request({ parameters: {} }), signal()))
    assert.ok(isTransient(error), error.message)
    assert.match(error.message, /closed the connection before answering/)
    const found = await zenml.find(request(), signal())
    assert.match(found?.runId ?? '', /^[0-9a-f-]{36}$/)
  })
})

describe('zenml target: status, cancel and find', () => {
  const STATUSES: [string, RunStatus][] = [
    ['initializing', 'running'],
    ['provisioning', 'running'],
    ['running', 'running'],
    ['retrying', 'running'],
    ['stopping', 'running'],
    ['completed', 'completed'],
    ['cached', 'completed'],
    ['skipped', 'completed'],
    ['failed', 'failed'],
    ['retried', 'failed'],
    ['stopped', 'cancelled'],
    ['cancelled', 'cancelled'],
    ['paused_in_a_future_version', 'running'],
    ['constructor', 'running']
  ]

  test('every ExecutionStatus in our words; a run that did not succeed says how it ended and why', async () => {
    let polls = 0
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === `/api/v1/runs/${RUN_ID}`
          ? ok({
              id: RUN_ID,
              name: 'nightly',
              body: { status: STATUSES[polls++]![0], in_progress: true, status_reason: 'Step train failed' }
            })
          : undefined
    })
    const zenml = await target(server.url)
    const handle = { runId: RUN_ID, runUrl: 'https://dashboard.example.com/runs/1' }
    for (const [word, status] of STATUSES) {
      const ended = status === 'failed' || status === 'cancelled'
      assert.deepEqual(
        await zenml.status(handle, signal()),
        {
          status,
          ...handle,
          detail: word,
          ...(ended ? { message: `the run nightly ended ${word}: Step train failed` } : {})
        },
        word
      )
    }
    assert.ok(
      calls(server.requests).every((c) => c.call === `GET /api/v1/runs/${RUN_ID}` && c.query.hydrate === 'false')
    )
  })

  test('cancel stops the run at once; find looks the run up by its unique name in the project', async () => {
    const listed = [{ id: RUN_ID, name: 'training_pipeline-gh-1-1-0', body: { status: 'running' } }]
    const server = await zenmlServer({ listed })
    const zenml = await target(server.url)
    await zenml.cancel({ runId: RUN_ID }, signal())
    assert.deepEqual(await zenml.find(request(), signal()), {
      runId: RUN_ID,
      runUrl: `${server.url}/projects/${PROJECT}/runs/${RUN_ID}`
    })
    assert.deepEqual(calls(server.requests), [
      { call: `POST /api/v1/runs/${RUN_ID}/stop`, query: { graceful: 'false' } },
      {
        call: 'GET /api/v1/runs',
        query: { name: 'training_pipeline-gh-1-1-0', project: PROJECT, size: '1', hydrate: 'false' }
      }
    ])
    listed.length = 0
    assert.equal(await zenml.find(request(), signal()), undefined)
  })

  test('a token that expired during a long wait: one more login, then the call again', async () => {
    let expired = true
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === `/api/v1/runs/${RUN_ID}` && expired
          ? ((expired = false), { status: 401, body: { detail: 'Authentication error: token expired' } })
          : undefined
    })
    const zenml = await target(server.url)
    assert.equal((await zenml.status({ runId: RUN_ID }, signal())).status, 'running')
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/login').length, 2)
  })
})

describe('zenml target: lost answers, refusals and replies of the wrong shape', () => {
  test('a connection reset is a lost answer, transient, for the start, a poll, a cancel and a lookup', async () => {
    const server = await zenmlServer({
      reply: (req) => (/\/runs/.test(req.path) && !req.path.includes('run_templates') ? 'reset' : undefined)
    })
    const zenml = await target(server.url)
    const host = new URL(server.url).host
    const errors = [
      await rejection(zenml.start(request(), signal())),
      await rejection(zenml.status({ runId: RUN_ID }, signal())),
      await rejection(zenml.cancel({ runId: RUN_ID }, signal())),
      await rejection(zenml.find(request(), signal()))
    ]
    for (const error of errors) {
      assert.ok(isTransient(error), error.message)
      assert.ok(
        error.message.includes(
          `${host} closed the connection before answering (ECONNRESET). Check that zenml-url is right`
        ),
        error.message
      )
    }
    assert.match(errors[0]!.message, /^ZenML server: running snapshot "production-training": /)
  })

  const REFUSALS: [number, RegExp][] = [
    [401, /Fix: the API key is wrong, inactive or expired\. Create a service-account key/],
    [403, /Fix: the service account lacks a permission the message names/],
    [404, /Fix: nothing with that id or name exists on this server in this project; check zenml-url and project\.$/],
    [
      409,
      /Fix: a run with this name already exists in the project\. If run-name is set, keep \{run_id\}, \{attempt\} and \{index\}/
    ],
    [422, /Fix: the request did not match what the server expects; check the parameter types\.$/],
    [405, /Fix: this server cannot run snapshots: ZenML Pro or a workload manager is needed/]
  ]
  for (const [status, fix] of REFUSALS) {
    test(`HTTP ${status} to the run POST is final, quoting the server and naming the fix`, async () => {
      const server = await zenmlServer({
        reply: (req) =>
          req.method === 'POST' && req.path.endsWith('/runs')
            ? { status, body: { detail: ['SomeError', `refused with ${status}`] } }
            : undefined
      })
      const error = await rejection((await target(server.url)).start(request(), signal()))
      assert.ok(error instanceof ZenmlError, error.message)
      assert.equal(isTransient(error), false)
      assert.equal(error.status, status)
      assert.ok(
        error.message.startsWith(
          `ZenML server: HTTP ${status} while running snapshot "production-training": SomeError: refused with ${status}. Fix: `
        ),
        error.message
      )
      assert.match(error.message, fix)
      const logins = server.requests.filter((r) => r.path === '/api/v1/login').length
      assert.equal(logins, status === 401 ? 2 : 1, 'a 401 logs in again once, never more')
    })
  }

  for (const status of [429, 500, 502, 503, 504]) {
    test(`HTTP ${status} is transient, with the server's Retry-After`, async () => {
      const server = await zenmlServer({
        reply: (req) =>
          req.path.startsWith(`/api/v1/runs/${RUN_ID}`)
            ? { status, headers: { 'retry-after': '5' }, body: { detail: 'busy' } }
            : undefined
      })
      const error = await rejection((await target(server.url)).status({ runId: RUN_ID }, signal()))
      assert.ok(isTransient(error), error.message)
      assert.equal((error as ZenmlError).retryAfterMs, 5000)
    })
  }

  test('a redirect is never followed, so the token stays on the configured host', async () => {
    const elsewhere = await scriptedServer(() => ok({}))
    closers.push(elsewhere)
    const server = await zenmlServer({
      reply: (req) =>
        req.path.startsWith(`/api/v1/runs/${RUN_ID}`)
          ? { status: 307, headers: { location: `${elsewhere.url}${req.path}` } }
          : undefined
    })
    const error = await rejection((await target(server.url)).status({ runId: RUN_ID }, signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /answered with a redirect, which the action does not follow here, so the key stays on the host you configured/
    )
    assert.equal(elsewhere.requests.length, 0)
  })

  test('a run reply without a status names the field; a start reply that cannot be read is a lost answer, found by name', async () => {
    const server = await zenmlServer({
      reply: (req) =>
        req.path.startsWith(`/api/v1/runs/${RUN_ID}`)
          ? ok({ id: RUN_ID, name: 'x', body: { in_progress: true } })
          : req.method === 'POST' && req.path.endsWith('/runs')
            ? ok({ id: 'run-7', name: 'x' })
            : undefined
    })
    const zenml = await target(server.url)
    const polled = await rejection(zenml.status({ runId: RUN_ID }, signal()))
    assert.ok(polled instanceof UserError && !isTransient(polled))
    assert.equal(
      polled.message,
      `ZenML server: the reply to reading run ${RUN_ID} is not what it should be: body.status should be string, but is missing. Fix: check that zenml-url points at the ZenML server itself (0.63 or newer), not a proxy or login page in front of it.`
    )
    const started = await rejection(zenml.start(request(), signal()))
    assert.ok(isTransient(started), 'the server accepted the start: the run is looked up by name, never started twice')
    assert.match(
      started.message,
      /id should be a UUID such as [0-9a-f-]+, not "run-7"\. The server accepted the start, so the action looks the run up by its name\.$/
    )
  })

  test('a proxy page instead of a pipeline list names what came and what to check', async () => {
    const server = await zenmlServer({
      reply: (_, url) =>
        url.pathname === '/api/v1/pipelines' ? { status: 200, body: '<html>Sign in to continue</html>' } : undefined
    })
    const error = await rejection((await target(server.url)).prepare(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.match(
      error.message,
      /the reply to looking up pipeline "training_pipeline" is not what it should be: it is not JSON: "<html>Sign in to continue<\/html>"\. Fix: check that zenml-url points at the ZenML server itself/
    )
  })
})

describe('zenml target: the API key and the access token stay out of every message', () => {
  const leaks = (message: string) =>
    [...secretForms(KEY), ...secretForms(TOKEN)].filter((form) => message.includes(form))

  test('echoed in every encoding by a refused login, a refused start and a failing poll, both are redacted', async () => {
    const echo = `${echoing(KEY)} ${echoing(TOKEN)}`
    const wrongKey = await zenmlServer({
      reply: (req) => (req.path === '/api/v1/login' ? { status: 401, body: { detail: echo } } : undefined)
    })
    const server = await zenmlServer({
      reply: (req) =>
        req.method === 'POST' && req.path.endsWith('/runs')
          ? { status: 403, body: { detail: ['IllegalOperationError', echo] } }
          : req.path.startsWith(`/api/v1/runs/${RUN_ID}`)
            ? { status: 500, body: echo }
            : undefined
    })
    const zenml = await target(server.url)
    // A refused login has no token yet: only the key can be echoed there.
    const login = (await rejection(connect(wrongKey.url))).message
    assert.deepEqual(
      secretForms(KEY).filter((form) => login.includes(form)),
      [],
      login
    )
    assert.ok(login.includes('form0=***'))
    const messages = [
      (await rejection(zenml.start(request(), signal()))).message,
      (await rejection(zenml.status({ runId: RUN_ID }, signal()))).message
    ]
    for (const message of messages) {
      assert.deepEqual(leaks(message), [], message)
      assert.ok(message.includes('form0=***'), `the server's words are quoted, redacted: ${message}`)
    }
  })
})
