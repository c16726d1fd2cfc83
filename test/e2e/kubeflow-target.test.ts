/**
 * The kubeflow target through the bundle, against the Kubeflow Pipelines stand-in
 * (test/helpers/fake-kubeflow.ts: every request and reply checked against the pinned
 * kfp-server-api 2.17.3 model, the bearer token checked on every request), started once for the
 * file: a run with typed parameters and its chain context whose outcome decides the check run; a
 * gate that finds no metrics (KFP's v2beta1 API serves none) saying so; a failure with Kubeflow's
 * reason; a refused parameter and dry-run: check starting nothing; cancel-on-timeout terminating
 * the run; a start whose answer was lost after the stand-in made the run, resolved by the display
 * name: one run, and one reset before it reached the stand-in, looked up, not found and sent again:
 * one run; wait: false completed by a reconcile pass; the token never sent off its host (the
 * versions' links and a sign-in redirect point at another loopback origin) and in no log line,
 * output or check run; and the published example run through the workflow stand-in.
 * GitHub is the fake of its checks API, validated against @octokit/openapi.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { startFakeKubeflow, type FakeKubeflow } from '../helpers/fake-kubeflow.js'
import { faultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { listen } from '../helpers/loopback-server.js'
import { runAction } from '../helpers/run-action.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_kubeflowE2eToken0123456789abcdefAB'
const KFP_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kfp-e2e-sa-token.c2lnbmF0dXJl'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'a'.repeat(40)

let kfp: FakeKubeflow
/** Another origin the stand-in's replies point at: nothing may reach it. */
let elsewhere: { url: string; close(): void }
const elsewhereSaw: string[] = []
let github: FakeChecks | undefined
let proxy: FaultProxy | undefined
const workspaces: string[] = []

before(async () => {
  elsewhere = await listen((req, res) => {
    elsewhereSaw.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
    res.end('ok')
  })
  kfp = await startFakeKubeflow({
    token: KFP_TOKEN,
    linksTo: elsewhere.url,
    // PENDING, RUNNING, then the end: each poll of the bundle moves a run on, so the file stays short.
    runningReads: 0,
    pipelines: [
      {
        name: 'train',
        versions: [
          { name: 'v1', parameters: { learning_rate: { parameterType: 'NUMBER_DOUBLE' } } },
          {
            name: 'v2',
            parameters: {
              learning_rate: { parameterType: 'NUMBER_DOUBLE' },
              epochs: { parameterType: 'NUMBER_INTEGER', isOptional: true, defaultValue: 3 },
              fail: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false },
              forever: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false }
            }
          }
        ]
      }
    ],
    experiments: [{ name: 'ci', namespace: 'team-ml' }]
  })
})
after(async () => {
  await kfp?.close()
  elsewhere?.close()
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  assert.deepEqual(kfp.violations, [], "the stand-in saw only what KFP's model allows, with the token")
  assert.deepEqual(elsewhereSaw, [], 'nothing went to another origin')
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    assert.ok(!JSON.stringify(github.requests).includes(KFP_TOKEN), 'the KFP token never reaches GitHub')
  }
  await Promise.all([github?.close(), proxy?.close()])
  github = proxy = undefined
  delete kfp.signIn
})

/** The config file: target kubeflow (pipeline train, experiment ci in team-ml), pipeline training. */
function workspace(parameters: Record<string, unknown>, keys: Record<string, unknown> = {}, gates: string[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-kubeflow-e2e-'))
  workspaces.push(dir)
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: {
      kubeflow: {
        type: 'kubeflow',
        url: kfp.url,
        token: 'env:KFP_TOKEN',
        pipeline: 'train',
        experiment: 'ci',
        namespace: 'team-ml',
        ...keys
      }
    },
    pipelines: { training: { target: 'kubeflow', parameters, gates, on: { workflow_dispatch: {} } } }
  }
  writeFileSync(join(dir, '.github/pipeline-triggers.yml'), JSON.stringify(config, null, 2))
  return dir
}

async function trigger(dir: string, inputs: Record<string, string> = {}) {
  github ??= await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write', actions: 'read' } }
    }
  })
  return runAction({
    eventName: 'workflow_dispatch',
    payload: { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY }, workflow: 'ml.yml' },
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'auto', timeout: '1m', ...inputs },
    env: { GITHUB_API_URL: github.url, KFP_TOKEN }
  })
}

const runs = (outputs: Record<string, string>) =>
  JSON.parse(outputs.runs ?? '[]') as { status: string; 'run-id'?: string }[]

/** The token appears in the log only in the ::add-mask:: command, which the runner consumes to hide it. */
function assertNoToken(result: { stdout: string; stderr: string; outputs: Record<string, string> }) {
  const log = `${result.stdout}\n${result.stderr}`.replaceAll(`::add-mask::${KFP_TOKEN}`, '')
  assert.ok(!log.includes(KFP_TOKEN), 'the token is in no log line')
  assert.ok(!JSON.stringify(result.outputs).includes(KFP_TOKEN), 'nor in any output')
}

