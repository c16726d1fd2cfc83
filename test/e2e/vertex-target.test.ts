/**
 * The vertex target through the bundle, against the Vertex AI stand-in (test/helpers/fake-vertex.ts):
 * Vertex AI cannot run here, so every request the action sends and every reply the stand-in gives
 * is checked against the aiplatform.v1 discovery document of google-api-python-client 2.202.0, and
 * each test asserts there was no violation. GitHub is the fake of its checks API, validated against
 * @octokit/openapi. What it proves: parameters reach runtimeConfig.parameterValues and the
 * provenance and chain the job's labels; system.Metrics artifacts decide a gate on the check run,
 * whose link is the console page; a failing job fails it with Vertex AI's reason; a parameter no
 * KFP pipeline takes is refused before any job; dry-run: check asks and starts nothing;
 * cancel-on-timeout cancels the job; a create whose answer was lost after Vertex made the job is
 * retried into its 409: one job; wait: false then a reconcile pass; a re-run re-attaches to its
 * job; the access token never reaches another host (the artifacts' URIs point at one), a log line,
 * an output or a check run; and the published example runs through the workflow stand-in with google-github-actions/auth's stand-in.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { parse } from 'yaml'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'
import { pipelineJobId } from '../../src/targets/vertex/job-id.js'
import { webhookExample } from '../helpers/events.js'
import { fakeGitHubForLaterPass, type FakeChecks } from '../helpers/fake-github-checks.js'
import { AIPLATFORM_USER, startFakeVertex, type FakeVertex } from '../helpers/fake-vertex.js'
import { faultProxy, type FaultProxy } from '../helpers/fault-proxy.js'
import { listen } from '../helpers/loopback-server.js'
import { ROOT, runAction } from '../helpers/run-action.js'
import { googleAuthStandInToken } from '../helpers/workflow-runner.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_vertexTriggerToken0123456789abcdefgh'
const LATER_TOKEN = 'ghs_vertexLaterToken0123456789abcdefghij'
const ACCESS_TOKEN = 'ya29.c.e2eVertexAccessToken-0123456789_abcdefghijklmnop'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'e'.repeat(40)
const TEMPLATE = 'https://europe-west4-kfp.pkg.dev/ml-prod/pipelines/train/v3'
const ACCOUNT = 'vertex-runner@ml-prod.iam.gserviceaccount.com'

const EXAMPLE = parse(readFileSync(join(ROOT, 'examples/vertex-triggers.yml'), 'utf8')) as {
  targets: { vertex: { project: string; location: string; 'template-uri': string; 'service-account': string } }
}
const EXAMPLE_WORKFLOW = parse(readFileSync(join(ROOT, 'examples/workflows/vertex-training.yml'), 'utf8')) as {
  jobs: { train: { steps: { id?: string; with?: Record<string, string> }[] } }
}
const EXAMPLE_AUTH = EXAMPLE_WORKFLOW.jobs.train.steps.find((step) => step.id === 'auth')!.with!
const EXAMPLE_TOKEN = googleAuthStandInToken(EXAMPLE_AUTH.workload_identity_provider!, EXAMPLE_AUTH.service_account!)

let vertex: FakeVertex
let example: FakeVertex
/** Another loopback host the artifacts' URIs point at: nothing, and no token, may ever reach it. */
let elsewhere: { url: string; close(): void }
const elsewhereSaw: string[] = []
let github: FakeChecks | undefined
let proxy: FaultProxy | undefined
const dirs: string[] = []

const outcome = (values: Record<string, unknown>) =>
  values.fail
    ? ({ end: 'fail', failedTask: 'train', reason: 'ValueError: the loss diverged at epoch 3' } as const)
    : values.hang
      ? ({ end: 'hang' } as const)
      : ({ end: 'succeed', metrics: { train: { accuracy: 0.93, loss: 0.21 }, evaluate: { auc: 0.9 } } } as const)

