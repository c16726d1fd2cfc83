/**
 * The prefect target against a scripted loopback server that replays the replies recorded from a
 * real Prefect 3.9.1 server (test/fixtures/prefect/recorded-replies.json, recorded with the fixture
 * flow served): the requests it sends, every state word, each refusal with its fix, transient
 * failures, cancel's ACCEPT and REJECT, metrics from the artifact, and no secret in any message.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, before, describe, test } from 'node:test'
import type { RunRequest } from '../../src/core/run-request.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { artifactMetrics } from '../../src/targets/prefect/artifact-metrics.js'
import { PrefectApi } from '../../src/targets/prefect/prefect-api.js'
import { PrefectTarget } from '../../src/targets/prefect/prefect-target.js'
import { resolvePrefect, type ResolvedPrefect } from '../../src/targets/prefect/resolve.js'
import { runLink } from '../../src/targets/prefect/run-link.js'
import type { Config } from '../../src/targets/prefect/schema.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { loadPrefectContract, prefectContractErrors } from '../helpers/prefect-openapi.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

type Recorded = Record<string, { status: number; body: Record<string, unknown> & { id: string } }>
const RECORDED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/prefect/recorded-replies.json'), 'utf8')) as Recorded
/** A recorded reply, deep-copied so a test may change it. */
const replay = (name: string, change: (body: Record<string, unknown>) => void = () => undefined): Answer => {
  const { status, body } = structuredClone(RECORDED[name]!)
  change(body)
  return { status, body }
}
const DEPLOYMENT_ID = RECORDED.deployment!.body.id
const RUN_ID = RECORDED.created!.body.id
const AUTH_STRING = 'ci:s3cr/"et"+pass=9'
const BASIC = `Basic ${Buffer.from(AUTH_STRING).toString('base64')}`
const PROVENANCE = ['github-actions', 'repo:octo-org/ml-repo']

const servers: { close(): Promise<void> }[] = []
/** Each request the target sent, and each 200 replayed, against Prefect's own OpenAPI document. */
const contractErrors: string[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
  assert.deepEqual(contractErrors.splice(0), [], "requests and replies keep to Prefect's published contract")
})

/** The real routes, each answered by the script for it (default: the recorded success). */
async function serve(routes: Partial<Record<string, (request: SeenRequest) => Answer>> = {}) {
  const answer = (request: SeenRequest, route: string): Answer => {
    const script = routes[route]
    if (script) return script(request)
    if (route === 'GET /deployments/name/train/ci') return replay('deployment')
    if (route === `POST /deployments/${DEPLOYMENT_ID}/create_flow_run`) return replay('created')
    if (route === `GET /flow_runs/${RUN_ID}`) return replay('runCompleted')
    if (route === 'POST /artifacts/filter') return replay('artifacts')
    return { status: 404, body: { detail: 'Not Found' } }
  }
  const server = await scriptedServer((request) => {
    const path = request.path.replace(/^\/api/, '')
    const reply = answer(request, `${request.method} ${path}`)
    if (reply !== 'reset')
      contractErrors.push(...prefectContractErrors(request.method, path, request.json, reply.status, reply.body))
    return reply
  })
  servers.push(server)
  return server
}

function config(url: string, overrides: Partial<ResolvedPrefect> = {}): ResolvedPrefect {
  return {
    type: 'prefect',
    name: 'prefect',
    maxParallel: 4,
    url: `${url}/api`,
    authorization: BASIC,
    secrets: [AUTH_STRING, BASIC],
    deployment: 'train/ci',
    metricsArtifact: 'metrics',
    cancelOnTimeout: false,
    ...overrides
  }
}

const target = (url: string, overrides: Partial<ResolvedPrefect> = {}) => {
  const resolved = config(url, overrides)
  return new PrefectTarget(resolved, new PrefectApi(resolved, new FakeClock()), PROVENANCE)
}
const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({ target: 'prefect', parameters: { learning_rate: 0.01, epochs: 3 }, ...overrides })
const signal = () => AbortSignal.timeout(15_000)

// The server's contract is made once, before any request waits on the scripted server.
before(() => loadPrefectContract())