describe('kubeflow target against the validated KFP stand-in', () => {
  test('success: typed parameters and the chain context reach the run, and its outcome decides the check run', async () => {
    const before = kfp.runs.length
    const result = await trigger(workspace({ learning_rate: 0.05, epochs: 4 }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(kfp.runs.length, before + 1, 'one run')
    const run = kfp.runs.at(-1)!
    assert.equal(run.state, 'SUCCEEDED')
    assert.deepEqual(run.runtime_config, { parameters: { learning_rate: 0.05, epochs: 4 } }, 'numbers stay numbers')
    assert.equal(run.experiment_id, kfp.experiments.find((e) => e.display_name === 'ci')!.experiment_id)
    const v2 = kfp.versions.find((v) => v.name === 'v2')!
    assert.deepEqual(
      run.pipeline_version_reference,
      { pipeline_id: v2.pipeline_id, pipeline_version_id: v2.pipeline_version_id },
      'the newest version'
    )
    assert.match(String(run.display_name), / \[pt-[0-9a-f]{32}\]$/, 'the idempotency key in the display name')
    assert.match(
      String(run.description),
      /\npipeline-context: \{"root":"https:\/\/github\.com\/octo-org\/ml-repo\/actions\/runs\/\d+","depth":1,"chain":\["training"\]\}$/
    )
    const [reported] = runs(result.outputs)
    assert.deepEqual(reported, { ...reported, status: 'completed', 'run-id': run.run_id })
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success')
    assert.equal(check.details_url, `${kfp.url}/#/runs/details/${String(run.run_id)}`, "the KFP UI's run page")
    assertNoToken(result)
    const create = kfp.requests.filter((r) => r.operation === 'run_service_create_run').at(-1)!
    assert.equal(create.headers.authorization, `Bearer ${KFP_TOKEN}`)
  })

  test('a gate has no metrics to judge: the check run says none was reported', async () => {
    const result = await trigger(workspace({ learning_rate: 0.05 }, {}, ['accuracy >= 0.9']))
    assert.equal(runs(result.outputs)[0]!.status, 'completed', result.stdout)
    const check = github!.checkRuns[0]!.current
    assert.notEqual(check.conclusion, 'success', 'a gate that cannot be judged does not pass')
    assert.match(check.output.text ?? '', /accuracy was not reported by the run/)
  })

  test("failure: Kubeflow's error and the failed task fail the check run", async () => {
    const result = await trigger(workspace({ learning_rate: 0.05, fail: true }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(runs(result.outputs)[0]!.status, 'failed')
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(check.output.title ?? '', /Kubeflow reports FAILED: task train failed: train: loss is NaN/)
    assert.equal(kfp.runs.at(-1)!.state, 'FAILED')
  })

  test('a parameter the version does not take is refused before any run starts, with the list; dry-run: check starts nothing', async () => {
    const before = kfp.runs.length
    const wrong = await trigger(workspace({ learning_rate: 'fast', epoch: 3 }))
    assert.equal(wrong.exitCode, 1, wrong.stdout)
    assert.match(
      wrong.stdout,
      /kubeflow: checking the parameters of training: parameter learning_rate is NUMBER_DOUBLE \(a number\), and the pipeline gives "fast"; pipeline train, version v2 has no parameter "epoch"\. pipeline train, version v2 takes: learning_rate \(NUMBER_DOUBLE\), epochs \(NUMBER_INTEGER, optional\)/
    )
    const good = await trigger(workspace({ learning_rate: 0.01 }, { 'pipeline-version': 'v1' }), { 'dry-run': 'check' })
    assert.equal(good.exitCode, 0, good.stdout)
    assert.match(good.stdout, /Checked on target kubeflow: 1 run\(s\) would start; nothing was started\./)
    const missing = await trigger(workspace({ learning_rate: 0.01 }, { experiment: 'nightly' }), { 'dry-run': 'check' })
    assert.equal(missing.exitCode, 1, missing.stdout)
    assert.match(missing.stdout, /looking up experiment nightly in namespace team-ml .*Fix: create it/)
    assert.equal(kfp.runs.length, before, 'no run was made')
    assert.equal(github!.checkRuns.length, 0, 'no check run was opened')
  })

  test('cancel-on-timeout terminates a run still going at the deadline', async () => {
    const result = await trigger(workspace({ learning_rate: 0.05, forever: true }, { 'cancel-on-timeout': true }), {
      timeout: '6s'
    })
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    const stored = kfp.runs.find((r) => r.run_id === run!['run-id'])!
    assert.ok(['CANCELING', 'CANCELED'].includes(String(stored.state)), String(stored.state))
    assert.ok(
      kfp.requests.some((r) => r.operation === 'run_service_terminate_run' && r.path.includes(String(stored.run_id)))
    )
  })

  test('a start whose answer was lost after the stand-in made the run is found by its display name: one run, followed to its end', async () => {
    proxy = await faultProxy(
      'lose',
      (method, path) => method === 'POST' && path.startsWith('/apis/v2beta1/runs?') && proxy!.faulted === 0,
      kfp.url
    )
    const before = kfp.runs.length
    const result = await trigger(workspace({ learning_rate: 0.02 }, { url: proxy.url }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1, 'the first answer was lost after the run was made')
    assert.equal(kfp.runs.length, before + 1, 'exactly one run')
    assert.match(result.stdout, /the answer to starting it was lost, but the run exists/)
    const lookups = kfp.requests.filter((r) => r.operation === 'run_service_list_runs')
    assert.ok(lookups.length >= 1)
    assert.equal(runs(result.outputs)[0]!['run-id'], kfp.runs.at(-1)!.run_id)
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'success')
  })

  test('a start whose connection was reset before the stand-in saw it is looked up, not found, and sent again: one run', async () => {
    proxy = await faultProxy(
      'reset',
      (method, path) => method === 'POST' && path.startsWith('/apis/v2beta1/runs?') && proxy!.faulted === 0,
      kfp.url
    )
    const before = kfp.runs.length
    const result = await trigger(workspace({ learning_rate: 0.04 }, { url: proxy.url }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1)
    assert.equal(kfp.runs.length, before + 1, 'exactly one run')
    const calls = kfp.requests.slice(-8).map((r) => r.operation)
    const lookup = calls.lastIndexOf('run_service_list_runs')
    assert.ok(
      lookup >= 0 && calls.indexOf('run_service_create_run', lookup) > lookup,
      `looked up, then started: ${calls.join(' ')}`
    )
    assert.doesNotMatch(result.stdout, /the run exists/)
  })

  test('wait: false leaves the check run open; a reconcile pass asks Kubeflow by the run id and completes it', async () => {
    const dir = workspace({ learning_rate: 0.03 })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github!.checkRuns[0]!.current.status, 'in_progress')
    const runId = runs(first.outputs)[0]!['run-id']!
    // Time passes on the cluster: the run is read (as the UI would) until it has ended.
    for (let i = 0; i < 5 && kfp.runs.find((r) => r.run_id === runId)!.state !== 'SUCCEEDED'; i++)
      await fetch(`${kfp.url}/apis/v2beta1/runs/${runId}`, { headers: { authorization: `Bearer ${KFP_TOKEN}` } })
    github!.seedWorkflowRun({ id: 9300, head_sha: SHA, created_at: new Date().toISOString() })
    const pass = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github: github!,
      token: TOKEN,
      env: { KFP_TOKEN }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(final.details_url, `${kfp.url}/#/runs/details/${runId}`)
    assertNoToken(pass)
  })

  test('the token stays on its host: links in the replies are not followed, a sign-in redirect is refused with the fix', async () => {
    // The versions carry package_url and code_source_url on another origin (checked after each test: nothing went there).
    kfp.signIn = {
      matches: (_method, path) => path.startsWith('/apis/v2beta1/pipelines'),
      location: `${elsewhere.url}/oauth2/sign_in?rd=%2F`
    }
    const result = await trigger(workspace({ learning_rate: 0.05 }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      new RegExp(
        `answered HTTP 302, a redirect to ${elsewhere.url.replace(/\./g, '\\.')} that the action does not follow, so the token stays on ${kfp.url.replace(/\./g, '\\.')}\\. Fix: the proxy in front of Kubeflow`
      )
    )
    assertNoToken(result)
    assert.ok(!JSON.stringify(github!.checkRuns).includes(KFP_TOKEN))
  })

  test('the published example: kubeflow-training.yml on a push of data runs pipeline train, and its outcome decides the check run', async () => {
    const config = publishedConfigWith(
      'examples/kubeflow-triggers.yml',
      /^( {4}url: )https:\/\/kubeflow\.example\.com\/pipeline( #.*)$/m,
      `$1${kfp.url}$2`
    )
    const before = kfp.runs.length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/kubeflow-training.yml',
        configPath: 'examples/kubeflow-triggers.yml',
        config,
        repository: REPOSITORY,
        secrets: { KFP_TOKEN }
      },
      ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        assert.equal(kfp.runs.length, before + 1, log)
        const run = kfp.runs.at(-1)!
        assert.equal(run.state, 'SUCCEEDED')
        assert.deepEqual(
          run.runtime_config,
          { parameters: { learning_rate: 0.01, epochs: 3 } },
          "the example's parameters"
        )
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', log)
        assert.equal(check.details_url, `${kfp.url}/#/runs/details/${String(run.run_id)}`)
        assert.ok(log.includes(`::add-mask::${KFP_TOKEN}`), 'the token is masked')
        assert.ok(!log.replaceAll(`::add-mask::${KFP_TOKEN}`, '').includes(KFP_TOKEN), 'the token is in no log line')
      }
    )
  })
})