before(async () => {
  elsewhere = await listen((req, res, body) => {
    elsewhereSaw.push(`${req.method} ${req.url} ${JSON.stringify(req.headers)} ${body}`)
    res.writeHead(404).end()
  })
  vertex = await startFakeVertex({
    project: 'ml-prod',
    location: 'europe-west4',
    tokens: { [ACCESS_TOKEN]: { permissions: AIPLATFORM_USER, actAs: [ACCOUNT] } },
    templates: {
      [TEMPLATE]: {
        learning_rate: { parameterType: 'NUMBER_DOUBLE' },
        epochs: { parameterType: 'NUMBER_INTEGER', isOptional: true },
        fail: { parameterType: 'BOOLEAN', isOptional: true },
        hang: { parameterType: 'BOOLEAN', isOptional: true }
      }
    },
    runMs: 1500,
    outcome,
    artifactBase: `${elsewhere.url}/artifacts`
  })
  const { project, location, 'template-uri': template, 'service-account': account } = EXAMPLE.targets.vertex
  example = await startFakeVertex({
    project,
    location,
    tokens: { [EXAMPLE_TOKEN]: { permissions: AIPLATFORM_USER, actAs: [account] } },
    templates: { [template]: { learning_rate: { parameterType: 'NUMBER_DOUBLE' } } },
    runMs: 1500,
    outcome,
    artifactBase: `${elsewhere.url}/artifacts`
  })
})
after(async () => {
  await Promise.all([vertex?.close(), example?.close()])
  elsewhere?.close()
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  assert.deepEqual([...vertex.violations.splice(0), ...example.violations.splice(0)], [], 'aiplatform.v1 kept')
  assert.deepEqual(elsewhereSaw, [], 'nothing went to the host the artifacts point at')
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    const sent = JSON.stringify(github.requests)
    assert.ok(!sent.includes(ACCESS_TOKEN) && !sent.includes(EXAMPLE_TOKEN), 'no access token reaches GitHub')
  }
  await Promise.all([github?.close(), proxy?.close()])
  github = proxy = undefined
})

/** The config file: one vertex target (keys laid over the defaults) and the pipeline train on it. */
function workspace(pipeline: Record<string, unknown>, target: Record<string, unknown> = {}, endpoint = vertex.url) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-vertex-'))
  dirs.push(dir)
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: {
      vertex: {
        type: 'vertex',
        project: 'ml-prod',
        location: 'europe-west4',
        'template-uri': TEMPLATE,
        'pipeline-root': 'gs://ml-prod-runs/root',
        'service-account': ACCOUNT,
        token: 'env:GOOGLE_ACCESS_TOKEN',
        endpoint,
        ...target
      }
    },
    pipelines: { train: { target: 'vertex', on: { workflow_dispatch: {} }, ...pipeline } }
  }
  // JSON is YAML.
  writeFileSync(join(dir, '.github/pipeline-triggers.yml'), JSON.stringify(config, null, 1))
  return dir
}

async function trigger(dir: string, inputs: Record<string, string> = {}, attempt = '1') {
  github ??= await fakeGitHubForLaterPass(REPOSITORY, TOKEN, LATER_TOKEN)
  return runAction({
    eventName: 'workflow_dispatch',
    payload: webhookExample('workflow_dispatch'),
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    runAttempt: attempt,
    inputs: { token: TOKEN, verdict: 'auto', timeout: '1m', ...inputs },
    env: { GITHUB_API_URL: github.url, GOOGLE_ACCESS_TOKEN: ACCESS_TOKEN }
  })
}

const runs = (outputs: Record<string, string>) =>
  JSON.parse(outputs.runs ?? '[]') as { status: string; 'run-id'?: string }[]
const creates = (server: FakeVertex) =>
  server.requests.filter((r) => r.method === 'POST' && r.path.includes('?pipelineJobId='))

/** The token appears in the log only in the ::add-mask:: command the runner consumes. */
function assertNoToken(text: string, token = ACCESS_TOKEN): void {
  assert.ok(!text.replaceAll(`::add-mask::${token}`, '').includes(token), 'the access token is in no log line')
}

