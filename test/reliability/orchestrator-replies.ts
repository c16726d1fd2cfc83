/**
 * The prefect, airflow and dagster targets fed spoiled server replies, in-process (one call each,
 * no retries). The unspoiled exchange is what each real server answered, as the unit tests replay
 * it: test/fixtures/prefect/recorded-replies.json (Prefect 3.9.1), test/fixtures/airflow/replies.json
 * (Airflow 3.3.2) and test/fixtures/dagster/recorded-replies.ts (dagster dev 1.13.28), served by a
 * scripted loopback server that spoils exactly one reply of each case (spoilReply). Each target is
 * resolved from a config whose credential comes from the environment, as in a workflow, and no
 * message, state or reading may hold that credential in any of its forms.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { Deadline, realClock } from '../../src/clock.js'
import { AirflowApi, mintToken } from '../../src/targets/airflow/airflow-api.js'
import { AirflowTarget } from '../../src/targets/airflow/airflow-target.js'
import { MintedToken } from '../../src/targets/airflow/minted-token.js'
import { resolveAirflow } from '../../src/targets/airflow/resolve.js'
import { schema as airflowSchema } from '../../src/targets/airflow/schema.js'
import { DagsterTarget } from '../../src/targets/dagster/dagster-target.js'
import { DagsterGraphql } from '../../src/targets/dagster/graphql-client.js'
import { resolveDagster } from '../../src/targets/dagster/resolve.js'
import { schema as dagsterSchema } from '../../src/targets/dagster/schema.js'
import { PrefectApi } from '../../src/targets/prefect/prefect-api.js'
import { PrefectTarget } from '../../src/targets/prefect/prefect-target.js'
import { resolvePrefect } from '../../src/targets/prefect/resolve.js'
import { schema as prefectSchema } from '../../src/targets/prefect/schema.js'
import { RECORDED as DAGSTER } from '../fixtures/dagster/recorded-replies.js'
import { ROOT } from '../helpers/run-action.js'
import { runRequest } from '../helpers/run-request.js'
import { scriptedServer, secretForms, type SeenRequest } from '../helpers/scripted-server.js'
import { spoilReply, spoils, type Spoil } from './server-replies.js'

interface Recorded {
  status: number
  body: unknown
}
type Recording = Record<string, Recorded>

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as Recording
const PREFECT = read('test/fixtures/prefect/recorded-replies.json')
const AIRFLOW = read('test/fixtures/airflow/replies.json')

/** The credentials, each with characters that change in every encoding. */
const AUTH_STRING = 'ci:fuzz/"s3cr3t"+pass=9'
const PASSWORD = 'fuzz/"pa55"+word=3'
/** What /auth/token answers (the simple auth manager's 201 {access_token}); a secret too. */
const MINTED = 'eyJhbGciOiJIUzUxMiJ9.fuzz-minted/"token"+9'
const API_TOKEN = 'dagster+"fuzz"/token=42'
const ENV = { PREFECT_AUTH: AUTH_STRING, AIRFLOW_PASSWORD: PASSWORD, DAGSTER_TOKEN: API_TOKEN }

const resolveContext = { inputs: { cancelOnTimeout: false }, secrets: { env: ENV, mask: () => {} }, maxParallel: 1 }
const ok = (body: unknown): Recorded => ({ status: 200, body })

/**
 * A loopback server answering each request with `answer`'s recorded reply, but the `spoil.reply`-th
 * of the case as `spoil` says. A request no route knows (a spoiled id took it elsewhere) is a 404.
 */
async function spoilingServer(answer: (request: SeenRequest, variant: string) => Recorded | undefined) {
  let spoil: Spoil | undefined
  let variant = ''
  let replies = 0
  const server = await scriptedServer((request) => {
    const index = replies++
    const recorded = answer(request, variant) ?? { status: 404, body: { detail: 'Not Found' } }
    const real = { status: recorded.status, text: JSON.stringify(recorded.body) }
    const sent = spoil && index === spoil.reply ? spoilReply(real.status, real.text, spoil) : real
    // Kept for no case: thousands of cases would hold every request in memory.
    server.requests.length = 0
    return { status: sent.status, headers: { 'content-type': 'application/json' }, body: sent.text }
  })
  return {
    url: server.url,
    next(value: Spoil | undefined, kind: string) {
      spoil = value
      variant = kind
      replies = 0
    },
    close: () => server.close()
  }
}

/** What a case's calls returned (states, readings), for the judge to look through for a credential. */
type Outcome = unknown[]

