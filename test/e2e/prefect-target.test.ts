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
import { extendChain, type ChainContext } from '../../src/core/chain.js'
import { chainTags } from '../../src/zenml/run-tags.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

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

function trigger(dir: string, inputs: Record<string, string> = {}, dispatchInputs: Record<string, string> = {}) {
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = dispatchInputs
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
    // The step continues a chain an upstream workflow started (its pipeline-context output, passed on).
    const upstream: ChainContext = {
      root: 'https://github.com/octo-org/data-repo/actions/runs/77',
      depth: 1,
      chain: ['ingest']
    }
    const result = await trigger(
      workspace({ learning_rate: 0.05, epochs: 3 }),
      {},
      { 'pipeline-context': JSON.stringify(upstream) }
    )
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const runs = await flowRuns()
    assert.equal(runs.length, before + 1, 'one flow run')
    const run = runs.at(-1)!
    assert.equal(run.state.type, 'COMPLETED')
    assert.deepEqual(run.parameters, { learning_rate: 0.05, epochs: 3 }, 'numbers stay numbers')
    assert.match(run.idempotency_key ?? '', /^pt-[0-9a-f]{32}$/, "the action's idempotency key")
    assert.ok(run.tags.includes('pipeline-trigger') && run.tags.includes(`repo:${REPOSITORY}`), run.tags.join(' '))
    const chain = chainTags(extendChain(upstream, ['training_pipeline']))
    assert.deepEqual(chain, [`pipeline-chain-root:${upstream.root}`, 'pipeline-chain-depth:2'])
    assert.deepEqual(
      run.tags.filter((tag) => tag.startsWith('pipeline-chain-')).sort(),
      chain.sort(),
      'the chain context as tags on the flow run: the upstream root, one level deeper'
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
    const later = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github,
      token: LATER_TOKEN,
      env: { PREFECT_AUTH: prefect.authString }
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
  test('dry-run: check asks the server whether the run would start and starts nothing; a refused request fails the step with the error', async () => {
    const github = await fakeGitHub()
    const before = (await flowRuns()).length
    const good = await trigger(workspace({ learning_rate: 0.05 }), { 'dry-run': 'check' })
    assert.equal(good.exitCode, 0, good.stdout)
    assert.match(good.stdout, /Checked on target prefect: 1 run\(s\) would start; nothing was started\./)
    const typed = await trigger(workspace({ learning_rate: 'abc' }), { 'dry-run': 'check' })
    assert.equal(typed.exitCode, 1, typed.stdout)
    assert.match(typed.stdout, /parameter learning_rate is "abc" \(string\), but the flow takes number\. Fix:/)
    const unknown = await trigger(workspace({}, { deployment: 'train/nightly' }), { 'dry-run': 'check' })
    assert.equal(unknown.exitCode, 1, unknown.stdout)
    assert.match(unknown.stdout, /answered HTTP 404: Deployment not found\. Fix: no deployment train\/nightly there/)
    assert.equal((await flowRuns()).length, before, 'no flow run was made')
    assert.equal(github.checkRuns.length, 0, 'a dry run opens no check run')
  })

  test('work-queue: a queue of the pool that is paused, polled by nothing or missing is refused before any start, with the fix; a polled one passes', async () => {
    await fakeGitHub()
    // flow.serve() deployments have no work pool, so work-queue cannot apply to train/ci: the pool, its
    // queues and a deployment on it are made through the API, and a worker's poll is played by
    // get_scheduled_flow_runs, which is what a worker calls.
    const served = await prefect.api<{
      flow_id: string
      parameter_openapi_schema: unknown
      work_pool_name: string | null
    }>('GET', '/deployments/name/train/ci')
    assert.equal(served.work_pool_name, null, 'a serve() deployment has no work pool')
    await prefect.api('POST', '/work_pools/', { name: 'gpu-pool', type: 'process' })
    await prefect.api('POST', '/deployments/', {
      name: 'pooled',
      flow_id: served.flow_id,
      work_pool_name: 'gpu-pool',
      work_queue_name: 'default',
      parameter_openapi_schema: served.parameter_openapi_schema,
      enforce_parameter_schema: true
    })
    for (const name of ['gpu', 'idle']) await prefect.api('POST', '/work_pools/gpu-pool/queues', { name })
    const queueNames = async () =>
      (await prefect.api<{ name: string }[]>('POST', '/work_pools/gpu-pool/queues/filter', {}))
        .map((q) => q.name)
        .sort()
    /** A worker polls default and gpu; the server marks them and the deployment READY in the background. */
    const poll = async () => {
      await prefect.api('POST', '/work_pools/gpu-pool/get_scheduled_flow_runs', {
        work_queue_names: ['default', 'gpu']
      })
      for (let i = 0; i < 100; i++) {
        const [deployment, queue] = await Promise.all([
          prefect.api<{ status: string }>('GET', '/deployments/name/train/pooled'),
          prefect.api<{ status: string }>('GET', '/work_pools/gpu-pool/queues/gpu')
        ])
        if (deployment.status === 'READY' && queue.status !== 'NOT_READY') return
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
      assert.fail('the poll did not make the deployment and queue gpu READY')
    }
    const triggerOn = (queue: string, inputs: Record<string, string> = { 'dry-run': 'check' }) =>
      trigger(workspace({ learning_rate: 0.05 }, { deployment: 'train/pooled', 'work-queue': queue }), inputs)
    const where = 'deployment train/pooled on http://127\\.0\\.0\\.1:\\d+/api, work-queue'
    const before = (await flowRuns()).length

    await poll()
    const ready = await triggerOn('gpu')
    assert.equal(ready.exitCode, 0, ready.stdout)
    assert.match(ready.stdout, /Checked on target prefect: 1 run\(s\) would start/)
    const idle = await triggerOn('idle')
    assert.equal(idle.exitCode, 1, idle.stdout)
    assert.match(
      idle.stdout,
      new RegExp(
        `${where} idle: no worker has polled the queue lately \\(NOT_READY\\) in work pool gpu-pool, .*Fix: start a worker for it: prefect worker start --pool gpu-pool --work-queue idle\\.`
      )
    )
    const missing = await triggerOn('gpus')
    assert.equal(missing.exitCode, 1, missing.stdout)
    assert.match(
      missing.stdout,
      new RegExp(
        `${where} gpus: work pool gpu-pool has no work queue "gpus" \\(it has: default, gpu, idle\\); .*Fix: set work-queue to one of default, gpu, idle`
      )
    )
    await prefect.api('PATCH', '/work_pools/gpu-pool/queues/gpu', { is_paused: true })
    await poll()
    // A real trigger this time: refused in prepare, before any start.
    const paused = await triggerOn('gpu', {})
    assert.equal(paused.exitCode, 1, paused.stdout)
    assert.match(
      paused.stdout,
      new RegExp(
        `${where} gpu: the queue is paused in work pool gpu-pool, .*Fix: prefect work-queue resume gpu --pool gpu-pool`
      )
    )
    assert.equal((await flowRuns()).length, before, 'no flow run was made')
    assert.deepEqual(
      await queueNames(),
      ['default', 'gpu', 'idle'],
      'no queue was made (create_flow_run makes an unknown one)'
    )
  })

  test("examples/workflows/prefect-training.yml runs for real: a push of data runs the example config's deployment, and its gate decides the check run", async () => {
    const config = publishedConfigWith(
      'examples/prefect-triggers.yml',
      /^( {4}url: )https:\/\/prefect\.example\.com\/api( #.*)$/m,
      `$1${prefect.url}$2`
    )
    const before = (await flowRuns()).length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/prefect-training.yml',
        configPath: 'examples/prefect-triggers.yml',
        config,
        repository: REPOSITORY,
        secrets: { PREFECT_AUTH_STRING: prefect.authString }
      },
      async ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        const runs = await flowRuns()
        assert.equal(runs.length, before + 1, log)
        const run = runs.at(-1)!
        assert.equal(run.state.type, 'COMPLETED')
        assert.deepEqual(run.parameters, { learning_rate: 0.05, epochs: 3 }, "the example's parameters")
        assert.ok(run.tags.includes(`sha:${tip.slice(0, 12)}`), run.tags.join(' '))
        assert.equal(
          github.checkRuns.length,
          1,
          `${log}\n${JSON.stringify(github.requests.map((r) => [r.method, r.path, r.status]))}`
        )
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', check.output.title ?? '')
        assert.match(
          check.output.text ?? '',
          /\| accuracy &gt;= 0\\\.85 \| accuracy &gt;= 0\\\.85 passed: 0\\\.853 \|/,
          'the gate decided it'
        )
        assert.equal(readMetricsRecord(check.output.text)?.metrics.accuracy, 0.853)
        // The secret reaches the log only in ::add-mask::, which the runner consumes to hide it.
        assert.deepEqual(
          log.split('\n').filter((line) => line.includes(prefect.authString)),
          [`::add-mask::${prefect.authString}`]
        )
      }
    )
  })
})
