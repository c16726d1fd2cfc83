/**
 * The `sagemaker` target: an Amazon SageMaker Pipelines execution.
 * - prepare: DescribePipeline, once per pipeline for the step: it exists and is Active; the
 *   request's parameters against its definition's Parameters (names, types, values ≤ 1024
 *   characters); the idempotency key fits ClientRequestToken (32–128); the display name renders.
 *   Read-only.
 * - start: StartPipelineExecution with ClientRequestToken = the idempotency key, so a start whose
 *   answer was lost and is sent again returns the same execution (AWS documents the token as
 *   making the call idempotent: dedupesStarts). The reason goes in the description.
 * - status: DescribePipelineExecution; Executing/Stopping → running, Succeeded → completed,
 *   Failed and CompletedWithFailures → failed (with FailureReason and the failed steps' names),
 *   Stopped → cancelled.
 * - cancel: StopPipelineExecution, its ClientRequestToken derived from the execution ARN so a
 *   retried stop is one stop; an execution that already ended keeps its outcome.
 * - metrics: ListPipelineExecutionSteps, then DescribeTrainingJob's FinalMetricDataList for each
 *   training step that succeeded (one step: its metric names as they are; several: Step::name).
 * - follow: the run id is the execution ARN, which names region, account, pipeline and execution.
 */
import { createHash } from 'node:crypto'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import { renderTemplate } from '../../core/placeholders.js'
import type { RunRequest } from '../../core/run-request.js'
import type { RunState, RunStatus } from '../../core/run-state.js'
import { UserError, preview, quoteServer } from '../../errors.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'
import { declaredParameters, pipelineParameters, type DeclaredParameter } from './pipeline-parameters.js'
import type { ResolvedSageMaker } from './resolve.js'
import type { SageMakerApi } from './sagemaker-api.js'

interface SageMakerHandle extends RunHandle {
  runId: string
  runUrl: string
  arn: string
  pipeline: string
  execution: string
}

/** PipelineExecutionStatus in the action's words: every word of the model; another is an error, not "running" until the timeout. */
const STATES: Record<string, RunStatus> = {
  Executing: 'running',
  Stopping: 'running',
  Succeeded: 'completed',
  Failed: 'failed',
  CompletedWithFailures: 'failed',
  Stopped: 'cancelled'
}

const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/
const EXECUTION_ARN =
  /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):(\d{12}):pipeline\/([a-zA-Z0-9-]{1,256})\/execution\/([a-zA-Z0-9-]{1,64})$/
const TRAINING_JOB_ARN =
  /^arn:aws[a-z-]*:sagemaker:([a-z0-9-]+):\d{12}:training-job\/([a-zA-Z0-9](?:-*[a-zA-Z0-9]){0,62})$/
const TOKEN_LENGTH = { min: 32, max: 128 }

interface Pipeline {
  declared: DeclaredParameter[] | undefined
}