interface Exchange {
  name: string
  /** How the run ends on the server, each a recorded exchange of its own. */
  variants: string[]
  /** Replies in the longest exchange. */
  replies: number
  secrets: string[]
  answer(request: SeenRequest, variant: string): Recorded | undefined
  /** The calls the executor makes, once each; what they returned. */
  run(url: string, variant: string, signal: AbortSignal): Promise<Outcome>
  /** What the unspoiled exchange ends in, per variant: proof the recording is served as the server gave it. */
  expect: Record<string, RegExp>
}

const prefect: Exchange = {
  name: 'prefect',
  // completed: its metrics are read; failed; running: the deadline passed, so it is cancelled.
  variants: ['completed', 'failed', 'running'],
  replies: 4,
  secrets: [AUTH_STRING],
  answer({ method, path }, variant) {
    if (method === 'GET' && path === '/api/deployments/name/train/ci') return PREFECT.deployment
    if (method === 'POST' && /^\/api\/deployments\/[^/]+\/create_flow_run$/.test(path)) return PREFECT.created
    if (method === 'GET' && /^\/api\/flow_runs\/[^/]+$/.test(path))
      return PREFECT[{ completed: 'runCompleted', failed: 'runFailed', running: 'runRunning' }[variant]!]
    if (method === 'POST' && path === '/api/artifacts/filter') return PREFECT.artifacts
    if (method === 'POST' && /^\/api\/flow_runs\/[^/]+\/set_state$/.test(path)) return PREFECT.cancelRunning
    return undefined
  },
  async run(url, variant, signal) {
    const resolved = resolvePrefect(
      'prefect',
      prefectSchema.parse({
        type: 'prefect',
        url: `${url}/api`,
        deployment: 'train/ci',
        'auth-string': 'env:PREFECT_AUTH'
      }),
      resolveContext
    )
    const target = new PrefectTarget(resolved, new PrefectApi(resolved, realClock), ['github-actions'])
    const request = runRequest({ target: 'prefect', parameters: { learning_rate: 0.01, epochs: 3 } })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    if (variant === 'running') return [state, await target.cancel(handle, signal)]
    return [state, state.status === 'completed' ? await target.metrics(handle, signal) : undefined]
  },
  expect: {
    completed: /"status":"completed".*"accuracy"/,
    failed: /"status":"failed"/,
    running: /"status":"running"/
  }
}

