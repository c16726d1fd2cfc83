/**
 * The airflow target against scripted servers on 127.0.0.1 that replay what Airflow 3.3.2 answered
 * here (test/fixtures/airflow/train.py on `airflow standalone`; docs/targets.md#airflow-3-a-dag-run): the
 * requests it sends, prepare's refusals before any start (a missing DAG, a paused one, import
 * errors, an unknown or mistyped parameter), 409 read as "already started", every DagRunState,
 * cancel as a PATCH to failed reported cancelled, metrics from the XCom, follow by run id, one
 * login per server and user, a minted token renewed once when it expires, redirects refused, and
 * the secrets kept out of every message. The replies are those recorded from the real server
 * (test/fixtures/airflow/replies.json, by record-replies.ts beside it), and every exchange, the
 * body the target sends and the reply the script plays, is checked against Airflow's own OpenAPI
 * documents (test/helpers/airflow-openapi.ts); only the tests of off-contract replies opt out.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { AirflowApi, mintToken } from '../../src/targets/airflow/airflow-api.js'
import { AirflowTarget, CANCEL_NOTE } from '../../src/targets/airflow/airflow-target.js'
import { resolveAirflow, type ResolvedAirflow } from '../../src/targets/airflow/resolve.js'
import { schema } from '../../src/targets/airflow/schema.js'
import { connectTargets } from '../../src/targets/connect-targets.js'
import { airflowBodyErrors, airflowContractErrors } from '../helpers/airflow-openapi.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

const TOKEN = 'eyJhbGciOi/"jwt"+token=9'
const PASSWORD = 'pa/"ss"+word=3'
const KEY = 'pt-0123456789abcdef0123456789abcdef'

const cleanups: (() => Promise<void> | void)[] = []
/** Each request the target sent and each reply scripted, against Airflow's own OpenAPI documents. */
const contractErrors: string[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
  assert.deepEqual(contractErrors.splice(0), [], "requests and replies keep to Airflow's published contract")
})

/** `offContract`: the test plays replies no Airflow gives (a proxy's page, a redirect, a word it never says). */
async function serve(script: (request: SeenRequest, index: number) => Answer, { offContract = false } = {}) {
  const server = await scriptedServer((request, index) => {
    const answer = script(request, index)
    if (!offContract && answer !== 'reset')
      contractErrors.push(
        ...airflowContractErrors(request.method, request.path, request.json, answer.status, answer.body)
      )
    return answer
  })
  cleanups.push(() => server.close())
  return server
}

type Recorded = Record<string, { status: number; body: Record<string, unknown> }>
/** What Airflow 3.3.2 answered (test/fixtures/airflow/record-replies.ts). */
const RECORDED = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/airflow/replies.json'), 'utf8')) as Recorded
/** A recorded reply's body, deep-copied, with `changes` laid over it. */
const recorded = (name: string, changes: Record<string, unknown> = {}) => ({
  ...structuredClone(RECORDED[name]!.body),
  ...changes
})

const signal = () => AbortSignal.timeout(15_000)

/** The details of DAG train as Airflow 3.3.2 gave them, unpaused. */
const details = (changes: Record<string, unknown> = {}) => recorded('details', { is_paused: false, ...changes })

/** Run KEY of DAG train as Airflow 3.3.2 gave it, in `state`. */
const dagRun = (state: string, note: string | null = null) => recorded('succeeded', { state, note })

function resolved(base: string, overrides: Partial<ResolvedAirflow> = {}): ResolvedAirflow {
  return {
    type: 'airflow',
    name: 'airflow',
    maxParallel: 4,
    base,
    dag: 'train',
    auth: { kind: 'token', token: TOKEN },
    metricsTask: 'train',
    metricsKey: 'return_value',
    unpause: false,
    cancelOnTimeout: false,
    ...overrides
  }
}

function target(base: string, overrides: Partial<ResolvedAirflow> = {}, logs: string[] = []) {
  const config = resolved(base, overrides)
  const token = config.auth.kind === 'token' ? config.auth.token : undefined
  return new AirflowTarget(config, new AirflowApi(base, token, [token], realClock), (m) => logs.push(m))
}

const request = (parameters: Record<string, unknown> = { learning_rate: 0.01 }) =>
  runRequest({ target: 'airflow', pipelineName: 'train', parameters, idempotencyKey: KEY, reason: 'push to main' })

