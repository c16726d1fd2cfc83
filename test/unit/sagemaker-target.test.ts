/**
 * The sagemaker target against the SageMaker stand-in (test/helpers/fake-sagemaker.ts), which
 * checks every request and reply against botocore's model of the service and recomputes every
 * request's SigV4 signature; and against scripted servers for what the stand-in does not do (a
 * 500, a lost answer, a permission refusal, an expired token, a redirect). Resolution: the
 * credentials configure-aws-credentials leaves, masked at once, the region's precedence, the fix
 * when they are missing. Then prepare's refusals before any start, the StartPipelineExecution
 * request, the same execution for a repeated start, every status, stop, metrics, follow, and the
 * credentials in none of their forms in any message.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve as resolvePath } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { realClock } from '../../src/clock.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { resolveSageMaker, type ResolvedSageMaker } from '../../src/targets/sagemaker/resolve.js'
import { SageMakerApi } from '../../src/targets/sagemaker/sagemaker-api.js'
import { SageMakerTarget } from '../../src/targets/sagemaker/sagemaker-target.js'
import { schema } from '../../src/targets/sagemaker/schema.js'
import { startFakeSageMaker, type FakeSageMaker } from '../helpers/fake-sagemaker.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms } from '../helpers/scripted-server.js'

const KEY = 'pt-0123456789abcdef0123456789abcdef'
const CREDENTIALS = {
  accessKeyId: 'ASIAFAKEKEY0123456789',
  secretAccessKey: 'fake/Secret+Access=Key0123456789abcdefghij',
  sessionToken: 'IQoJb3JpZ2luX2VjEFAKE/session+token=='
}
const ENV = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  AWS_REGION: 'us-east-1'
}

let sagemaker: FakeSageMaker
before(async () => {
  sagemaker = await startFakeSageMaker({
    credentials: CREDENTIALS,
    pipelines: {
      train: {
        parameters: [
          { Name: 'LearningRate', Type: 'Float', DefaultValue: 0.1 },
          { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
          { Name: 'Fail', Type: 'Boolean', DefaultValue: false },
          { Name: 'Dataset', Type: 'String' }
        ],
        outcome: (p) =>
          p.Fail === 'true'
            ? { end: 'Failed', afterMs: 0, failureReason: 'Step failure: One or multiple steps failed.' }
            : p.Epochs === '1000'
              ? { end: 'never' }
              : { end: 'Succeeded', afterMs: 0, metrics: { 'validation:accuracy': 0.93, 'train:loss': 0.12 } }
      }
    }
  })
})
after(() => sagemaker.close())
afterEach(() => {
  assert.deepEqual(sagemaker.violations.splice(0), [], "requests and replies keep to botocore's SageMaker model")
  assert.deepEqual(sagemaker.authFailures.splice(0), [], 'every request was signed right')
})

const signal = () => AbortSignal.timeout(15_000)

function resolve(config: Record<string, unknown> = {}, env: Record<string, string | undefined> = ENV) {
  const masked: string[] = []
  const resolved = resolveSageMaker('sagemaker', schema.parse({ type: 'sagemaker', ...config }), {
    inputs: { cancelOnTimeout: false },
    secrets: { env, mask: (s) => masked.push(s) },
    maxParallel: 4
  })
  return { resolved, masked }
}

function target(overrides: Partial<ResolvedSageMaker> = {}, logs: string[] = []) {
  const config = { ...resolve({ endpoint: sagemaker.url }).resolved, ...overrides }
  return new SageMakerTarget(config, new SageMakerApi(config, realClock), (m) => logs.push(m))
}

const request = (parameters: Record<string, unknown> = { LearningRate: 0.01 }, key = KEY) =>
  runRequest({
    target: 'sagemaker',
    pipelineName: 'train',
    parameters,
    idempotencyKey: key,
    reason: 'push to main',
    runName: 'train-gh-42-1-0'
  })

const startsSent = () => sagemaker.calls.filter((c) => c.operation === 'StartPipelineExecution').length

describe('resolve: the credentials the job has, masked at once', () => {
  test('reads the three variables configure-aws-credentials sets, masks each, and signs for the default endpoint', () => {
    const { resolved, masked } = resolve()
    assert.deepEqual(masked.sort(), Object.values(CREDENTIALS).sort())
    assert.deepEqual(resolved.credentials, CREDENTIALS)
    assert.equal(resolved.endpoint, 'https://api.sagemaker.us-east-1.amazonaws.com')
    assert.equal(resolved.displayName, '{run_name}')
  })

  test('the region key wins over AWS_REGION, which wins over AWS_DEFAULT_REGION', () => {
    assert.equal(resolve({ region: 'eu-west-1' }).resolved.region, 'eu-west-1')
    assert.equal(resolve({}, { ...ENV, AWS_DEFAULT_REGION: 'ap-south-1' }).resolved.region, 'us-east-1')
    assert.equal(
      resolve({}, { ...ENV, AWS_REGION: '', AWS_DEFAULT_REGION: 'ap-south-1' }).resolved.endpoint,
      'https://api.sagemaker.ap-south-1.amazonaws.com'
    )
    assert.equal(
      resolve({ region: 'cn-north-1' }).resolved.endpoint,
      'https://api.sagemaker.cn-north-1.amazonaws.com.cn'
    )
  })

  test('missing credentials or region are refused with the OIDC step as the fix', () => {
    assert.throws(
      () => resolve({}, { AWS_REGION: 'us-east-1' }),
      /no AWS credentials in the environment \(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY empty\)\. Fix: add a step before this one, uses: aws-actions\/configure-aws-credentials with role-to-assume.*permissions: id-token: write/
    )
    assert.throws(
      () => resolve({}, { ...ENV, AWS_REGION: undefined }),
      /no AWS region.*Fix: set region on target sagemaker, or aws-region/
    )
  })

  test('an endpoint must be https (http on loopback only) and an origin', () => {
    assert.throws(() => resolve({ endpoint: 'http://sagemaker.internal' }), /must use https/)
    assert.throws(() => resolve({ endpoint: 'https://vpce.example.com/api' }), /has a path, query or fragment/)
    assert.equal(
      resolve({ endpoint: 'https://vpce-1.api.sagemaker.us-east-1.vpce.amazonaws.com' }).resolved.endpoint,
      'https://vpce-1.api.sagemaker.us-east-1.vpce.amazonaws.com'
    )
  })

  test('the schema refuses a bad pipeline name, region or role ARN', () => {
    assert.equal(schema.safeParse({ type: 'sagemaker', pipeline: 'train_model' }).success, false)
    assert.equal(schema.safeParse({ type: 'sagemaker', region: 'useast1' }).success, false)
    assert.equal(schema.safeParse({ type: 'sagemaker', 'role-arn': 'arn:aws:iam::12:role/x' }).success, false)
    assert.equal(schema.safeParse({ type: 'sagemaker', secret: 'x' }).success, false)
  })
})

describe('prepare: checked before any execution starts', () => {
  test('reads the pipeline once for every request, signed, and accepts fitting parameters', async () => {
    const before = sagemaker.calls.length
    const sm = target()
    await sm.prepare(request(), signal())
    await sm.prepare(request({ LearningRate: 1, Epochs: 5, Fail: false, Dataset: 's3://bucket/data' }), signal())
    const calls = sagemaker.calls.slice(before)
    assert.deepEqual(
      calls.map((c) => c.operation),
      ['DescribePipeline']
    )
    assert.deepEqual(calls[0]!.body, { PipelineName: 'train' })
    assert.match(
      String(calls[0]!.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=ASIAFAKEKEY0123456789\/\d{8}\/us-east-1\/sagemaker\/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, /
    )
    assert.equal(calls[0]!.headers['x-amz-security-token'], CREDENTIALS.sessionToken)
  })

  test('an unknown parameter, a wrong type and a value over 1024 characters are refused, and nothing starts', async () => {
    const before = startsSent()
    const sm = target()
    assert.match(
      (await rejection(sm.prepare(request({ LearnngRate: 0.1 }), signal()))).message,
      /pipeline train declares no parameter "LearnngRate"; it declares: LearningRate \(Float\), Epochs \(Integer\), Fail \(Boolean\), Dataset \(String\)\. Fix: rename the parameter/
    )
    assert.match(
      (await rejection(sm.prepare(request({ Epochs: 2.5 }), signal()))).message,
      /parameter Epochs of pipeline train is Integer, and the parameter gives "2\.5"\. Fix: give an integer/
    )
    assert.match((await rejection(sm.prepare(request({ Fail: 'yes' }), signal()))).message, /Fix: give true or false/)
    assert.match(
      (await rejection(sm.prepare(request({ Dataset: 'x'.repeat(1025) }), signal()))).message,
      /1025 characters; SageMaker takes at most 1024/
    )
    assert.match(
      (await rejection(sm.prepare(request({ Dataset: null }), signal()))).message,
      /SageMaker takes each parameter as a string/
    )
    assert.equal(startsSent(), before)
  })

  test('an unknown pipeline is ResourceNotFound with the keys to fix; an idempotency key too short for ClientRequestToken is refused', async () => {
    const error = await rejection(target({ pipeline: 'nope' }).prepare(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /sagemaker: reading pipeline nope in us-east-1 \(DescribePipeline\): ResourceNotFound \(HTTP 400\) from 127\.0\.0\.1:\d+: Pipeline 'nope' does not exist\. Fix: the account of these credentials has no pipeline nope in us-east-1; set pipeline/
    )
    assert.match(
      (await rejection(target().prepare(request({}, 'pt-short'), signal()))).message,
      /is 8 characters; SageMaker's ClientRequestToken takes 32 to 128/
    )
  })
})

describe('start, status, stop, metrics', () => {
  test('sends the parameters as strings, the key as ClientRequestToken, the display name and role; a repeat gives the same execution', async () => {
    const sm = target({ roleArn: 'arn:aws:iam::123456789012:role/PipelineRole', displayName: '{run_name}_{pipeline}' })
    await sm.prepare(request({ LearningRate: 0.01, Epochs: 5 }), signal())
    const first = await sm.start(request({ LearningRate: 0.01, Epochs: 5 }), signal())
    const sent = sagemaker.calls.at(-1)!
    assert.deepEqual(sent.body, {
      PipelineName: 'train',
      ClientRequestToken: KEY,
      PipelineParameters: [
        { Name: 'LearningRate', Value: '0.01' },
        { Name: 'Epochs', Value: '5' }
      ],
      PipelineExecutionDisplayName: 'train-gh-42-1-0-train',
      PipelineExecutionDescription: 'push to main',
      RoleArn: 'arn:aws:iam::123456789012:role/PipelineRole'
    })
    assert.match(first.runId, /^arn:aws:sagemaker:us-east-1:123456789012:pipeline\/train\/execution\/[0-9a-f]{12}$/)
    assert.match(
      first.runUrl!,
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/sagemaker\/home\?region=us-east-1#\/pipelines\/train\/executions\/[0-9a-f]{12}$/
    )
    // A start sent again (its answer lost): the token makes it the same execution.
    const again = await sm.start(request({ LearningRate: 0.01, Epochs: 5 }), signal())
    assert.equal(again.runId, first.runId)
    assert.equal(sagemaker.executions.filter((e) => e.token === KEY).length, 1)
    assert.equal(sm.dedupesStarts, true)
  })

  test('a reason of several lines is sent as one (the model takes no line break in a description)', async () => {
    await target().start(
      { ...request({}, `${KEY}-lines`), reason: 'push to main:\n  data/train.csv changed\n' },
      signal()
    )
    const sent = sagemaker.calls.at(-1)!.body as { PipelineExecutionDescription: string }
    assert.equal(sent.PipelineExecutionDescription, 'push to main: data/train.csv changed')
  })

  test('a succeeded execution is completed, with its training step final metrics', async () => {
    const sm = target()
    const handle = await sm.start(request({}, `${KEY}-ok`), signal())
    const state = await sm.status(handle, signal())
    assert.deepEqual(
      { status: state.status, detail: state.detail, runId: state.runId },
      { status: 'completed', detail: 'Succeeded', runId: handle.runId }
    )
    const reading = await sm.metrics(handle, signal())
    assert.deepEqual({ ...reading.metrics }, { 'validation:accuracy': 0.93, 'train:loss': 0.12 })
    assert.deepEqual(
      sagemaker.calls.slice(-2).map((c) => c.operation),
      ['ListPipelineExecutionSteps', 'DescribeTrainingJob']
    )
  })

  test('a failed execution is failed, with its FailureReason and the failed step', async () => {
    const sm = target()
    const handle = await sm.start(request({ Fail: true }, `${KEY}-fail`), signal())
    const state = await sm.status(handle, signal())
    assert.equal(state.status, 'failed')
    assert.match(
      state.message!,
      /^pipeline execution [0-9a-f]{12} of train failed: Step failure: One or multiple steps failed\. \(failed steps: Train: Step failure/
    )
    // No succeeded training step: no metrics, and the reading says why.
    const reading = await sm.metrics(handle, signal())
    assert.deepEqual({ ...reading.metrics }, {})
    assert.match(reading.ignored.join(), /has no succeeded training step, so no metrics were read/)
  })

  test('an executing execution is running; cancel stops it (Stopping, then Stopped: cancelled); a second stop is the same stop', async () => {
    const sm = target()
    const handle = await sm.start(request({ Epochs: 1000 }, `${KEY}-stop`), signal())
    assert.deepEqual((await sm.status(handle, signal())).status, 'running')
    await sm.cancel(handle, signal())
    await sm.cancel(handle, signal())
    const stops = sagemaker.calls.filter((c) => c.operation === 'StopPipelineExecution').slice(-2)
    assert.equal(
      (stops[0]!.body as { ClientRequestToken: string }).ClientRequestToken,
      (stops[1]!.body as { ClientRequestToken: string }).ClientRequestToken
    )
    assert.equal(sagemaker.executions.find((e) => e.arn === handle.arn)!.status, 'Stopping')
    const state = await sm.status(handle, signal())
    assert.deepEqual([state.status, state.detail], ['cancelled', 'Stopped'])
  })

  test('stopping an execution that already ended keeps its outcome (ConflictException, logged)', async () => {
    const logs: string[] = []
    const sm = target({}, logs)
    const handle = await sm.start(request({}, `${KEY}-ended`), signal())
    assert.equal((await sm.status(handle, signal())).status, 'completed')
    await sm.cancel(handle, signal())
    assert.match(logs.join('\n'), /ConflictException .*it is no longer executing, so it keeps its outcome/)
    assert.equal((await sm.status(handle, signal())).status, 'completed')
  })

  test('follow rebuilds the handle from the execution ARN alone; another region or a non-ARN is refused', async () => {
    const sm = target()
    const started = await sm.start(request({}, `${KEY}-follow`), signal())
    const followed = target().follow(started.runId)
    assert.deepEqual(followed, started)
    assert.equal((await sm.status(followed, signal())).status, 'completed')
    assert.throws(
      () => sm.follow(started.runId.replace('us-east-1', 'eu-west-1')),
      /is in eu-west-1, and target sagemaker signs for us-east-1\. Fix: set region: eu-west-1/
    )
    assert.throws(() => sm.follow('train/abc'), /is not a SageMaker pipeline execution ARN/)
  })

  test('a ThrottlingException (HTTP 400 in JSON 1.1) is transient', async () => {
    sagemaker.throttle('DescribePipelineExecution', 1)
    const sm = target()
    const handle = await sm.start(request({}, `${KEY}-throttle`), signal())
    const error = await rejection(sm.status(handle, signal()))
    assert.ok(isTransient(error))
    assert.match(error.message, /ThrottlingException \(HTTP 400\) from 127\.0\.0\.1:\d+: Rate exceeded/)
    assert.equal((await sm.status(handle, signal())).status, 'completed')
  })
})

describe("the service's refusals of a start, each with its fix", () => {
  test('ResourceLimitExceeded names max-parallel and Service Quotas; ConflictException says to run again; neither is retried', async () => {
    const sm = target()
    sagemaker.refuse(
      'StartPipelineExecution',
      'ResourceLimitExceeded',
      'You have reached the limit of concurrent executions.'
    )
    const limit = await rejection(sm.start(request({}, `${KEY}-limit`), signal()))
    assert.ok(limit instanceof UserError && !isTransient(limit))
    assert.match(
      limit.message,
      /sagemaker: starting pipeline train in us-east-1 \(StartPipelineExecution\): ResourceLimitExceeded \(HTTP 400\) from 127\.0\.0\.1:\d+: You have reached the limit of concurrent executions\. Fix: .*lower max-parallel on target sagemaker, or raise the quota in Service Quotas/
    )
    sagemaker.refuse('StartPipelineExecution', 'ConflictException', 'The pipeline is being updated.')
    const conflict = await rejection(sm.start(request({}, `${KEY}-conflict`), signal()))
    assert.ok(!isTransient(conflict))
    assert.match(conflict.message, /ConflictException .*Fix: the pipeline is being changed/)
    assert.equal(
      sagemaker.executions.filter((e) => e.token.startsWith(`${KEY}-`) && /limit|conflict/.test(e.token)).length,
      0
    )
  })
})

describe('refusals a stand-in cannot give, and the credentials in no message', () => {
  const ERROR = { 'content-type': 'application/x-amz-json-1.1' }
  async function scripted(answer: Parameters<typeof scriptedServer>[0]) {
    const server = await scriptedServer(answer)
    const config = {
      ...resolve({ endpoint: server.url, 'role-arn': 'arn:aws:iam::123456789012:role/PipelineRole' }).resolved
    }
    return { server, sm: new SageMakerTarget(config, new SageMakerApi(config, realClock)) }
  }

  test('a start answered with a huge non-ARN names a short preview of it, not the whole value', async () => {
    const { server, sm } = await scripted(() => ({
      status: 200,
      headers: { 'content-type': 'application/x-amz-json-1.1' },
      body: { PipelineExecutionArn: 'x'.repeat(5000) }
    }))
    try {
      const { message } = await rejection(sm.start(request(), signal()))
      assert.match(
        message,
        /answered without a pipeline execution ARN \("x+… \(5002 characters\)\)\. Fix: check that endpoint/
      )
      assert.ok(message.length < 600, `${message.length} characters`)
    } finally {
      await server.close()
    }
  })

  test('a 500 and a lost answer are transient', async () => {
    const { server, sm } = await scripted((_r, i) =>
      i === 0 ? { status: 500, headers: ERROR, body: { __type: 'InternalFailure', message: 'oops' } } : 'reset'
    )
    try {
      assert.ok(isTransient(await rejection(sm.prepare(request(), signal()))))
      assert.ok(isTransient(await rejection(sm.start(request(), signal()))))
    } finally {
      await server.close()
    }
  })

  test('AccessDenied names the IAM action, the role to change and iam:PassRole; an expired token names role-duration-seconds', async () => {
    const { server, sm } = await scripted((_r, i) =>
      i === 0
        ? {
            status: 400,
            headers: ERROR,
            body: {
              __type: 'AccessDeniedException',
              message:
                'User: arn:aws:sts::123456789012:assumed-role/gh/x is not authorized to perform: sagemaker:StartPipelineExecution'
            }
          }
        : {
            status: 400,
            headers: ERROR,
            body: { __type: 'ExpiredTokenException', message: 'The security token included in the request is expired' }
          }
    )
    try {
      const denied = await rejection(sm.start(request(), signal()))
      assert.ok(denied instanceof UserError && !isTransient(denied))
      assert.match(
        denied.message,
        /AccessDeniedException \(HTTP 400\).*Fix: allow sagemaker:StartPipelineExecution on this pipeline .* in the policy of the role aws-actions\/configure-aws-credentials assumes \(role-to-assume\), and iam:PassRole on arn:aws:iam::123456789012:role\/PipelineRole/
      )
      assert.match(
        (await rejection(sm.prepare(request(), signal()))).message,
        /ExpiredTokenException.*Fix: .*raise role-duration-seconds/
      )
    } finally {
      await server.close()
    }
  })

  test('a redirect is refused, not followed: nothing reaches the other host', async () => {
    const elsewhere = await scriptedServer(() => ({ status: 200, body: {} }))
    const { server, sm } = await scripted(() => ({ status: 307, headers: { location: `${elsewhere.url}/` } }))
    try {
      assert.match(
        (await rejection(sm.prepare(request(), signal()))).message,
        /answered with a redirect, which the action does not follow/
      )
      assert.equal(elsewhere.requests.length, 0)
    } finally {
      await server.close()
      await elsewhere.close()
    }
  })

  test('a server that echoes every credential in every form has them redacted from the message', async () => {
    const echo = Object.values(CREDENTIALS).map(echoing).join(' ')
    const { server, sm } = await scripted((_r, i) =>
      i === 0
        ? { status: 400, headers: ERROR, body: { __type: 'ValidationException', message: echo } }
        : { status: 200, headers: ERROR, body: { PipelineExecutionStatus: 'Failed', FailureReason: echo } }
    )
    try {
      const error = await rejection(sm.start(request(), signal()))
      const state = await sm.status(
        sm.follow('arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc'),
        signal()
      )
      for (const text of [error.message, state.message!])
        for (const secret of Object.values(CREDENTIALS))
          for (const form of secretForms(secret)) assert.ok(!text.includes(form), `${form} in ${text}`)
    } finally {
      await server.close()
    }
  })
})

test('the AWS signer loads only with the target: nothing the registry imports statically reaches @smithy or sigv4.ts', () => {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    // Static value imports only: `import type` and `import()` load nothing with the registry.
    for (const [, from] of readFileSync(file, 'utf8').matchAll(/^import (?!type )[^'"]*?\s*from '([^']+)'/gm)) {
      assert.ok(!from!.startsWith('@smithy/'), `${file} imports ${from}`)
      if (from!.startsWith('.')) visit(resolvePath(dirname(file), from!.replace(/\.js$/, '.ts')))
    }
  }
  visit(join(ROOT, 'src/targets/registry.ts'))
  assert.ok(seen.has(join(ROOT, 'src/targets/sagemaker/resolve.ts')))
  assert.ok(!seen.has(join(ROOT, 'src/targets/sagemaker/sigv4.ts')))
  assert.match(readFileSync(join(ROOT, 'src/targets/sagemaker/index.ts'), 'utf8'), /await import\('\.\/connect\.js'\)/)
})

describe('sagemaker target: a status reply outside the model', () => {
  test('no PipelineExecutionStatus, an unknown word or a number is an error naming the execution and the endpoint, not "running" until the timeout', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123'
    for (const [body, said] of [
      [{ PipelineExecutionArn: arn }, /answered PipelineExecutionStatus nothing/],
      [
        { PipelineExecutionArn: arn, PipelineExecutionStatus: 'Exploded' },
        /answered PipelineExecutionStatus "Exploded"/
      ],
      [{ PipelineExecutionArn: arn, PipelineExecutionStatus: 3 }, /answered PipelineExecutionStatus 3/]
    ] as const) {
      const server = await scriptedServer(() => ({ status: 200, body }))
      try {
        const sm = target({ endpoint: server.url })
        const error = await rejection(sm.status(sm.follow(arn), signal()))
        assert.ok(error instanceof UserError, error.message)
        assert.match(error.message, /reading execution abc123 of pipeline train \(DescribePipelineExecution\)/)
        assert.match(error.message, said)
        assert.match(
          error.message,
          /Executing, Stopping, Succeeded, Failed, CompletedWithFailures, Stopped\)\. Fix: check that endpoint is SageMaker's API/
        )
      } finally {
        await server.close()
      }
    }
  })

  test("a failed execution's message carries no credential, even one a step's name or reason echoes", async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123'
    const server = await scriptedServer((seen) =>
      seen.headers['x-amz-target'] === 'SageMaker.ListPipelineExecutionSteps'
        ? {
            status: 200,
            body: {
              PipelineExecutionSteps: [
                {
                  StepName: `train-${CREDENTIALS.sessionToken}`,
                  StepStatus: 'Failed',
                  FailureReason: echoing(CREDENTIALS.accessKeyId)
                }
              ]
            }
          }
        : {
            status: 200,
            body: { PipelineExecutionArn: arn, PipelineExecutionStatus: 'Failed', FailureReason: 'a step failed' }
          }
    )
    try {
      const sm = target({ endpoint: server.url })
      const state = await sm.status(sm.follow(arn), signal())
      assert.equal(state.status, 'failed')
      assert.match(state.message!, /failed: a step failed \(failed steps: train-\*\*\*: /)
      for (const secret of [CREDENTIALS.sessionToken, CREDENTIALS.accessKeyId])
        for (const form of secretForms(secret)) assert.ok(!state.message!.includes(form), form)
    } finally {
      await server.close()
    }
  })

  test("metrics ask DescribeTrainingJob only about a training job of the target's region, whatever ARN a step names", async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123'
    const step = (name: string, jobArn: string) => ({
      StepName: name,
      StepStatus: 'Succeeded',
      Metadata: { TrainingJob: { Arn: jobArn } }
    })
    const server = await scriptedServer((seen) =>
      seen.headers['x-amz-target'] === 'SageMaker.ListPipelineExecutionSteps'
        ? {
            status: 200,
            body: {
              PipelineExecutionSteps: [
                step('odd', 'arn:aws:sagemaker:us-east-1:123456789012:processing-job/not-training'),
                step('far', 'arn:aws:sagemaker:eu-west-1:123456789012:training-job/elsewhere'),
                step('fit', 'arn:aws:sagemaker:us-east-1:123456789012:training-job/fit-job')
              ]
            }
          }
        : { status: 200, body: { FinalMetricDataList: [{ MetricName: 'acc', Value: 0.9 }] } }
    )
    try {
      const sm = target({ endpoint: server.url })
      const reading = await sm.metrics(sm.follow(arn), signal())
      const asked = server.requests
        .filter((r) => r.headers['x-amz-target'] === 'SageMaker.DescribeTrainingJob')
        .map((r) => (r.json as { TrainingJobName: string }).TrainingJobName)
      assert.deepEqual(asked, ['fit-job'])
      assert.deepEqual({ ...reading.metrics }, { 'fit::acc': 0.9 })
      assert.match(
        reading.ignored.join('\n'),
        /step "odd" names .*processing-job\/not-training.*, not a training job of us-east-1/
      )
      assert.match(reading.ignored.join('\n'), /step "far" names .*eu-west-1/)
    } finally {
      await server.close()
    }
  })

  test("follow refuses an execution of another pipeline than the target's (reconcile reads the ARN from a check run)", () => {
    const sm = target({ pipeline: 'Train' })
    assert.equal(sm.follow('arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc').pipeline, 'train')
    assert.throws(
      () => sm.follow('arn:aws:sagemaker:us-east-1:123456789012:pipeline/payroll/execution/abc'),
      /is of pipeline payroll, and target sagemaker runs pipeline Train, so it is not followed/
    )
    for (const odd of [
      'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc/../x',
      'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc?x',
      'arn:aws:sagemaker:eu-west-1:123456789012:pipeline/train/execution/abc'
    ])
      assert.throws(() => sm.follow(odd), /not a SageMaker pipeline execution ARN|is in eu-west-1/, odd)
  })

  test('metrics from a steps list that is not one are an error naming the execution and the endpoint, not "no training step"', async () => {
    const arn = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123'
    for (const PipelineExecutionSteps of ['<html>', { StepName: 'fit' }, [null]]) {
      const server = await scriptedServer(() => ({ status: 200, body: { PipelineExecutionSteps } }))
      try {
        const sm = target({ endpoint: server.url })
        const error = await rejection(sm.metrics(sm.follow(arn), signal()))
        assert.ok(error instanceof UserError, error.message)
        assert.match(
          error.message,
          /reading the steps of execution abc123 \(ListPipelineExecutionSteps\): http:\/\/127\.0\.0\.1:\d+ answered PipelineExecutionSteps .*, not a list of steps\. Fix: check that endpoint is SageMaker's API/
        )
      } finally {
        await server.close()
      }
    }
  })

  test("prepare takes a DescribePipeline reply only with the pipeline's ARN: a proxy's {} is an error, not a pipeline without parameters", async () => {
    const server = await scriptedServer(() => ({ status: 200, body: {} }))
    try {
      const error = await rejection(target({ endpoint: server.url }).prepare(request({ parameters: {} }), signal()))
      assert.ok(error instanceof UserError, error.message)
      assert.match(
        error.message,
        /reading pipeline train in us-east-1 \(DescribePipeline\): http:\/\/127\.0\.0\.1:\d+ answered without the pipeline's ARN \(\{\}\)\. Fix: check that endpoint is SageMaker's API/
      )
    } finally {
      await server.close()
    }
  })
})
