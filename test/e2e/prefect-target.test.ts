/**
 * The prefect target through the bundle, against a REAL Prefect 3.9.1 server (.venv-prefect, HTTP
 * Basic auth, loopback) and the fixture flow served beside it by `flow.serve()` (polling every
 * second): one server and one runner for the whole file. GitHub is the fake of its checks API,
 * validated against @octokit/openapi.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { fakeGitHubForLaterPass, type FakeChecks } from '../helpers/fake-github-checks.js'
import { faultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { startPrefectServer, type PrefectServer } from '../helpers/prefect-server.js'
import { ROOT, runAction } from '../helpers/run-action.js'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'

const TOKEN = 'ghs_prefectTriggerToken0123456789abcdefAB'
const LATER_TOKEN = 'ghs_prefectLaterToken0123456789abcdefABCD'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'e'.repeat(40)
const FLOW = join(ROOT, 'test/fixtures/prefect/train_flow.py')

interface FlowRun {
  id: string
  name: string
  parameters: Record<string, unknown>
  tags: string[]
  idempotency_key: string | null
  state: { type: string; name: string }
}

let prefect: PrefectServer
let github: FakeChecks | undefined
let proxy: FaultProxy | undefined

before(async () => {
  prefect = await startPrefectServer()
  await prefect.serve(FLOW, 'train/ci')
})
after(async () => {
  await prefect?.stop()
})
afterEach(async () => {
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    // Neither the auth string nor its Basic encoding reaches GitHub.
    for (const secret of [prefect.authString, prefect.authorization.slice('Basic '.length)])
      assert.ok(!JSON.stringify(github.requests).includes(secret), 'the credentials never reach GitHub')
  }
  await Promise.all([github?.close(), proxy?.close()])
  github = proxy = undefined
})

/** Every flow run the server has, oldest first. */
const flowRuns = () => prefect.api<FlowRun[]>('POST', '/flow_runs/filter', { sort: 'EXPECTED_START_TIME_ASC' })

async function fakeGitHub(): Promise<FakeChecks> {
  github = await fakeGitHubForLaterPass(REPOSITORY, TOKEN, LATER_TOKEN)
  return github
}

/** A workspace whose config has the prefect target (keys laid over the defaults) and one pipeline with these parameters. */
function workspace(parameters: Record<string, unknown>, keys: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-prefect-e2e-'))
  mkdirSync(join(dir, '.github'))
  const target = {
    type: 'prefect',
    url: prefect.url,
    deployment: 'train/ci',
    'auth-string': 'env:PREFECT_AUTH',
    ...keys
  }
  writeFileSync(
    join(dir, '.github/pipeline-triggers.yml'),
    [
      'version: 1',
      'targets:',
      `  prefect: ${JSON.stringify(target)}`,
      'pipelines:',
      `  training_pipeline: {target: prefect, parameters: ${JSON.stringify(parameters)}, gates: ['accuracy >= 0.85'], on: {workflow_dispatch: {}}}`,
      ''
    ].join('\n')
  )
  return dir
}

function trigger(dir: string, inputs: Record<string, string> = {}) {
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = {}
  return runAction({
    eventName: 'workflow_dispatch',
    payload,
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'auto', timeout: '2m', ...inputs },
    env: { GITHUB_API_URL: github!.url, PREFECT_AUTH: prefect.authString }
  })
}

