/**
 * The databricks target against the Databricks stand-in (test/helpers/fake-databricks.ts), whose
 * every request and reply is checked against the pinned databricks-sdk 0.167.0, and a scripted
 * server for what the stand-in does not do (a server echoing secrets): the contract checker itself
 * refusing bad bodies; prepare by job name and the parameters against the job's; run-now with
 * job_parameters and idempotency_token, a repeat getting the same run; every termination code; cancel;
 * metrics from a task's notebook exit value and from a script's last JSON line; each refusal
 * (401, 403, 404, a bad parameter, 429, a redirect) with its fix; OAuth M2M and GitHub OIDC
 * federation tokens minted, masked, renewed before they expire and sent only to their origins.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { connectTargets } from '../../src/targets/connect-targets.js'
import { DatabricksApi } from '../../src/targets/databricks/databricks-api.js'
import { DatabricksTarget } from '../../src/targets/databricks/databricks-target.js'
import { WorkspaceToken } from '../../src/targets/databricks/workspace-token.js'
import { resolveDatabricks, type ResolvedDatabricks } from '../../src/targets/databricks/resolve.js'
import { statusOfTermination } from '../../src/targets/databricks/run-status.js'
import type { Target } from '../../src/targets/target.js'
import { DatabricksModel } from '../helpers/databricks-model.js'
import { FakeDatabricks, startFakeGitHubIdTokens } from '../helpers/fake-databricks.js'
import { refusedUrl } from '../helpers/fault-proxy.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms } from '../helpers/scripted-server.js'

const PAT = 'dapi0123456789abcdef0123456789abcdef'
const READ_ONLY = 'dapiREADONLY0123456789abcdef012345'
const SP = { clientId: '7f3a1c2e-0000-4000-8000-00000000abcd', clientSecret: 'dose0123456789SECRETabcdef' }
const ID_REQUEST_TOKEN = 'ghs-id-token-request-0123456789'
const SUBJECT = 'repo:octo-org/ml-repo:ref:refs/heads/main'
const AUDIENCE = 'f0e1d2c3-account-id'

let fake: FakeDatabricks
let github: Awaited<ReturnType<typeof startFakeGitHubIdTokens>>
before(async () => {
  github = await startFakeGitHubIdTokens(ID_REQUEST_TOKEN, SUBJECT)
  fake = await FakeDatabricks.start({
    pat: PAT,
    readOnly: [READ_ONLY],
    servicePrincipal: SP,
    federation: {
      clientId: SP.clientId,
      audience: AUDIENCE,
      subject: SUBJECT,
      verify: (jwt) => github.issued.has(jwt)
    },
    tokenLifetimeS: 3,
    jobs: [
      {
        job_id: 101,
        name: 'train',
        parameters: [
          { name: 'lr', default: '0.1' },
          { name: 'fail', default: 'false' },
          { name: 'sleep_s', default: '0' },
          { name: 'pipeline-context', default: '{}' }
        ],
        tasks: ['prepare', 'train'],
        metricsTask: 'train'
      },
      { job_id: 102, name: 'twin', tasks: ['a'] },
      {
        job_id: 104,
        name: 'script',
        parameters: [{ name: 'lr', default: '0.1' }],
        tasks: ['fit'],
        metricsTask: 'fit',
        python: true
      },
      { job_id: 103, name: 'twin', tasks: ['a'] }
    ]
  })
})
after(async () => {
  await fake?.close()
  await github?.close()
})
afterEach(() => {
  assert.deepEqual(fake.violations.splice(0), [], "every request and reply keeps to the SDK's model")
})

function resolved(overrides: Partial<ResolvedDatabricks> = {}): ResolvedDatabricks {
  return {
    type: 'databricks',
    name: 'dbx',
    maxParallel: 4,
    host: fake.url,
    api: fake.url,
    job: 'train',
    auth: { kind: 'token', token: PAT, from: 'env:DATABRICKS_TOKEN' },
    metricsTask: 'train',
    cancelOnTimeout: true,
    ...overrides
  }
}
const logs: string[] = []
const target = (overrides: Partial<ResolvedDatabricks> = {}) => {
  const config = resolved(overrides)
  const token = config.auth.kind === 'token' ? config.auth.token : ''
  return new DatabricksTarget(config, new DatabricksApi(config, token, realClock), (m) => logs.push(m))
}
const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({
    target: 'dbx',
    parameters: { lr: 0.01 },
    idempotencyKey: `pt-${Math.random().toString(16).slice(2).padEnd(32, '0')}`,
    ...overrides
  })
const signal = () => AbortSignal.timeout(15_000)

async function settle(t: Target, handle: { runId?: string }) {
  for (;;) {
    const state = await t.status(handle, signal())
    if (state.status !== 'running') return state
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('the contract: databricks-sdk 0.167.0', () => {
  let model: DatabricksModel
  before(async () => (model = await DatabricksModel.start()))
  after(() => model.close())
  const runNow = { method: 'POST', path: '/api/2.2/jobs/run-now' }
  const runsGet = { method: 'GET', path: '/api/2.2/jobs/runs/get' }

  test('accepts what the SDK itself sends and parses', async () => {
    assert.deepEqual(
      await model.requestErrors(runNow, {}, { job_id: 1, job_parameters: { a: 'b' }, idempotency_token: 'pt-1' }),
      []
    )
    assert.deepEqual(await model.requestErrors(runsGet, { run_id: '5' }, undefined), [])
    assert.deepEqual(
      await model.replyErrors(runsGet, 200, {
        run_id: 5,
        status: { state: 'TERMINATED', termination_details: { code: 'SUCCESS', type: 'SUCCESS', message: '' } },
        tasks: [{ task_key: 't', run_id: 6 }]
      }),
      []
    )
    assert.deepEqual(await model.replyErrors(runNow, 404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'x' }), [])
  })

  test('refuses an unknown member, a wrong type, an unknown enum value and a missing required argument', async () => {
    const errors = await model.requestErrors(runNow, {}, { job_parameters: { lr: 0.1 }, queue: 1, extra: true })
    assert.deepEqual(
      errors.map((e) => e.replace(/^POST \/api\/2\.2\/jobs\/run-now \(run_now\):? ?/, '')),
      [
        'job_parameters.lr: 0.1 is not str',
        'queue: 1 is not QueueSettings',
        "unknown member extra (the SDK's run_now takes job_id, dbt_commands, duration_target, idempotency_token, jar_params, job_parameters, notebook_params, only, performance_target, pipeline_params, python_named_params, python_params, queue, spark_submit_params, sql_params)",
        'job_id is required'
      ]
    )
    assert.match(
      (await model.requestErrors(runNow, {}, { job_id: 1, performance_target: 'FAST' })).join(),
      /"FAST" is not a value of PerformanceTarget/
    )
    assert.match((await model.requestErrors(runsGet, { run_id: 'x' }, undefined)).join(), /run_id: "x" is not int/)
  })

  test('refuses a reply the dataclasses drop, change or miss, and an error whose code contradicts its status', async () => {
    const errors = await model.replyErrors(runsGet, 200, {
      run_id: '5',
      status: { state: 'FINISHED' },
      tasks: [{ run_id: 6 }],
      surprise: 1
    })
    assert.equal(errors.length, 4, errors.join('\n'))
    assert.match(errors.join('\n'), /Run\.run_id: "5" became 5/)
    assert.match(errors.join('\n'), /Run\.status\.state: dropped by the SDK .*"FINISHED"/)
    assert.match(errors.join('\n'), /Run\.tasks\[0\]\.task_key: required by RunTask, missing/)
    assert.match(errors.join('\n'), /Run\.surprise: dropped/)
    assert.match(
      (await model.replyErrors(runNow, 400, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'x' })).join(),
      /ResourceDoesNotExist, not a BadRequest/
    )
    assert.match((await model.replyErrors(runNow, 500, 'oops')).join(), /an error is \{error_code, message\}/)
  })
})

describe('databricks target: prepare, start, status, metrics', () => {
  test('looks the job up by name once, reads it once, then run-now with string job_parameters, the chain and the idempotency token', async () => {
    const dbx = target()
    const before = fake.requests.length
    const req = request({ parameters: { lr: 0.01, fail: false } })
    await dbx.prepare(req, signal())
    await dbx.prepare(request(), signal())
    const handle = await dbx.start(req, signal())
    const sent = fake.requests.slice(before)
    assert.deepEqual(
      sent.map((r) => `${r.method} ${r.path}`),
      ['GET /api/2.2/jobs/list', 'GET /api/2.2/jobs/get', 'POST /api/2.2/jobs/run-now']
    )
    assert.deepEqual(sent[0]!.query, { name: 'train', limit: '100' })
    assert.ok(sent.every((r) => r.headers.authorization === `Bearer ${PAT}`))
    const body = sent[2]!.json as { job_id: number; job_parameters: Record<string, string>; idempotency_token: string }
    assert.deepEqual(
      { ...body, job_parameters: { ...body.job_parameters, 'pipeline-context': undefined } },
      {
        job_id: 101,
        job_parameters: { lr: '0.01', fail: 'false', 'pipeline-context': undefined },
        idempotency_token: req.idempotencyKey
      }
    )
    assert.deepEqual(JSON.parse(body.job_parameters['pipeline-context']!), req.chain)
    assert.deepEqual(handle, {
      runId: String(fake.runs.at(-1)!.run_id),
      runUrl: `${fake.url}/jobs/101/runs/${fake.runs.at(-1)!.run_id}`
    })
    assert.match(logs.join('\n'), /job "train" is job 101/)
  })

  test('a start sent again with the same idempotency token gets the run the first made (dedupesStarts)', async () => {
    const dbx = target()
    const req = request()
    const runs = fake.runsOf(101).length
    const first = await dbx.start(req, signal())
    const again = await dbx.start(req, signal())
    assert.equal(dbx.dedupesStarts, true)
    assert.equal(again.runId, first.runId)
    assert.equal(fake.runsOf(101).length, runs + 1, 'one run')
  })

  test('a run that succeeds is completed, with its run_page_url, and its metrics come from the task run of metrics-task', async () => {
    const dbx = target({ job: 101 })
    const handle = await dbx.start(request({ parameters: { lr: 0.02 } }), signal())
    const state = await settle(dbx, handle)
    assert.deepEqual(state, {
      status: 'completed',
      runId: handle.runId,
      runUrl: `${fake.url}/jobs/101/runs/${handle.runId}`,
      detail: 'SUCCESS'
    })
    const reading = await dbx.metrics!(handle, signal())
    assert.deepEqual({ ...reading.metrics }, { accuracy: 0.9, lr: 0.02 })
    const output = fake.requests.findLast((r) => r.path.endsWith('get-output'))!
    const run = fake.runs.find((r) => String(r.run_id) === handle.runId)!
    assert.equal(output.query.run_id, String(run.taskRunIds[1]), "the train task's own run, not the job run")
  })

  test("a Python script task's metrics are the last line of its output that is a JSON object", async () => {
    const dbx = target({ job: 'script', metricsTask: 'fit' })
    await dbx.prepare(request({ parameters: { lr: 0.5 } }), signal())
    const handle = await dbx.start(request({ parameters: { lr: 0.5 } }), signal())
    assert.equal((await settle(dbx, handle)).status, 'completed')
    assert.deepEqual({ ...(await dbx.metrics!(handle, signal())).metrics }, { accuracy: 0.9, lr: 0.5 })
    const missing = await rejection(target({ job: 'script', metricsTask: 'evaluate' }).metrics!(handle, signal()))
    assert.match(missing.message, /has no task "evaluate" \(its tasks: fit\)\. Fix: set metrics-task/)
  })

  test("a failing run is failed with Databricks' termination code, type and message", async () => {
    const dbx = target()
    const handle = await dbx.start(request({ parameters: { fail: true } }), signal())
    const state = await settle(dbx, handle)
    assert.equal(state.status, 'failed')
    assert.equal(
      state.message,
      `job run ${handle.runId} failed (RUN_EXECUTION_ERROR, CLIENT_ERROR): Task train failed with message: ValueError: loss is NaN.`
    )
  })

  test('cancel stops the run: TERMINATING, then cancelled (USER_CANCELED)', async () => {
    const dbx = target()
    const handle = await dbx.start(request({ parameters: { sleep_s: 30 } }), signal())
    assert.equal((await dbx.status(handle, signal())).status, 'running')
    await dbx.cancel(handle, signal())
    const state = await settle(dbx, handle)
    assert.equal(state.status, 'cancelled')
    assert.match(state.message ?? '', /was cancelled \(USER_CANCELED, SUCCESS\)/)
  })

  test('follow: the run id alone finds the run again (reconcile, callbacks, re-attach)', async () => {
    const handle = await target().start(request(), signal())
    const followed = target({ job: 999 }).follow(handle.runId)
    const state = await settle(target(), followed)
    assert.equal(state.runUrl, `${fake.url}/jobs/101/runs/${handle.runId}`)
    assert.throws(() => target().follow('101/abc'), /is not a Databricks run id \(a positive integer below 2\^53\)/)
  })

  test('an id past 2^53 is refused, never rounded onto another run or job (runs/cancel and run-now take JSON numbers)', async () => {
    for (const runId of ['9007199254740993', '1234567890123456789', '0'])
      assert.throws(() => target().follow(runId), /is not a Databricks run id/, runId)
    const error = await rejection(target({ job: '9007199254740993' }).prepare(request(), signal()))
    assert.match(error.message, /job 9007199254740993 is past the ids the Jobs API's JSON carries exactly/)
    assert.equal(
      fake.requests.filter((r) => r.query.job_id === '9007199254740992').length,
      0,
      'the rounded id was never asked for'
    )
  })

  test('every termination code maps onto the one vocabulary; an unknown code is a failure', () => {
    assert.equal(statusOfTermination('SUCCESS'), 'completed')
    assert.equal(statusOfTermination('USER_CANCELED'), 'cancelled')
    assert.equal(statusOfTermination('CANCELED'), 'cancelled')
    assert.equal(statusOfTermination('SKIPPED'), 'not_started')
    assert.equal(statusOfTermination('SUCCESS_WITH_FAILURES'), 'failed')
    assert.equal(statusOfTermination('CLUSTER_ERROR'), 'failed')
    assert.equal(statusOfTermination('SOMETHING_NEW'), 'failed')
    assert.equal(statusOfTermination(undefined), 'failed')
  })
})

describe('databricks target: refusals name the fix', () => {
  test('a parameter the job does not define is refused by prepare with its parameters, before any start', async () => {
    const before = fake.runs.length
    const error = await rejection(target().prepare(request({ parameters: { learning_rate: 0.1 } }), signal()))
    assert.equal(
      error.message,
      'dbx: checking the parameters of training: job train (101) has no job parameter "learning_rate"; its parameters: lr, fail, sleep_s. Fix: rename the parameter, or add it to the job\'s parameters (Job parameters in the job\'s settings).'
    )
    assert.equal(fake.runs.length, before)
  })

  test('a name two jobs share, and a name no job has', async () => {
    assert.match(
      (await rejection(target({ job: 'twin' }).prepare(request({ parameters: {} }), signal()))).message,
      /looking up job "twin" by name .*: 2 jobs have that name \(job ids 102, 103\)\. Fix: set job to the id of the one to run\./
    )
    assert.match(
      (await rejection(target({ job: 'nope' }).prepare(request(), signal()))).message,
      /no job has that name .*Fix: set job to the job's id/
    )
  })

  test('404 RESOURCE_DOES_NOT_EXIST names the job id', async () => {
    const error = await rejection(target({ job: 404404 }).prepare(request({ parameters: {} }), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /reading job 404404 on .*: HTTP 404 from 127\.0\.0\.1:\d+: RESOURCE_DOES_NOT_EXIST: Job 404404 does not exist\. Fix: the workspace has no job 404404; set job/
    )
  })

  test('401 names the token variable; 403 names CAN MANAGE RUN', async () => {
    const bad = await rejection(
      target({ auth: { kind: 'token', token: 'dapi-wrong', from: 'env:DATABRICKS_TOKEN' } }).prepare(
        request(),
        signal()
      )
    )
    assert.match(bad.message, /HTTP 401 .*Fix: the workspace did not accept the token in env:DATABRICKS_TOKEN/)
    const reader = target({ job: 101, auth: { kind: 'token', token: READ_ONLY, from: 'env:DATABRICKS_TOKEN' } })
    await reader.prepare(request(), signal())
    const denied = await rejection(reader.start(request(), signal()))
    assert.match(
      denied.message,
      /HTTP 403 .*PERMISSION_DENIED: User does not have Manage Run permissions on job 101\. Fix: .*CAN MANAGE RUN on the job/
    )
  })

  test('a 429 is transient, with its Retry-After; a redirect is refused, and nothing follows it off the host', async () => {
    fake.answerNext('/api/2.2/jobs/runs/get', {
      status: 429,
      headers: { 'retry-after': '3' },
      body: { error_code: 'REQUEST_LIMIT_EXCEEDED', message: 'Too many requests.' }
    })
    const throttled = await rejection(target().status({ runId: '1' }, signal()))
    assert.ok(isTransient(throttled), throttled.message)
    assert.equal((throttled as { retryAfterMs?: number }).retryAfterMs, 3000)
    const elsewhere = await scriptedServer(() => ({ status: 200, body: {} }))
    try {
      fake.answerNext('/api/2.2/jobs/get', {
        status: 307,
        headers: { location: `${elsewhere.url}/api/2.2/jobs/get` },
        body: {}
      })
      const moved = await rejection(target({ job: 101 }).prepare(request(), signal()))
      assert.match(moved.message, /answered with a redirect, which the action does not follow/)
      assert.equal(elsewhere.requests.length, 0, 'nothing went to the other host')
    } finally {
      await elsewhere.close()
    }
  })

  test('a 5xx, a dropped connection and a server that does not listen are transient', async () => {
    fake.answerNext('/api/2.2/jobs/runs/get', {
      status: 503,
      body: { error_code: 'TEMPORARILY_UNAVAILABLE', message: 'The service is temporarily unavailable.' }
    })
    const unavailable = await rejection(target().status({ runId: '1' }, signal()))
    assert.ok(isTransient(unavailable), unavailable.message)
    const dropping = await scriptedServer(() => 'reset')
    try {
      const reset = await rejection(target({ api: dropping.url, job: 1 }).prepare(request(), signal()))
      assert.ok(isTransient(reset), reset.message)
      assert.match(reset.message, /dbx: reading job 1 on .*127\.0\.0\.1/)
    } finally {
      await dropping.close()
    }
    const silent = await rejection(target({ api: await refusedUrl(), job: 1 }).prepare(request(), signal()))
    assert.ok(isTransient(silent), silent.message)
    assert.match(silent.message, /Check that host \(endpoint\)/)
  })

  // Replies of the wrong shape (null entries, tasks that are no list, a state that is no word) are
  // refused by the Jobs API model where they arrive: a clear error naming the call and the fix,
  // never a TypeError or [object Object].
  const malformed = (body: (path: string) => unknown) => async (call: (dbx: Target) => Promise<unknown>) => {
    const server = await scriptedServer(({ path }) => ({ status: 200, body: body(path) }))
    try {
      const error = await rejection(call(target({ api: server.url, host: server.url, job: 'train' })))
      assert.ok(error instanceof UserError && !isTransient(error), error.message)
      assert.match(error.message, /is not what it should be: .* Fix: check that host is the Databricks workspace URL/)
      assert.doesNotMatch(error.message, /\[object Object\]|undefined|TypeError/)
    } finally {
      await server.close()
    }
  }

  test('a job list or a job whose entries are null is a named refusal, not a TypeError', async () => {
    await malformed(() => ({ jobs: [null, { job_id: 7, settings: { name: 'train' } }], has_more: false }))((dbx) =>
      dbx.prepare!(request(), signal())
    )
  })

  test("a run whose tasks are no list, or whose state is not one of the model's words, is a named refusal", async () => {
    await malformed(() => ({ run_id: 5, tasks: 'train' }))((dbx) => dbx.metrics!({ runId: '5' }, signal()))
    await malformed(() => ({ run_id: 5, status: { state: { x: 1 } } }))((dbx) => dbx.status({ runId: '5' }, signal()))
    await malformed(() => ({
      run_id: 5,
      status: { state: 'TERMINATED', termination_details: { code: { x: 1 }, type: 5, message: { a: 1 } } }
    }))((dbx) => dbx.status({ runId: '5' }, signal()))
  })

  test("a server's words lose every form of the token before they enter a message", async () => {
    const server = await scriptedServer(() => ({
      status: 400,
      body: { error_code: 'INVALID_PARAMETER_VALUE', message: echoing(PAT) }
    }))
    try {
      const error = await rejection(target({ api: server.url, host: server.url, job: 1 }).prepare(request(), signal()))
      for (const form of secretForms(PAT)) assert.ok(!error.message.includes(form), form)
    } finally {
      await server.close()
    }
  })

  test('resolve: exactly one way to log in, https only, the workspace URL without a path', () => {
    const secrets = { env: { T: PAT, S: SP.clientSecret }, mask: () => undefined }
    const resolve = (config: Record<string, unknown>) =>
      resolveDatabricks(
        'dbx',
        { type: 'databricks', host: 'https://adb-1.2.azuredatabricks.net', ...config } as never,
        { inputs: { cancelOnTimeout: false }, secrets, maxParallel: 4 }
      )
    assert.throws(() => resolve({}), /no credentials\. Fix: set exactly one of token/)
    assert.throws(
      () => resolve({ token: 'env:T', 'client-secret': 'env:S', 'client-id': 'x' }),
      /token and client-secret are both set/
    )
    assert.throws(() => resolve({ 'client-secret': 'env:S' }), /client-secret without client-id/)
    assert.throws(() => resolve({ token: 'env:T', host: 'http://adb.example.com' }), /must use https/)
    assert.throws(
      () => resolve({ token: 'env:T', host: 'https://adb.example.com/?o=1' }),
      /has a path, query or fragment/
    )
    const m2m = resolve({ 'client-id': SP.clientId, 'client-secret': 'env:S', endpoint: 'https://10.0.0.5' })
    assert.deepEqual(
      [m2m.api, m2m.host, m2m.auth.kind],
      ['https://10.0.0.5', 'https://adb-1.2.azuredatabricks.net', 'm2m']
    )
  })
})

describe('databricks target: minted tokens', () => {
  async function connect(auth: ResolvedDatabricks['auth'], env: Record<string, string> = {}) {
    const deadline = new Deadline(realClock, 60_000)
    const masks: string[] = []
    const targets = await connectTargets(new Map([['dbx', resolved({ job: 101, auth })]]), {
      workspace: process.cwd(),
      tempDir: '/tmp',
      env,
      clock: realClock,
      deadline,
      mask: (secret) => masks.push(secret),
      log: () => undefined,
      provenance: []
    })
    return { dbx: targets.get('dbx')!, masks, dispose: () => deadline.dispose() }
  }
  const minted = () => fake.requests.filter((r) => r.path === '/oidc/v1/token')

  test('OAuth M2M: client_credentials with Basic client id and secret, scope all-apis; the token is masked and minted again before it expires', async () => {
    const before = minted().length
    const { dbx, masks, dispose } = await connect({ kind: 'm2m', ...SP, from: 'env:DATABRICKS_CLIENT_SECRET' })
    try {
      await dbx.prepare!(request(), signal())
      await dbx.status(await dbx.start(request(), signal()), signal())
      const calls = minted().slice(before)
      assert.equal(calls.length, 1, 'one token for three calls')
      assert.equal(
        calls[0]!.headers.authorization,
        `Basic ${Buffer.from(`${SP.clientId}:${SP.clientSecret}`).toString('base64')}`
      )
      assert.deepEqual(Object.fromEntries(new URLSearchParams(calls[0]!.body)), {
        scope: 'all-apis',
        grant_type: 'client_credentials'
      })
      const token = [...fake.minted.keys()].at(-1)!
      assert.ok(masks.includes(token), 'the minted token is masked')
      assert.equal(fake.requests.at(-1)!.headers.authorization, `Bearer ${token}`)
      // It lives 3 s: at 80 % of its life a new one is minted before any call meets a 401.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      await dbx.prepare!(request(), signal())
      await dbx.start(request(), signal())
      assert.equal(minted().length - before, 2)
      assert.ok(
        !fake.requests.slice(-2).some((r) => r.headers.authorization === `Bearer ${token}`),
        'the fresh token was used'
      )
    } finally {
      dispose()
    }
  })

  test('a wrong client secret names client-id and the secret variable, never the secret', async () => {
    const { dbx, dispose } = await connect({
      kind: 'm2m',
      clientId: SP.clientId,
      clientSecret: 'wrong-secret-value',
      from: 'env:DATABRICKS_CLIENT_SECRET'
    })
    try {
      const error = await rejection(dbx.prepare!(request(), signal()))
      assert.match(
        error.message,
        /OAuth M2M.*HTTP 401: invalid_client: Client authentication failed\. Fix: check client-id .* env:DATABRICKS_CLIENT_SECRET/
      )
      assert.ok(!error.message.includes('wrong-secret-value'))
    } finally {
      dispose()
    }
  })

  test("GitHub OIDC federation: the job's ID token for the policy's audience, asked only of GitHub, exchanged at /oidc/v1/token", async () => {
    const before = minted().length
    const { dbx, masks, dispose } = await connect(
      { kind: 'github-oidc', clientId: SP.clientId, audience: AUDIENCE },
      { ACTIONS_ID_TOKEN_REQUEST_URL: github.requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: ID_REQUEST_TOKEN }
    )
    try {
      await dbx.prepare!(request(), signal())
      const asked = github.requests.at(-1)!
      assert.equal(asked.authorization, `Bearer ${ID_REQUEST_TOKEN}`)
      assert.equal(new URL(asked.url, 'http://x').searchParams.get('audience'), AUDIENCE)
      const [exchange] = minted().slice(before)
      const form = Object.fromEntries(new URLSearchParams(exchange!.body))
      const jwt = [...github.issued].at(-1)!
      assert.deepEqual(form, {
        scope: 'all-apis',
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
        client_id: SP.clientId,
        subject_token: jwt
      })
      assert.equal(exchange!.headers.authorization, undefined)
      assert.ok(
        masks.includes(jwt) && masks.includes(ID_REQUEST_TOKEN) && masks.includes([...fake.minted.keys()].at(-1)!)
      )
      // The request token goes to GitHub only; the ID token to the workspace's token endpoint only.
      assert.ok(!JSON.stringify(fake.requests).includes(ID_REQUEST_TOKEN))
    } finally {
      dispose()
    }
  })

  test('a token reply under another status, or cut short, is never quoted: only OAuth error words are', async () => {
    const MINTED = 'eyJraWQi.mintedFuzzToken0123456789abcdef'
    const replies = [
      { status: 500, body: { access_token: MINTED, token_type: 'Bearer', expires_in: 3600 } },
      {
        status: 200,
        body: `{"access_token":"${MINTED}","token_type":"Be`,
        headers: { 'content-type': 'application/json' }
      },
      {
        status: 400,
        body: { error: 'invalid_request', error_description: `bad grant for ${MINTED}`, access_token: MINTED }
      }
    ]
    const server = await scriptedServer((_request, index) => replies[index]!)
    try {
      const auth = { kind: 'm2m' as const, ...SP, from: 'env:DATABRICKS_CLIENT_SECRET' }
      const messages: string[] = []
      for (const _reply of replies) {
        const token = new WorkspaceToken('dbx', server.url, auth, {}, realClock, () => undefined)
        messages.push((await rejection(token.get(signal()))).message)
      }
      assert.match(
        messages[0]!,
        /HTTP 500 with no error message \(a body of \d+ characters, not shown: it may hold a token\)/
      )
      assert.match(messages[1]!, /HTTP 200 with no error message/)
      assert.match(messages[2]!, /HTTP 400: invalid_request: bad grant for \*\*\*\. Fix: check client-id/)
      for (const message of messages)
        for (const form of secretForms(MINTED)) assert.ok(!message.includes(form), message)
    } finally {
      await server.close()
    }
  })

  test("the GitHub ID token's reply is never quoted when it holds no error message (a cut-short token)", async () => {
    const JWT = 'eyJhbGciOiJSUzI1NiJ9.githubIdTokenPart0123456789'
    const server = await scriptedServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: `{"count":1,"value":"${JWT}`
    }))
    try {
      const token = new WorkspaceToken(
        'dbx',
        'https://adb-1.2.azuredatabricks.net',
        { kind: 'github-oidc', clientId: SP.clientId, audience: AUDIENCE },
        { url: `${server.url}/token`, token: ID_REQUEST_TOKEN },
        realClock,
        () => undefined
      )
      const { message } = await rejection(token.get(signal()))
      assert.match(
        message,
        /GitHub ID token .*HTTP 200 from 127\.0\.0\.1:\d+ with no error message .*Fix: give the job permissions: id-token: write/
      )
      assert.ok(!message.includes(JWT), message)
    } finally {
      await server.close()
    }
  })

  test('federation without id-token: write says so', async () => {
    const { dbx, dispose } = await connect({ kind: 'github-oidc', clientId: SP.clientId, audience: AUDIENCE })
    try {
      assert.match(
        (await rejection(dbx.prepare!(request(), signal()))).message,
        /ACTIONS_ID_TOKEN_REQUEST_URL is not set.*Fix: give the job permissions: id-token: write/
      )
    } finally {
      dispose()
    }
  })
})

describe('databricks target: hostile and malformed replies', () => {
  /** A workspace whose every Jobs API path answers what `replies` scripts for it. */
  async function workspace(replies: Record<string, unknown>) {
    return scriptedServer((seen) => {
      const path = seen.path.replace(/\?.*$/, '').replace('/api/2.2/jobs/', '')
      return Object.hasOwn(replies, path) ? { status: 200, body: replies[path] } : { status: 404, body: {} }
    })
  }
  const on = (url: string, overrides: Partial<ResolvedDatabricks> = {}) =>
    target({ api: url, host: url, job: 101, ...overrides })
  const job = { job_id: 101, settings: { name: 'train', parameters: [{ name: 'lr', default: '0.1' }] } }
  const run = (status: unknown, extra: Record<string, unknown> = {}) => ({ job_id: 101, run_id: 5, status, ...extra })

  /** A final UserError that names the service, the call and the field, never a TypeError. */
  function named(error: Error, call: RegExp, field: RegExp) {
    assert.ok(error instanceof UserError, `a UserError, not ${error.name}: ${error.message}`)
    assert.ok(!isTransient(error))
    assert.match(error.message, /Databricks at 127\.0\.0\.1:\d+/)
    assert.match(error.message, call)
    assert.match(error.message, field)
    assert.match(error.message, /Fix: check that host is the Databricks workspace URL/)
  }

  test('a run without status, or with a state word outside the model, is an error, not "running" until the timeout', async () => {
    for (const [reply, field] of [
      [{}, /status should be object, but is missing/],
      [run({ state: 'EXPLODED' }), /status\.state should be .*"TERMINATED".*not "EXPLODED"/],
      [run({ state: 7 }), /status\.state should be .*not 7/]
    ] as const) {
      const server = await workspace({ 'runs/get': reply })
      try {
        named(await rejection(on(server.url).status({ runId: '5' }, signal())), /reading run 5/, field)
      } finally {
        await server.close()
      }
    }
  })

  test('null entries, wrong types and fractional ids in jobs/list, jobs/get, run-now and runs/get are named, never a TypeError', async () => {
    const cases: [Record<string, unknown>, (t: DatabricksTarget) => Promise<unknown>, RegExp, RegExp][] = [
      [
        { list: { jobs: [null] } },
        (t) => t.prepare(request(), signal()),
        /looking up job "train"/,
        /jobs\.0 should be object/
      ],
      [
        { get: { job_id: 101, settings: { parameters: [null] } } },
        (t) => t.prepare(request(), signal()),
        /reading job 101/,
        /settings\.parameters\.0/
      ],
      [
        { get: job, 'run-now': { run_id: 1.5 } },
        (t) => t.start(request(), signal()),
        /starting job train/,
        /run_id should be/
      ],
      [
        { get: job, 'run-now': { run_id: '12' } },
        (t) => t.start(request(), signal()),
        /starting job train/,
        /run_id should be number/
      ],
      [
        { 'runs/get': run({ state: 'TERMINATED' }, { tasks: 'train' }) },
        (t) => t.metrics!({ runId: '5' }, signal()),
        /reading the tasks of run 5/,
        /tasks should be array/
      ]
    ]
    for (const [replies, call, what, field] of cases) {
      const server = await workspace(replies)
      try {
        const t = on(server.url, replies.list ? { job: 'train' } : {})
        named(await rejection(call(t)), what, field)
      } finally {
        await server.close()
      }
    }
    function request() {
      return runRequest({
        target: 'dbx',
        parameters: { lr: 0.01 },
        idempotencyKey: 'pt-0123456789abcdef0123456789abcdef'
      })
    }
  })

  test("prepare takes a jobs/get reply only when it is the job asked about: a proxy's {} or another job is an error", async () => {
    for (const [reply, said] of [
      [{}, /job_id should be number, but is missing/],
      [{ job_id: 102, settings: { name: 'twin' } }, /answered about job 102/]
    ] as const) {
      const server = await workspace({ get: reply })
      try {
        const error = await rejection(on(server.url).prepare(runRequest({ target: 'dbx', parameters: {} }), signal()))
        assert.ok(error instanceof UserError, error.message)
        assert.match(error.message, /reading job 101/)
        assert.match(error.message, said)
        assert.match(error.message, /Fix: check that host is the Databricks workspace URL/)
      } finally {
        await server.close()
      }
    }
  })

  test('a huge reply is cut off at 1 MiB with an error naming the call, the workspace and the fix', async () => {
    const server = await workspace({
      'runs/get': { status: { state: 'RUNNING' }, padding: 'x'.repeat(2 * 1024 * 1024) }
    })
    try {
      const error = await rejection(on(server.url).status({ runId: '5' }, signal()))
      assert.ok(error instanceof UserError)
      assert.match(
        error.message,
        /^dbx: reading run 5: the reply from 127\.0\.0\.1:\d+\/api\/2\.2\/jobs\/runs\/get \(HTTP 200\) is larger than 1024 KiB, the most the action reads\. Fix: check that the URL is the service's API/
      )
    } finally {
      await server.close()
    }
  })

  test('a run reply echoing the token puts it in neither the check run text nor its link', async () => {
    const server = await workspace({
      'runs/get': run(
        {
          state: 'TERMINATED',
          termination_details: { code: 'RUN_EXECUTION_ERROR', type: 'CLIENT_ERROR', message: echoing(PAT) }
        },
        { run_page_url: `https://evil.example/?t=${PAT}` }
      )
    })
    try {
      const state = await on(server.url).status({ runId: '5', runUrl: `${server.url}/jobs/101/runs/5` }, signal())
      assert.equal(state.status, 'failed')
      assert.equal(state.runUrl, `${server.url}/jobs/101/runs/5`, 'the link start made, not the echoing one')
      for (const form of secretForms(PAT)) assert.ok(!JSON.stringify(state).includes(form), form)
      assert.match(state.message!, /RUN_EXECUTION_ERROR, CLIENT_ERROR\): form0=\*\*\*/)
      const coded = await workspace({
        'runs/get': run({ state: 'TERMINATED', termination_details: { code: `E-${PAT}` } })
      })
      try {
        const echoed = await on(coded.url).status({ runId: '5' }, signal())
        assert.deepEqual([echoed.status, echoed.detail], ['failed', 'E-***'])
        assert.ok(!JSON.stringify(echoed).includes(PAT))
      } finally {
        await coded.close()
      }
    } finally {
      await server.close()
    }
  })
})

