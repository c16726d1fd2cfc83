/**
 * The vertex target against the Vertex AI stand-in (test/helpers/fake-vertex.ts), whose every
 * request and reply is checked against the aiplatform.v1 discovery document: the request it sends
 * (path, pipelineJobId, body, labels, Bearer token), a repeat answered 409 and followed, every
 * PIPELINE_STATE_* word, a failure with Google's and the task's reasons, cancel, metrics from
 * system.Metrics artifacts, follow from the recorded run id, each refusal with its fix (401, 403 for
 * the role and for actAs, 404, 400 for a parameter), 429/503 and a lost answer as transient, and the
 * token in none of its forms in any message.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, describe, test } from 'node:test'
import type { RunRequest } from '../../src/core/run-request.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { pipelineJobId } from '../../src/targets/vertex/job-id.js'
import { jobLabels, labelValue } from '../../src/targets/vertex/labels.js'
import { resolveVertex, type ResolvedVertex } from '../../src/targets/vertex/resolve.js'
import type { Config } from '../../src/targets/vertex/schema.js'
import { VertexApi } from '../../src/targets/vertex/vertex-api.js'
import { VertexTarget } from '../../src/targets/vertex/vertex-target.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { AIPLATFORM_USER, startFakeVertex, type FakeVertex } from '../helpers/fake-vertex.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms } from '../helpers/scripted-server.js'

const TOKEN = 'ya29.c.unitTestAccessToken-0123456789_abcdefXYZ'
const VIEWER = 'ya29.c.viewerOnlyToken-0123456789'
const TEMPLATE = 'https://europe-west4-kfp.pkg.dev/ml-prod/pipelines/train/v1'
const ACCOUNT = 'trainer@ml-prod.iam.gserviceaccount.com'
const PROVENANCE = [
  'github-actions',
  'repo:Octo-Org/ml-repo',
  'sha:0123456789ab',
  'ref:refs/heads/main',
  'gh-run:https://github.com/Octo-Org/ml-repo/actions/runs/9876'
]

let vertex: FakeVertex
before(async () => {
  vertex = await startFakeVertex({
    project: 'ml-prod',
    location: 'europe-west4',
    tokens: {
      [TOKEN]: { permissions: AIPLATFORM_USER, actAs: [ACCOUNT] },
      [VIEWER]: { permissions: ['aiplatform.pipelineJobs.list', 'aiplatform.pipelineJobs.get'] }
    },
    templates: {
      [TEMPLATE]: {
        learning_rate: { parameterType: 'NUMBER_DOUBLE' },
        fail: { parameterType: 'BOOLEAN', isOptional: true },
        hang: { parameterType: 'BOOLEAN', isOptional: true }
      }
    },
    // QUEUED and PENDING for 200 ms, RUNNING for 200 ms more: long enough to be seen on a loaded machine.
    runMs: 400,
    outcome: (values) =>
      values.fail
        ? { end: 'fail', failedTask: 'train', reason: 'ValueError: the loss diverged' }
        : values.hang
          ? { end: 'hang' }
          : { end: 'succeed', metrics: { train: { accuracy: 0.93, loss: 0.2 }, evaluate: { auc: 0.88 } } }
  })
})
after(() => vertex.close())
afterEach(() => {
  assert.deepEqual(vertex.violations.splice(0), [], 'requests and replies keep to the aiplatform.v1 discovery document')
})

function config(overrides: Partial<Config> = {}, env: Record<string, string> = { GCP_TOKEN: TOKEN }): ResolvedVertex {
  return resolveVertex(
    'vertex',
    {
      type: 'vertex',
      project: 'ml-prod',
      location: 'europe-west4',
      'template-uri': TEMPLATE,
      'pipeline-root': 'gs://ml-prod-runs/root',
      'service-account': ACCOUNT,
      token: 'env:GCP_TOKEN',
      endpoint: vertex.url,
      ...overrides
    },
    { inputs: { cancelOnTimeout: false }, secrets: { env, mask: () => undefined }, maxParallel: 4 }
  )
}
const target = (resolved = config()) => new VertexTarget(resolved, new VertexApi(resolved, new FakeClock()), PROVENANCE)
const signal = () => AbortSignal.timeout(15_000)
let keys = 0
/** A request with a fresh idempotency key: each test's jobs are its own. */
const request = (fields: Partial<RunRequest> = {}) =>
  runRequest({
    target: 'vertex',
    idempotencyKey: `pt-${(++keys).toString(16).padStart(4, '0')}0123456789abcdef0123456789ab`,
    parameters: { learning_rate: 0.01 },
    ...fields
  })

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read()
    if (done(value)) return value
    await new Promise((resolve) => setTimeout(resolve, 15))
  }
  throw new Error('never happened')
}

