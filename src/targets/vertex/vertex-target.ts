/**
 * The `vertex` target: a Vertex AI Pipelines job from a compiled template in Artifact Registry,
 * through the aiplatform.v1 REST API.
 * - prepare: once per step, lists one job of the location (read-only), which proves the token, the
 *   project, the region and the API are there before anything starts (a 401/403 names the fix);
 *   per request, the template URL and the parameters (parameters.ts). The API has no dry run of a
 *   create, so the create permission and the template's parameters are checked by Vertex AI at
 *   create, which refuses a misfit before the job exists.
 * - start: pipelineJobs.create with pipelineJobId from the idempotency key (job-id.ts), the
 *   parameters as runtimeConfig.parameterValues, pipeline-root as gcsOutputDirectory, labels with
 *   the provenance, the chain and the key (labels.ts). A repeat of the same id is answered 409
 *   ALREADY_EXISTS and leaves the job untouched: the start follows that job (dedupesStarts).
 * - status: state (PIPELINE_STATE_*) onto the one vocabulary; a failure says Google's error and the
 *   failed tasks' errors. PAUSED can be resumed, so it counts as still going.
 * - cancel: :cancel; Vertex AI then moves the job through CANCELLING to CANCELLED.
 * - metrics: the tasks' system.Metrics artifacts (task-metrics.ts).
 * - follow: the run id is the job's resource name, projects/<p>/locations/<l>/pipelineJobs/<id>.
 */
import type { z } from 'zod'
import type { MetricsReading } from '../../core/metrics.js'
import type { RunRequest } from '../../core/run-request.js'
import type { RunState, RunStatus } from '../../core/run-state.js'
import { UserError, redact } from '../../errors.js'
import type { Reply } from '../../http/fetch-within.js'
import { readReply } from '../../http/read-reply.js'
import { TransientError } from '../../retry.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'
import { pipelineJobId } from './job-id.js'
import { jobLabels } from './labels.js'
import { checkParameters } from './parameters.js'
import { JOB_FIELDS, pipelineJob, pipelineJobList, type PipelineJob } from './replies.js'
import { checkTemplateUri, type ResolvedVertex } from './resolve.js'
import { taskMetrics } from './task-metrics.js'
import { googleError, type VertexApi } from './vertex-api.js'

interface VertexHandle extends RunHandle {
  /** The job's resource name, as Vertex AI gave it (its project as a number) or as recorded. */
  runId: string
  jobId: string
  /** Where its calls go: always the target's own project and location, never a name's. */
  path: string
}

/**
 * PipelineState in the action's words: every word of the aiplatform.v1 model. PAUSED can be
 * resumed, so it is still going; a word outside the model is an error, not "running" until the timeout.
 */
const STATES: Record<string, RunStatus> = {
  PIPELINE_STATE_UNSPECIFIED: 'running',
  PIPELINE_STATE_QUEUED: 'running',
  PIPELINE_STATE_PENDING: 'running',
  PIPELINE_STATE_RUNNING: 'running',
  PIPELINE_STATE_CANCELLING: 'running',
  PIPELINE_STATE_PAUSED: 'running',
  PIPELINE_STATE_SUCCEEDED: 'completed',
  PIPELINE_STATE_FAILED: 'failed',
  PIPELINE_STATE_CANCELLED: 'cancelled'
}

/** A job's resource name: a project id or number, a location, a job id; nothing that could move a path. */
const NAME =
  /^projects\/([a-z0-9][a-z0-9-]{0,62})\/locations\/([a-z0-9][a-z0-9-]{0,62})\/pipelineJobs\/([a-z][a-z0-9-]{0,127})$/
const JOB_ID = /^[a-z][a-z0-9-]{0,127}$/