describe('prepare: everything a start needs, checked before any run starts', () => {
  test('reads the DAG once for every request, with the bearer token, and accepts fitting parameters', async () => {
    const server = await serve(() => ({ status: 200, body: details() }))
    const airflow = target(server.url)
    await airflow.prepare(request(), signal())
    await airflow.prepare(request({ learning_rate: 1, fail: true }), signal())
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['GET /api/v2/dags/train/details']
    )
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${TOKEN}`)
  })

  test('a paused DAG is refused with the fix, since a run of it would wait forever', async () => {
    const server = await serve(() => ({ status: 200, body: details({ is_paused: true }) }))
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /DAG train on http:\/\/127\.0\.0\.1:\d+: the DAG is paused; a run of it would be accepted and then wait forever/
    )
    assert.match(error.message, /Fix: unpause it .*airflow dags unpause train.*or set unpause: true on target airflow/)
    assert.equal(server.requests.length, 1, 'nothing but the read')
  })

  test('unpause: true unpauses a paused DAG once, at the first start, and says so', async () => {
    const logs: string[] = []
    const server = await serve((req) =>
      req.method === 'PATCH'
        ? { status: 200, body: details() }
        : req.method === 'POST'
          ? { status: 200, body: dagRun('queued') }
          : { status: 200, body: details({ is_paused: true }) }
    )
    const airflow = target(server.url, { unpause: true }, logs)
    await airflow.prepare(request(), signal())
    await airflow.prepare(request(), signal())
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['GET'],
      'prepare changes nothing'
    )
    await airflow.start(request(), signal())
    await airflow.start(request(), signal())
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path} ${r.method === 'PATCH' ? r.body : ''}`),
      [
        'GET /api/v2/dags/train/details ',
        'PATCH /api/v2/dags/train {"is_paused":false}',
        'POST /api/v2/dags/train/dagRuns ',
        'POST /api/v2/dags/train/dagRuns '
      ]
    )
    assert.match(logs.join('\n'), /DAG train was paused; it is unpaused now \(unpause: true\)/)
    assert.deepEqual(airflowBodyErrors('DAGPatchBody', server.requests[1]!.json), [])
  })

  test('unpause: true leaves the DAG paused when a request is refused in prepare', async () => {
    const server = await serve(() => ({ status: 200, body: details({ is_paused: true }) }))
    const airflow = target(server.url, { unpause: true })
    await airflow.prepare(request(), signal())
    await rejection(airflow.prepare(request({ learning_rat: 0.1 }), signal()))
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['GET']
    )
  })

  test('an unknown parameter is refused (Airflow would start the run and ignore it), naming the DAG’s params', async () => {
    const server = await serve(() => ({ status: 200, body: details() }))
    const error = await rejection(target(server.url).prepare(request({ learning_rat: 0.1 }), signal()))
    assert.match(
      error.message,
      /DAG train has no param "learning_rat"; its params: learning_rate \(number\), fail \(boolean\), sleep_s \(number\)\. .*Fix: rename the parameter/
    )
  })

  test('the chain key is ours: a parameter of that name is refused, and a DAG param of that name must take a string', async () => {
    const server = await serve(() => ({
      status: 200,
      body: details({
        params: { ...(details().params as object), 'pipeline-context': { value: {}, schema: { type: 'object' } } }
      })
    }))
    const reserved = await rejection(target(server.url).prepare(request({ 'pipeline-context': 'x' }), signal()))
    assert.match(
      reserved.message,
      /has a parameter named pipeline-context, the conf key that carries the chain context to the run\. Fix: rename the parameter/
    )
    const typed = await rejection(target(server.url).prepare(request(), signal()))
    assert.match(
      typed.message,
      /checking the param pipeline-context of DAG train, which carries the chain context as a JSON string: param pipeline-context of DAG train is object, and the parameter gives "\{/
    )
    const declared = await serve(() => ({
      status: 200,
      body: details({ params: { 'pipeline-context': { value: '', schema: { type: ['null', 'string'] } } } })
    }))
    await target(declared.url).prepare(request({}), signal())
  })

  test('a parameter of the wrong type is refused before the server would answer 400', async () => {
    const server = await serve(() => ({ status: 200, body: details() }))
    const error = await rejection(target(server.url).prepare(request({ learning_rate: 'abc' }), signal()))
    assert.match(
      error.message,
      /param learning_rate of DAG train is number, and the parameter gives "abc"\. Fix: give a number/
    )
  })

  test('a missing DAG (404), import errors and a stale DAG are refused with their fix', async () => {
    const answers: Answer[] = [
      { status: 404, body: { detail: 'The Dag with ID: `train` was not found' } },
      { status: 200, body: details({ has_import_errors: true }) },
      { status: 200, body: details({ is_stale: true }) }
    ]
    const server = await serve((_, i) => answers[i]!)
    const messages: string[] = []
    for (let i = 0; i < answers.length; i++)
      messages.push((await rejection(target(server.url).prepare(request(), signal()))).message)
    assert.match(
      messages[0]!,
      /HTTP 404 from 127\.0\.0\.1:\d+\/api\/v2\/dags\/train\/details: The Dag with ID: `train` was not found\. Fix: the server has no DAG train; set dag/
    )
    assert.match(messages[1]!, /import errors.*Fix: see Browse > Import errors/)
    assert.match(messages[2]!, /the DAG is stale.*Fix: restore the DAG's file/)
  })

  test('a 200 that is not the API (a sign-in page) names url as the fix', async () => {
    const server = await serve(
      () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' }),
      { offContract: true }
    )
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.match(
      error.message,
      /answered HTTP 200 with "<html>Sign in<\/html>", not a JSON object\. Fix: set url to the Airflow 3 web server's base URL/
    )
  })

  test('401 and 403 name the credentials to check, a 503 is transient', async () => {
    const answers: Answer[] = [
      { status: 401, body: { detail: 'Not authenticated' } },
      { status: 403, body: { detail: 'Invalid JWT token' } },
      { status: 503, headers: { 'retry-after': '2' }, body: 'busy' }
    ]
    // A 503 comes from a proxy in front of Airflow, not from its API.
    const server = await serve((_, i) => answers[i]!, { offContract: true })
    const errors = []
    for (let i = 0; i < answers.length; i++)
      errors.push(await rejection(target(server.url).prepare(request(), signal())))
    assert.match(
      errors[0]!.message,
      /HTTP 401 .*Not authenticated\. Fix: the server did not accept token .*cannot renew a platform's token: put a current one in the secret token names, or use username \+ password/
    )
    assert.match(errors[1]!.message, /HTTP 403 .*Invalid JWT token\. Fix: .*permission .* or a fresh token/)
    assert.ok(isTransient(errors[2]) && !isTransient(errors[0]) && !isTransient(errors[1]))
  })
})