describe('prefect target: prepare and start', () => {
  test('reads the deployment by name once, then create_flow_run with the idempotency key, run name, parameters and tags', async () => {
    const server = await serve()
    const prefect = target(server.url)
    await prefect.prepare(request(), signal())
    const handle = await prefect.start(request(), signal())
    await prefect.start(request({ index: 1, idempotencyKey: 'pt-other' }), signal())
    assert.deepEqual(handle, { runId: RUN_ID, runUrl: `${server.url}/runs/flow-run/${RUN_ID}` })
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [
        'GET /api/deployments/name/train/ci',
        `POST /api/deployments/${DEPLOYMENT_ID}/create_flow_run`,
        `POST /api/deployments/${DEPLOYMENT_ID}/create_flow_run`
      ],
      'the deployment is read once for the step'
    )
    assert.ok(server.requests.every((r) => r.headers.authorization === BASIC))
    assert.deepEqual(server.requests[1]!.json, {
      name: 'training_pipeline-gh-1-1-0',
      parameters: { learning_rate: 0.01, epochs: 3 },
      idempotency_key: 'pt-0123456789abcdef',
      tags: [
        'pipeline-trigger',
        ...PROVENANCE,
        'pipeline-chain-root:https://github.com/o/r/actions/runs/1',
        'pipeline-chain-depth:1'
      ]
    })
    assert.equal(prefect.dedupesStarts, true)
  })

  test("a repeat with the same key answers 200 with the run it made: the same handle (the server's dedupe)", async () => {
    const server = await serve({
      [`POST /deployments/${DEPLOYMENT_ID}/create_flow_run`]: () => replay('createdAgain')
    })
    assert.equal((await target(server.url).start(request(), signal())).runId, RUN_ID)
  })

  test('the pipeline named flow/deployment wins over the target key; neither is a refusal with the fix', async () => {
    const server = await serve({ 'GET /deployments/name/train/nightly': () => replay('deployment') })
    await target(server.url).prepare(request({ pipelineName: 'train/nightly' }), signal())
    assert.equal(server.requests[0]!.path, '/api/deployments/name/train/nightly')
    const error = await rejection(target(server.url, { deployment: undefined }).prepare(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.match(
      error.message,
      /pipeline training names no Prefect deployment .*Fix: set deployment: <flow>\/<deployment> on the target/
    )
  })

  test('a paused deployment and a NOT_READY one are refused before any start, with the fix', async () => {
    for (const [recorded, word] of [
      ['deploymentPaused', 'is paused'],
      ['deploymentNotReady', 'is NOT_READY']
    ] as const) {
      const server = await serve({ 'GET /deployments/name/train/ci': () => replay(recorded) })
      const error = await rejection(target(server.url).prepare(request(), signal()))
      assert.ok(error instanceof UserError && !isTransient(error))
      assert.ok(
        error.message.startsWith(`prefect: deployment train/ci on ${server.url}/api ${word}`) &&
          error.message.includes('Scheduled, then Late') &&
          error.message.includes(
            'Fix: start the worker or the `serve()` process, or resume the deployment (prefect deployment resume <flow>/<deployment>).'
          ),
        error.message
      )
      assert.equal(server.requests.length, 1, 'nothing started')
    }
  })

  describe("work-queue: the queue of the deployment's work pool must exist, run, and be polled (replies recorded from a real pool)", () => {
    const QUEUE = 'GET /work_pools/gpu-pool/queues/gpu'
    const pooled = (routes: Partial<Record<string, (request: SeenRequest) => Answer>> = {}) =>
      serve({ 'GET /deployments/name/train/ci': () => replay('deploymentOnPool'), ...routes })
    const pooledId = (RECORDED.deploymentOnPool!.body as { id: string }).id
    // The recorded pool deployment's flow takes learning_rate only.
    const request = () => runRequest({ target: 'prefect', parameters: { learning_rate: 0.01 } })

    test('a READY queue passes prepare; the start sends work_queue_name', async () => {
      const server = await pooled({
        [QUEUE]: () => replay('workQueue'),
        [`POST /deployments/${pooledId}/create_flow_run`]: () => replay('created')
      })
      const prefect = target(server.url, { workQueue: 'gpu' })
      await prefect.prepare(request(), signal())
      await prefect.start(request(), signal())
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        [
          'GET /api/deployments/name/train/ci',
          `GET /api${QUEUE.slice(4)}`,
          `POST /api/deployments/${pooledId}/create_flow_run`
        ],
        'the queue is read once, with the deployment'
      )
      assert.equal((server.requests[2]!.json as { work_queue_name?: string }).work_queue_name, 'gpu')
    })

    test('a paused queue, one nothing polls (NOT_READY) and one the pool lacks are refused before any start, each with its fix', async () => {
      const cases = [
        [
          'workQueuePaused',
          /the queue is paused in work pool gpu-pool, .*Fix: prefect work-queue resume gpu --pool gpu-pool/
        ],
        [
          'workQueueNotReady',
          /no worker has polled the queue lately \(NOT_READY\) in work pool gpu-pool, .*Fix: start a worker for it: prefect worker start --pool gpu-pool --work-queue gpu\./
        ],
        [
          'workQueueNotFound',
          /work pool gpu-pool has no work queue "gpu" \(it has: default, gpu, idle\); Prefect would make the queue on start.*Fix: set work-queue to one of default, gpu, idle/
        ]
      ] as const
      for (const [recorded, words] of cases) {
        const server = await pooled({
          [QUEUE]: () => replay(recorded),
          'POST /work_pools/gpu-pool/queues/filter': () => replay('workQueues')
        })
        const error = await rejection(target(server.url, { workQueue: 'gpu' }).prepare(request(), signal()))
        assert.ok(error instanceof UserError && !isTransient(error), String(error))
        assert.ok(
          error.message.startsWith(`prefect: deployment train/ci on ${server.url}/api, work-queue gpu: `),
          error.message
        )
        assert.match(error.message, words)
        assert.ok(
          server.requests.every((r) => r.method === 'GET' || r.path.endsWith('/queues/filter')),
          'only reads: nothing started'
        )
      }
    })

    test('a deployment on no work pool (flow.serve()) with work-queue is refused: Prefect would answer 400', async () => {
      const server = await serve()
      const error = await rejection(target(server.url, { workQueue: 'gpu' }).prepare(request(), signal()))
      assert.match(
        error.message,
        /work-queue gpu: the deployment runs on no work pool \(a flow\.serve\(\) deployment\).*Fix: remove work-queue from target prefect/
      )
      assert.equal(server.requests.length, 1)
    })

    test('a 5xx reading the queue is transient', async () => {
      const server = await pooled({ [QUEUE]: () => ({ status: 503, body: { detail: 'busy' } }) })
      assert.ok(isTransient(await rejection(target(server.url, { workQueue: 'gpu' }).prepare(request(), signal()))))
    })
  })

  test("parameters are checked against the deployment's parameter_openapi_schema: type, name, enum, required", async () => {
    const server = await serve({
      'GET /deployments/name/train/ci': () =>
        replay('deployment', (body) => {
          const schema = body.parameter_openapi_schema as { properties: Record<string, object>; required?: string[] }
          schema.properties.mode = { enum: ['fast', 'full'] }
          schema.properties.data_url = { type: 'string' }
          schema.required = ['data_url']
        })
    })
    const prefect = target(server.url)
    const refused = async (parameters: Record<string, unknown>) =>
      (await rejection(prefect.prepare(request({ parameters }), signal()))).message
    assert.match(
      await refused({ learning_rate: 'abc', data_url: 's3://x' }),
      /^prefect: deployment train\/ci on http:\/\/127\.0\.0\.1:\d+\/api: parameter learning_rate is "abc" \(string\), but the flow takes number\. Fix:/
    )
    assert.match(
      await refused({ epochs: 2.5, data_url: 's3://x' }),
      /parameter epochs is 2\.5 \(number\), but the flow takes integer/
    )
    assert.match(
      await refused({ learning_rat: 0.1, data_url: 's3://x' }),
      /the flow has no parameter "learning_rat" \(it takes: learning_rate, epochs, fail, sleep_s, mode, data_url\)/
    )
    assert.match(
      await refused({ mode: 'slow', data_url: 's3://x' }),
      /parameter mode is "slow", not one of \["fast","full"\]/
    )
    assert.match(
      await refused({ epochs: 1 }),
      /the flow needs data_url, which neither the pipeline's parameters nor the deployment give/
    )
    // An integer is a number; every refusal came before any start.
    await prefect.prepare(request({ parameters: { learning_rate: 1, mode: 'fast', data_url: 's3://x' } }), signal())
    assert.ok(server.requests.every((r) => r.method === 'GET'))
  })

  test('a deployment that does not enforce its schema lets the flow coerce values: names and required ones are still checked', async () => {
    const server = await serve({
      'GET /deployments/name/train/ci': () =>
        replay('deployment', (body) => {
          body.enforce_parameter_schema = false
          ;(body.parameter_openapi_schema as { required?: string[] }).required = ['epochs']
        })
    })
    const prefect = target(server.url)
    await prefect.prepare(request({ parameters: { learning_rate: '0.01', epochs: '3' } }), signal())
    const named = await rejection(
      prefect.prepare(request({ parameters: { learning_rat: '0.01', epochs: 3 } }), signal())
    )
    assert.match(named.message, /the flow has no parameter "learning_rat"/)
    const missing = await rejection(prefect.prepare(request({ parameters: {} }), signal()))
    assert.match(missing.message, /the flow needs epochs/)
  })

  test('refusals name the call, the server, its words and the fix: 401, 404, 409', async () => {
    const server = await serve({
      'GET /deployments/name/train/ci': (r) =>
        r.headers.authorization ? replay('deployment') : replay('deploymentUnauthorized'),
      'GET /deployments/name/train/gone': () => replay('deploymentNotFound'),
      [`POST /deployments/${DEPLOYMENT_ID}/create_flow_run`]: () => replay('createdBadParameter')
    })
    const open = await rejection(target(server.url, { authorization: undefined }).prepare(request(), signal()))
    assert.equal(
      open.message,
      `prefect: reading deployment train/ci: GET ${server.url}/api/deployments/name/train/ci answered HTTP 401: Unauthorized. Fix: the server needs credentials: set api-key: env:NAME (Prefect Cloud) or auth-string: env:NAME (a self-hosted server's user:password).`
    )
    const gone = await rejection(target(server.url, { deployment: 'train/gone' }).prepare(request(), signal()))
    assert.match(
      gone.message,
      /answered HTTP 404: Deployment not found\. Fix: no deployment train\/gone there\. Check deployment/
    )
    const bad = await rejection(target(server.url).start(request(), signal()))
    assert.ok(bad instanceof UserError && !isTransient(bad))
    assert.match(
      bad.message,
      /^prefect: starting training_pipeline \(deployment train\/ci\): POST .*create_flow_run answered HTTP 409: Error creating flow run: Validation failed for field 'learning_rate'\. Failure reason: 'abc' is not of type 'number'\. Fix: the flow refused the parameters/
    )
  })

  test('a deployment reply of the wrong shape is a final refusal naming the field, before anything starts', async () => {
    const cases: Record<string, (body: Record<string, unknown>) => void> = {
      // encodeURIComponent keeps "..": POST …/deployments/../create_flow_run would be POST …/create_flow_run.
      'id should be a UUID, not ".."': (body) => (body.id = '..'),
      'paused should be boolean, not "yes"': (body) => (body.paused = 'yes'),
      'parameter_openapi_schema.required should be array, not "epochs"': (body) =>
        ((body.parameter_openapi_schema as { required?: unknown }).required = 'epochs')
    }
    for (const [wrong, change] of Object.entries(cases)) {
      const server = await serve({ 'GET /deployments/name/train/ci': () => replay('deployment', change) })
      const prefect = target(server.url)
      const error = await rejection(prefect.start(request(), signal()))
      contractErrors.splice(0) // off the contract on purpose
      assert.ok(error instanceof UserError && !isTransient(error), String(error))
      assert.equal(
        error.message,
        `prefect: Prefect API ${server.url}/api: the reply to reading deployment train/ci is not what it should be: ${wrong}. Fix: check that url is the Prefect 3 API root (a server's …/api, or a Prefect Cloud workspace URL), not a proxy or a login page in front of it.`
      )
      assert.equal(server.requests.length, 1, 'nothing started')
    }
  })

  test('a parameter schema with anyOf, enum or type of the wrong kind is read as saying nothing, not a TypeError', async () => {
    const server = await serve({
      'GET /deployments/name/train/ci': () =>
        replay('deployment', (body) => {
          const schema = body.parameter_openapi_schema as { properties: Record<string, unknown> }
          schema.properties.mode = { anyOf: 'string', enum: 'fast' }
          schema.properties.tags = { type: [1, 2] }
          schema.properties.odd = null
        })
    })
    await target(server.url).prepare(request({ parameters: { mode: 3, tags: 'a', odd: 1 } }), signal())
    contractErrors.splice(0) // off the contract on purpose
  })

  test('a 5xx, a 429 and a lost answer are transient (the executor retries; the key dedupes)', async () => {
    let calls = 0
    const server = await serve({
      [`POST /deployments/${DEPLOYMENT_ID}/create_flow_run`]: () =>
        ++calls === 1
          ? { status: 503, body: 'upstream busy' }
          : calls === 2
            ? { status: 429, headers: { 'retry-after': '7' }, body: { detail: 'slow down' } }
            : 'reset'
    })
    const prefect = target(server.url)
    for (let i = 0; i < 3; i++) assert.ok(isTransient(await rejection(prefect.start(request(), signal()))))
  })
})