export class VertexTarget implements Target<VertexHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  /** The request fixes pipelineJobId: a second create of it is refused (409), never a second job. */
  readonly dedupesStarts = true
  readonly cancelOnTimeout: boolean
  private readonly reachable = new Map<string, Promise<void>>()

  constructor(
    private readonly config: ResolvedVertex,
    private readonly api: VertexApi,
    /** Where the runs come from (repository, commit, workflow run), as labels on every job. */
    private readonly provenance: string[]
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  private where(request: RunRequest): string {
    return `${this.name}: pipeline ${request.pipeline} in ${this.config.project}/${this.config.location}`
  }

  /** The template: the target's template-uri, else the pipeline's name when it is a template URL. */
  private templateOf(request: RunRequest): string {
    if (this.config.templateUri) return this.config.templateUri
    return checkTemplateUri(
      request.pipelineName,
      `${this.where(request)}: target ${this.name} has no template-uri, and the pipeline's name`
    )
  }

  private read<T>(schema: z.ZodType<T>, reply: Reply, what: string): T {
    return readReply(schema, reply.json ?? reply.text, {
      server: `${this.name}: Vertex AI at ${this.api.endpoint}`,
      what,
      secrets: [this.config.token],
      fix: 'check that endpoint is the Vertex AI API (https://<location>-aiplatform.googleapis.com), not a proxy or a sign-in page'
    })
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    this.templateOf(request)
    checkParameters(request.parameters, `${this.where(request)}: checking its parameters`)
    await remember(this.reachable, 'list', async () => {
      const what = `checking access to Vertex AI pipeline jobs in ${this.config.project}/${this.config.location}`
      const reply = await this.api.call(
        what,
        'GET',
        `${this.api.parent}/pipelineJobs?pageSize=1&fields=pipelineJobs/name`,
        signal
      )
      this.read(pipelineJobList, reply, what)
    })
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<VertexHandle> {
    const jobId = pipelineJobId(request.idempotencyKey)
    const template = this.templateOf(request)
    const what = `starting ${request.pipeline} (pipeline job ${jobId} from ${template})`
    const reply = await this.api.call(what, 'POST', `${this.api.parent}/pipelineJobs?pipelineJobId=${jobId}`, signal, {
      body: {
        displayName: [...request.runName].slice(0, 128).join(''),
        templateUri: template,
        runtimeConfig: { gcsOutputDirectory: this.config.pipelineRoot, parameterValues: request.parameters },
        ...(this.config.serviceAccount ? { serviceAccount: this.config.serviceAccount } : {}),
        labels: jobLabels(request.idempotencyKey, this.provenance, request.chain)
      },
      // 409 ALREADY_EXISTS: a start of this key (whose answer was lost, or an earlier attempt) made it.
      accept: [200, 409],
      fixes: {
        400: `Vertex AI refused the job: a parameter the template does not declare, of another type, or a required one missing, or a template it cannot read. Fix the pipeline's parameters to match the pipeline function, or template-uri`
      }
    })
    if (reply.status === 409) {
      // 409 is also ABORTED (a concurrency conflict): then no job was made, and the start is tried again.
      const refused = googleError(reply)
      if (refused.status !== 'ALREADY_EXISTS')
        throw new TransientError(
          `${this.name}: ${what}: Vertex AI answered HTTP 409 ${refused.status ?? 'without a status'}${refused.message ? `: ${this.api.quote(refused.message)}` : ''}, not ALREADY_EXISTS, so no job of that id is known to exist yet.`
        )
      return this.handle(`${this.api.parent.slice(3)}/pipelineJobs/${jobId}`, jobId)
    }
    const job = this.read(pipelineJob, reply, what)
    const [, project, location, answered] = NAME.exec(job.name) ?? []
    if (answered !== jobId || location !== this.config.location || !this.ownProject(project!))
      throw new UserError(
        `${this.where(request)}: ${what}: Vertex AI at ${this.api.endpoint} answered with job ${JSON.stringify(job.name)}, not pipeline job ${jobId} of ${this.config.project}/${this.config.location}. Fix: check that endpoint is the Vertex AI API of ${this.config.location}.`
      )
    return this.handle(job.name, jobId)
  }

  /** The target's project, by id or by the number Vertex AI names it with (which only a call could tell apart). */
  private ownProject(project: string): boolean {
    return project === this.config.project || /^[0-9]+$/.test(project)
  }

  follow(runId: string): VertexHandle {
    const [, project, location, jobId] = NAME.exec(runId) ?? [
      undefined,
      undefined,
      undefined,
      JOB_ID.test(runId) ? runId : undefined
    ]
    if (!jobId)
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not a Vertex AI pipeline job as this action records it (projects/<project>/locations/<location>/pipelineJobs/<id>), so the run cannot be followed.`
      )
    if (location !== undefined && location !== this.config.location)
      throw new UserError(
        `${this.name}: pipeline job ${runId} is in ${location}, and the target's location is ${this.config.location}. Fix: follow it with a target whose location is ${location}.`
      )
    if (project !== undefined && !this.ownProject(project))
      throw new UserError(
        `${this.name}: pipeline job ${runId} is in project ${project}, and the target's project is ${this.config.project}; the token is used only for its own project. Fix: follow it with a target whose project is ${project}.`
      )
    return this.handle(location ? runId : `${this.api.parent.slice(3)}/pipelineJobs/${jobId}`, jobId)
  }

  private handle(name: string, jobId: string): VertexHandle {
    return {
      runId: name,
      jobId,
      path: `${this.api.parent}/pipelineJobs/${jobId}`,
      runUrl: `https://console.cloud.google.com/vertex-ai/locations/${encodeURIComponent(this.config.location)}/pipelines/runs/${encodeURIComponent(jobId)}?project=${encodeURIComponent(this.config.project)}`
    }
  }

  private async job(handle: VertexHandle, signal: AbortSignal): Promise<PipelineJob> {
    const what = `reading pipeline job ${handle.jobId}`
    const reply = await this.api.call(what, 'GET', `${handle.path}?fields=${encodeURIComponent(JOB_FIELDS)}`, signal, {
      fixes: {
        404: `no pipeline job ${handle.runId}: it was deleted, or project, location or endpoint name another place than the one that ran it.`
      }
    })
    return this.read(pipelineJob, reply, what)
  }

  async status(handle: VertexHandle, signal: AbortSignal): Promise<RunState> {
    const job = await this.job(handle, signal)
    // Protobuf's JSON leaves out a zero enum, so no state is UNSPECIFIED.
    const word = job.state ?? 'PIPELINE_STATE_UNSPECIFIED'
    if (!Object.hasOwn(STATES, word))
      throw new UserError(
        `${this.name}: reading pipeline job ${handle.jobId}: Vertex AI at ${this.api.endpoint} answered state ${JSON.stringify(this.api.quote(word))}, which aiplatform.v1 does not have (${Object.keys(STATES).join(', ')}). Fix: check that endpoint is the Vertex AI API, not a proxy answering for it.`
      )
    const status = STATES[word]!
    const state: RunState = {
      status,
      runId: handle.runId,
      runUrl: handle.runUrl!,
      detail: word.replace(/^PIPELINE_STATE_/, '').toLowerCase()
    }
    if (status === 'failed' || status === 'cancelled') {
      const failed = (job.jobDetail?.taskDetails ?? [])
        .filter((task) => task.state === 'FAILED')
        .slice(0, 5)
        .map(
          (task) =>
            `${task.taskName ?? 'a task'}${task.error?.message ? `: ${this.api.quote(task.error.message)}` : ''}`
        )
      // The check run's text: without the token, even echoed in a task's name.
      state.message = redact(
        `Vertex AI reports ${word}${job.error?.message ? `: ${this.api.quote(job.error.message)}` : ''}${failed.length ? ` (failed tasks: ${failed.join('; ')})` : ''}`,
        [this.config.token]
      )
    }
    return state
  }

  async cancel(handle: VertexHandle, signal: AbortSignal): Promise<void> {
    const reply = await this.api.call(
      `cancelling pipeline job ${handle.jobId}`,
      'POST',
      `${handle.path}:cancel`,
      signal,
      {
        body: {},
        // 400 FAILED_PRECONDITION: the job is over already; its state says how it ended.
        accept: [200, 400]
      }
    )
    if (reply.status === 400 && !/FAILED_PRECONDITION/.test(reply.text))
      throw new UserError(
        `${this.name}: cancelling pipeline job ${handle.jobId}: Vertex AI answered HTTP 400: ${this.api.quote(reply.text)}. Fix: cancel it in the console: ${handle.runUrl}.`
      )
  }

  async metrics(handle: VertexHandle, signal: AbortSignal): Promise<MetricsReading> {
    const job = await this.job(handle, signal)
    return taskMetrics(job.jobDetail?.taskDetails ?? [], `pipeline job ${handle.jobId}`)
  }
}