describe('start: dag_run_id is the idempotency key, so a repeat is the same run', () => {
  test('POSTs the run with logical_date null, the parameters and the chain context as conf, the reason as note', async () => {
    const server = await serve(() => ({ status: 200, body: dagRun('queued') }))
    const handle = await target(server.url).start(request(), signal())
    const post = server.requests[0]!
    assert.equal(`${post.method} ${post.path}`, 'POST /api/v2/dags/train/dagRuns')
    assert.deepEqual(post.json, {
      dag_run_id: KEY,
      logical_date: null,
      conf: {
        learning_rate: 0.01,
        'pipeline-context': '{"root":"https://github.com/o/r/actions/runs/1","depth":1,"chain":["training_pipeline"]}'
      },
      note: 'push to main'
    })
    assert.equal(post.headers['content-type'], 'application/json')
    assert.deepEqual(airflowBodyErrors('TriggerDAGRunPostBody', post.json), [], "Airflow's own schema takes the body")
    assert.equal(handle.runId, `train/${KEY}`)
    assert.equal(handle.runUrl, `${server.url}/dags/train/runs/${KEY}`)
  })

  test('409 (a run with that id exists: an earlier start whose answer was lost) is followed, not refused', async () => {
    const logs: string[] = []
    const server = await serve(() => ({
      status: 409,
      body: recorded('conflict')
    }))
    const airflow = target(server.url, {}, logs)
    assert.equal(airflow.dedupesStarts, true)
    const handle = await airflow.start(request(), signal())
    assert.equal(handle.runId, `train/${KEY}`)
    assert.match(
      logs.join('\n'),
      /run pt-0123456789abcdef0123456789abcdef already exists \(an earlier start\); following it/
    )
  })

  test('400 quotes the server’s first line; a lost answer is transient', async () => {
    const answers: Answer[] = [{ status: 400, body: recorded('badParam') }, 'reset']
    const server = await serve((_, i) => answers[i]!)
    const bad = await rejection(target(server.url).start(request({ learning_rate: 'abc' }), signal()))
    assert.match(
      bad.message,
      /starting DAG train on .*HTTP 400 .*Invalid input for param learning_rate: 'abc' is not of type 'number'\. Fix: /
    )
    assert.doesNotMatch(bad.message, /Failed validating/)
    assert.ok(isTransient(await rejection(target(server.url).start(request(), signal()))))
  })

  test('422 (not an Airflow 3 body) says Airflow 2 is not supported', async () => {
    const server = await serve(() => ({
      status: 422,
      body: recorded('missingLogicalDate')
    }))
    const error = await rejection(target(server.url).start(request(), signal()))
    assert.match(error.message, /HTTP 422 .*body\.logical_date: Field required\. Fix: .*Airflow 2 is not supported/)
  })

  test('a redirect is refused, not followed, so the token goes nowhere else', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: dagRun('queued') }))
    const server = await serve(
      () => ({ status: 307, headers: { location: `${elsewhere.url}/api/v2/dags/train/dagRuns` } }),
      { offContract: true }
    )
    const error = await rejection(target(server.url).start(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(error.message, /answered with a redirect/)
    assert.equal(elsewhere.requests.length, 0)
  })
})