const airflow: Exchange = {
  name: 'airflow',
  // success: its metrics are read; failed: the failed tasks are read; unpause: a paused DAG, unpause: true.
  variants: ['success', 'failed', 'unpause'],
  replies: 6,
  secrets: [PASSWORD, MINTED],
  answer({ method, path }, variant) {
    if (method === 'POST' && path === '/auth/token') return { status: 201, body: { access_token: MINTED } }
    if (method === 'GET' && path === '/api/v2/dags/train/details')
      return { status: 200, body: { ...(AIRFLOW.details!.body as object), is_paused: variant === 'unpause' } }
    if (method === 'PATCH' && path === '/api/v2/dags/train') return AIRFLOW.unpaused
    if (method === 'POST' && path === '/api/v2/dags/train/dagRuns') return AIRFLOW.started
    if (method === 'GET' && /^\/api\/v2\/dags\/train\/dagRuns\/[^/]+$/.test(path))
      return variant === 'failed' ? AIRFLOW.failed : AIRFLOW.succeeded
    if (method === 'GET' && /^\/api\/v2\/dags\/train\/dagRuns\/[^/]+\/taskInstances\?state=failed$/.test(path))
      return AIRFLOW.failedTasks
    if (method === 'GET' && /\/taskInstances\/train\/xcomEntries\/return_value$/.test(path)) return AIRFLOW.xcom
    return undefined
  },
  async run(url, variant, signal) {
    const resolved = resolveAirflow(
      'airflow',
      airflowSchema.parse({
        type: 'airflow',
        url,
        dag: 'train',
        username: 'ci',
        password: 'env:AIRFLOW_PASSWORD',
        'metrics-task': 'train',
        unpause: variant === 'unpause'
      }),
      resolveContext
    )
    if (resolved.auth.kind !== 'login') throw new Error('the fuzz config logs in with username + password')
    const { username, password } = resolved.auth
    // As connectAirflow logs in, but once: no retry, no shared login.
    const login = (s: AbortSignal) => mintToken(resolved.base, username, password, s, realClock)
    const api = new AirflowApi(resolved.base, new MintedToken(login(signal), login), [password], realClock)
    const target = new AirflowTarget(resolved, api)
    const request = runRequest({
      target: 'airflow',
      pipelineName: 'train',
      parameters: { learning_rate: 0.01 },
      idempotencyKey: 'pt-0123456789abcdef0123456789abcdef'
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    return [state, state.status === 'completed' ? await target.metrics!(handle, signal) : undefined]
  },
  expect: {
    success: /"status":"completed".*"accuracy"/,
    failed: /"status":"failed".*failed tasks: train/,
    unpause: /"status":"completed"/
  }
}

const dagster: Exchange = {
  name: 'dagster',
  // SUCCESS: found by its tag and its metrics read; FAILURE: the reason from its events.
  variants: ['SUCCESS', 'FAILURE'],
  replies: 5,
  secrets: [API_TOKEN],
  answer({ json }, variant) {
    const query = (json as { query?: unknown } | undefined)?.query
    const operation = typeof query === 'string' ? /(?:query|mutation) (PipelineTrigger\w+)/.exec(query)?.[1] : undefined
    switch (operation) {
      case 'PipelineTriggerPrepare':
        return ok(DAGSTER.prepareValid)
      case 'PipelineTriggerWorkspace':
        return ok(DAGSTER.workspace())
      case 'PipelineTriggerLaunch':
        return ok(DAGSTER.launched)
      case 'PipelineTriggerRun':
        return ok(DAGSTER.run(variant))
      case 'PipelineTriggerFind':
        return ok(DAGSTER.found)
      case 'PipelineTriggerEvents':
        return ok(variant === 'SUCCESS' ? DAGSTER.successEvents : DAGSTER.failureEvents)
      default:
        return undefined
    }
  },
  async run(url, _variant, signal) {
    const resolved = resolveDagster(
      'dagster',
      dagsterSchema.parse({
        type: 'dagster',
        url,
        location: 'train_job.py',
        op: 'train',
        'api-token': 'env:DAGSTER_TOKEN'
      }),
      resolveContext
    )
    const api = new DagsterGraphql(
      { name: resolved.name, base: resolved.base, ...(resolved.apiToken ? { apiToken: resolved.apiToken } : {}) },
      realClock
    )
    const target = new DagsterTarget(resolved, api, ['github-actions'])
    const request = runRequest({
      target: 'dagster',
      pipelineName: 'train_job',
      parameters: { learning_rate: 0.02, epochs: 3 }
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    const found = await target.find(request, signal)
    return [state, found, state.status === 'completed' ? await target.metrics(handle, signal) : undefined]
  },
  expect: {
    SUCCESS: /"status":"completed".*"train::accuracy"/,
    FAILURE: /"status":"failed".*failing on purpose/
  }
}

/** One case: the exchange under a short deadline of its own. */
async function once(exchange: Exchange, url: string, variant: string): Promise<Outcome> {
  const deadline = new Deadline(realClock, 10_000)
  try {
    return await exchange.run(url, variant, deadline.signal)
  } finally {
    deadline.dispose()
  }
}

/** Runs `judge` over `count` spoiled exchanges of each of prefect, airflow and dagster. */
export async function fuzzOrchestratorReplies(
  seed: number,
  count: number,
  jsonish: fc.Arbitrary<unknown>,
  judge: (what: string, body: () => Promise<unknown>, secrets: string[]) => Promise<void>
): Promise<void> {
  for (const [n, exchange] of [prefect, airflow, dagster].entries()) {
    const server = await spoilingServer((request, variant) => exchange.answer(request, variant))
    const secrets = exchange.secrets.flatMap(secretForms)
    // The unspoiled exchange first: a recording the target no longer reads would make every case a refusal.
    for (const variant of exchange.variants) {
      server.next(undefined, variant)
      const outcome = JSON.stringify(await once(exchange, server.url, variant))
      if (!exchange.expect[variant]!.test(outcome))
        throw new Error(`${exchange.name} ${variant}: the unspoiled recorded exchange ended in ${outcome}`)
    }
    const cases = fc.tuple(spoils(jsonish, exchange.replies), fc.constantFrom(...exchange.variants))
    for (const [i, [spoil, variant]] of fc.sample(cases, { numRuns: count, seed: seed + 7 + n }).entries()) {
      server.next(spoil, variant)
      await judge(
        `${exchange.name} ${variant} reply #${i} (${spoil.kind} of reply ${spoil.reply})`,
        () => once(exchange, server.url, variant),
        secrets
      )
    }
    await server.close()
  }
}