describe('vertex target against the aiplatform.v1 stand-in, through the bundle', () => {
  test('parameters and labels on the job; system.Metrics decide the gate; the link is the console page', async () => {
    const result = await trigger(
      workspace({ parameters: { learning_rate: 0.02, epochs: 3 }, gates: ['train::accuracy >= 0.9'] })
    )
    assert.equal(result.exitCode, 0, result.stdout)
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'completed', result.stdout)
    const jobId = run!['run-id']!.split('/').pop()!
    assert.equal(run!['run-id'], `projects/123456789012/locations/europe-west4/pipelineJobs/${jobId}`)
    const job = vertex.jobs.get(jobId)!
    const body = job.body as { runtimeConfig: Record<string, unknown>; labels: Record<string, string> }
    assert.deepEqual(body.runtimeConfig, {
      gcsOutputDirectory: 'gs://ml-prod-runs/root',
      parameterValues: { learning_rate: 0.02, epochs: 3 }
    })
    assert.equal(jobId, pipelineJobId(body.labels['pipeline-trigger-key']!), 'the id is the key, spelled in a-z and -')
    assert.equal(body.labels['gh-repo'], 'octo-org_ml-repo')
    assert.equal(body.labels['gh-sha'], SHA.slice(0, 12))
    assert.equal(body.labels['chain-depth'], '1')
    assert.match(body.labels['gh-run']!, /^\d+$/)
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success')
    assert.equal(
      check.details_url,
      `https://console.cloud.google.com/vertex-ai/locations/europe-west4/pipelines/runs/${jobId}?project=ml-prod`
    )
    assert.match(check.output.text ?? '', /\| train::accuracy &gt;= 0\\\.9 passed: 0\\\.93 \|/)
    const metrics = readMetricsRecord(check.output.text)?.metrics
    assert.deepEqual({ ...metrics }, { 'train::accuracy': 0.93, 'train::loss': 0.21, 'evaluate::auc': 0.9 })
    assert.equal(check.external_id, `pt1|vertex|vertex|${encodeURIComponent(run!['run-id']!)}`)
    assertNoToken(result.stdout + result.stderr)
    assert.ok(!JSON.stringify(result.outputs).includes(ACCESS_TOKEN), 'no access token in an output')
    assert.ok(
      vertex.requests.every((r) => r.headers.authorization === `Bearer ${ACCESS_TOKEN}`),
      'every call carries the Bearer token, to the endpoint only'
    )
  })

  test("a failing task fails the job and its check run, with Vertex AI's reason", async () => {
    const result = await trigger(workspace({ parameters: { learning_rate: 0.02, fail: true } }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(runs(result.outputs)[0]!.status, 'failed')
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(
      `${check.output.title} ${check.output.summary}`.replaceAll('\\', ''),
      /PIPELINE_STATE_FAILED: The DAG failed because some tasks failed.*failed tasks: train: ValueError: the loss diverged at epoch 3/
    )
  })

  test('a parameter no KFP pipeline takes is refused before any job; dry-run: check asks and starts nothing', async () => {
    const before = creates(vertex).length
    const refused = await trigger(workspace({ parameters: { 'train.learning_rate': 0.02 } }))
    assert.equal(refused.exitCode, 1, refused.stdout)
    assert.match(
      refused.stdout,
      /parameter "train\.learning_rate" is step-qualified.*Fix: give the pipeline function's argument, e\.g\. learning_rate\./
    )
    const checked = await trigger(workspace({ parameters: { learning_rate: 0.02 } }), { 'dry-run': 'check' })
    assert.equal(checked.exitCode, 0, checked.stdout)
    assert.match(checked.stdout, /Checked on target vertex: 1 run\(s\) would start; nothing was started\./)
    const lists = vertex.requests.filter((r) => r.path.includes('/pipelineJobs?pageSize=1'))
    assert.ok(lists.length >= 1, 'the check asked Vertex AI (a read-only list)')
    const denied = await trigger(workspace({ parameters: { learning_rate: 0.02 } }, { project: 'other-project' }), {
      'dry-run': 'check'
    })
    assert.equal(denied.exitCode, 1, denied.stdout)
    assert.match(denied.stdout, /HTTP 404 NOT_FOUND.*Fix: nothing there: check project \(other-project\)/)
    assert.equal(creates(vertex).length, before, 'no job was created')
    assert.equal(github!.checkRuns.length, 0, 'no check run was opened')
  })

  test('cancel-on-timeout: a job still running at the deadline is cancelled on Vertex AI', async () => {
    const result = await trigger(
      workspace({ parameters: { learning_rate: 0.02, hang: true } }, { 'cancel-on-timeout': true }),
      { timeout: '5s' }
    )
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    const job = vertex.jobs.get(run!['run-id']!.split('/').pop()!)!
    assert.ok(job.cancelledAt !== undefined, 'the :cancel reached Vertex AI')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'timed_out')
  })

  test('a create whose answer was lost after Vertex made the job is retried into its 409: exactly one job', async () => {
    let posts = 0
    proxy = await faultProxy(
      'lose',
      (method, path) => method === 'POST' && path.includes('?pipelineJobId=') && ++posts === 1,
      vertex.url
    )
    const before = creates(vertex).length
    const jobs = vertex.jobs.size
    const result = await trigger(workspace({ parameters: { learning_rate: 0.05 } }, {}, proxy.url))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(proxy.faulted, 1, 'the first create reached Vertex AI; its answer did not come back')
    assert.equal(creates(vertex).length, before + 2, 'sent twice, the same pipelineJobId')
    assert.equal(vertex.jobs.size, jobs + 1, 'one job')
    assert.equal(runs(result.outputs)[0]!.status, 'completed')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'success')
  })

  test('wait: false leaves the check run open; a reconcile pass asks Vertex AI by the job name and completes it', async () => {
    const dir = workspace({ parameters: { learning_rate: 0.03 }, gates: ['train::accuracy >= 0.9'] })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github!.checkRuns[0]!.current.status, 'in_progress')
    github!.seedWorkflowRun({ id: 9300, head_sha: SHA, created_at: new Date().toISOString() })
    await new Promise((resolve) => setTimeout(resolve, 1600))
    const pass = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github: github!,
      token: LATER_TOKEN,
      env: { GOOGLE_ACCESS_TOKEN: ACCESS_TOKEN }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(readMetricsRecord(final.output.text)?.metrics['train::accuracy'], 0.93)
    assertNoToken(pass.stdout + pass.stderr)
  })

  test('a re-run of the job (attempt 2) re-attaches to the job the first attempt started, by its name, and creates none', async () => {
    const dir = workspace({ parameters: { learning_rate: 0.06 } })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    const [runId] = runs(first.outputs).map((r) => r['run-id'])
    const before = creates(vertex).length
    const second = await trigger(dir, { wait: 'true' }, '2')
    assert.equal(second.exitCode, 0, second.stdout)
    assert.match(second.stdout, /an earlier attempt of this job started is (running|completed): re-attached to it/)
    assert.equal(creates(vertex).length, before, 'no create, not even one answered 409')
    assert.equal(runs(second.outputs)[0]!['run-id'], runId)
    assert.equal(github!.checkRuns.length, 1, 'the same check run, completed')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'success')
  })

  test('the published example: vertex-training.yml on a push of data, with the auth step, runs one job and the gate decides', async () => {
    const config = publishedConfigWith(
      'examples/vertex-triggers.yml',
      /^(\s*)# endpoint: https:\/\/europe-west4-aiplatform\.googleapis\.com .*$/m,
      `$1endpoint: ${example.url}`
    )
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/vertex-training.yml',
        configPath: 'examples/vertex-triggers.yml',
        config,
        repository: REPOSITORY,
        credentials: [EXAMPLE_TOKEN]
      },
      ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        assert.equal(example.jobs.size, 1, 'one pipeline job for the push')
        const [job] = [...example.jobs.values()]
        assert.deepEqual((job!.body.runtimeConfig as Record<string, unknown>).parameterValues, { learning_rate: 0.01 })
        assert.ok(
          example.requests.every((r) => r.headers.authorization === `Bearer ${EXAMPLE_TOKEN}`),
          "the auth step's token"
        )
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', log)
        assert.match(
          check.output.text ?? '',
          /\| train::accuracy &gt;= 0\\\.9 passed: 0\\\.93 \|/,
          'the gate decided it'
        )
        assert.ok(log.includes(`::add-mask::${EXAMPLE_TOKEN}`), 'the auth step masked its token')
        assertNoToken(log, EXAMPLE_TOKEN)
      }
    )
  })
})
