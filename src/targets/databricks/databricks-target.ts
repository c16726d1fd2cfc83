/**
 * The `databricks` target: a job run in a Databricks workspace through the Jobs API 2.2.
 * - prepare: the job, by id or by exact name (jobs/list?name=, once per step: exactly one match),
 *   exists (jobs/get), and the parameters' names are among its job-level parameters (Databricks
 *   refuses others only once the run is asked for). Prepare changes nothing.
 * - start: run-now with job_parameters (strings: numbers and booleans as their text, lists and
 *   objects as JSON) and idempotency_token = the request's idempotency key, so a start sent again
 *   "does not create a new run but returns the ID of the existing run" (dedupesStarts). A job that
 *   defines the parameter pipeline-context gets the chain context there, as JSON.
 * - status: status.state, and status.termination_details {code, type, message} once TERMINATED
 *   (run-status.ts); the link is the run's run_page_url.
 * - cancel: runs/cancel.
 * - metrics: runs/get-output of metrics-task's task run (found in runs/get tasks[] by task_key):
 *   its notebook_output.result (dbutils.notebook.exit), else the last line of its logs (a Python
 *   script or wheel task's stdout) that is a JSON object.
 * - follow: the run id is Databricks' own run_id, which is enough to find the run again.
 */
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import { CHAIN_INPUT } from '../../core/chain.js'
import type { RunRequest } from '../../core/run-request.js'
import type { RunState } from '../../core/run-state.js'
import { UserError, preview } from '../../errors.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'
import type { DatabricksApi } from './databricks-api.js'
import type { ResolvedDatabricks } from './resolve.js'
import { jobList, jobReply, runNowReply, runOutput, runReply, type RunReply } from './replies.js'
import { FINAL_STATE, statusOfTermination } from './run-status.js'

interface DatabricksHandle extends RunHandle {
  runId: string
}

interface JobFacts {
  id: number
  name: string
  parameters: string[]
}

const RUN_ID = /^[0-9]{1,19}$/

