/**
 * A stand-in for Amazon SageMaker Pipelines on 127.0.0.1: SageMaker cannot run here, and moto
 * neither dedupes starts nor stops executions, so this stand-in keeps the service's documented
 * semantics for the calls the sagemaker target makes, and holds itself to botocore's model of the
 * service (test/helpers/sagemaker-model.ts):
 * - every request is checked as JSON 1.1 carries it and against the operation's input shape; one
 *   the model refuses is answered with ValidationException, as the service would, and recorded;
 * - every reply, the scripted ones included, is checked against the output shape (or the error
 *   shape) before it is sent; a misfit is recorded;
 * - every request's SigV4 signature is recomputed with the signer over what arrived; a mismatch,
 *   an unknown key or a wrong session token is refused with the service's 403 and recorded.
 * Semantics: DescribePipeline (its PipelineDefinition holds the parameters), StartPipelineExecution
 * (a repeat with the same ClientRequestToken returns the same execution, as AWS documents), an
 * execution Executing until its scripted end (Succeeded, Failed with a FailureReason, or never),
 * StopPipelineExecution (Stopping, then Stopped), ListPipelineExecutionSteps with one training
 * step, DescribeTrainingJob with its FinalMetricDataList. Scripted faults: a ThrottlingException
 * for the next calls of an operation, or a redirect elsewhere.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { signatureHeaders, type AwsCredentials } from '../../src/targets/sagemaker/sigv4.js'
import { replyErrors, requestErrors, requestOperation } from './sagemaker-model.js'

export interface PipelineParameter {
  Name: string
  Type: 'String' | 'Integer' | 'Float' | 'Boolean'
  DefaultValue?: string | number | boolean
}

/** How an execution goes, decided when it starts from its parameters (names → the values sent). */
export interface Outcome {
  end: 'Succeeded' | 'Failed' | 'never'
  /** How long it executes before its end (default 500 ms). */
  afterMs?: number
  failureReason?: string
  /** The training step's final metrics. */
  metrics?: Record<string, number>
}

export interface FakePipeline {
  parameters: PipelineParameter[]
  outcome?(parameters: Record<string, string>): Outcome
}

export interface FakeSageMakerOptions {
  region?: string
  account?: string
  credentials: AwsCredentials
  pipelines: Record<string, FakePipeline>
}

export interface SeenCall {
  operation: string
  headers: IncomingHttpHeaders
  body: unknown
  status: number
}

export interface Execution {
  arn: string
  pipeline: string
  token: string
  request: Record<string, unknown>
  parameters: Record<string, string>
  displayName?: string
  started: number
  outcome: Outcome
  status: 'Executing' | 'Stopping' | 'Stopped' | 'Failed' | 'Succeeded'
  trainingJob: string
  stopTokens: string[]
}

export interface FakeSageMaker {
  url: string
  region: string
  account: string
  calls: SeenCall[]
  /** Requests and replies that do not keep to botocore's model: each test asserts there are none. */
  violations: string[]
  /** Requests whose credential or signature was refused (403). */
  authFailures: string[]
  executions: Execution[]
  /** The next `count` calls of `operation` answer ThrottlingException. */
  throttle(operation: string, count: number): void
  /** The next call of `operation` answers the service's error `type` (one the model lists for it, or a common one). */
  refuse(operation: string, type: string, message: string): void
  /** The next call of `operation` is answered with a redirect to `location`. */
  redirect(operation: string, location: string): void
  close(): Promise<void>
}

type Reply = { status: number; body: unknown; headers?: Record<string, string> }

const error = (type: string, message: string, status = 400): Reply => ({ status, body: { __type: type, message } })