export class SageMakerTarget implements Target<SageMakerHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = true
  readonly cancelOnTimeout: boolean
  private readonly pipelines = new Map<string, Promise<Pipeline>>()

  constructor(
    private readonly config: ResolvedSageMaker,
    private readonly api: SageMakerApi,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  private pipelineOf(request: RunRequest): string {
    const pipeline = this.config.pipeline ?? request.pipelineName
    if (PIPELINE_NAME.test(pipeline)) return pipeline
    throw new UserError(
      `${this.name}: ${JSON.stringify(pipeline)} is not a SageMaker pipeline name (letters, digits and hyphens, at most 256), so nothing is sent for it. Fix: set pipeline on target ${this.name} (default: the pipeline's name) to the SageMaker pipeline's name.`
    )
  }

  private where(pipeline: string): string {
    return `pipeline ${pipeline} in ${this.config.region}`
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const pipeline = this.pipelineOf(request)
    const { declared } = await remember(this.pipelines, pipeline, () => this.describePipeline(pipeline, signal))
    this.body(request, pipeline, declared)
  }

  private async describePipeline(pipeline: string, signal: AbortSignal): Promise<Pipeline> {
    const what = `${this.name}: reading ${this.where(pipeline)} (DescribePipeline)`
    const reply = await this.api.call(what, 'DescribePipeline', { PipelineName: pipeline }, signal)
    if ('refused' in reply)
      throw this.api.refusal(
        what,
        reply.status,
        reply.refused,
        reply.refused.type === 'ResourceNotFound'
          ? `the account of these credentials has no pipeline ${pipeline} in ${this.config.region}; set pipeline (default: the pipeline's name) to its name, and region to the region it was created in.`
          : 'see the message.'
      )
    if (typeof reply.ok.PipelineArn !== 'string' || !/:pipeline\/[^/]+$/.test(reply.ok.PipelineArn))
      throw new UserError(
        `${what}: ${this.api.endpoint} answered without the pipeline's ARN (${quoteServer(this.api.redact(JSON.stringify(reply.ok)), 80)}). Fix: check that endpoint is SageMaker's API, not a proxy answering for it.`
      )
    if (reply.ok.PipelineStatus === 'Deleting')
      throw new UserError(
        `${what}: the pipeline is being deleted, so no execution of it can start. Fix: create it again (pipeline.upsert() in the SageMaker Python SDK) or set pipeline to another.`
      )
    const declared = declaredParameters(reply.ok.PipelineDefinition)
    if (!declared)
      this.log(
        `${what}: its definition could not be read, so the parameters are checked only by SageMaker when the execution starts.`
      )
    return { declared }
  }

  /** The StartPipelineExecution request: every check that can fail before anything starts. */
  private body(
    request: RunRequest,
    pipeline: string,
    declared: DeclaredParameter[] | undefined
  ): Record<string, unknown> {
    const where = `${this.name}: checking the parameters of ${request.pipeline} for ${this.where(pipeline)}`
    const token = request.idempotencyKey
    if (token.length < TOKEN_LENGTH.min || token.length > TOKEN_LENGTH.max)
      throw new UserError(
        `${this.name}: the idempotency key ${JSON.stringify(token)} is ${token.length} characters; SageMaker's ClientRequestToken takes ${TOKEN_LENGTH.min} to ${TOKEN_LENGTH.max}. Fix: leave idempotency-key at its default (35 characters).`
      )
    const parameters = pipelineParameters(where, pipeline, request.parameters, declared)
    const displayName = this.displayName(request)
    return {
      PipelineName: pipeline,
      ClientRequestToken: token,
      ...(parameters.length ? { PipelineParameters: parameters } : {}),
      ...(displayName ? { PipelineExecutionDisplayName: displayName } : {}),
      // One line: the model's pattern for it (.*) takes no line break.
      PipelineExecutionDescription: request.reason
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .trim()
        .slice(0, 3072),
      ...(this.config.roleArn ? { RoleArn: this.config.roleArn } : {})
    }
  }

  /** The display-name template rendered, in the characters SageMaker takes ([a-zA-Z0-9-], 82 at most). */
  private displayName(request: RunRequest): string | undefined {
    const rendered = renderTemplate(
      this.config.displayName,
      { pipeline: request.pipelineName, run_name: request.runName, idempotency_key: request.idempotencyKey },
      `target ${this.name} display-name`
    )
    const name = rendered
      .replace(/[^a-zA-Z0-9-]/g, '-')
      .replace(/^-+/, '')
      .slice(0, 82)
      .replace(/-+$/, '')
    return name || undefined
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<SageMakerHandle> {
    const pipeline = this.pipelineOf(request)
    const prepared = this.pipelines.get(pipeline)
    const declared = prepared ? (await prepared).declared : undefined
    const what = `${this.name}: starting ${this.where(pipeline)} (StartPipelineExecution)`
    const reply = await this.api.call(what, 'StartPipelineExecution', this.body(request, pipeline, declared), signal)
    if ('refused' in reply) {
      const fixes: Record<string, string> = {
        ResourceNotFound: `the account of these credentials has no pipeline ${pipeline} in ${this.config.region}; set pipeline and region.`,
        ValidationException: `SageMaker refused the request: a parameter the pipeline does not declare or of the wrong type${this.config.roleArn ? ', or role-arn' : ''}; fix the parameter${this.config.roleArn ? ' or role-arn' : ''}.`,
        ResourceLimitExceeded: `the account's quota of concurrent pipeline executions is reached; lower max-parallel on target ${this.name}, or raise the quota in Service Quotas.`,
        ConflictException:
          'the pipeline is being changed (an update or a deletion); run the step again once it is done.'
      }
      throw this.api.refusal(what, reply.status, reply.refused, fixes[reply.refused.type] ?? 'see the message.')
    }
    const arn = reply.ok.PipelineExecutionArn
    if (typeof arn !== 'string' || !EXECUTION_ARN.test(arn))
      throw new UserError(
        `${what}: ${this.api.endpoint} answered without a pipeline execution ARN (${preview(arn)}). Fix: check that endpoint is SageMaker's API.`
      )
    return this.follow(arn)
  }

  follow(runId: string): SageMakerHandle {
    const parsed = EXECUTION_ARN.exec(runId)
    if (!parsed)
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not a SageMaker pipeline execution ARN (arn:aws:sagemaker:<region>:<account>:pipeline/<name>/execution/<id>), so the run cannot be followed.`
      )
    const [, region, , pipeline, execution] = parsed
    if (region !== this.config.region)
      throw new UserError(
        `${this.name}: the execution ${runId} is in ${region}, and target ${this.name} signs for ${this.config.region}. Fix: set region: ${region} on the target (the credentials go only to its endpoint).`
      )
    // An ARN spells the pipeline's name in lower case.
    if (this.config.pipeline && pipeline!.toLowerCase() !== this.config.pipeline.toLowerCase())
      throw new UserError(
        `${this.name}: the execution ${runId} is of pipeline ${pipeline}, and target ${this.name} runs pipeline ${this.config.pipeline}, so it is not followed. Fix: follow it with the target of that pipeline.`
      )
    const domain = region.startsWith('cn-') ? 'console.amazonaws.cn' : 'console.aws.amazon.com'
    return {
      runId,
      arn: runId,
      pipeline: pipeline!,
      execution: execution!,
      runUrl: `https://${region}.${domain}/sagemaker/home?region=${region}#/pipelines/${pipeline!}/executions/${execution!}`
    }
  }

  async status(handle: SageMakerHandle, signal: AbortSignal): Promise<RunState> {
    const what = `${this.name}: reading execution ${handle.execution} of pipeline ${handle.pipeline} (DescribePipelineExecution)`
    const reply = await this.api.call(what, 'DescribePipelineExecution', { PipelineExecutionArn: handle.arn }, signal)
    if ('refused' in reply)
      throw this.api.refusal(
        what,
        reply.status,
        reply.refused,
        reply.refused.type === 'ResourceNotFound'
          ? `SageMaker has no execution ${handle.arn} for these credentials (deleted, or another account); check the credentials' account and region.`
          : 'see the message.'
      )
    const word = reply.ok.PipelineExecutionStatus
    if (typeof word !== 'string' || !Object.hasOwn(STATES, word))
      throw new UserError(
        `${what}: ${this.api.endpoint} answered PipelineExecutionStatus ${word === undefined ? 'nothing' : preview(typeof word === 'string' ? this.api.redact(word) : word)}, which SageMaker's model does not have (${Object.keys(STATES).join(', ')}). Fix: check that endpoint is SageMaker's API, not a proxy answering for it.`
      )
    const status = STATES[word]!
    const ids = { runId: handle.runId, runUrl: handle.runUrl }
    if (status === 'cancelled')
      return { status, ...ids, detail: word, message: `pipeline execution ${handle.execution} was stopped` }
    if (status !== 'failed') return { status, ...ids, detail: word }
    const reason = typeof reply.ok.FailureReason === 'string' ? this.api.redact(reply.ok.FailureReason).trim() : ''
    const steps = await this.failedSteps(handle, signal)
    return {
      status,
      ...ids,
      detail: word,
      // The service's words go on the check run: none of the credentials it may echo (a step's name too).
      message: this.api.redact(
        `pipeline execution ${handle.execution} of ${handle.pipeline} ${word === 'Failed' ? 'failed' : 'completed with failures'}${reason ? `: ${reason.slice(0, 500)}` : ''}${steps.length ? ` (failed steps: ${steps.join(', ')})` : ''}`
      )
    }
  }

  private async steps(handle: SageMakerHandle, what: string, signal: AbortSignal): Promise<Record<string, unknown>[]> {
    const reply = await this.api.call(
      what,
      'ListPipelineExecutionSteps',
      { PipelineExecutionArn: handle.arn, MaxResults: 100 },
      signal
    )
    if ('refused' in reply) throw this.api.refusal(what, reply.status, reply.refused, 'see the message.')
    const steps = reply.ok.PipelineExecutionSteps ?? []
    if (!Array.isArray(steps) || steps.some((step) => step === null || typeof step !== 'object' || Array.isArray(step)))
      throw new UserError(
        `${what}: ${this.api.endpoint} answered PipelineExecutionSteps ${preview(this.api.redact(JSON.stringify(steps)))}, not a list of steps. Fix: check that endpoint is SageMaker's API, not a proxy answering for it.`
      )
    return steps as Record<string, unknown>[]
  }

  /** The steps that failed, for the message: the first thing a user opens the execution to find. */
  private async failedSteps(handle: SageMakerHandle, signal: AbortSignal): Promise<string[]> {
    const what = `${this.name}: reading the steps of execution ${handle.execution} (ListPipelineExecutionSteps)`
    try {
      const steps = await this.steps(handle, what, signal)
      return steps
        .filter((s) => s.StepStatus === 'Failed' && typeof s.StepName === 'string')
        .map((s) => {
          const reason =
            typeof s.FailureReason === 'string' ? this.api.redact(s.FailureReason).trim().slice(0, 200) : ''
          return reason ? `${String(s.StepName)}: ${reason}` : String(s.StepName)
        })
        .slice(0, 5)
    } catch (error) {
      // The execution has failed whatever this list says: a refusal only loses the step names.
      this.log(`${(error as Error).message} The execution is reported failed without its step names.`)
      return []
    }
  }

  async cancel(handle: SageMakerHandle, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: stopping execution ${handle.execution} of pipeline ${handle.pipeline} (StopPipelineExecution)`
    // One token per execution: a stop sent again after a lost answer is the same stop.
    const token = createHash('sha256').update(`pipeline-trigger stop ${handle.arn}`).digest('hex')
    const reply = await this.api.call(
      what,
      'StopPipelineExecution',
      { PipelineExecutionArn: handle.arn, ClientRequestToken: token },
      signal
    )
    if (!('refused' in reply)) return
    // An execution that ended meanwhile keeps its outcome; status says which.
    if (reply.refused.type === 'ConflictException') {
      this.log(
        `${this.api.describe(what, reply.status, reply.refused)}; it is no longer executing, so it keeps its outcome.`
      )
      return
    }
    throw this.api.refusal(what, reply.status, reply.refused, 'stop the execution by hand in SageMaker Studio.')
  }

  async metrics(handle: SageMakerHandle, signal: AbortSignal): Promise<MetricsReading> {
    const what = `${this.name}: reading the steps of execution ${handle.execution} (ListPipelineExecutionSteps)`
    const training = (await this.steps(handle, what, signal)).filter((s) => {
      const arn = (s.Metadata as { TrainingJob?: { Arn?: unknown } } | undefined)?.TrainingJob?.Arn
      return s.StepStatus === 'Succeeded' && typeof arn === 'string'
    })
    const raw: Record<string, number> = {}
    const ignored: string[] = []
    for (const step of training.slice(0, 10)) {
      const arn = (step.Metadata as { TrainingJob: { Arn: string } }).TrainingJob.Arn
      // The name goes to DescribeTrainingJob: only a training job of this region is asked about.
      const parsed = TRAINING_JOB_ARN.exec(arn)
      if (!parsed || parsed[1] !== this.config.region) {
        ignored.push(
          `step ${preview(step.StepName)} names ${preview(this.api.redact(arn))}, not a training job of ${this.config.region}, so its metrics were not read`
        )
        continue
      }
      const job = parsed[2]!
      const read = `${this.name}: reading the final metrics of training job ${job} (DescribeTrainingJob)`
      const reply = await this.api.call(read, 'DescribeTrainingJob', { TrainingJobName: job }, signal)
      if ('refused' in reply) throw this.api.refusal(read, reply.status, reply.refused, 'see the message.')
      const list = Array.isArray(reply.ok.FinalMetricDataList) ? (reply.ok.FinalMetricDataList as unknown[]) : []
      for (const entry of list) {
        const { MetricName: name, Value: value } = (entry ?? {}) as { MetricName?: unknown; Value?: unknown }
        if (typeof name !== 'string' || typeof value !== 'number') continue
        raw[training.length === 1 ? name : `${String(step.StepName)}::${name}`] = value
      }
    }
    const reading = readMetrics(raw, `the final metrics of the training steps of execution ${handle.execution}`)
    reading.ignored.push(...ignored)
    if (!training.length)
      reading.ignored.push(
        `execution ${handle.execution} has no succeeded training step, so no metrics were read (only a training job's FinalMetricDataList is)`
      )
    return reading
  }
}