describe('vertex target against the aiplatform.v1 stand-in', () => {
  test('pipelineJobId: the key with digits as g–p, within `/a-z-/` and the SDK pattern, one to one', () => {
    const id = pipelineJobId('pt-0123456789abcdef0123456789abcdef')
    assert.equal(id, 'pt-ghijklmnopabcdefghijklmnopabcdef')
    assert.match(id, /^[a-z-]{1,127}$/)
    assert.match(id, /^[a-z][-a-z0-9]{0,127}$/)
    assert.notEqual(pipelineJobId('pt-0a'), pipelineJobId('pt-a0'))
    assert.equal(pipelineJobId('9x'), 'px')
  })

  test("labels: provenance, chain and key within Google's rules (≤ 63, lowercase, digits, _ -), long values cut with a digest", () => {
    const labels = jobLabels('pt-abc123', PROVENANCE, {
      root: 'https://github.com/Octo-Org/ml-repo/actions/runs/42',
      depth: 2,
      chain: ['a', 'b']
    })
    assert.deepEqual(labels, {
      source: 'github-actions',
      'gh-repo': 'octo-org_ml-repo',
      'gh-sha': '0123456789ab',
      'gh-ref': 'refs_heads_main',
      'gh-run': '9876',
      'chain-root': '42',
      'chain-depth': '2',
      'pipeline-trigger-key': 'pt-abc123'
    })
    const long = labelValue(`refs/heads/${'feature-'.repeat(20)}`)
    assert.equal(long.length, 63)
    assert.notEqual(long, labelValue(`refs/heads/${'feature-'.repeat(20)}x`))
    for (const [key, value] of Object.entries(labels)) {
      assert.match(key, /^[a-z][a-z0-9_-]{0,62}$/)
      assert.match(value, /^[a-z0-9_-]{0,63}$/)
    }
  })

  test('start sends create with the id, template, parameters, root, account and labels; a repeat is 409 and follows the same job', async () => {
    const vertexTarget = target()
    const req = request()
    await vertexTarget.prepare(req, signal())
    const handle = await vertexTarget.start(req, signal())
    const jobId = pipelineJobId(req.idempotencyKey)
    assert.equal(
      handle.runId,
      `projects/123456789012/locations/europe-west4/pipelineJobs/${jobId}`,
      "Vertex's name, with the project number"
    )
    assert.equal(
      handle.runUrl,
      `https://console.cloud.google.com/vertex-ai/locations/europe-west4/pipelines/runs/${jobId}?project=ml-prod`
    )
    const create = vertex.requests.find((r) => r.method === 'POST' && r.path.includes(jobId))!
    assert.equal(create.path, `/v1/projects/ml-prod/locations/europe-west4/pipelineJobs?pipelineJobId=${jobId}`)
    assert.equal(create.headers.authorization, `Bearer ${TOKEN}`)
    const body = create.body as Record<string, any>
    assert.deepEqual(body.runtimeConfig, {
      gcsOutputDirectory: 'gs://ml-prod-runs/root',
      parameterValues: { learning_rate: 0.01 }
    })
    assert.equal(body.templateUri, TEMPLATE)
    assert.equal(body.serviceAccount, ACCOUNT)
    assert.equal(body.displayName, req.runName)
    assert.equal(body.labels['pipeline-trigger-key'], req.idempotencyKey)
    assert.equal(body.labels['chain-depth'], '1')
    // A second start of the same key (a lost answer retried, a re-run): 409, the same job, no second one.
    const jobs = vertex.jobs.size
    const again = await vertexTarget.start(req, signal())
    assert.equal(again.jobId, jobId)
    assert.equal(vertex.jobs.size, jobs, 'no second job')
    const state = await until(
      () => vertexTarget.status(again, signal()),
      (s) => s.status !== 'running'
    )
    assert.equal(state.status, 'completed')
    assert.equal(state.detail, 'succeeded')
  })

  test('the states on the way: queued, pending, running, then succeeded with metrics from system.Metrics as task::name', async () => {
    const vertexTarget = target()
    const handle = await vertexTarget.start(request(), signal())
    const seen = new Set<string>()
    const final = await until(
      async () => {
        const state = await vertexTarget.status(handle, signal())
        seen.add(state.detail!)
        return state
      },
      (s) => s.status !== 'running'
    )
    assert.equal(final.status, 'completed')
    assert.ok(seen.has('running'), [...seen].join())
    const { metrics, ignored } = await vertexTarget.metrics(handle, signal())
    assert.deepEqual({ ...metrics }, { 'train::accuracy': 0.93, 'train::loss': 0.2, 'evaluate::auc': 0.88 })
    assert.deepEqual(ignored, [], 'the system.Model artifact is not read as metrics')
    const read = vertex.requests.filter((r) => r.method === 'GET' && r.path.includes(handle.jobId)).at(-1)!
    assert.match(read.path, /\?fields=name%2Cstate%2Cerror%2CjobDetail%2FtaskDetails/)
  })

  test("a failed job says Google's error and the failed task's", async () => {
    const vertexTarget = target()
    const handle = await vertexTarget.start(request({ parameters: { learning_rate: 0.01, fail: true } }), signal())
    const state = await until(
      () => vertexTarget.status(handle, signal()),
      (s) => s.status !== 'running'
    )
    assert.equal(state.status, 'failed')
    assert.match(
      state.message!,
      /^Vertex AI reports PIPELINE_STATE_FAILED: The DAG failed because some tasks failed\. The failed tasks are: \[train\].* \(failed tasks: train: ValueError: the loss diverged\)$/
    )
  })

  test('cancel moves a running job through CANCELLING to CANCELLED; a cancel of a job that is over is no error', async () => {
    const vertexTarget = target()
    const handle = await vertexTarget.start(request({ parameters: { learning_rate: 0.01, hang: true } }), signal())
    await vertexTarget.cancel(handle, signal())
    const cancel = vertex.requests.at(-1)!
    assert.equal(cancel.path, `/v1/projects/ml-prod/locations/europe-west4/pipelineJobs/${handle.jobId}:cancel`)
    assert.deepEqual(cancel.body, {})
    const state = await until(
      () => vertexTarget.status(handle, signal()),
      (s) => s.status !== 'running'
    )
    assert.equal(state.status, 'cancelled')
    assert.match(state.message!, /PIPELINE_STATE_CANCELLED: CANCELLED/)
    await vertexTarget.cancel(handle, signal())
  })

  test('follow: from the recorded resource name, or a bare job id; another region or a stranger is refused', async () => {
    const vertexTarget = target()
    const handle = await vertexTarget.start(request(), signal())
    const followed = vertexTarget.follow(handle.runId)
    assert.deepEqual(followed, handle)
    assert.equal(
      (await vertexTarget.status(vertexTarget.follow(handle.jobId), signal())).runId?.split('/').pop(),
      handle.jobId
    )
    assert.match(
      (
        await rejection(
          Promise.resolve().then(() =>
            vertexTarget.follow(`projects/ml-prod/locations/us-central1/pipelineJobs/${handle.jobId}`)
          )
        )
      ).message,
      /is in us-central1, and the target's location is europe-west4/
    )
    assert.match(
      (await rejection(Promise.resolve().then(() => vertexTarget.follow('../../x')))).message,
      /is not a Vertex AI pipeline job as this action records it/
    )
  })

  test('follow: a recorded name never moves the calls to another project, path or query (reconcile reads it from a check run)', async () => {
    const vertexTarget = target()
    const handle = await vertexTarget.start(request(), signal())
    for (const smuggled of [
      `projects/other-project/locations/europe-west4/pipelineJobs/${handle.jobId}`,
      `projects/..%2F..%2Fv1%2Fprojects%2Fother/locations/europe-west4/pipelineJobs/${handle.jobId}`,
      `projects/ml-prod?alt=media&x=/locations/europe-west4/pipelineJobs/${handle.jobId}`,
      `projects/ml-prod#/locations/europe-west4/pipelineJobs/${handle.jobId}`,
      `projects/../locations/europe-west4/pipelineJobs/${handle.jobId}`
    ]) {
      const error = await rejection(Promise.resolve().then(() => vertexTarget.follow(smuggled)))
      assert.match(error.message, /is in project|is not a Vertex AI pipeline job as this action records it/, smuggled)
    }
    // The name Vertex AI gives carries the project's number: followed, its calls still go to the target's project.
    const before = vertex.requests.length
    const followed = vertexTarget.follow(`projects/4242/locations/europe-west4/pipelineJobs/${handle.jobId}`)
    await vertexTarget.status(followed, signal())
    assert.deepEqual(
      vertex.requests.slice(before).map((r) => r.path.replace(/\?.*$/, '')),
      [`/v1/projects/ml-prod/locations/europe-west4/pipelineJobs/${handle.jobId}`]
    )
  })

  test("without template-uri, the pipeline's name is the template when it is an Artifact Registry URL; otherwise refused with the fix", async () => {
    const bare = target(config({ 'template-uri': undefined }))
    const handle = await bare.start(request({ pipelineName: TEMPLATE }), signal())
    assert.equal((vertex.jobs.get(handle.jobId)!.body as { templateUri: string }).templateUri, TEMPLATE)
    assert.match(
      (await rejection(bare.prepare(request(), signal()))).message,
      /target vertex has no template-uri, and the pipeline's name: "training_pipeline" is not a pipeline template in Artifact Registry\. Fix: give the compiled pipeline's Artifact Registry URL/
    )
  })

  test('prepare refuses a null value, a name no KFP pipeline has, and a gs:// template, before anything is sent', async () => {
    const before = vertex.requests.length
    const vertexTarget = target()
    assert.match(
      (await rejection(vertexTarget.prepare(request({ parameters: { learning_rate: null } }), signal()))).message,
      /parameter learning_rate is null.*Fix: give a value, or leave learning_rate out/
    )
    assert.match(
      (await rejection(vertexTarget.prepare(request({ parameters: { 'learning-rate': 0.1 } }), signal()))).message,
      /"learning-rate" cannot be a KFP pipeline parameter .*e\.g\. learning_rate/
    )
    assert.match(
      (await rejection(Promise.resolve().then(() => config({ 'template-uri': 'gs://ml-prod/train.yaml' })))).message,
      /not a pipeline template in Artifact Registry\. Fix: Vertex AI downloads a template only from Artifact Registry/
    )
    assert.equal(vertex.requests.length, before, 'nothing was sent')
  })

  test('an unknown parameter, or one of the wrong type, is refused by Vertex AI at create with the fix, and no job is made', async () => {
    const jobs = vertex.jobs.size
    const error = await rejection(target().start(request({ parameters: { learning_rat: 0.01 } }), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /HTTP 400 INVALID_ARGUMENT: The pipeline parameter learning_rat is not found in the pipeline job input definitions\. Fix: Vertex AI refused the job: a parameter/
    )
    const typed = await rejection(target().start(request({ parameters: { learning_rate: 'fast' } }), signal()))
    assert.match(typed.message, /not of type NUMBER_DOUBLE/)
    assert.equal(vertex.jobs.size, jobs)
  })

  test('401, 403 (the role; actAs on the service account) and 404 name their fix; the token is in no message', async () => {
    const expired = target(config({}, { GCP_TOKEN: 'ya29.expired-token-000000' }))
    assert.match(
      (await rejection(expired.prepare(request(), signal()))).message,
      /HTTP 401 UNAUTHENTICATED: Request had invalid authentication credentials.*Fix: Google refused the access token: it expired .*access_token_lifetime.*token_format: access_token/
    )
    const viewer = target(config({}, { GCP_TOKEN: VIEWER }))
    await viewer.prepare(request(), signal())
    assert.match(
      (await rejection(viewer.start(request(), signal()))).message,
      /HTTP 403 PERMISSION_DENIED: Permission 'aiplatform\.pipelineJobs\.create' denied.*Fix: grant the identity .* roles\/aiplatform\.user on project ml-prod/
    )
    const other = target(config({ 'service-account': 'other@ml-prod.iam.gserviceaccount.com' }))
    assert.match(
      (await rejection(other.start(request(), signal()))).message,
      /iam\.serviceAccounts\.actAs.*Fix: the identity the token stands for may not act as other@ml-prod\.iam\.gserviceaccount\.com: grant it roles\/iam\.serviceAccountUser/
    )
    const elsewhere = target(config({ location: 'us-central1', endpoint: vertex.url }))
    assert.match(
      (await rejection(elsewhere.prepare(request(), signal()))).message,
      /HTTP 404 NOT_FOUND.*Fix: nothing there: check project \(ml-prod\) and location \(us-central1\)/
    )
  })

  test('429 and 503 are transient (with Retry-After), a lost answer too; an echoed token is redacted in every form', async () => {
    vertex.failNext(429, 1, /pipelineJobs\?pipelineJobId/)
    const throttled = await rejection(target().start(request(), signal()))
    assert.ok(isTransient(throttled), throttled.message)
    assert.match(throttled.message, /HTTP 429 RESOURCE_EXHAUSTED: Quota exceeded/)
    vertex.failNext(503, 1)
    assert.ok(isTransient(await rejection(target().prepare(request(), signal()))))
    const server = await scriptedServer((_, i) =>
      i === 0
        ? 'reset'
        : { status: 400, body: { error: { code: 400, message: echoing(TOKEN), status: 'INVALID_ARGUMENT' } } }
    )
    try {
      const lost = await rejection(target(config({ endpoint: server.url })).start(request(), signal()))
      assert.ok(isTransient(lost), lost.message)
      const echoed = await rejection(target(config({ endpoint: server.url })).start(request(), signal()))
      for (const form of secretForms(TOKEN))
        assert.ok(!echoed.message.includes(form), `no ${form} in ${echoed.message}`)
      assert.match(echoed.message, /\*\*\*/)
    } finally {
      await server.close()
    }
  })

  test('resolve: the regional endpoint by default, https only, and the token from env: (empty is refused)', () => {
    const resolved = resolveVertex(
      'v',
      {
        type: 'vertex',
        project: 'ml-prod',
        location: 'us-central1',
        'pipeline-root': 'gs://b/r',
        token: 'env:T'
      },
      { inputs: { cancelOnTimeout: true }, secrets: { env: { T: TOKEN }, mask: () => undefined }, maxParallel: 2 }
    )
    assert.equal(resolved.endpoint, 'https://us-central1-aiplatform.googleapis.com')
    assert.equal(resolved.cancelOnTimeout, true)
    assert.throws(() => config({ endpoint: 'http://vertex.example.com' }), /must use https/)
    assert.throws(() => config({}, {}), /GCP_TOKEN \(token: env:GCP_TOKEN\) is empty/)
  })
})

describe('vertex target: a status reply outside the model', () => {
  test('a state word aiplatform.v1 does not have is an error naming the job and the endpoint, not "running" until the timeout; PAUSED is still going', async () => {
    const name = 'projects/123456789012/locations/europe-west4/pipelineJobs/pt-abc'
    let state: unknown = 'PIPELINE_STATE_EXPLODED'
    const server = await scriptedServer(() => ({ status: 200, body: { name, state } }))
    try {
      const vertexTarget = target({ ...config(), endpoint: server.url })
      const error = await rejection(vertexTarget.status(vertexTarget.follow(name), signal()))
      assert.ok(error instanceof UserError, error.message)
      assert.match(
        error.message,
        /reading pipeline job pt-abc: Vertex AI at http:\/\/127\.0\.0\.1:\d+ answered state "PIPELINE_STATE_EXPLODED", which aiplatform\.v1 does not have \(.*PIPELINE_STATE_PAUSED.*\)\. Fix: check that endpoint is the Vertex AI API/
      )
      state = 'PIPELINE_STATE_PAUSED'
      assert.deepEqual(
        { ...(await vertexTarget.status(vertexTarget.follow(name), signal())), runUrl: undefined },
        { status: 'running', runId: name, runUrl: undefined, detail: 'paused' }
      )
    } finally {
      await server.close()
    }
  })

  test("a failed job's message carries no token, even one a task's name echoes", async () => {
    const name = 'projects/123456789012/locations/europe-west4/pipelineJobs/pt-abc'
    const server = await scriptedServer(() => ({
      status: 200,
      body: {
        name,
        state: 'PIPELINE_STATE_FAILED',
        error: { code: 9, message: 'The DAG failed' },
        jobDetail: { taskDetails: [{ taskName: `train-${TOKEN}`, state: 'FAILED', error: { message: 'boom' } }] }
      }
    }))
    try {
      const vertexTarget = target({ ...config(), endpoint: server.url })
      const state = await vertexTarget.status(vertexTarget.follow(name), signal())
      assert.match(state.message!, /failed tasks: train-\*\*\*: boom/)
      for (const form of secretForms(TOKEN)) assert.ok(!state.message!.includes(form), form)
    } finally {
      await server.close()
    }
  })

  test('a 409 that is not ALREADY_EXISTS (ABORTED) made no job: the start is transient, not a job that does not exist followed', async () => {
    const server = await scriptedServer(() => ({
      status: 409,
      body: { error: { code: 409, status: 'ABORTED', message: 'Concurrent modification, try again.' } }
    }))
    try {
      const error = await rejection(target({ ...config(), endpoint: server.url }).start(request(), signal()))
      assert.ok(isTransient(error), error.message)
      assert.match(error.message, /answered HTTP 409 ABORTED: Concurrent modification, try again, not ALREADY_EXISTS/)
    } finally {
      await server.close()
    }
  })
})
