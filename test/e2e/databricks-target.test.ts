/**
 * The databricks target through the bundle, against the Databricks stand-in (one for the file,
 * test/helpers/fake-databricks.ts), whose every request and reply is checked against the pinned
 * databricks-sdk 0.167.0: Databricks itself cannot run here, and this is the weakest of the cloud
 * contracts (the SDK's calls and dataclasses; no lengths or patterns). A run with parameters whose
 * notebook metrics a gate reads to decide the check run (OAuth M2M); a failing run with Databricks'
 * reason; a parameter the job does not define refused before any start; cancel-on-timeout; a start
 * whose answer was lost after the workspace made the run, sent again with the same
 * idempotency_token: one run; wait: false completed by a reconcile pass; dry-run: check; the run's
 * link on another origin, where nothing is ever sent; and the published example
 * (examples/workflows/databricks-training.yml with examples/databricks-triggers.yml) run through
 * the workflow stand-in with GitHub OIDC federation. GitHub is the fake of its checks API,
 * validated against @octokit/openapi. No credential appears in a log line, output or check run.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { parse } from 'yaml'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'
import { FakeDatabricks, startFakeGitHubIdTokens } from '../helpers/fake-databricks.js'
import { faultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { ROOT, runAction } from '../helpers/run-action.js'
import { scriptedServer, type ScriptedServer } from '../helpers/scripted-server.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_databricksE2eToken0123456789abcdefAB'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'a'.repeat(40)
const SP = { clientId: '3c1f0a9e-6b2d-4e8f-9a71-5d0c2b7e4f13', clientSecret: 'doseE2Esecret0123456789abcdefABCD' }
/** The placeholders of examples/databricks-triggers.yml, which the stand-in's federation policy trusts. */
const EXAMPLE_CLIENT_ID = '00000000-0000-0000-0000-000000000000'
const EXAMPLE_AUDIENCE = '11111111-1111-1111-1111-111111111111'
const ID_REQUEST_TOKEN = 'ghs-id-token-request-e2e-0123456789'
const SUBJECT = `repo:${REPOSITORY}:ref:refs/heads/main`

let fake: FakeDatabricks
let ids: Awaited<ReturnType<typeof startFakeGitHubIdTokens>>
/** Where the stand-in's run_page_url points: another origin, which must never be sent anything. */
let elsewhere: ScriptedServer
let github: FakeChecks | undefined
let proxy: FaultProxy | undefined
const workspaces: string[] = []

before(async () => {
  elsewhere = await scriptedServer(() => ({ status: 200, body: 'a run page' }))
  ids = await startFakeGitHubIdTokens(ID_REQUEST_TOKEN, SUBJECT)
  fake = await FakeDatabricks.start({
    servicePrincipal: SP,
    federation: {
      clientId: EXAMPLE_CLIENT_ID,
      audience: EXAMPLE_AUDIENCE,
      subject: SUBJECT,
      verify: (jwt) => ids.issued.has(jwt)
    },
    runPageOrigin: elsewhere.url,
    jobs: [
      {
        job_id: 7301,
        name: 'train',
        parameters: [
          { name: 'lr', default: '0.1' },
          { name: 'fail', default: 'false' },
          { name: 'sleep_s', default: '0.3' },
          { name: 'pipeline-context', default: '{}' }
        ],
        tasks: ['prepare', 'train'],
        metricsTask: 'train'
      }
    ]
  })
})
after(async () => {
  await fake?.close()
  await ids?.close()
  assert.equal(elsewhere.requests.length, 0, "nothing was sent to the run page's origin")
  await elsewhere?.close()
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  assert.deepEqual(fake.violations.splice(0), [], "every request and reply keeps to the SDK's model")
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    const sent = JSON.stringify(github.requests)
    for (const secret of [SP.clientSecret, ...fake.minted.keys(), ...ids.issued])
      assert.ok(!sent.includes(secret), 'no credential reaches GitHub')
  }
  await github?.close()
  github = undefined
  await proxy?.close()
  proxy = undefined
})

