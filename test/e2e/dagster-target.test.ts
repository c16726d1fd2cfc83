/**
 * The dagster target through the bundle, against a REAL Dagster webserver (`dagster dev`, 1.13.28
 * from .venv-dagster, started once for the file) serving test/fixtures/dagster/train_job.py. GitHub
 * is the fake of its checks API, validated against @octokit/openapi. What it proves: typed
 * parameters reach the op's config and metrics come back from the run's metadata to decide a gate
 * on the check run; a failing op fails it with Dagster's reason; a bad parameter and an unknown job
 * are refused before any run; a code location that fails to load (test/fixtures/dagster/broken_job.py,
 * served beside) is refused with its load error; dry-run: check starts nothing; the published example
 * workflow and config run on a push; the chain context is on the run as tags; wait: false and a
 * reconcile pass; cancel at the deadline; and a start whose answer was lost makes exactly one run
 * (Dagster does not dedupe: found by our tag).
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'
import { startDagsterServer, type DagsterServer } from '../helpers/dagster-server.js'
import { webhookExample } from '../helpers/events.js'
import { fakeGitHubForLaterPass, type FakeChecks } from '../helpers/fake-github-checks.js'
import { faultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { ROOT, runAction } from '../helpers/run-action.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_dagsterTriggerToken0123456789abcdefg'
const LATER_TOKEN = 'ghs_dagsterLaterToken0123456789abcdefghi'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'd'.repeat(40)
const JOB_FILE = join(ROOT, 'test/fixtures/dagster/train_job.py')
/** A code location that raises on import: served beside, it is listed as failed to load. */
const BROKEN_FILE = join(ROOT, 'test/fixtures/dagster/broken_job.py')
const CHAIN = { root: 'https://github.com/octo-org/upstream/actions/runs/77', depth: 1, chain: ['prepare_data'] }

let dagster: DagsterServer
let github: FakeChecks | undefined
let proxy: FaultProxy | undefined

before(async () => {
  dagster = await startDagsterServer(JOB_FILE, [BROKEN_FILE])
  console.log(`dagster dev ready in ${dagster.startSeconds.toFixed(1)} s`)
})
after(async () => {
  await dagster?.stop()
})
afterEach(async () => {
  if (github) assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
  await Promise.all([github?.close(), proxy?.close()])
  github = proxy = undefined
})

/** A question to the webserver, outside the action: what runs exist, with which tags and config. */
async function ask<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${dagster.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  const body = (await response.json()) as { data: T }
  return body.data
}

interface ServerRun {
  runId: string
  status: string
  runConfigYaml: string
  tags: { key: string; value: string }[]
}

async function runsOnServer(): Promise<ServerRun[]> {
  const data = await ask<{ runsOrError: { results: ServerRun[] } }>(
    '{ runsOrError { ... on Runs { results { runId status runConfigYaml tags { key value } } } } }'
  )
  return data.runsOrError.results
}

async function startChecks(): Promise<FakeChecks> {
  github = await fakeGitHubForLaterPass(REPOSITORY, TOKEN, LATER_TOKEN)
  return github
}

/** The config file: one dagster target (keys laid over the defaults) and the pipeline train_job on it. */
function workspace(pipeline: Record<string, unknown>, target: Record<string, unknown> = {}, url = dagster.url): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-dagster-'))
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: { dagster: { type: 'dagster', url, location: dagster.location, op: 'train', ...target } },
    pipelines: { train_job: { target: 'dagster', on: { workflow_dispatch: {} }, ...pipeline } }
  }
  // JSON is YAML.
  writeFileSync(join(dir, '.github/pipeline-triggers.yml'), JSON.stringify(config, null, 1))
  return dir
}

function trigger(dir: string, inputs: Record<string, string> = {}) {
  return runAction({
    eventName: 'workflow_dispatch',
    payload: webhookExample('workflow_dispatch'),
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'auto', timeout: '2m', ...inputs },
    env: { GITHUB_API_URL: github!.url }
  })
}

const runIdOf = (runUrl: string | undefined) => /\/runs\/([0-9a-f-]{36})$/.exec(runUrl ?? '')?.[1]

