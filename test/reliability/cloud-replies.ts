/**
 * The sagemaker, vertex, databricks and kubeflow targets fed spoiled server replies, in-process
 * (one call per step, no retries). The unspoiled replies come from each service's validated
 * stand-in (test/helpers/fake-sagemaker.ts, fake-vertex.ts, fake-databricks.ts, fake-kubeflow.ts,
 * each holding requests and replies to the service's published model), through a loopback proxy
 * that forwards every request as it came, Host included (SageMaker's SigV4 signature covers it),
 * and spoils exactly one reply of each case (spoilReply). Each target is resolved from a config
 * whose credentials come from the environment, as in a workflow, and no message, state or reading
 * may hold a credential (the Databricks tokens the stand-in mints included) in any of its forms.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import fc from 'fast-check'
import { Deadline, realClock } from '../../src/clock.js'
import { DatabricksApi } from '../../src/targets/databricks/databricks-api.js'
import { DatabricksTarget } from '../../src/targets/databricks/databricks-target.js'
import { resolveDatabricks } from '../../src/targets/databricks/resolve.js'
import { schema as databricksSchema } from '../../src/targets/databricks/schema.js'
import { WorkspaceToken } from '../../src/targets/databricks/workspace-token.js'
import { KubeflowApi } from '../../src/targets/kubeflow/kubeflow-api.js'
import { KubeflowTarget } from '../../src/targets/kubeflow/kubeflow-target.js'
import { resolveKubeflow } from '../../src/targets/kubeflow/resolve.js'
import { schema as kubeflowSchema } from '../../src/targets/kubeflow/schema.js'
import { resolveSageMaker } from '../../src/targets/sagemaker/resolve.js'
import { SageMakerApi } from '../../src/targets/sagemaker/sagemaker-api.js'
import { SageMakerTarget } from '../../src/targets/sagemaker/sagemaker-target.js'
import { schema as sagemakerSchema } from '../../src/targets/sagemaker/schema.js'
import { resolveVertex } from '../../src/targets/vertex/resolve.js'
import { schema as vertexSchema } from '../../src/targets/vertex/schema.js'
import { VertexApi } from '../../src/targets/vertex/vertex-api.js'
import { VertexTarget } from '../../src/targets/vertex/vertex-target.js'
import { FakeDatabricks } from '../helpers/fake-databricks.js'
import { startFakeKubeflow } from '../helpers/fake-kubeflow.js'
import { startFakeSageMaker } from '../helpers/fake-sagemaker.js'
import { AIPLATFORM_USER, startFakeVertex } from '../helpers/fake-vertex.js'
import { kubeflowModel } from '../helpers/kubeflow-model.js'
import { listen } from '../helpers/loopback-server.js'
import { runRequest } from '../helpers/run-request.js'
import { secretForms } from '../helpers/scripted-server.js'
import { spoilReply, spoils, type Spoil } from './server-replies.js'

/** The credentials, each with characters that change in every encoding. */
const AWS = {
  accessKeyId: 'ASIAFUZZKEY012345678',
  secretAccessKey: 'fuzz/Secret+Access="Key"0123456789abcdef',
  sessionToken: 'IQoJfuzz/session+"token"=='
}
const GCP_TOKEN = 'ya29.fuzz/"access"+token=1'
const KFP_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.fuzz/"kfp"+token=2'
const SP = { clientId: '7f3a1c2e-0000-4000-8000-00000000f022', clientSecret: 'dose/fuzz+"secret"=3' }
const ENV = {
  AWS_ACCESS_KEY_ID: AWS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: AWS.secretAccessKey,
  AWS_SESSION_TOKEN: AWS.sessionToken,
  AWS_REGION: 'us-east-1',
  GCP_TOKEN,
  KFP_TOKEN,
  DATABRICKS_CLIENT_SECRET: SP.clientSecret
}
const resolveContext = { inputs: { cancelOnTimeout: false }, secrets: { env: ENV, mask: () => {} }, maxParallel: 1 }

/** A fresh idempotency key (35 characters) per start that must make a run of its own. */
let keys = 0
const freshKey = () => `pt-${(++keys).toString(16).padStart(8, '0')}${'0123456789abcdef'.repeat(2).slice(8)}`

/**
 * A loopback proxy in front of `upstream` that forwards each request as it came (method, path,
 * headers with Host, body) and spoils the `spoil.reply`-th reply of the case. `seen` is handed
 * each unspoiled reply (to learn the tokens a stand-in mints).
 */