describe('status, cancel, metrics and follow', () => {
  test('every DagRunState in the action’s words, with Airflow’s word kept as detail', async () => {
    const words = ['queued', 'running', 'success', 'failed', 'a-new-word']
    let reads = 0
    // a-new-word is off the contract (DagRunState is an enum): a newer server's word.
    const server = await serve(
      (req) =>
        req.path.endsWith('/taskInstances?state=failed')
          ? { status: 200, body: recorded('failedTasks') }
          : { status: 200, body: dagRun(words[reads++]!) },
      { offContract: true }
    )
    const airflow = target(server.url)
    const handle = airflow.follow(`train/${KEY}`)
    const states = []
    for (const _ of words) states.push(await airflow.status(handle, signal()))
    assert.deepEqual(
      states.map((s) => [s.status, s.detail]),
      [
        ['running', 'queued'],
        ['running', 'running'],
        ['completed', 'success'],
        ['failed', 'failed'],
        ['running', 'a-new-word']
      ]
    )
    assert.match(
      states[3]!.message!,
      /DAG run pt-0123456789abcdef0123456789abcdef of train failed \(failed tasks: train\); the task logs are on its page/
    )
    assert.equal(server.requests[0]!.path, `/api/v2/dags/train/dagRuns/${KEY}`)
    assert.equal(states[0]!.runUrl, `${server.url}/dags/train/runs/${KEY}`)
  })

  test('cancel PATCHes a running run to failed with a note; the run is then reported cancelled, by a later pass too', async () => {
    let state = 'running'
    let note: string | null = null
    const server = await serve((req) => {
      if (req.method === 'PATCH') {
        ;({ state, note } = req.json as { state: string; note: string })
      }
      return { status: 200, body: dagRun(state, note) }
    })
    const airflow = target(server.url)
    const handle = airflow.follow(`train/${KEY}`)
    await airflow.cancel(handle, signal())
    const patch = server.requests.find((r) => r.method === 'PATCH')!
    assert.equal(patch.path, `/api/v2/dags/train/dagRuns/${KEY}`)
    assert.equal((patch.json as { state: string }).state, 'failed')
    assert.deepEqual(airflowBodyErrors('DAGRunPatchBody', patch.json), [])
    assert.equal((await airflow.status(handle, signal())).status, 'cancelled')
    // A later pass has only the run id: the note tells it the action stopped the run.
    const later = target(server.url)
    const state2 = await later.status(later.follow(`train/${KEY}`), signal())
    assert.equal(state2.status, 'cancelled')
    assert.ok(note!.startsWith(CANCEL_NOTE))
  })

  test('cancel leaves a run that already ended as it ended', async () => {
    const server = await serve(() => ({ status: 200, body: dagRun('success') }))
    await target(server.url).cancel(target(server.url).follow(`train/${KEY}`), signal())
    assert.deepEqual(
      server.requests.map((r) => r.method),
      ['GET']
    )
  })

  test('metrics are the XCom value of metrics-task (an object, or a JSON string); a missing entry names the fix', async () => {
    const answers: Answer[] = [
      { status: 200, body: recorded('xcom', { value: { accuracy: 0.9, lr: 0.01, tags: ['x'] } }) },
      { status: 200, body: recorded('xcom', { key: 'metrics', value: '{"accuracy": 0.8}' }) },
      { status: 404, body: recorded('xcomMissing') }
    ]
    const server = await serve((_, i) => answers[i]!)
    const airflow = target(server.url)
    const handle = airflow.follow(`train/${KEY}`)
    const first = await airflow.metrics!(handle, signal())
    assert.deepEqual({ ...first.metrics }, { accuracy: 0.9, lr: 0.01 })
    assert.equal(first.ignored.length, 1)
    assert.equal(
      server.requests[0]!.path,
      `/api/v2/dags/train/dagRuns/${KEY}/taskInstances/train/xcomEntries/return_value`
    )
    const second = await target(server.url, { metricsKey: 'metrics' }).metrics!(handle, signal())
    assert.deepEqual({ ...second.metrics }, { accuracy: 0.8 })
    const error = await rejection(airflow.metrics!(handle, signal()))
    assert.match(
      error.message,
      /HTTP 404 .*not found\. Fix: the run has no XCom return_value from task train; make the task return a dict/
    )
  })

  test('without metrics-task the target reads no metrics; follow refuses an id it did not record', () => {
    assert.equal(
      target('http://127.0.0.1:9', { metricsTask: undefined } as Partial<ResolvedAirflow>).metrics,
      undefined
    )
    assert.throws(
      () => target('http://127.0.0.1:9').follow(KEY),
      /is not an Airflow run id as this action records it \(<dag_id>\/<dag_run_id>\)/
    )
  })
})