describe('dagster target against a real dagster dev (1.13.28)', () => {
  test('typed parameters reach the op config; metrics from output and materialization metadata decide the gate', async () => {
    const github = await startChecks()
    const result = await trigger(
      workspace({ parameters: { learning_rate: 0.02, epochs: 3 }, gates: ['train::accuracy >= 0.75'] }),
      { 'pipeline-context': JSON.stringify(CHAIN) }
    )
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs.status, 'completed')
    const runId = runIdOf(result.outputs['run-url'])
    assert.ok(runId, `the run's page in the UI: ${result.outputs['run-url']}`)
    assert.ok(result.outputs['run-url']!.startsWith(`${dagster.url}/runs/`))

    const run = (await runsOnServer()).find((r) => r.runId === runId)!
    assert.equal(run.status, 'SUCCESS')
    // Typed: a float and an int, as the job's config schema wants them (a string would not validate).
    assert.match(run.runConfigYaml, /learning_rate: 0\.02/)
    assert.match(run.runConfigYaml, /epochs: 3/)
    const tags = Object.fromEntries(run.tags.map((t) => [t.key, t.value]))
    assert.match(tags['pipeline-trigger/key'] ?? '', /^pt-/, 'tagged with the idempotency key')
    assert.equal(tags['pipeline-trigger/repo'], REPOSITORY)
    // The chain context, one level deeper than the upstream step's.
    assert.equal(tags['pipeline-trigger/pipeline-chain-root'], CHAIN.root)
    assert.equal(tags['pipeline-trigger/pipeline-chain-depth'], '2')

    const check = github.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success', 'train::accuracy >= 0.75 passed on 0.8')
    assert.equal(check.details_url, result.outputs['run-url'])
    const metrics = readMetricsRecord(check.output.text)?.metrics
    assert.equal(metrics?.['train::accuracy'], 0.8)
    assert.equal(metrics?.['train::learning_rate'], 0.02)
    assert.equal(metrics?.['train::model_size'], 1234, 'a materialization reports too')
    assert.equal(metrics?.['train::note'], 'trained')
  })

  test("a failing op fails the check run with Dagster's reason", async () => {
    const github = await startChecks()
    const result = await trigger(workspace({ parameters: { learning_rate: 0.01, fail: true } }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(result.outputs.status, 'failed')
    const check = github.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(
      `${check.output.title} ${check.output.summary}`,
      /Dagster reports FAILURE: train: RuntimeError: failing on purpose \(fail: true\)/
    )
  })

  test('a bad parameter and an unknown job are refused before any run starts, each with its fix', async () => {
    await startChecks()
    const before = (await runsOnServer()).length
    const bad = await trigger(workspace({ parameters: { learning_rate: 'abc' } }))
    assert.equal(bad.exitCode, 1, bad.stdout)
    assert.match(
      bad.stdout,
      /dagster: checking job train_job \(location train_job\.py, repository __repository__\): Dagster webserver 127\.0\.0\.1:\d+ answered RunConfigValidationInvalid: Invalid scalar at path root:ops:train:config:learning_rate\. Value "abc".*Fix: give the pipeline's parameters the names and types the job's config schema has \(they go in by op: train\)/
    )
    const unknown = await trigger(workspace({ parameters: { learning_rate: 0.1 } }, { job: 'nightly' }))
    assert.equal(unknown.exitCode, 1, unknown.stdout)
    assert.match(
      unknown.stdout,
      /answered PipelineNotFoundError: Could not find Pipeline train_job\.py\.__repository__\.nightly\. Fix: check location, repository \(default __repository__\) and job in the target; the server has location train_job\.py, repository __repository__: train_job/
    )
    assert.equal((await runsOnServer()).length, before, 'no run was launched')
  })

  test('a code location that failed to load is refused at once with its load error and the fix, no run', async () => {
    await startChecks()
    const before = (await runsOnServer()).length
    const result = await trigger(workspace({ parameters: { learning_rate: 0.1 } }, { location: 'broken_job.py' }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /dagster: checking job train_job \(location broken_job\.py, repository __repository__\): Dagster webserver 127\.0\.0\.1:\d+ has code location broken_job\.py, but it failed to load: .*DagsterUserCodeLoadError.* ← RuntimeError: broken on purpose: this code location does not load\. Fix: correct the code location's error .*then reload the code location/
    )
    assert.doesNotMatch(result.stdout, /retry|again in/i, 'final: not asked again')
    assert.equal((await runsOnServer()).length, before, 'no run was launched')
  })

  test('dry-run: check asks Dagster whether the run would start and starts nothing; a refused one fails the step', async () => {
    await startChecks()
    const before = (await runsOnServer()).length
    const good = await trigger(workspace({ parameters: { learning_rate: 0.05, epochs: 2 } }), { 'dry-run': 'check' })
    assert.equal(good.exitCode, 0, good.stdout)
    assert.match(good.stdout, /Checked on target dagster: 1 run\(s\) would start; nothing was started\./)
    const bad = await trigger(workspace({ parameters: { learning_rate: 'abc' } }), { 'dry-run': 'check' })
    assert.equal(bad.exitCode, 1, bad.stdout)
    assert.match(
      bad.stdout,
      /answered RunConfigValidationInvalid: Invalid scalar at path root:ops:train:config:learning_rate/
    )
    assert.doesNotMatch(bad.stdout, /Checked on target/)
    assert.equal((await runsOnServer()).length, before, 'no run was launched')
  })

  test('examples/workflows/dagster-training.yml, run for real on a push: the example config launches train_job and its gate decides the check run', async () => {
    const config = publishedConfigWith(
      'examples/dagster-triggers.yml',
      /^( {4}url: )https:\/\/dagster\.example\.com /m,
      `$1${dagster.url} `
    )
    const runsBefore = (await runsOnServer()).length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/dagster-training.yml',
        configPath: 'examples/dagster-triggers.yml',
        config,
        repository: REPOSITORY,
        runId: '9300'
      },
      async ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        const runs = await runsOnServer()
        assert.equal(runs.length, runsBefore + 1, 'one run launched')
        const run = runs[0]!
        assert.equal(run.status, 'SUCCESS')
        assert.match(run.runConfigYaml, /learning_rate: 0\.01/)
        assert.match(run.runConfigYaml, /epochs: 3/)
        assert.equal(github.checkRuns.length, 1, log)
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', check.output.title ?? '')
        const said = `${check.output.summary ?? ''}\n${check.output.text ?? ''}`
        // The gate decided the conclusion: its row in the check run's gate table.
        assert.match(said, /\| train::accuracy &gt;= 0\\\.75 passed: 0\\\.8 \|/, said)
        assert.equal(readMetricsRecord(check.output.text)?.metrics['train::accuracy'], 0.8)
        assert.equal(check.details_url, `${dagster.url}/runs/${run.runId}`)
      }
    )
  })

  test('wait: false leaves the check run open; a reconcile pass asks Dagster by the run id and completes it', async () => {
    const github = await startChecks()
    const dir = workspace({ parameters: { learning_rate: 0.03, epochs: 4 }, gates: ['train::accuracy >= 0.85'] })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    const open = github.checkRuns[0]!.current
    assert.equal(open.status, 'in_progress')
    const runId = runIdOf(first.outputs['run-url'])!
    assert.equal(open.external_id, `pt1|dagster|dagster|${runId}`)
    github.seedWorkflowRun({ id: 9200, head_sha: SHA, created_at: new Date().toISOString() })

    // The run takes a few seconds: a pass while it goes leaves the check run open.
    for (let pass = 0; pass < 30; pass++) {
      const later = await reconcilePass({ workspace: dir, repository: REPOSITORY, github, token: LATER_TOKEN })
      assert.equal(later.exitCode, 0, later.stdout)
      if (github.checkRuns[0]!.current.status === 'completed') break
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'success', 'train::accuracy >= 0.85 passed on 0.9')
    assert.equal(readMetricsRecord(final.output.text)?.metrics['train::accuracy'], 0.9)
    assert.equal((await runsOnServer()).filter((r) => r.runId === runId).length, 1)
  })

  test('cancel-on-timeout: a run still going at the deadline is terminated on the server', async () => {
    const github = await startChecks()
    const result = await trigger(
      workspace({ parameters: { learning_rate: 0.01, sleep_s: 120 } }, { 'cancel-on-timeout': true }),
      { timeout: '15s' }
    )
    assert.equal(result.outputs.status, 'timed_out', result.stdout)
    const check = github.checkRuns[0]!.current
    assert.equal(check.conclusion, 'timed_out')
    assert.match(
      `${check.output.title} ${check.output.summary}`,
      /still (QUEUED|STARTING|STARTED) when .*, so it was stopped \(cancel-on-timeout\)/
    )
    const runId = runIdOf(result.outputs['run-url'])!
    // SAFE_TERMINATE: CANCELING, then CANCELED once the run worker stopped.
    let status = ''
    for (let i = 0; i < 40 && status !== 'CANCELED'; i++) {
      status = (await runsOnServer()).find((r) => r.runId === runId)?.status ?? ''
      if (status !== 'CANCELED') await new Promise((resolve) => setTimeout(resolve, 500))
    }
    assert.equal(status, 'CANCELED')
  })

  test('a start whose answer was lost makes exactly one run: found by its tag, not launched again', async () => {
    const github = await startChecks()
    let launches = 0
    proxy = await faultProxy(
      'lose',
      (_method, _path, body) => (body ?? '').includes('launchRun(') && ++launches === 1,
      dagster.url
    )
    const result = await trigger(workspace({ parameters: { learning_rate: 0.04, epochs: 2 } }, {}, proxy.url))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1, 'the first launch reached Dagster, its answer did not come back')
    assert.match(result.stdout, /the answer to starting it was lost, but the run exists/)
    assert.equal(launches, 1, 'launchRun was sent once')
    assert.equal(github.checkRuns.length, 1)
    const runId = runIdOf(result.outputs['run-url'])!
    const runs = (await runsOnServer()).filter((r) => r.runConfigYaml.includes('learning_rate: 0.04'))
    assert.deepEqual(
      runs.map((r) => r.runId),
      [runId],
      'one run on the server'
    )
    assert.equal(github.checkRuns[0]!.current.conclusion, 'success')
  })
})