export class DatabricksTarget implements Target<DatabricksHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = true
  readonly cancelOnTimeout: boolean
  readonly metrics?: (handle: DatabricksHandle, signal: AbortSignal) => Promise<MetricsReading>
  private readonly ids = new Map<string, Promise<number>>()
  private readonly jobs = new Map<string, Promise<JobFacts>>()

  constructor(
    private readonly config: ResolvedDatabricks,
    private readonly api: DatabricksApi,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
    if (config.metricsTask) this.metrics = (handle, signal) => this.readMetrics(handle, config.metricsTask!, signal)
  }

  /** The job's id: the config's number (or digits), else the id of the one job with that name. */
  private jobId(request: RunRequest, signal: AbortSignal): Promise<number> {
    const job = this.config.job ?? request.pipelineName
    if (typeof job === 'number' || /^[0-9]{1,19}$/.test(job)) {
      // A JSON number past 2^53 is another number: that would run (or cancel) another job.
      if (Number.isSafeInteger(Number(job))) return Promise.resolve(Number(job))
      throw new UserError(
        `${this.name}: job ${job} is past the ids the Jobs API's JSON carries exactly (${Number.MAX_SAFE_INTEGER}), so it would name another job. Fix: set job to the job's id as its URL shows it, or to its exact name.`
      )
    }
    return remember(this.ids, job, () => this.lookUp(job, signal))
  }

  private async lookUp(name: string, signal: AbortSignal): Promise<number> {
    const what = `${this.name}: looking up job ${JSON.stringify(name)} by name on ${this.config.host}`
    const reply = this.api.read(
      jobList,
      await this.api.call(what, 'GET', 'list', signal, { query: { name, limit: '100' } }),
      what
    )
    const ids = (reply.jobs ?? []).map((job) => job.job_id)
    if (ids.length === 1) {
      this.log(`${this.name}: job ${JSON.stringify(name)} is job ${ids[0]} on ${this.config.host}.`)
      return ids[0]!
    }
    throw new UserError(
      ids.length
        ? `${what}: ${ids.length}${reply.has_more === true ? '+' : ''} jobs have that name (job ids ${ids.join(', ')}). Fix: set job to the id of the one to run.`
        : `${what}: no job has that name (names are exact and case-sensitive), or the credentials may not see it. Fix: set job to the job's id (the number in its URL) or its exact name, and give the identity CAN MANAGE RUN on it.`
    )
  }

  /** The job's name and job-level parameters, once per job. */
  private facts(id: number, signal: AbortSignal): Promise<JobFacts> {
    return remember(this.jobs, String(id), async () => {
      const what = `${this.name}: reading job ${id} on ${this.config.host}`
      const raw = await this.api.call(what, 'GET', 'get', signal, {
        query: { job_id: String(id) },
        fixes: {
          RESOURCE_DOES_NOT_EXIST: `the workspace has no job ${id}; set job to the job's id (the number in its URL) or its exact name.`,
          INVALID_PARAMETER_VALUE: `the workspace has no job ${id}; set job to the job's id (the number in its URL) or its exact name.`,
          404: `the workspace has no job ${id}; set job to the job's id (the number in its URL) or its exact name.`,
          403: `the identity may not see job ${id}: give it CAN MANAGE RUN on the job (its Permissions).`
        }
      })
      const job = this.api.read(jobReply, raw, what)
      if (job.job_id !== id)
        throw new UserError(
          `${what}: Databricks at ${this.config.api} answered about job ${job.job_id}. Fix: check that host is the Databricks workspace URL, not a proxy answering for it.`
        )
      const settings = job.settings
      const parameters = (settings?.parameters ?? []).map((p) => p.name)
      return { id, name: settings?.name ?? String(id), parameters }
    })
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const job = await this.facts(await this.jobId(request, signal), signal)
    if (Object.hasOwn(request.parameters, CHAIN_INPUT))
      throw new UserError(
        `${this.name}: ${request.pipeline} has a parameter named ${CHAIN_INPUT}, the job parameter that carries the chain context. Fix: rename the parameter.`
      )
    for (const name of Object.keys(request.parameters))
      if (!job.parameters.includes(name))
        throw new UserError(
          `${this.name}: checking the parameters of ${request.pipeline}: job ${job.name} (${job.id}) has no job parameter ${JSON.stringify(name)}; its parameters: ${job.parameters.filter((p) => p !== CHAIN_INPUT).join(', ') || 'none'}. Fix: rename the parameter, or add it to the job's parameters (Job parameters in the job's settings).`
        )
    for (const [name, value] of Object.entries(request.parameters)) this.text(name, value)
  }

  /** A job parameter's value as the string Databricks takes. */
  private text(name: string, value: unknown): string {
    if (typeof value === 'string') return value
    if (typeof value === 'number' || typeof value === 'boolean') return String(value)
    if (value !== null && typeof value === 'object') return JSON.stringify(value)
    throw new UserError(
      `${this.name}: parameter ${name} is ${preview(value)}; a Databricks job parameter is a string. Fix: give it a value (a string, number, boolean, list or mapping).`
    )
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<DatabricksHandle> {
    const job = await this.facts(await this.jobId(request, signal), signal)
    if (request.idempotencyKey.length > 64)
      throw new UserError(`${this.name}: the idempotency key is longer than Databricks' 64 characters.`)
    const parameters = Object.fromEntries(
      Object.entries(request.parameters).map(([name, value]) => [name, this.text(name, value)])
    )
    if (job.parameters.includes(CHAIN_INPUT)) parameters[CHAIN_INPUT] = JSON.stringify(request.chain)
    const what = `${this.name}: starting job ${job.name} (${job.id}) on ${this.config.host}`
    const raw = await this.api.call(what, 'POST', 'run-now', signal, {
      body: {
        job_id: job.id,
        ...(Object.keys(parameters).length ? { job_parameters: parameters } : {}),
        idempotency_token: request.idempotencyKey
      },
      fixes: {
        INVALID_PARAMETER_VALUE: `Databricks refused the request: a parameter the job does not define, or a value it refuses; fix the parameter or the job's parameters.`,
        RESOURCE_DOES_NOT_EXIST: `the workspace has no job ${job.id}; set job to its id or exact name.`,
        404: `the workspace has no job ${job.id}; set job to its id or exact name.`
      }
    })
    const reply = this.api.read(runNowReply, raw, what)
    return {
      runId: String(reply.run_id),
      runUrl: `${this.config.host}/jobs/${job.id}/runs/${reply.run_id}`
    }
  }

  follow(runId: string): DatabricksHandle {
    // runs/cancel takes the id as a JSON number: one past 2^53 would cancel another run.
    if (!RUN_ID.test(runId) || !Number.isSafeInteger(Number(runId)) || Number(runId) < 1)
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not a Databricks run id (a positive integer below 2^53), so the run cannot be followed.`
      )
    return { runId }
  }

  private async readRun(handle: DatabricksHandle, what: string, signal: AbortSignal): Promise<RunReply> {
    const raw = await this.api.call(what, 'GET', 'runs/get', signal, {
      query: { run_id: handle.runId },
      fixes: {
        INVALID_PARAMETER_VALUE: `the workspace has no run ${handle.runId} (deleted, or another workspace); check host.`,
        RESOURCE_DOES_NOT_EXIST: `the workspace has no run ${handle.runId} (deleted, or another workspace); check host.`
      }
    })
    return this.api.read(runReply, raw, what)
  }

  /** run_page_url when it is a web link that carries no credential (it goes on the check run), else the one start made. */
  private link(run: RunReply, handle: DatabricksHandle): string | undefined {
    const url = run.run_page_url
    if (typeof url === 'string' && /^https?:\/\/[^@\s]+$/.test(url) && this.api.redact(url) === url) return url
    return (
      handle.runUrl ??
      (typeof run.job_id === 'number' ? `${this.config.host}/jobs/${run.job_id}/runs/${handle.runId}` : undefined)
    )
  }

  async status(handle: DatabricksHandle, signal: AbortSignal): Promise<RunState> {
    const run = await this.readRun(handle, `${this.name}: reading run ${handle.runId}`, signal)
    const state = run.status.state
    const runUrl = this.link(run, handle)
    const ids = { runId: handle.runId, ...(runUrl ? { runUrl } : {}) }
    if (state !== FINAL_STATE) return { status: 'running', ...ids, detail: state }
    const details = run.status.termination_details ?? {}
    const status = statusOfTermination(details.code ?? undefined)
    const code = this.api.redact(details.code ?? 'no termination code')
    if (status === 'completed') return { status, ...ids, detail: code }
    const words = details.message ? `: ${details.message}` : ''
    return {
      status,
      ...ids,
      detail: code,
      // The service's own words go on the check run: without any credential it may echo.
      message: this.api.redact(
        `job run ${handle.runId} ${status === 'cancelled' ? 'was cancelled' : status === 'not_started' ? 'never ran' : 'failed'} (${code}${details.type ? `, ${details.type}` : ''})${words}`
      )
    }
  }

  async cancel(handle: DatabricksHandle, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: cancelling run ${handle.runId}`
    await this.api.call(what, 'POST', 'runs/cancel', signal, {
      body: { run_id: Number(handle.runId) },
      fixes: {
        403: 'the identity may not cancel runs of this job: give it CAN MANAGE RUN on the job, or cancel the run by hand.'
      }
    })
  }

  private async readMetrics(handle: DatabricksHandle, task: string, signal: AbortSignal): Promise<MetricsReading> {
    const run = await this.readRun(handle, `${this.name}: reading the tasks of run ${handle.runId}`, signal)
    // Only the entries that are objects: a reply of another shape has no task to read, not a crash.
    const tasks = (Array.isArray(run.tasks) ? run.tasks : []).filter((t) => t !== null && typeof t === 'object')
    const keys = tasks.map((t) => t.task_key).filter((k): k is string => typeof k === 'string')
    const taskRun = tasks.filter((t) => t.task_key === task && typeof t.run_id === 'number').at(-1)
    if (!taskRun)
      throw new UserError(
        `${this.name}: run ${handle.runId} has no task ${JSON.stringify(task)} (its tasks: ${keys.join(', ') || 'none'}). Fix: set metrics-task to the task_key of the task that returns the metrics.`
      )
    const what = `${this.name}: reading the output of task ${task} (task run ${taskRun.run_id}) of run ${handle.runId}`
    const output = this.api.read(
      runOutput,
      await this.api.call(what, 'GET', 'runs/get-output', signal, { query: { run_id: String(taskRun.run_id) } }),
      what
    )
    const notebook = output.notebook_output ?? {}
    if (typeof notebook.result === 'string' && notebook.result)
      return readMetrics(parse(notebook.result), `the notebook exit value of task ${task}`)
    const line = typeof output.logs === 'string' ? lastJsonLine(output.logs) : undefined
    if (line !== undefined) return readMetrics(line, `the last JSON line of task ${task}'s output`)
    throw new UserError(
      `${what}: the task returned nothing to read. Fix: end the notebook with dbutils.notebook.exit(json.dumps(metrics)), or print the metrics as one JSON object on the last line of a Python script or wheel task, or set metrics-task to the task that does.`
    )
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** The last line of a task's output that is a JSON object. */
function lastJsonLine(logs: string): unknown {
  for (const line of logs.trimEnd().split('\n').reverse()) {
    const value = parse(line.trim())
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value
  }
  return undefined
}