describe('databricks target: a token reply cut short or refused never quotes its token', () => {
  const MINTED = 'dapiMINTEDTOKEN0123456789abcdefXYZ'
  const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOm9jdG8ifQ.c2lnbmF0dXJlMDEyMzQ1Njc4OQ'
  const half = (token: string) => token.slice(0, 20)
  const source = (url: string, auth: ConstructorParameters<typeof WorkspaceToken>[2], idUrl?: string) =>
    new WorkspaceToken('dbx', url, auth, { url: idUrl, token: ID_REQUEST_TOKEN }, realClock, () => undefined)

  test('OAuth M2M: a 200 cut short mid-token, and a 500 carrying a token, are quoted without it', async () => {
    for (const answer of [
      { status: 200, body: `{"access_token":"${half(MINTED)}`, headers: { 'content-type': 'application/json' } },
      { status: 500, body: { access_token: MINTED, refresh_token: `${MINTED}-r`, expires_in: 3600 } }
    ]) {
      const server = await scriptedServer(() => answer)
      try {
        const error = await rejection(
          source(server.url, { kind: 'm2m', ...SP, from: 'env:DATABRICKS_CLIENT_SECRET' }).get(signal())
        )
        assert.match(error.message, /OAuth M2M.*HTTP (200|500)/)
        assert.ok(!error.message.includes(half(MINTED)), error.message)
      } finally {
        await server.close()
      }
    }
  })

  test("federation: GitHub's ID token reply cut short mid-token is quoted without it", async () => {
    const github = await scriptedServer(() => ({ status: 200, body: `{"count":1,"value":"${half(ID_TOKEN)}` }))
    try {
      const error = await rejection(
        source(
          github.url,
          { kind: 'github-oidc', clientId: SP.clientId, audience: AUDIENCE },
          `${github.url}/token?api-version=2.0`
        ).get(signal())
      )
      assert.match(error.message, /GitHub ID token .*HTTP 200/)
      assert.ok(!error.message.includes(half(ID_TOKEN)), error.message)
    } finally {
      await github.close()
    }
  })

  test('a token whose expires_in is absurd (1e400 is Infinity in JSON) is still minted again after a day, not kept forever', async () => {
    let minted = 0
    const server = await scriptedServer(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: `{"access_token":"dapiMINTED${minted++}-0123456789","token_type":"Bearer","expires_in":1e400}`
    }))
    let now = 0
    const clock = { ...realClock, now: () => now }
    try {
      const tokens = new WorkspaceToken(
        'dbx',
        server.url,
        { kind: 'm2m', ...SP, from: 'env:DATABRICKS_CLIENT_SECRET' },
        {},
        clock,
        () => undefined
      )
      assert.equal(await tokens.get(signal()), 'dapiMINTED0-0123456789')
      now = 23 * 3600_000
      assert.equal(await tokens.get(signal()), 'dapiMINTED0-0123456789')
      now = 25 * 3600_000
      assert.equal(await tokens.get(signal()), 'dapiMINTED1-0123456789')
    } finally {
      await server.close()
    }
  })
})