async function spoilingProxy(upstream: string, seen: (path: string, text: string) => void = () => {}) {
  const target = new URL(upstream)
  let spoil: Spoil | undefined
  let replies = 0
  const proxy = await listen((req, res, body) => {
    const index = replies++
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers as IncomingHttpHeaders
      },
      (answer) => {
        const chunks: Buffer[] = []
        answer.on('data', (chunk: Buffer) => chunks.push(chunk))
        answer.on('end', () => {
          const real = { status: answer.statusCode ?? 502, text: Buffer.concat(chunks).toString('utf8') }
          seen(req.url ?? '', real.text)
          const sent = spoil && index === spoil.reply ? spoilReply(real.status, real.text, spoil) : real
          const headers: Record<string, string> = {
            'content-type': answer.headers['content-type'] ?? 'application/json'
          }
          if (typeof answer.headers.location === 'string') headers.location = answer.headers.location
          res.writeHead(sent.status, headers).end(sent.text)
        })
      }
    )
    forward.on('error', () => res.destroy())
    forward.end(body)
  })
  return {
    url: proxy.url,
    /** Replies the last case had. */
    get replies() {
      return replies
    },
    next(value: Spoil | undefined) {
      spoil = value
      replies = 0
    },
    close: proxy.close
  }
}

/** What a case's calls returned (states, readings), for the judge to look through for a credential. */
type Outcome = unknown[]

interface CloudExchange {
  name: string
  /** How the run ends on the service, each decided by the request (its parameters or key). */
  variants: string[]
  /** The credentials in the config; the judge takes each in every form. */
  secrets: string[]
  /** The stand-in, up once for the whole run. */
  start(): Promise<{ url: string; violations: string[]; forget(): void; close(): Promise<void> }>
  /** A credential the stand-in issued in this reply (a minted token), if any. */
  issued?(path: string, text: string): string | undefined
  /** The calls the executor makes, once each; what they returned. */
  run(url: string, variant: string, signal: AbortSignal): Promise<Outcome>
  /** What the unspoiled exchange ends in, per variant: proof the stand-in's replies are read as they are. */
  expect: Record<string, RegExp>
  /** Runs made by the first unspoiled pass and then reused by key need this long to end. */
  settleMs?: number
}