describe('prefect target against a real Prefect 3 server and a served flow', () => {
  test('success: typed parameters reach the flow, its metrics artifact is read back and the gate decides the check run', async () => {
    const github = await fakeGitHub()
    const before = (await flowRuns()).length
    const result = await trigger(workspace({ learning_rate: 0.05, epochs: 3 }))
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const runs = await flowRuns()
    assert.equal(runs.length, before + 1, 'one flow run')
    const run = runs.at(-1)!
    assert.equal(run.state.type, 'COMPLETED')
    assert.deepEqual(run.parameters, { learning_rate: 0.05, epochs: 3 }, 'numbers stay numbers')
    assert.match(run.idempotency_key ?? '', /^pt-[0-9a-f]{32}$/, "the action's idempotency key")
    assert.ok(run.tags.includes('pipeline-trigger') && run.tags.includes(`repo:${REPOSITORY}`), run.tags.join(' '))
    assert.ok(
      run.tags.some((tag) => tag.startsWith('pipeline-chain-depth:')),
      'the chain context as tags'
    )
    const check = github.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success', 'accuracy >= 0.85 passed')
    assert.equal(readMetricsRecord(check.output.text)?.metrics.accuracy, 0.853)
    assert.equal(readMetricsRecord(check.output.text)?.metrics.epochs, 3)
    assert.equal(check.details_url, `${prefect.url.replace(/\/api$/, '')}/runs/flow-run/${run.id}`)
    assert.equal(result.outputs.status, 'completed')
  })

  test("failure: the flow's exception fails the check run with Prefect's own words", async () => {
    const github = await fakeGitHub()
    const result = await trigger(workspace({ fail: true }))
    assert.equal(result.exitCode, 1, result.stdout)
    const check = github.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(check.output.title ?? '', /Prefect reports Failed \(FAILED\): .*RuntimeError: asked to fail/)
    assert.equal((await flowRuns()).at(-1)!.state.type, 'FAILED')
  })

  test("a parameter of the wrong type or name is refused before any run starts, naming the flow's parameters", async () => {
    await fakeGitHub()
    const before = (await flowRuns()).length
    const typed = await trigger(workspace({ learning_rate: 'abc' }))
    assert.equal(typed.exitCode, 1, typed.stdout)
    assert.match(
      typed.stdout,
      /prefect: deployment train\/ci on http:\/\/127\.0\.0\.1:\d+\/api: parameter learning_rate is "abc" \(string\), but the flow takes number\. Fix:/
    )
    const named = await trigger(workspace({ learning_rat: 0.1 }))
    assert.equal(named.exitCode, 1, named.stdout)
    assert.match(
      named.stdout,
      /the flow has no parameter "learning_rat" \(it takes: learning_rate, epochs, fail, sleep_s\)/
    )
    assert.equal((await flowRuns()).length, before, 'no flow run was made')
  })

  test('a deployment nothing serves (NOT_READY) is refused before any start, with the fix', async () => {
    await fakeGitHub()
    const { flow_id } = await prefect.api<{ flow_id: string }>('GET', '/deployments/name/train/ci')
    await prefect.api('POST', '/deployments/', { name: 'unserved', flow_id })
    const before = (await flowRuns()).length
    const result = await trigger(workspace({}, { deployment: 'train/unserved' }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /deployment train\/unserved on http:\/\/127\.0\.0\.1:\d+\/api is NOT_READY: .*never run\. Fix: start the worker or the `serve\(\)` process, or resume the deployment/
    )
    assert.equal((await flowRuns()).length, before, 'no flow run was made, so none sits Late')
  })

  test('a paused deployment is refused before any start, with the fix (resumed after, for the tests that follow)', async () => {
    await fakeGitHub()
    const { id } = await prefect.api<{ id: string }>('GET', '/deployments/name/train/ci')
    await prefect.api('POST', `/deployments/${id}/pause_deployment`)
    const before = (await flowRuns()).length
    try {
      const result = await trigger(workspace({}))
      assert.equal(result.exitCode, 1, result.stdout)
      assert.match(
        result.stdout,
        /deployment train\/ci on http:\/\/127\.0\.0\.1:\d+\/api is paused: a run started now would sit Scheduled, then Late, and never run\. Fix: start the worker or the `serve\(\)` process, or resume the deployment/
      )
      assert.equal((await flowRuns()).length, before, 'no flow run was made')
    } finally {
      await prefect.api('POST', `/deployments/${id}/resume_deployment`)
    }
  })

  test('wrong credentials: 401 named with the fix, and the secret in no message', async () => {
    await fakeGitHub()
    const dir = workspace({})
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = {}
    const result = await runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: dir,
      repository: REPOSITORY,
      sha: SHA,
      ref: 'refs/heads/main',
      inputs: { token: TOKEN, verdict: 'auto', timeout: '1m' },
      env: { GITHUB_API_URL: github!.url, PREFECT_AUTH: 'ci:wrong-password-0123' }
    })
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /HTTP 401: Unauthorized\. Fix: the server refused the credentials: check the secret behind auth-string/,
      result.stdout
    )
    // The secret and its Basic encoding reach the log only in ::add-mask::, which the runner consumes to hide them.
    const basic = Buffer.from('ci:wrong-password-0123').toString('base64')
    assert.deepEqual(
      result.stdout.split('\n').filter((line) => line.includes('wrong-password-0123') || line.includes(basic)),
      ['::add-mask::ci:wrong-password-0123', `::add-mask::${basic}`]
    )
  })

  test('wait: false leaves the check run open; a reconcile pass asks Prefect by the run id and completes it with the metrics', async () => {
    const github = await fakeGitHub()
    const dir = workspace({ learning_rate: 0.02 })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    const open = github.checkRuns[0]!.current
    assert.equal(open.status, 'in_progress')
    const run = (await flowRuns()).at(-1)!
    assert.equal(open.external_id, `pt1|prefect|prefect|${run.id}`)
    github.seedWorkflowRun({ id: 9200, head_sha: SHA, created_at: new Date().toISOString() })
    for (let i = 0; i < 60; i++) {
      const { state } = await prefect.api<FlowRun>('GET', `/flow_runs/${run.id}`)
      if (state.type === 'COMPLETED') break
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    const later = await runAction({
      eventName: 'schedule',
      payload: { schedule: '*/10 * * * *', repository: { full_name: REPOSITORY } },
      workspace: dir,
      repository: REPOSITORY,
      sha: 'f'.repeat(40),
      ref: 'refs/heads/main',
      inputs: { token: LATER_TOKEN, mode: 'reconcile' },
      env: { GITHUB_API_URL: github.url, PREFECT_AUTH: prefect.authString }
    })
    assert.equal(later.exitCode, 0, later.stdout)
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'failure', 'accuracy >= 0.85 failed on 0.821')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.accuracy, 0.821)
  })

  test('the deadline cancels a running flow run (cancel-on-timeout): Prefect ends it CANCELLED', async () => {
    const github = await fakeGitHub()
    const result = await trigger(workspace({ sleep_s: 60 }, { 'cancel-on-timeout': true }), { timeout: '10s' })
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(github.checkRuns[0]!.current.conclusion, 'timed_out', result.stdout)
    const run = (await flowRuns()).at(-1)!
    for (let i = 0; i < 40; i++) {
      const { state } = await prefect.api<FlowRun>('GET', `/flow_runs/${run.id}`)
      if (state.type === 'CANCELLED') return
      assert.ok(['CANCELLING', 'RUNNING', 'PENDING', 'SCHEDULED'].includes(state.type), state.type)
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    assert.fail('the flow run did not end CANCELLED')
  })

  test("a start whose answer was lost is sent again with the same idempotency key: the server's 200 names the same run, one run in all", async () => {
    const github = await fakeGitHub()
    proxy = await faultProxy(
      'lose',
      (method, path) => method === 'POST' && path.endsWith('/create_flow_run') && proxy!.faulted === 0,
      prefect.url.replace(/\/api$/, '')
    )
    const before = (await flowRuns()).length
    const result = await trigger(workspace({ epochs: 2 }, { url: `${proxy.url}/api` }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1, 'the first answer was lost after the server made the run')
    assert.equal((await flowRuns()).length, before + 1, 'one flow run in all')
    assert.equal(github.checkRuns.length, 1)
    assert.equal(github.checkRuns[0]!.current.conclusion, 'success')
  })
})