/** The config file: target databricks (OAuth M2M, metrics from task train), pipeline train. */
function workspace(parameters: Record<string, unknown>, target: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-databricks-e2e-'))
  workspaces.push(dir)
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: {
      databricks: {
        type: 'databricks',
        host: fake.url,
        job: 'train',
        'client-id': SP.clientId,
        'client-secret': 'env:DATABRICKS_CLIENT_SECRET',
        'metrics-task': 'train',
        ...target
      }
    },
    pipelines: {
      train: { target: 'databricks', gates: ['accuracy >= 0.9'], on: { workflow_dispatch: { parameters } } }
    }
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
  const result = await runAction({
    eventName: 'workflow_dispatch',
    payload: { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY }, workflow: 'ml.yml' },
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'auto', timeout: '1m', ...inputs },
    env: { GITHUB_API_URL: github.url, DATABRICKS_CLIENT_SECRET: SP.clientSecret }
  })
  noSecretIn(result.stdout + JSON.stringify(result.outputs) + JSON.stringify(github.checkRuns))
  return result
}

/** No credential in the text, but in the ::add-mask:: commands the runner consumes to hide it. */
function noSecretIn(text: string) {
  const unmasked = text.replace(/::add-mask::\S+/g, '')
  for (const secret of [SP.clientSecret, ...fake.minted.keys(), ...ids.issued, ID_REQUEST_TOKEN])
    assert.ok(!unmasked.includes(secret), 'a credential in a log line, an output or a check run')
}

const runs = (outputs: Record<string, string>) =>
  JSON.parse(outputs.runs ?? '[]') as { status: string; 'run-id'?: string }[]
const runOf = (runId: string | undefined) => fake.runs.find((run) => String(run.run_id) === runId)!