const sagemaker: CloudExchange = {
  name: 'sagemaker',
  // Succeeded: its metrics are read; Failed: the failed steps are read; never: it is stopped.
  variants: ['Succeeded', 'Failed', 'never'],
  secrets: [AWS.accessKeyId, AWS.secretAccessKey, AWS.sessionToken],
  async start() {
    const fake = await startFakeSageMaker({
      credentials: AWS,
      pipelines: {
        train: {
          parameters: [
            { Name: 'LearningRate', Type: 'Float', DefaultValue: 0.1 },
            { Name: 'End', Type: 'String', DefaultValue: 'Succeeded' }
          ],
          outcome: (p) =>
            p.End === 'Failed'
              ? { end: 'Failed', afterMs: 0, failureReason: 'Step failure: One or multiple steps failed.' }
              : p.End === 'never'
                ? { end: 'never' }
                : { end: 'Succeeded', afterMs: 0, metrics: { 'validation:accuracy': 0.93 } }
        }
      }
    })
    return {
      url: fake.url,
      violations: fake.violations,
      forget: () => {
        fake.calls.length = 0
        fake.authFailures.length = 0
      },
      close: fake.close
    }
  },
  async run(url, variant, signal) {
    const resolved = resolveSageMaker(
      'sagemaker',
      sagemakerSchema.parse({ type: 'sagemaker', endpoint: url, pipeline: 'train' }),
      resolveContext
    )
    const target = new SageMakerTarget(resolved, new SageMakerApi(resolved, realClock))
    const request = runRequest({
      target: 'sagemaker',
      pipelineName: 'train',
      parameters: { LearningRate: 0.01, End: variant },
      idempotencyKey: freshKey()
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    if (variant === 'never') return [state, await target.cancel(handle, signal)]
    return [state, state.status === 'completed' ? await target.metrics(handle, signal) : undefined]
  },
  expect: {
    Succeeded: /"status":"completed".*"validation:accuracy"/,
    Failed: /"status":"failed".*failed steps: Train/,
    never: /"status":"running"/
  }
}

const TEMPLATE = 'https://us-central1-kfp.pkg.dev/ml-prod/pipelines/train/v1'
const vertex: CloudExchange = {
  name: 'vertex',
  // succeed: its metrics are read; fail: the failed task in the message; hang: it is cancelled.
  variants: ['succeed', 'fail', 'hang'],
  secrets: [GCP_TOKEN],
  async start() {
    const fake = await startFakeVertex({
      project: 'ml-prod',
      location: 'us-central1',
      tokens: { [GCP_TOKEN]: { permissions: AIPLATFORM_USER } },
      templates: {
        [TEMPLATE]: {
          learning_rate: { parameterType: 'NUMBER_DOUBLE' },
          end: { parameterType: 'STRING' }
        }
      },
      runMs: 0,
      outcome: (values) =>
        values.end === 'fail'
          ? { end: 'fail', failedTask: 'train', reason: 'ValueError: the loss diverged' }
          : values.end === 'hang'
            ? { end: 'hang' }
            : { end: 'succeed', metrics: { train: { accuracy: 0.93 } } }
    })
    return {
      url: fake.url,
      violations: fake.violations,
      forget: () => void (fake.requests.length = 0),
      close: fake.close
    }
  },
  async run(url, variant, signal) {
    const resolved = resolveVertex(
      'vertex',
      vertexSchema.parse({
        type: 'vertex',
        project: 'ml-prod',
        location: 'us-central1',
        'template-uri': TEMPLATE,
        'pipeline-root': 'gs://ml-prod-runs/root',
        token: 'env:GCP_TOKEN',
        endpoint: url
      }),
      resolveContext
    )
    const target = new VertexTarget(resolved, new VertexApi(resolved, realClock), ['github-actions'])
    const request = runRequest({
      target: 'vertex',
      parameters: { learning_rate: 0.01, end: variant },
      idempotencyKey: freshKey()
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    if (variant === 'hang') return [state, await target.cancel(handle, signal)]
    return [state, state.status === 'completed' ? await target.metrics(handle, signal) : undefined]
  },
  expect: {
    succeed: /"status":"completed".*"train::accuracy"|"status":"completed".*"accuracy"/,
    fail: /"status":"failed".*loss diverged/,
    hang: /"status":"running"/
  }
}

const KEYS = { success: 'pt-success0123456789abcdef0123456789', failed: 'pt-failed00123456789abcdef0123456789' }
const databricks: CloudExchange = {
  name: 'databricks',
  // success and failed: runs made by the first pass, found again by their key (run-now's
  // idempotency_token), so no case waits for one to end; running: a new run, cancelled.
  variants: ['success', 'failed', 'running'],
  secrets: [SP.clientSecret, `${SP.clientId}:${SP.clientSecret}`],
  async start() {
    const fake = await FakeDatabricks.start({
      servicePrincipal: SP,
      jobs: [
        {
          job_id: 101,
          name: 'train',
          parameters: [
            { name: 'lr', default: '0.1' },
            { name: 'fail', default: 'false' },
            { name: 'sleep_s', default: '0' }
          ],
          tasks: ['prepare', 'train'],
          metricsTask: 'train'
        }
      ]
    })
    return {
      url: fake.url,
      violations: fake.violations,
      forget: () => void (fake.requests.length = 0),
      close: () => fake.close()
    }
  },
  issued(path, text) {
    if (!path.startsWith('/oidc/v1/token')) return undefined
    try {
      const token = (JSON.parse(text) as { access_token?: unknown }).access_token
      return typeof token === 'string' ? token : undefined
    } catch {
      return undefined
    }
  },
  async run(url, variant, signal) {
    const resolved = resolveDatabricks(
      'databricks',
      databricksSchema.parse({
        type: 'databricks',
        host: url,
        job: 'train',
        'client-id': SP.clientId,
        'client-secret': 'env:DATABRICKS_CLIENT_SECRET',
        'metrics-task': 'train'
      }),
      resolveContext
    )
    if (resolved.auth.kind !== 'm2m') throw new Error('the fuzz config logs in with OAuth M2M')
    // As connectDatabricks makes it, but one per case: each case's exchange starts with its mint.
    const token = new WorkspaceToken(resolved.name, resolved.api, resolved.auth, {}, realClock, () => {})
    const target = new DatabricksTarget(resolved, new DatabricksApi(resolved, token, realClock))
    const request = runRequest({
      target: 'databricks',
      pipelineName: 'train',
      parameters: { lr: 0.01, fail: variant === 'failed', sleep_s: variant === 'running' ? 3600 : 0 },
      idempotencyKey: variant === 'running' ? freshKey() : KEYS[variant as keyof typeof KEYS]
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const state = await target.status(handle, signal)
    if (variant === 'running') return [state, await target.cancel(handle, signal)]
    return [state, state.status === 'completed' ? await target.metrics!(handle, signal) : undefined]
  },
  expect: {
    success: /"status":"completed".*"accuracy"/,
    failed: /"status":"failed".*loss is NaN/,
    running: /"status":"running"/
  },
  settleMs: 300
}

const kubeflow: CloudExchange = {
  name: 'kubeflow',
  // SUCCEEDED; FAILED: the failed task in the message; never: it is terminated. Each found again by its display name.
  variants: ['SUCCEEDED', 'FAILED', 'never'],
  secrets: [KFP_TOKEN],
  async start() {
    // The model is dumped once (a child process), before any request waits on the stand-in.
    kubeflowModel()
    const fake = await startFakeKubeflow({
      token: KFP_TOKEN,
      pipelines: [
        {
          name: 'train',
          displayName: 'Train the model',
          versions: [
            {
              name: 'v1',
              parameters: {
                learning_rate: { parameterType: 'NUMBER_DOUBLE' },
                fail: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false },
                forever: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false }
              }
            }
          ]
        }
      ],
      experiments: [{ name: 'ci' }],
      runningReads: 0
    })
    return {
      url: fake.url,
      violations: fake.violations,
      forget: () => void (fake.requests.length = 0),
      close: fake.close
    }
  },
  async run(url, variant, signal) {
    const resolved = resolveKubeflow(
      'kubeflow',
      kubeflowSchema.parse({
        type: 'kubeflow',
        url,
        pipeline: 'train',
        experiment: 'ci',
        token: 'env:KFP_TOKEN'
      }),
      resolveContext
    )
    const target = new KubeflowTarget(resolved, new KubeflowApi(resolved, realClock))
    const request = runRequest({
      target: 'kubeflow',
      pipelineName: 'train',
      parameters: { learning_rate: 0.01, fail: variant === 'FAILED', forever: variant === 'never' },
      idempotencyKey: freshKey()
    })
    await target.prepare(request, signal)
    const handle = await target.start(request, signal)
    const found = await target.find(request, signal)
    // The stand-in moves a run on at each read (PENDING, RUNNING, its end): the executor's second poll.
    const first = await target.status(handle, signal)
    const state = first.status === 'running' && variant !== 'never' ? await target.status(handle, signal) : first
    return [state, found, variant === 'never' ? await target.cancel(handle, signal) : undefined]
  },
  expect: {
    SUCCEEDED: /"status":"completed".*"runId"/,
    FAILED: /"status":"failed".*loss is NaN/,
    never: /"status":"running".*"runId"/
  }
}

/** One case: the exchange under a short deadline of its own. */
async function once(exchange: CloudExchange, url: string, variant: string): Promise<Outcome> {
  const deadline = new Deadline(realClock, 10_000)
  try {
    return await exchange.run(url, variant, deadline.signal)
  } finally {
    deadline.dispose()
  }
}

/** Runs `judge` over `count` spoiled exchanges of each of sagemaker, vertex, databricks and kubeflow. */
export async function fuzzCloudReplies(
  seed: number,
  count: number,
  jsonish: fc.Arbitrary<unknown>,
  judge: (what: string, body: () => Promise<unknown>, secrets: string[]) => Promise<void>
): Promise<void> {
  // Each stand-in starts once for the whole run (Databricks' contract checker takes seconds).
  for (const [n, exchange] of [sagemaker, vertex, databricks, kubeflow].entries()) {
    const standIn = await exchange.start()
    // A token the stand-in mints joins the credentials as it passes: the judge reads them after each case.
    const secrets = exchange.secrets.flatMap(secretForms)
    const proxy = await spoilingProxy(standIn.url, (path, text) => {
      const token = exchange.issued?.(path, text)
      if (token) secrets.push(...secretForms(token))
    })
    // The unspoiled exchange first, with no violation of the model: proof the stand-in is read as it answers.
    let replies = 1
    if (exchange.settleMs !== undefined) {
      for (const variant of exchange.variants) await once(exchange, proxy.url, variant)
      await new Promise((resolve) => setTimeout(resolve, exchange.settleMs))
    }
    for (const variant of exchange.variants) {
      proxy.next(undefined)
      const outcome = JSON.stringify(await once(exchange, proxy.url, variant))
      replies = Math.max(replies, proxy.replies)
      if (!exchange.expect[variant]!.test(outcome))
        throw new Error(`${exchange.name} ${variant}: the unspoiled exchange with the stand-in ended in ${outcome}`)
    }
    if (standIn.violations.length)
      throw new Error(`${exchange.name}: the unspoiled exchange broke the model: ${standIn.violations.join('; ')}`)
    const cases = fc.tuple(spoils(jsonish, replies), fc.constantFrom(...exchange.variants))
    for (const [i, [spoil, variant]] of fc.sample(cases, { numRuns: count, seed: seed + 11 + n }).entries()) {
      proxy.next(spoil)
      await judge(
        `${exchange.name} ${variant} reply #${i} (${spoil.kind} of reply ${spoil.reply})`,
        () => once(exchange, proxy.url, variant),
        secrets
      )
      // A request built from a spoiled reply may break the model: the stand-in refuses it, as the service would.
      standIn.violations.length = 0
      standIn.forget()
    }
    proxy.close()
    await standIn.close()
  }
}