describe('prefect target: status, cancel, metrics, follow', () => {
  test("state.type onto the one vocabulary, state.name as the detail (Late shows), Prefect's message on a failure", async () => {
    const states: Record<string, Answer> = {
      runScheduled: replay('runScheduled'),
      late: replay('runScheduled', (body) => ((body.state as { name: string }).name = 'Late')),
      runRunning: replay('runRunning'),
      runCompleted: replay('runCompleted'),
      runFailed: replay('runFailed'),
      runCancelled: replay('runCancelled'),
      crashed: replay('runFailed', (body) => Object.assign(body.state as object, { type: 'CRASHED', name: 'Crashed' })),
      cancelling: replay('runRunning', (body) =>
        Object.assign(body.state as object, { type: 'CANCELLING', name: 'Cancelling' })
      ),
      unknown: replay('runRunning', (body) => Object.assign(body.state as object, { type: 'NEW_WORD', name: 'New' }))
    }
    let current = 'runScheduled'
    const server = await serve({ [`GET /flow_runs/${RUN_ID}`]: () => states[current]! })
    const prefect = target(server.url)
    const handle = prefect.follow(RUN_ID)
    const seen: Record<string, string> = {}
    for (const name of Object.keys(states)) {
      current = name
      const state = await prefect.status(handle, signal())
      assert.equal(state.runUrl, `${server.url}/runs/flow-run/${RUN_ID}`)
      seen[name] = `${state.status} ${state.detail}${state.message ? ` | ${state.message}` : ''}`
      // A word Prefect may add later is off today's contract, which is the point of that case.
      if (name === 'unknown')
        assert.ok(contractErrors.splice(0).some((error) => error.includes('/state/type must be equal to one of')))
    }
    assert.deepEqual(seen, {
      runScheduled: 'running Scheduled',
      late: 'running Late',
      runRunning: 'running Running',
      runCompleted: 'completed Completed',
      runFailed:
        'failed Failed | Prefect reports Failed (FAILED): Flow run encountered an exception: RuntimeError: asked to fail',
      runCancelled: 'cancelled Cancelled | Prefect reports Cancelled (CANCELLED): Flow run was cancelled successfully',
      crashed:
        'failed Crashed | Prefect reports Crashed (CRASHED): Flow run encountered an exception: RuntimeError: asked to fail',
      cancelling: 'running Cancelling',
      unknown: 'running New'
    })
  })

  test('a flow run the server does not know is a refusal naming url as the fix', async () => {
    const missing = '00000000-0000-4000-8000-000000000000'
    const server = await serve({ [`GET /flow_runs/${missing}`]: () => replay('runNotFound') })
    const prefect = target(server.url)
    const error = await rejection(prefect.status(prefect.follow(missing), signal()))
    assert.match(error.message, /answered HTTP 404: Flow run not found\. Fix: no such flow run there: .*Check url\./)
  })

  test('a flow run reply of the wrong shape (HTML, no state, a state.type not a string) is a final refusal, not "running"', async () => {
    const cases: [Answer, string][] = [
      [
        { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' },
        'it is not JSON: "<html>Sign in</html>"'
      ],
      [{ status: 200, body: ['state'] }, 'the reply should be object, not ["state"]'],
      [replay('runRunning', (body) => delete body.state), 'state should be object, but is missing'],
      [
        replay('runRunning', (body) => ((body.state as { type: unknown }).type = 42)),
        'state.type should be string, not 42'
      ]
    ]
    let answer: Answer = cases[0]![0]
    const server = await serve({ [`GET /flow_runs/${RUN_ID}`]: () => answer })
    const prefect = target(server.url)
    for (const [reply, wrong] of cases) {
      answer = reply
      const error = await rejection(prefect.status(prefect.follow(RUN_ID), signal()))
      assert.ok(error instanceof UserError && !isTransient(error), String(error))
      assert.equal(
        error.message,
        `prefect: Prefect API ${server.url}/api: the reply to reading flow run ${RUN_ID} is not what it should be: ${wrong}. Fix: check that url is the Prefect 3 API root (a server's …/api, or a Prefect Cloud workspace URL), not a proxy or a login page in front of it.`
      )
    }
    contractErrors.splice(0) // off the contract on purpose
  })

  test('a cancel reply of the wrong shape is a refusal naming the field, not a silent success or a TypeError', async () => {
    let answer: Answer = { status: 201, headers: { 'content-type': 'text/html' }, body: '<html>proxy</html>' }
    const server = await serve({ [`POST /flow_runs/${RUN_ID}/set_state`]: () => answer })
    const prefect = target(server.url)
    const html = await rejection(prefect.cancel(prefect.follow(RUN_ID), signal()))
    assert.match(
      html.message,
      /the reply to cancelling flow run [-0-9a-f]+ is not what it should be: it is not JSON: "<html>proxy<\/html>"\. Fix: check that url/
    )
    answer = replay('cancelScheduled', (body) => ((body.state as { type: unknown }).type = ['CANCELLED']))
    const typed = await rejection(prefect.cancel(prefect.follow(RUN_ID), signal()))
    assert.ok(typed instanceof UserError, String(typed))
    assert.match(typed.message, /state\.type should be string, not \["CANCELLED"\]/)
  })

  test('follow takes a flow run id (a UUID) only', () => {
    const prefect = target('http://127.0.0.1:9')
    assert.equal(prefect.follow(RUN_ID).runId, RUN_ID)
    assert.throws(() => prefect.follow('../admin'), /"\.\.\/admin" is not a Prefect flow run id \(a UUID\)/)
  })

  test('cancel sends CANCELLING; ACCEPT, and REJECT with a CANCELLED state (a scheduled run), are success; anything else is said', async () => {
    let answer = 'cancelRunning'
    const server = await serve({
      [`POST /flow_runs/${RUN_ID}/set_state`]: () =>
        answer === 'refused'
          ? replay('cancelScheduled', (body) => ((body.state as { type: string }).type = 'RUNNING'))
          : replay(answer)
    })
    const prefect = target(server.url)
    const handle = prefect.follow(RUN_ID)
    await prefect.cancel(handle, signal())
    assert.deepEqual(server.requests[0]!.json, {
      state: { type: 'CANCELLING', name: 'Cancelling', message: 'Cancelled by pipeline-trigger' }
    })
    answer = 'cancelScheduled'
    await prefect.cancel(handle, signal())
    answer = 'refused'
    const error = await rejection(prefect.cancel(handle, signal()))
    assert.match(
      error.message,
      /cancelling flow run .*: the server answered REJECT \(Scheduled flow run has no infrastructure to terminate\)\. Fix: cancel it in the Prefect UI: http:\/\/127\.0\.0\.1:\d+\/runs\/flow-run\//
    )
  })

  test("metrics: the run's newest artifact with the key, its table's first row", async () => {
    const server = await serve()
    const prefect = target(server.url)
    const reading = await prefect.metrics(prefect.follow(RUN_ID), signal())
    assert.deepEqual({ ...reading.metrics }, { accuracy: 0.811, lr: 0.01, epochs: 1 })
    assert.deepEqual(reading.ignored, [])
    assert.deepEqual(server.requests[0]!.json, {
      artifacts: { flow_run_id: { any_: [RUN_ID] }, key: { any_: ['metrics'] } },
      sort: 'CREATED_DESC',
      limit: 1
    })
  })

  test('metrics: no artifact is said with how the flow reports one; column tables and JSON objects are read too', async () => {
    const server = await serve({ 'POST /artifacts/filter': () => ({ status: 200, body: [] }) })
    const prefect = target(server.url, { metricsArtifact: 'eval' })
    const none = await prefect.metrics(prefect.follow(RUN_ID), signal())
    assert.deepEqual({ ...none.metrics }, {})
    assert.match(
      none.ignored.join('\n'),
      /has no artifact eval: the flow reports metrics with create_table_artifact\(key="eval"/
    )
    const where = 'artifact metrics'
    assert.deepEqual(
      { ...artifactMetrics({ data: '{"accuracy": [0.9, 0.8], "f1": [0.7]}' }, where).metrics },
      {
        accuracy: 0.9,
        f1: 0.7
      }
    )
    assert.deepEqual(
      { ...artifactMetrics({ data: '{"eval": {"accuracy": 0.9}}' }, where).metrics },
      {
        'eval.accuracy': 0.9
      }
    )
    const rows = artifactMetrics({ data: '[{"accuracy": 0.9}, {"accuracy": 0.1}]' }, where)
    assert.equal(rows.metrics.accuracy, 0.9)
    assert.deepEqual(rows.ignored, ['artifact metrics has 2 rows; the first of its 2 rows was read'])
    assert.match(artifactMetrics({ data: '# Report' }, where).ignored.join(''), /not JSON/)
  })
})

describe('prefect target: secrets and resolution', () => {
  test('the auth string and its Basic encoding, echoed in every form, are in no refusal, transient error or run message', async () => {
    const echo = `${echoing(AUTH_STRING)} ${echoing(BASIC)}`
    const refusing = await serve({
      'GET /deployments/name/train/ci': () => ({ status: 401, body: { exception_message: echo } })
    })
    const server = await serve({
      [`POST /deployments/${DEPLOYMENT_ID}/create_flow_run`]: () => ({ status: 503, body: { detail: echo } }),
      [`GET /flow_runs/${RUN_ID}`]: () =>
        replay('runFailed', (body) => ((body.state as { message: string }).message = echo))
    })
    const prefect = target(server.url)
    const messages = [
      (await rejection(target(refusing.url).prepare(request(), signal()))).message,
      (await rejection(prefect.start(request(), signal()))).message,
      (await prefect.status(prefect.follow(RUN_ID), signal())).message!
    ]
    for (const message of messages) {
      const leaks = [...secretForms(AUTH_STRING), ...secretForms(BASIC)].filter((form) => message.includes(form))
      assert.deepEqual(leaks, [], message)
      assert.ok(message.includes('***'), message)
    }
  })

  const resolve = (keys: Partial<Config>, env: Record<string, string> = {}) => {
    const masked: string[] = []
    const resolved = resolvePrefect(
      'prefect',
      { type: 'prefect', url: 'https://api.prefect.cloud/api/accounts/a1/workspaces/w1', ...keys },
      { inputs: { cancelOnTimeout: false }, secrets: { env, mask: (secret) => masked.push(secret) }, maxParallel: 4 }
    )
    return { resolved, masked }
  }

  test('api-key is a Bearer key, auth-string HTTP Basic, both masked; both at once, or an auth string without ":", refused', () => {
    const cloud = resolve({ 'api-key': 'env:PREFECT_API_KEY' }, { PREFECT_API_KEY: 'pnu_key0123' })
    assert.equal(cloud.resolved.authorization, 'Bearer pnu_key0123')
    assert.deepEqual(cloud.masked, ['pnu_key0123'])
    const basic = resolve({ 'auth-string': 'env:AUTH' }, { AUTH: AUTH_STRING })
    assert.equal(basic.resolved.authorization, BASIC)
    assert.deepEqual(basic.resolved.secrets, [AUTH_STRING, BASIC])
    assert.throws(
      () => resolve({ 'api-key': 'env:K', 'auth-string': 'env:A' }, { K: 'k1234', A: 'a:b' }),
      /both api-key and auth-string are set/
    )
    assert.throws(() => resolve({ 'auth-string': 'env:A' }, { A: 'nocolon' }), /holds no ":" \(7 characters\)/)
    assert.throws(() => resolve({ url: 'http://prefect.internal:4200/api' }), /must use https/)
    assert.equal(resolve({ url: 'http://127.0.0.1:4200/api/' }).resolved.url, 'http://127.0.0.1:4200/api')
    // Every call is url + path: after a ? or # the path would be a query or a fragment.
    for (const url of [
      'https://prefect.example.com/api?x=1',
      'https://prefect.example.com/api#top',
      'https://prefect.example.com/api?'
    ])
      assert.throws(
        () => resolve({ url }),
        new RegExp(
          `^UserError: Target prefect url: ${JSON.stringify(url).replace(/[?.]/g, '\\$&')} has a query or fragment\\. Fix: the API root only`
        )
      )
  })

  test('Prefect Cloud (a stand-in of its paths, not Cloud): every call under the workspace URL with the Bearer key, the link to the Cloud app, the key in no message', async () => {
    const ACCOUNT = '3c6a8f1e-1b2d-4e5f-8a9b-0c1d2e3f4a5b'
    const WORKSPACE = '9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a'
    const KEY = 'pnu_CloudKey0123456789abcdefABCDEF0123'
    const prefix = `/api/accounts/${ACCOUNT}/workspaces/${WORKSPACE}`
    let failing: Answer | undefined
    // Cloud's workspace API is the server's API under the workspace path; anything else is not there.
    const server = await scriptedServer((request) => {
      if (!request.path.startsWith(`${prefix}/`)) return { status: 404, body: { detail: 'Not Found' } }
      if (request.headers.authorization !== `Bearer ${KEY}`) return { status: 401, body: { detail: 'Unauthorized' } }
      if (failing) return failing
      const path = request.path.slice(prefix.length)
      const recorded: Record<string, string> = {
        'GET /deployments/name/train/ci': 'deployment',
        [`POST /deployments/${DEPLOYMENT_ID}/create_flow_run`]: 'created',
        [`GET /flow_runs/${RUN_ID}`]: 'runCompleted',
        'POST /artifacts/filter': 'artifacts',
        [`POST /flow_runs/${RUN_ID}/set_state`]: 'cancelScheduled'
      }
      const name = recorded[`${request.method} ${path}`]
      const reply = name ? structuredClone(RECORDED[name]!) : { status: 404, body: { detail: 'Not Found' } }
      contractErrors.push(...prefectContractErrors(request.method, path, request.json, reply.status, reply.body))
      return reply
    })
    servers.push(server)
    const { resolved, masked } = resolve(
      { url: `${server.url}${prefix}`, deployment: 'train/ci', 'api-key': 'env:PREFECT_API_KEY' },
      { PREFECT_API_KEY: KEY }
    )
    assert.deepEqual(masked, [KEY])
    const prefect = new PrefectTarget(resolved, new PrefectApi(resolved, new FakeClock()), PROVENANCE)
    await prefect.prepare(request(), signal())
    const handle = await prefect.start(request(), signal())
    assert.equal(
      handle.runUrl,
      `https://app.prefect.cloud/account/${ACCOUNT}/workspace/${WORKSPACE}/runs/flow-run/${RUN_ID}`
    )
    assert.equal((await prefect.status(handle, signal())).status, 'completed')
    assert.equal((await prefect.metrics(handle, signal())).metrics.accuracy, 0.811)
    await prefect.cancel(handle, signal())
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path.slice(prefix.length)}`),
      [
        'GET /deployments/name/train/ci',
        `POST /deployments/${DEPLOYMENT_ID}/create_flow_run`,
        `GET /flow_runs/${RUN_ID}`,
        'POST /artifacts/filter',
        `POST /flow_runs/${RUN_ID}/set_state`
      ]
    )
    assert.ok(
      server.requests.every((r) => r.path.startsWith(`${prefix}/`) && r.headers.authorization === `Bearer ${KEY}`),
      'every call under the workspace path, with the Bearer key'
    )
    // The key echoed in every form by a refusal, a 5xx and a run's message is in none of the messages.
    const messages: string[] = []
    for (const [status, words] of [
      [401, 'Unauthorized'],
      [403, 'Forbidden'],
      [503, 'busy']
    ] as const) {
      failing = { status, body: { detail: `${words} ${echoing(KEY)}` } }
      messages.push((await rejection(prefect.start(request({ idempotencyKey: `pt-${status}` }), signal()))).message)
    }
    failing = replay('runFailed', (body) => ((body.state as { message: string }).message = echoing(KEY)))
    messages.push((await prefect.status(handle, signal())).message!)
    assert.match(
      messages[0]!,
      /HTTP 401: .*Fix: the server refused the credentials: check the secret behind api-key \(a Prefect Cloud API key\)/
    )
    assert.match(messages[1]!, /HTTP 403: .*Fix: the key may not do this in that workspace/)
    for (const message of messages) {
      assert.deepEqual(
        secretForms(KEY).filter((form) => message.includes(form)),
        [],
        message
      )
      assert.ok(message.includes('***'), message)
    }
  })

  test("the run's link: Prefect Cloud's app for a workspace URL, the server's UI for a self-hosted API root", () => {
    assert.equal(
      runLink('https://api.prefect.cloud/api/accounts/a1/workspaces/w1', RUN_ID),
      `https://app.prefect.cloud/account/a1/workspace/w1/runs/flow-run/${RUN_ID}`
    )
    assert.equal(
      runLink('https://prefect.example.com/api', RUN_ID),
      `https://prefect.example.com/runs/flow-run/${RUN_ID}`
    )
    assert.equal(
      runLink('https://prefect-proxy.example.com/api/accounts/a1/workspaces/w1', RUN_ID),
      `https://app.prefect.cloud/account/a1/workspace/w1/runs/flow-run/${RUN_ID}`,
      'the workspace path is Cloud, whichever host carries it'
    )
    assert.equal(
      runLink('https://example.com/prefect/api', RUN_ID),
      `https://example.com/prefect/runs/flow-run/${RUN_ID}`
    )
  })
})