export async function startFakeSageMaker(options: FakeSageMakerOptions): Promise<FakeSageMaker> {
  const region = options.region ?? 'us-east-1'
  const account = options.account ?? '123456789012'
  const throttles = new Map<string, number>()
  const redirects = new Map<string, string>()
  const refusals = new Map<string, { type: string; message: string }>()
  const calls: SeenCall[] = []
  const violations: string[] = []
  const authFailures: string[] = []
  const executions: Execution[] = []
  const byToken = new Map<string, Execution>()
  const pipelineArn = (name: string) => `arn:aws:sagemaker:${region}:${account}:pipeline/${name.toLowerCase()}`
  const now = () => Date.now() / 1000

  const pipelineOf = (nameOrArn: string): [string, FakePipeline] | undefined => {
    const name = Object.keys(options.pipelines).find((n) => n === nameOrArn || pipelineArn(n) === nameOrArn)
    return name ? [name, options.pipelines[name]!] : undefined
  }

  /** Moves an execution on by the clock: Executing → its end; Stopping → Stopped. */
  const advance = (execution: Execution) => {
    if (execution.status === 'Stopping') execution.status = 'Stopped'
    else if (
      execution.status === 'Executing' &&
      execution.outcome.end !== 'never' &&
      Date.now() - execution.started >= (execution.outcome.afterMs ?? 500)
    )
      execution.status = execution.outcome.end
  }

  const executionOf = (arn: unknown): Execution | undefined => executions.find((e) => e.arn === arn)
  const noExecution = (arn: unknown) => error('ResourceNotFound', `Pipeline execution '${String(arn)}' does not exist.`)

  const handlers: Record<string, (body: Record<string, unknown>) => Reply> = {
    DescribePipeline(body) {
      const found = pipelineOf(String(body.PipelineName))
      if (!found) return error('ResourceNotFound', `Pipeline '${String(body.PipelineName)}' does not exist.`)
      const [name, pipeline] = found
      const definition = {
        Version: '2020-12-01',
        Parameters: pipeline.parameters,
        Steps: [{ Name: 'Train', Type: 'Training', Arguments: {} }]
      }
      return {
        status: 200,
        body: {
          PipelineArn: pipelineArn(name),
          PipelineName: name,
          PipelineDisplayName: name,
          PipelineDefinition: JSON.stringify(definition),
          RoleArn: `arn:aws:iam::${account}:role/SageMakerPipelineRole`,
          PipelineStatus: 'Active',
          CreationTime: now() - 3600,
          LastModifiedTime: now() - 3600
        }
      }
    },
    StartPipelineExecution(body) {
      const token = String(body.ClientRequestToken)
      const earlier = byToken.get(token)
      if (earlier) {
        // AWS: the same ClientRequestToken makes the call idempotent: the execution it started.
        if (JSON.stringify(earlier.request) !== JSON.stringify(body))
          violations.push(`StartPipelineExecution: token ${token} sent again with another request`)
        return { status: 200, body: { PipelineExecutionArn: earlier.arn } }
      }
      const found = pipelineOf(String(body.PipelineName))
      if (!found) return error('ResourceNotFound', `Pipeline '${String(body.PipelineName)}' does not exist.`)
      const [name, pipeline] = found
      const given = (body.PipelineParameters ?? []) as { Name: string; Value: string }[]
      const parameters: Record<string, string> = {}
      for (const { Name, Value } of given) {
        const declared = pipeline.parameters.find((p) => p.Name === Name)
        if (!declared)
          return error('ValidationException', `Parameter '${Name}' is not defined in the pipeline definition.`)
        parameters[Name] = Value
      }
      for (const p of pipeline.parameters)
        if (!(p.Name in parameters) && p.DefaultValue !== undefined) parameters[p.Name] = String(p.DefaultValue)
      const id = randomBytes(6).toString('hex')
      const execution: Execution = {
        arn: `${pipelineArn(name)}/execution/${id}`,
        pipeline: name,
        token,
        request: body,
        parameters,
        ...(typeof body.PipelineExecutionDisplayName === 'string'
          ? { displayName: body.PipelineExecutionDisplayName }
          : {}),
        started: Date.now(),
        outcome: pipeline.outcome?.(parameters) ?? { end: 'Succeeded' },
        status: 'Executing',
        trainingJob: `pipelines-${id}-Train-${randomBytes(3).toString('hex')}`,
        stopTokens: []
      }
      executions.push(execution)
      byToken.set(token, execution)
      return { status: 200, body: { PipelineExecutionArn: execution.arn } }
    },
    DescribePipelineExecution(body) {
      const e = executionOf(body.PipelineExecutionArn)
      if (!e) return noExecution(body.PipelineExecutionArn)
      advance(e)
      return {
        status: 200,
        body: {
          PipelineArn: pipelineArn(e.pipeline),
          PipelineExecutionArn: e.arn,
          ...(e.displayName ? { PipelineExecutionDisplayName: e.displayName } : {}),
          PipelineExecutionStatus: e.status,
          ...(e.status === 'Failed'
            ? { FailureReason: e.outcome.failureReason ?? 'Step failure: One or multiple steps failed.' }
            : {}),
          CreationTime: e.started / 1000,
          LastModifiedTime: now()
        }
      }
    },
    StopPipelineExecution(body) {
      const e = executionOf(body.PipelineExecutionArn)
      if (!e) return noExecution(body.PipelineExecutionArn)
      const token = String(body.ClientRequestToken)
      // The same token: the stop already made (idempotent), whatever the execution did since.
      if (e.stopTokens.includes(token)) return { status: 200, body: { PipelineExecutionArn: e.arn } }
      advance(e)
      if (e.status !== 'Executing')
        return error(
          'ConflictException',
          `Pipeline execution '${e.arn}' is in status ${e.status} and cannot be stopped.`
        )
      e.stopTokens.push(token)
      e.status = 'Stopping'
      return { status: 200, body: { PipelineExecutionArn: e.arn } }
    },
    ListPipelineExecutionSteps(body) {
      const e = executionOf(body.PipelineExecutionArn)
      if (!e) return noExecution(body.PipelineExecutionArn)
      advance(e)
      const stepStatus = e.status === 'Stopping' ? 'Stopping' : e.status
      return {
        status: 200,
        body: {
          PipelineExecutionSteps: [
            {
              StepName: 'Train',
              StepDisplayName: 'Train',
              StartTime: e.started / 1000,
              ...(e.status !== 'Executing' && e.status !== 'Stopping' ? { EndTime: now() } : {}),
              StepStatus: stepStatus,
              ...(e.status === 'Failed' ? { FailureReason: e.outcome.failureReason ?? 'AlgorithmError' } : {}),
              Metadata: {
                TrainingJob: {
                  Arn: `arn:aws:sagemaker:${region}:${account}:training-job/${e.trainingJob.toLowerCase()}`
                }
              },
              AttemptCount: 1
            }
          ]
        }
      }
    },
    DescribeTrainingJob(body) {
      const e = executions.find((x) => x.trainingJob.toLowerCase() === String(body.TrainingJobName).toLowerCase())
      if (!e) return error('ResourceNotFound', `Requested resource not found.`)
      advance(e)
      const status = {
        Executing: 'InProgress',
        Stopping: 'Stopping',
        Stopped: 'Stopped',
        Failed: 'Failed',
        Succeeded: 'Completed'
      }[e.status]
      return {
        status: 200,
        body: {
          TrainingJobName: e.trainingJob,
          TrainingJobArn: `arn:aws:sagemaker:${region}:${account}:training-job/${e.trainingJob.toLowerCase()}`,
          ModelArtifacts: {
            S3ModelArtifacts: `s3://sagemaker-${region}-${account}/${e.pipeline}/${e.trainingJob}/output/model.tar.gz`
          },
          TrainingJobStatus: status,
          SecondaryStatus: status === 'InProgress' ? 'Training' : status,
          StoppingCondition: { MaxRuntimeInSeconds: 86400 },
          CreationTime: e.started / 1000,
          ...(e.status === 'Succeeded'
            ? {
                FinalMetricDataList: Object.entries(e.outcome.metrics ?? {}).map(([MetricName, Value]) => ({
                  MetricName,
                  Value,
                  Timestamp: now()
                }))
              }
            : {})
        }
      }
    }
  }

  /** Recomputes the request's signature over what arrived; a reply when it is refused. */
  const checkSignature = async (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: string
  ): Promise<Reply | undefined> => {
    const refuse = (type: string, message: string, status = 403) => {
      authFailures.push(`${type}: ${message}`)
      return error(type, message, status)
    }
    const authorization = String(headers.authorization ?? '')
    const parsed =
      /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=[0-9a-f]{64}$/.exec(
        authorization
      )
    if (!parsed) return refuse('MissingAuthenticationToken', 'Request is missing Authentication Token')
    const [, accessKey, day, signedRegion, service, signedHeaders] = parsed
    const { credentials } = options
    if (accessKey !== credentials.accessKeyId)
      return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.')
    if (credentials.sessionToken && headers['x-amz-security-token'] !== credentials.sessionToken)
      return refuse('UnrecognizedClientException', 'The security token included in the request is invalid.')
    const date = String(headers['x-amz-date'] ?? '')
    const at = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(date)
    if (!at || !date.startsWith(day!) || signedRegion !== region || service !== 'sagemaker')
      return refuse(
        'InvalidSignatureException',
        `Credential should be scoped to a valid region and service: ${day}/${signedRegion}/${service}, X-Amz-Date ${date}.`
      )
    const names = signedHeaders!.split(';')
    for (const needed of ['host', 'x-amz-date', 'x-amz-target'])
      if (!names.includes(needed)) return refuse('InvalidSignatureException', `'${needed}' must be a signed header.`)
    const signed: Record<string, string> = {}
    for (const name of names) signed[name] = String(headers[name] ?? '')
    const url = new URL(path, `http://${String(headers.host)}`)
    const recomputed = await signatureHeaders(
      { method, url, headers: signed, body },
      {
        credentials,
        region,
        service: 'sagemaker',
        date: new Date(`${at[1]}-${at[2]}-${at[3]}T${at[4]}:${at[5]}:${at[6]}Z`)
      }
    )
    if (recomputed.authorization !== authorization)
      return refuse(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.'
      )
    return undefined
  }

  const answer = async (
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    raw: string
  ): Promise<{ operation: string; reply: Reply }> => {
    const { operation, errors } = requestOperation(method, path, headers)
    if (!operation) {
      violations.push(...errors)
      return { operation: 'unknown', reply: error('UnknownOperationException', errors.join('; ')) }
    }
    const refused = await checkSignature(method, path, headers, raw)
    if (refused) return { operation, reply: refused }
    let body: unknown
    try {
      body = JSON.parse(raw)
    } catch {
      body = undefined
    }
    const problems = [...errors, ...requestErrors(operation, body)]
    if (problems.length) {
      violations.push(...problems)
      return { operation, reply: error('ValidationException', problems.join('; ')) }
    }
    const location = redirects.get(operation)
    if (location) {
      redirects.delete(operation)
      return { operation, reply: { status: 307, body: { message: 'moved' }, headers: { location } } }
    }
    const refusal = refusals.get(operation)
    if (refusal) {
      refusals.delete(operation)
      return { operation, reply: error(refusal.type, refusal.message) }
    }
    const throttled = throttles.get(operation) ?? 0
    if (throttled > 0) {
      throttles.set(operation, throttled - 1)
      return { operation, reply: error('ThrottlingException', 'Rate exceeded') }
    }
    const handler = handlers[operation]
    if (!handler)
      return { operation, reply: error('UnknownOperationException', `${operation} is not implemented by the stand-in`) }
    return { operation, reply: handler(body as Record<string, unknown>) }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8')
      answer(req.method ?? 'GET', req.url ?? '/', req.headers, raw)
        .then(({ operation, reply }) => {
          if (reply.status !== 307) violations.push(...replyErrors(operation, reply.status, reply.body))
          let parsed: unknown
          try {
            parsed = JSON.parse(raw)
          } catch {
            parsed = raw
          }
          calls.push({ operation, headers: req.headers, body: parsed, status: reply.status })
          res.writeHead(reply.status, {
            'content-type': 'application/x-amz-json-1.1',
            'x-amzn-requestid': randomBytes(16).toString('hex'),
            ...reply.headers
          })
          res.end(JSON.stringify(reply.body))
        })
        .catch((problem: unknown) => {
          violations.push(`stand-in failed: ${String(problem)}`)
          res.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' })
          res.end(JSON.stringify({ __type: 'InternalFailure', message: String(problem) }))
        })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region,
    account,
    calls,
    violations,
    authFailures,
    executions,
    throttle: (operation, count) => void throttles.set(operation, count),
    redirect: (operation, location) => void redirects.set(operation, location),
    refuse: (operation, type, message) => void refusals.set(operation, { type, message }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