describe('databricks target against the validated stand-in', () => {
  test("parameters reach the job run, and its task's notebook metrics decide the check run; the link is the run's page", async () => {
    const result = await trigger(workspace({ lr: 0.01 }))
    assert.equal(result.exitCode, 0, result.stdout)
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'completed', result.stdout)
    const made = runOf(run!['run-id'])
    assert.equal(made.parameters.lr, '0.01')
    const chain = JSON.parse(made.parameters['pipeline-context']!) as { depth: number; chain: string[] }
    assert.deepEqual({ depth: chain.depth, chain: chain.chain }, { depth: 1, chain: ['train'] })
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success', 'accuracy >= 0.9 passed on the notebook metrics')
    assert.equal(check.details_url, `${elsewhere.url}/jobs/7301/runs/${made.run_id}`)
    assert.equal(elsewhere.requests.length, 0, "the run page's origin, another host, was sent nothing")
    assert.deepEqual({ ...readMetricsRecord(check.output.text)?.metrics }, { accuracy: 0.9, lr: 0.01 })
    const tokens = fake.requests.filter((r) => r.path === '/oidc/v1/token')
    assert.ok(tokens.length >= 1 && tokens.every((r) => r.headers.authorization?.startsWith('Basic ')))
  })

  test("a failing run fails its check run with Databricks' termination code and message", async () => {
    const result = await trigger(workspace({ fail: true }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(runs(result.outputs)[0]!.status, 'failed')
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(
      `${check.output.title} ${check.output.summary}`,
      /RUN_EXECUTION_ERROR, CLIENT_ERROR\): Task train failed with message: ValueError: loss is NaN/
    )
  })

  test("a parameter the job does not define is refused before any start, naming the job's parameters", async () => {
    const before = fake.runs.length
    const result = await trigger(workspace({ learning_rate: 0.01 }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /job train \(7301\) has no job parameter "learning_rate"; its parameters: lr, fail, sleep_s\. Fix: rename the parameter/
    )
    assert.equal(fake.runs.length, before, 'no run was started')
    assert.equal(fake.requests.filter((r) => r.path.endsWith('run-now')).length, fake.runs.length)
  })

  test('dry-run: check reads the job and starts nothing; an unknown job fails the step with the fix', async () => {
    const before = fake.runs.length
    const good = await trigger(workspace({ lr: 0.05 }), { 'dry-run': 'check' })
    assert.equal(good.exitCode, 0, good.stdout)
    assert.match(good.stdout, /Checked on target databricks: 1 run\(s\) would start; nothing was started\./)
    const unknown = await trigger(workspace({ lr: 0.05 }, { job: 999 }), { 'dry-run': 'check' })
    assert.equal(unknown.exitCode, 1, unknown.stdout)
    assert.match(unknown.stdout, /reading job 999 on .*RESOURCE_DOES_NOT_EXIST.*Fix: the workspace has no job 999/)
    assert.equal(fake.runs.length, before, 'no run was started')
    assert.equal(github!.checkRuns.length, 0, 'a dry run opens no check run')
  })

  test('cancel-on-timeout: the deadline cancels the job run: runs/cancel reaches the workspace, and the check run says timed_out', async () => {
    const result = await trigger(workspace({ sleep_s: 120 }, { 'cancel-on-timeout': true }), { timeout: '6s' })
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    const made = runOf(run!['run-id'])
    assert.ok(made.cancelledAt !== undefined, 'runs/cancel reached the workspace')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'timed_out')
  })

  test('a start whose answer was lost after the workspace made the run is sent again with the same idempotency_token: one run', async () => {
    proxy = await faultProxy(
      'lose',
      (method, path) => method === 'POST' && path.endsWith('/jobs/run-now') && proxy!.faulted === 0,
      fake.url
    )
    const before = fake.runs.length
    const result = await trigger(workspace({ lr: 0.03 }, { endpoint: proxy.url }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1, 'the first answer was lost after the run was made')
    const starts = fake.requests.filter((r) => r.path.endsWith('/jobs/run-now')).slice(-2)
    assert.equal(starts.length, 2)
    assert.equal(
      (starts[0]!.json as { idempotency_token: string }).idempotency_token,
      (starts[1]!.json as { idempotency_token: string }).idempotency_token
    )
    assert.equal(fake.runs.length, before + 1, 'exactly one run')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'success')
  })

  test('wait: false leaves the check run open; a reconcile pass completes it from the workspace', async () => {
    const dir = workspace({ lr: 0.02, sleep_s: 1 })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github!.checkRuns[0]!.current.status, 'in_progress')
    await new Promise((resolve) => setTimeout(resolve, 1500))
    github!.seedWorkflowRun({ id: 9300, head_sha: SHA, created_at: new Date().toISOString() })
    const pass = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github: github!,
      token: TOKEN,
      env: { DATABRICKS_CLIENT_SECRET: SP.clientSecret }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    noSecretIn(pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.lr, 0.02)
  })

  test('the published example: databricks-training.yml on a push of data runs job train through GitHub OIDC federation, and the gate decides the check run', async () => {
    const config = publishedConfigWith(
      'examples/databricks-triggers.yml',
      /^(\s*host: )https:\/\/adb-1234567890123456\.7\.azuredatabricks\.net( |$)/m,
      `$1${fake.url}$2`
    )
    const workflow = parse(readFileSync(join(ROOT, 'examples/workflows/databricks-training.yml'), 'utf8')) as {
      jobs: Record<string, { permissions?: Record<string, string> }>
    }
    assert.equal(workflow.jobs.train!.permissions?.['id-token'], 'write')
    const before = fake.runs.length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/databricks-training.yml',
        configPath: 'examples/databricks-triggers.yml',
        config,
        repository: REPOSITORY,
        env: {
          ACTIONS_ID_TOKEN_REQUEST_URL: ids.requestUrl,
          ACTIONS_ID_TOKEN_REQUEST_TOKEN: ID_REQUEST_TOKEN
        }
      },
      ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        const made = fake.runs.slice(before)
        assert.equal(made.length, 1, 'one job run for the push')
        assert.equal(made[0]!.parameters.lr, '0.01', "the example's parameter")
        const exchange = fake.requests.findLast((r) => r.path === '/oidc/v1/token')!
        assert.equal(
          new URLSearchParams(exchange.body).get('grant_type'),
          'urn:ietf:params:oauth:grant-type:token-exchange'
        )
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', log)
        assert.match(check.output.text ?? '', /\| accuracy &gt;= 0\\\.9 passed: 0\\\.9 \|/, 'the gate decided it')
        noSecretIn(log)
        const jwt = [...ids.issued].at(-1)!
        assert.ok(log.includes(`::add-mask::${jwt}`), 'the GitHub ID token is masked')
      }
    )
  })
})
