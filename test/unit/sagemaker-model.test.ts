/**
 * The contract the sagemaker stand-in holds itself to (botocore's SageMaker model) refuses what
 * the service would, and the stand-in keeps the service's semantics: signed requests only, the
 * same execution for a repeated ClientRequestToken, ValidationException for a body the model
 * refuses, and a record of every violation.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { signatureHeaders } from '../../src/targets/sagemaker/sigv4.js'
import { startFakeSageMaker, type FakeSageMaker } from '../helpers/fake-sagemaker.js'
import { replyErrors, requestErrors, requestOperation, sagemakerModel } from '../helpers/sagemaker-model.js'

const TOKEN = 'pt-0123456789abcdef0123456789abcdef'
const ARN = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/train/execution/abc123def456'

describe("botocore's SageMaker model", () => {
  test('is the pinned one', () => {
    assert.equal(sagemakerModel().metadata.apiVersion, '2017-07-24')
    assert.equal(sagemakerModel().metadata.signingName, 'sagemaker')
  })

  test('takes a good StartPipelineExecution body', () => {
    assert.deepEqual(
      requestErrors('StartPipelineExecution', {
        PipelineName: 'train',
        ClientRequestToken: TOKEN,
        PipelineExecutionDisplayName: 'train-gh-1-1-0',
        PipelineParameters: [{ Name: 'LearningRate', Value: '0.01' }]
      }),
      []
    )
  })

  test('refuses what the service refuses in a request', () => {
    const cases: [unknown, RegExp][] = [
      [{ PipelineName: 'train' }, /required member ClientRequestToken is missing/],
      [{ PipelineName: 'train', ClientRequestToken: 'short' }, /ClientRequestToken: length 5 < min 32/],
      [{ PipelineName: 'train', ClientRequestToken: TOKEN, Extra: 1 }, /unknown member Extra/],
      [{ PipelineName: 'train_model', ClientRequestToken: TOKEN }, /PipelineName: "train_model" does not match/],
      [
        {
          PipelineName: 'train',
          ClientRequestToken: TOKEN,
          PipelineParameters: [{ Name: 'a', Value: 'x'.repeat(1025) }]
        },
        /PipelineParameters\[0\]\.Value: length 1025 > max 1024/
      ],
      [
        { PipelineName: 'train', ClientRequestToken: TOKEN, PipelineParameters: [{ Name: 'a', Value: 1 }] },
        /Value: not a string/
      ],
      [{ PipelineName: 'train', ClientRequestToken: TOKEN, PipelineExecutionDisplayName: 'a_b' }, /does not match/]
    ]
    for (const [body, problem] of cases) assert.match(requestErrors('StartPipelineExecution', body).join('\n'), problem)
  })

  test('refuses a reply that does not fit the output shape', () => {
    assert.deepEqual(
      replyErrors('DescribePipelineExecution', 200, {
        PipelineExecutionArn: ARN,
        PipelineExecutionStatus: 'Succeeded',
        CreationTime: 1.7e9
      }),
      []
    )
    assert.match(
      replyErrors('DescribePipelineExecution', 200, { PipelineExecutionStatus: 'Running' }).join(),
      /"Running" is not one of Executing/
    )
    assert.match(
      replyErrors('DescribePipelineExecution', 200, { CreationTime: '2026-01-01T00:00:00Z' }).join(),
      /not a timestamp in epoch seconds/
    )
    assert.match(
      replyErrors('DescribeTrainingJob', 200, { TrainingJobName: 'a' }).join(),
      /required member TrainingJobArn is missing/
    )
  })

  test('refuses an error reply the operation does not list, or without the JSON 1.1 shape', () => {
    assert.deepEqual(replyErrors('StartPipelineExecution', 400, { __type: 'ConflictException', message: 'busy' }), [])
    assert.deepEqual(
      replyErrors('StartPipelineExecution', 400, { __type: 'ThrottlingException', message: 'Rate exceeded' }),
      []
    )
    assert.match(
      replyErrors('DescribePipeline', 400, { __type: 'ConflictException', message: 'x' }).join(),
      /not an error of DescribePipeline/
    )
    assert.match(
      replyErrors('StopPipelineExecution', 404, { __type: 'ResourceNotFound', message: 'x' }).join(),
      /answered with HTTP 400/
    )
    assert.match(replyErrors('StopPipelineExecution', 400, { Message: 'x' }).join(), /__type is missing/)
  })

  test('reads the operation as JSON 1.1 carries it', () => {
    const headers = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'SageMaker.DescribePipeline' }
    assert.deepEqual(requestOperation('POST', '/', headers), { operation: 'DescribePipeline', errors: [] })
    assert.match(
      requestOperation('POST', '/', { ...headers, 'content-type': 'application/json' }).errors.join(),
      /needs application\/x-amz-json-1\.1/
    )
    assert.match(requestOperation('GET', '/x', headers).errors.join(), /are POST.*go to \//)
    assert.equal(requestOperation('POST', '/', { ...headers, 'x-amz-target': 'SageMaker.Nope' }).operation, undefined)
  })
})

describe('the SageMaker stand-in', () => {
  const credentials = {
    accessKeyId: 'AKIAFAKE0123456789AB',
    secretAccessKey: 'fake/secret+key0123456789abcdefghijklmno',
    sessionToken: 'FwoGZXIvYXdzEFAKE//session'
  }
  let sagemaker: FakeSageMaker
  before(async () => {
    sagemaker = await startFakeSageMaker({
      credentials,
      pipelines: { train: { parameters: [{ Name: 'LearningRate', Type: 'Float', DefaultValue: 0.1 }] } }
    })
  })
  after(() => sagemaker.close())

  async function call(operation: string, body: unknown, secret = credentials.secretAccessKey) {
    const url = new URL(sagemaker.url)
    const text = JSON.stringify(body)
    const headers = {
      host: url.host,
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `SageMaker.${operation}`
    }
    const signed = await signatureHeaders(
      { method: 'POST', url, headers, body: text },
      {
        credentials: { ...credentials, secretAccessKey: secret },
        region: 'us-east-1',
        service: 'sagemaker',
        date: new Date()
      }
    )
    const { host: _host, ...sent } = headers
    const reply = await fetch(url, { method: 'POST', headers: { ...sent, ...signed }, body: text })
    return { status: reply.status, body: (await reply.json()) as Record<string, unknown> }
  }

  test('answers a signed start, and the same execution for a repeated ClientRequestToken', async () => {
    const request = {
      PipelineName: 'train',
      ClientRequestToken: TOKEN,
      PipelineParameters: [{ Name: 'LearningRate', Value: '0.5' }]
    }
    const first = await call('StartPipelineExecution', request)
    assert.equal(first.status, 200)
    assert.match(
      String(first.body.PipelineExecutionArn),
      /^arn:aws:sagemaker:us-east-1:123456789012:pipeline\/train\/execution\/[0-9a-f]{12}$/
    )
    const again = await call('StartPipelineExecution', request)
    assert.deepEqual(again.body, first.body)
    assert.equal(sagemaker.executions.length, 1)
    const described = await call('DescribePipelineExecution', { PipelineExecutionArn: first.body.PipelineExecutionArn })
    assert.equal(described.body.PipelineExecutionStatus, 'Executing')
    assert.deepEqual(sagemaker.violations, [])
  })

  test('refuses a wrong signature with 403 InvalidSignatureException, and records it', async () => {
    const refused = await call('DescribePipeline', { PipelineName: 'train' }, 'not-the-secret')
    assert.equal(refused.status, 403)
    assert.equal(refused.body.__type, 'InvalidSignatureException')
    assert.match(sagemaker.authFailures.join(), /InvalidSignatureException/)
  })

  test('answers a body the model refuses with ValidationException, and records the violation', async () => {
    const refused = await call('StartPipelineExecution', { PipelineName: 'train', ClientRequestToken: 'short' })
    assert.equal(refused.status, 400)
    assert.equal(refused.body.__type, 'ValidationException')
    assert.match(String(refused.body.message), /ClientRequestToken: length 5 < min 32/)
    assert.match(sagemaker.violations.join(), /min 32/)
    sagemaker.violations.length = 0
  })

  test('refuses an unknown parameter and an unknown pipeline as the service does', async () => {
    const unknown = await call('StartPipelineExecution', {
      PipelineName: 'train',
      ClientRequestToken: `${TOKEN}x`,
      PipelineParameters: [{ Name: 'Epochs', Value: '3' }]
    })
    assert.deepEqual([unknown.status, unknown.body.__type], [400, 'ValidationException'])
    const missing = await call('DescribePipeline', { PipelineName: 'nope' })
    assert.deepEqual([missing.status, missing.body.__type], [400, 'ResourceNotFound'])
    assert.deepEqual(sagemaker.violations, [])
  })
})