describe('logging in and secrets', () => {
  async function connect(configs: ResolvedAirflow[], logs: string[] = []) {
    const deadline = new Deadline(realClock, 60_000)
    cleanups.push(() => deadline.dispose())
    const masks: string[] = []
    const tempDir = mkdtempSync(join(tmpdir(), 'pt-airflow-unit-'))
    cleanups.push(() => rmSync(tempDir, { recursive: true, force: true }))
    const targets = await connectTargets(new Map(configs.map((c) => [c.name, c])), {
      workspace: process.cwd(),
      tempDir,
      env: {},
      clock: realClock,
      deadline,
      mask: (secret) => masks.push(secret),
      log: (message) => logs.push(message),
      provenance: []
    })
    return { targets, masks }
  }

  const login = (username = 'admin', password = PASSWORD) => ({ kind: 'login' as const, username, password })

  test('targets of one server and user share one token minted at /auth/token, masked, sent as a bearer', async () => {
    const server = await serve((req) =>
      req.path === '/auth/token' ? { status: 201, body: { access_token: TOKEN } } : { status: 200, body: details() }
    )
    const { targets, masks } = await connect([
      resolved(server.url, { name: 'a', auth: login() }),
      resolved(server.url, { name: 'b', auth: login() })
    ])
    const logins = server.requests.filter((r) => r.path === '/auth/token')
    assert.equal(logins.length, 1)
    assert.deepEqual(logins[0]!.json, { username: 'admin', password: PASSWORD })
    assert.ok(masks.includes(TOKEN))
    await targets.get('b')!.prepare!(request(), signal())
    assert.equal(server.requests.at(-1)!.headers.authorization, `Bearer ${TOKEN}`)
  })

  test('a minted token that expires in a long wait is renewed once: A, 401, mint B, the call again with B', async () => {
    const A = 'eyJ.minted-A.sig'
    const B = 'eyJ.minted-B.sig'
    let mints = 0
    const server = await serve((req) => {
      if (req.path === '/auth/token') return { status: 201, body: { access_token: mints++ === 0 ? A : B } }
      // Airflow's answer to an expired JWT (security.py: ExpiredSignatureError), echoing what it got.
      if (req.headers.authorization === `Bearer ${A}`)
        return { status: 401, body: { detail: `Token Expired ${echoing(PASSWORD)}` } }
      return { status: 200, body: details() }
    })
    const logs: string[] = []
    const { targets, masks } = await connect(
      [resolved(server.url, { name: 'a', auth: login() }), resolved(server.url, { name: 'b', auth: login() })],
      logs
    )
    await targets.get('a')!.prepare!(request(), signal())
    await targets.get('b')!.prepare!(request(), signal())
    assert.deepEqual(
      server.requests.map((r) => `${r.path} ${r.headers.authorization ?? ''}`),
      [
        '/auth/token ',
        `/api/v2/dags/train/details Bearer ${A}`,
        '/auth/token ',
        `/api/v2/dags/train/details Bearer ${B}`,
        `/api/v2/dags/train/details Bearer ${B}`
      ],
      'one renewal, shared by the second target'
    )
    assert.ok(masks.includes(A) && masks.includes(B), 'both tokens masked')
    const log = logs.join('\n')
    assert.match(
      log,
      /reading DAG train .*: the server refused the token minted at .*\/auth\/token \(HTTP 401, expired\); minted a new one/
    )
    for (const secret of [PASSWORD, A, B])
      for (const form of secretForms(secret)) assert.ok(!log.includes(form), `no ${form}`)
  })

  test('a 401 for a freshly minted token too is refused once, with the fix; a platform token is never renewed', async () => {
    const server = await serve((req) =>
      req.path === '/auth/token'
        ? { status: 201, body: { access_token: TOKEN } }
        : { status: 401, body: { detail: `Token Expired ${echoing(PASSWORD)}` } }
    )
    const { targets } = await connect([resolved(server.url, { auth: login() })])
    const error = await rejection(targets.get('airflow')!.prepare!(request(), signal()))
    assert.match(
      error.message,
      /HTTP 401 .*Token Expired.*Fix: the server refused a token minted for username just now/
    )
    for (const form of [...secretForms(PASSWORD), ...secretForms(TOKEN)])
      assert.ok(!error.message.includes(form), `no ${form}`)
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/auth/token', '/api/v2/dags/train/details', '/auth/token', '/api/v2/dags/train/details'],
      'one renewal, then the error'
    )
    const platform = await serve(() => ({ status: 401, body: { detail: 'Token Expired' } }))
    const refused = await rejection(target(platform.url).prepare(request(), signal()))
    assert.match(refused.message, /Fix: the server did not accept token .*cannot renew a platform's token/)
    assert.deepEqual(
      platform.requests.map((r) => r.path),
      ['/api/v2/dags/train/details']
    )
  })

  test('a refused login names the user and the fix; the password, echoed in every encoding, is in no message', async () => {
    const server = await serve(() => ({ status: 401, body: { detail: `Invalid credentials ${echoing(PASSWORD)}` } }))
    const error = await rejection(connect([resolved(server.url, { auth: login() })]))
    assert.match(
      error.message,
      /logging in to Airflow at http:\/\/127\.0\.0\.1:\d+ as admin: HTTP 401 .*Invalid credentials.*Fix: the server refused admin's password/
    )
    for (const form of secretForms(PASSWORD)) assert.ok(!error.message.includes(form), `no ${form}`)
  })

  test('a login reply refused with another status, or cut short, keeps its access_token out of the message', async () => {
    // Found by the reliability suite's reply fuzzing: the 201 with its status spoiled (final 409, transient 503), or cut short.
    for (const status of [409, 503]) {
      const server = await serve(() => ({ status, body: { access_token: TOKEN } }), { offContract: true })
      const error = await rejection(mintToken(server.url, 'admin', PASSWORD, signal(), realClock))
      assert.ok(error instanceof UserError)
      assert.equal(isTransient(error), status === 503)
      assert.match(
        error.message,
        new RegExp(`logging in to Airflow at http://127\\.0\\.0\\.1:\\d+ as admin: HTTP ${status} `)
      )
      for (const form of [...secretForms(TOKEN), ...secretForms(PASSWORD)])
        assert.ok(!error.message.includes(form), `no ${form}`)
    }
    const cut = JSON.stringify({ access_token: TOKEN }).slice(0, -6)
    const server = await serve(() => ({ status: 201, headers: { 'content-type': 'application/json' }, body: cut }), {
      offContract: true
    })
    const error = await rejection(mintToken(server.url, 'admin', PASSWORD, signal(), realClock))
    assert.match(
      error.message,
      /HTTP 201 .*: \{"access_token":"\*\*\*"\. Fix: the server answered without an access_token/
    )
    assert.ok(!error.message.includes('eyJhbGciOi'), 'not even the part of the token that came')
  })

  test('a minted token an HTTP header cannot carry is refused before use, and is in no message', async () => {
    const bad = `${TOKEN}\nX-Injected: 1`
    const server = await serve((req) =>
      req.path === '/auth/token' ? { status: 201, body: { access_token: bad } } : { status: 200, body: details() }
    )
    const error = await rejection(connect([resolved(server.url, { auth: login() })]))
    assert.ok(error instanceof UserError)
    assert.match(error.message, /the token minted at http:\/\/127\.0\.0\.1:\d+\/auth\/token holds a line break/)
    assert.ok(!error.message.includes(TOKEN))
    assert.deepEqual(
      server.requests.map((r) => r.path),
      ['/auth/token']
    )
  })

  test('a 200 page that is not JSON and echoes the token quotes it redacted', async () => {
    const server = await serve(
      () => ({
        status: 200,
        headers: { 'content-type': 'text/html' },
        body: `${TOKEN} sign in`
      }),
      { offContract: true }
    )
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.match(error.message, /not a JSON object/)
    for (const form of secretForms(TOKEN)) assert.ok(!error.message.includes(form), `no ${form}`)
  })

  test('a token a server echoes back is in no message', async () => {
    const server = await serve(() => ({ status: 400, body: { detail: `bad ${echoing(TOKEN)}` } }))
    const error = await rejection(target(server.url).start(request(), signal()))
    for (const form of secretForms(TOKEN)) assert.ok(!error.message.includes(form), `no ${form}`)
  })
})

describe('resolve', () => {
  const secrets = (env: Record<string, string>) => {
    const masked: string[] = []
    return { masked, source: { env, mask: (s: string) => masked.push(s) } }
  }
  const context = (env: Record<string, string>) => ({
    inputs: { cancelOnTimeout: false },
    secrets: secrets(env).source,
    maxParallel: 4
  })

  test('fills in the defaults: the pipeline’s name as dag, return_value, no unpause; the password masked', () => {
    const { masked, source } = secrets({ AIRFLOW_PASSWORD: PASSWORD })
    const config = schema.parse({
      type: 'airflow',
      url: 'https://airflow.example.com/deploy-1/',
      username: 'ci',
      password: 'env:AIRFLOW_PASSWORD'
    })
    const resolvedConfig = resolveAirflow('airflow', config, {
      inputs: { cancelOnTimeout: true },
      secrets: source,
      maxParallel: 2
    })
    assert.deepEqual(resolvedConfig, {
      type: 'airflow',
      name: 'airflow',
      maxParallel: 2,
      base: 'https://airflow.example.com/deploy-1',
      auth: { kind: 'login', username: 'ci', password: PASSWORD },
      metricsKey: 'return_value',
      unpause: false,
      cancelOnTimeout: true
    })
    assert.deepEqual(masked, [PASSWORD])
  })

  test('refuses http off loopback, token with a password, and a username alone', () => {
    const parse = (extra: Record<string, unknown>) =>
      schema.parse({ type: 'airflow', url: 'https://a.example.com', ...extra })
    assert.throws(
      () => resolveAirflow('af', schema.parse({ type: 'airflow', url: 'http://airflow.example.com' }), context({})),
      /must use https/
    )
    assert.throws(
      () =>
        resolveAirflow(
          'af',
          parse({ token: 'env:T', username: 'u', password: 'env:P' }),
          context({ T: 't0ken', P: 'p4ss' })
        ),
      /both token and username\/password are set/
    )
    assert.throws(() => resolveAirflow('af', parse({ username: 'u' }), context({})), /username without password/)
    assert.throws(() => schema.parse({ type: 'airflow', url: 'https://a', password: 'plain' }), /env:NAME/)
  })

  test('refuses a url with a query or fragment, even an empty one (a bare ? or #), naming the fix', () => {
    for (const url of [
      'https://a.example.com/path?',
      'https://a.example.com/path#',
      'https://a.example.com/?x=1',
      'https://a.example.com/#/home'
    ])
      assert.throws(
        () => resolveAirflow('af', schema.parse({ type: 'airflow', url }), context({})),
        /Target af url: .* has a query or fragment \([?#]\), so \/api\/v2 could not be added to it\. Fix: the web server's base URL only, without \? or #/,
        url
      )
    // A ? written as %3F is part of the path, not a query: kept as the user wrote it.
    const encoded = resolveAirflow(
      'af',
      schema.parse({ type: 'airflow', url: 'https://a.example.com/a%3Fb' }),
      context({})
    )
    assert.equal(encoded.base, 'https://a.example.com/a%3Fb')
  })
})

/** Replies no Airflow gives (each such server is offContract): the target must still not crash or mislead. */
describe('odd or hostile replies, and ids a URL would resolve away', () => {
  test('a DAG read without is_paused or has_import_errors is refused, naming the fields and the fix', async () => {
    const server = await serve(() => ({ status: 200, body: {} }), { offContract: true })
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /reading DAG train on http:\/\/127\.0\.0\.1:\d+: .* answered 200 without the DAG's details \(is_paused: .*has_import_errors: .*\)\. Fix: check that url is an Airflow 3\.x web server/
    )
  })

  test('a state named like an Object property (constructor, toString, __proto__) is still running', async () => {
    const words = ['constructor', 'toString', '__proto__', 'hasOwnProperty']
    let reads = 0
    const server = await serve(() => ({ status: 200, body: dagRun(words[reads++]!) }), { offContract: true })
    const airflow = target(server.url)
    const handle = airflow.follow(`train/${KEY}`)
    const states = []
    for (const _ of words) states.push(await airflow.status(handle, signal()))
    assert.deepEqual(
      states.map((s) => [s.status, s.detail]),
      words.map((w) => ['running', w])
    )
  })

  test('a failed run whose note is no string, or whose task list is not a list, is reported failed', async () => {
    const answers: Answer[] = [
      { status: 200, body: { ...dagRun('failed'), note: 42 } },
      { status: 200, body: { task_instances: 'none', total_entries: 0 } },
      { status: 200, body: dagRun('failed') },
      { status: 200, body: { task_instances: [null, 7, { task_id: 'train' }] } }
    ]
    const server = await serve((_, i) => answers[i]!, { offContract: true })
    const airflow = target(server.url)
    const handle = airflow.follow(`train/${KEY}`)
    const first = await airflow.status(handle, signal())
    assert.equal(first.status, 'failed')
    assert.match(first.message!, /DAG run \S+ of train failed; the task logs are on its page/)
    const second = await airflow.status(handle, signal())
    assert.match(second.message!, /failed \(failed tasks: train\)/)
  })

  test('a failed run whose task list is refused (403, 404) is still reported failed, and the refusal logged', async () => {
    for (const refused of [403, 404]) {
      const logs: string[] = []
      const server = await serve((req) =>
        req.path.includes('/taskInstances')
          ? { status: refused, body: { detail: 'Forbidden' } }
          : { status: 200, body: dagRun('failed') }
      )
      const airflow = target(server.url, {}, logs)
      const state = await airflow.status(airflow.follow(`train/${KEY}`), signal())
      assert.equal(state.status, 'failed')
      assert.match(state.message!, /of train failed; the task logs are on its page/)
      assert.match(
        logs.join('\n'),
        new RegExp(`reading the failed tasks .*HTTP ${refused} .*Forbidden.*reported failed without its task names`)
      )
    }
  })

  test('a validation detail holding null or a string is quoted, not a crash', async () => {
    const server = await serve(
      () => ({
        status: 400,
        body: { detail: [null, 'odd', { loc: ['body', 'conf'], msg: 'bad' }] }
      }),
      { offContract: true }
    )
    const error = await rejection(target(server.url).start(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.match(error.message, /HTTP 400 .*null; odd; body\.conf: bad/)
  })

  test('a param whose schema type is an Object property name counts as untyped, not a crash', async () => {
    const server = await serve(() => ({
      status: 200,
      body: details({
        params: {
          a: { value: 1, schema: { type: '__proto__' } },
          b: { value: 1, schema: { type: 'toString' } },
          c: { value: 1, schema: { type: ['constructor', 'number'] } }
        }
      })
    }))
    const airflow = target(server.url)
    await airflow.prepare(request({ a: 'x', b: 'y', c: 2 }), signal())
    const error = await rejection(airflow.prepare(request({ c: 'z' }), signal()))
    assert.match(error.message, /param c of DAG train is number, and the parameter gives "z"/)
  })

  test('a dag or dag_run_id of . or .. (or outside Airflow’s rules) is refused before any request', async () => {
    const server = await serve(() => ({ status: 200, body: details() }))
    const airflow = target(server.url)
    for (const id of ['train/..', 'train/.', '../x', './x', 'train/a b', 'tr ain/x'])
      assert.throws(() => airflow.follow(id), /is not an Airflow dag(_run)?_id .*not \. or \.\..*Fix:/, id)
    assert.doesNotThrow(() => airflow.follow('train/manual__2026-12-07T15:00:00+00:00~1'))
    const byName = target(server.url, { dag: undefined } as Partial<ResolvedAirflow>)
    const dotted = runRequest({
      target: 'airflow',
      pipelineName: '..',
      parameters: {},
      idempotencyKey: KEY,
      reason: 'x'
    })
    for (const call of [byName.prepare(dotted, signal()), byName.start(dotted, signal())]) {
      const error = await rejection(call)
      assert.match(error.message, /"\.\." is not an Airflow dag_id .*Fix: set dag \(default: the pipeline's name\)/)
    }
    assert.equal(server.requests.length, 0)
  })
})
