/**
 * The `airflow` target: a DAG run on an Airflow 3 server through the REST API v2.
 * - prepare: the DAG exists, parsed without import errors, and is not paused (a run of a paused
 *   DAG is accepted and then waits forever) unless `unpause: true`; the parameters' names and
 *   types against the DAG's params. One read per DAG for the whole step. Prepare changes nothing.
 * - start: unpauses a paused DAG once (`unpause: true`), only now that a run will start; POST
 *   dagRuns with dag_run_id = the request's idempotency key, logical_date null (required,
 *   nullable), conf = the parameters plus the chain context as a JSON string under
 *   `pipeline-context` (a DAG run has no tags; conf is where its tasks can read it and pass it on,
 *   and Airflow takes a conf key the DAG's params do not declare), note = the reason. The run id is fixed by the request, so a second POST answers 409: the
 *   run already exists, and it is followed (dedupesStarts).
 * - cancel: PATCH the run's state to failed, with a note that says the action stopped it; Airflow
 *   has no cancelled state, so the note (and the handle) make it reported as cancelled.
 * - metrics: the XCom entry metrics-key (default return_value) of metrics-task.
 * - follow: the run id is `<dag_id>/<dag_run_id>` (neither may hold a slash), so a later pass
 *   needs nothing else.
 */
import { z } from 'zod'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import { CHAIN_INPUT } from '../../core/chain.js'
import type { RunRequest } from '../../core/run-request.js'
import type { RunState, RunStatus } from '../../core/run-state.js'
import { UserError } from '../../errors.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'
import type { AirflowApi } from './airflow-api.js'
import { checkParameters, type DagParams } from './dag-params.js'
import type { ResolvedAirflow } from './resolve.js'

interface AirflowHandle extends RunHandle {
  runId: string
  dag: string
  dagRunId: string
  /** This step stopped the run: its `failed` is reported as cancelled. */
  cancelled?: boolean
}

/** The fields of /api/v2/dags/{dag_id}/details that prepare reads (Airflow's DAGDetailsResponse). */
const dagDetails = z.object({
  is_paused: z.boolean(),
  has_import_errors: z.boolean(),
  is_stale: z.boolean().nullish(),
  params: z
    .record(
      z.string(),
      z.object({ value: z.unknown().optional(), schema: z.object({ type: z.unknown() }).partial().nullish() }).nullish()
    )
    .nullish()
})
type DagDetails = z.infer<typeof dagDetails>

interface DagRun {
  state?: string
  note?: string | null
}

/** Airflow's DAG run states (DagRunState) in the action's words; an unknown word is still going. */
const STATES: Record<string, RunStatus> = {
  queued: 'running',
  running: 'running',
  success: 'completed',
  failed: 'failed'
}

/** Airflow's own rules: a dag_id is a key (validate_key), a run id fits the default allowed_run_id_pattern. */
const DAG_ID = /^[A-Za-z0-9_.-]{1,250}$/
const DAG_RUN_ID = /^[A-Za-z0-9_.~:+-]+$/

/** The note a cancel leaves on the run: a later pass reads it to tell "cancelled" from "failed". */
export const CANCEL_NOTE = 'Stopped by pipeline-trigger'

const path = (...segments: string[]) => segments.map((s) => `/${encodeURIComponent(s)}`).join('')

export class AirflowTarget implements Target<AirflowHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = true
  readonly cancelOnTimeout: boolean
  readonly metrics?: (handle: AirflowHandle, signal: AbortSignal) => Promise<MetricsReading>
  private readonly dags = new Map<string, Promise<DagDetails>>()
  /** The DAGs unpaused by this step, so each is PATCHed once. */
  private readonly unpaused = new Map<string, Promise<void>>()

  constructor(
    private readonly config: ResolvedAirflow,
    private readonly api: AirflowApi,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
    if (config.metricsTask) this.metrics = (handle, signal) => this.readXcom(handle, config.metricsTask!, signal)
  }

  private dagOf(request: RunRequest): string {
    return this.checkedId('dag', this.config.dag ?? request.pipelineName, DAG_ID)
  }

  /** An id that goes into a URL path: `.` or `..` would be resolved away (cancel would PATCH the DAG). */
  private checkedId(what: 'dag' | 'dag_run_id', id: string, pattern: RegExp): string {
    if (pattern.test(id) && id !== '.' && id !== '..') return id
    throw new UserError(
      `${this.name}: ${JSON.stringify(id)} is not an Airflow ${what === 'dag' ? 'dag_id' : 'dag_run_id'} (${what === 'dag' ? 'letters, digits, _ . and -, at most 250; not . or ..' : 'letters, digits and _ . ~ : + -; not . or ..'}), so no request is sent for it. Fix: ${what === 'dag' ? "set dag (default: the pipeline's name) to the DAG's dag_id" : 'follow a run id this action recorded (<dag_id>/<dag_run_id>)'}.`
    )
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const dag = this.dagOf(request)
    const details = await remember(this.dags, dag, () => this.readyDag(dag, signal))
    if (Object.hasOwn(request.parameters, CHAIN_INPUT))
      throw new UserError(
        `${this.name}: ${request.pipeline} has a parameter named ${CHAIN_INPUT}, the conf key that carries the chain context to the run. Fix: rename the parameter.`
      )
    checkParameters(
      `${this.name}: checking the parameters of ${request.pipeline}`,
      dag,
      request.parameters,
      (details.params ?? {}) as DagParams
    )
    // A DAG may declare the chain key as a param (to read it with a schema): it must then take a string.
    if (details.params && Object.hasOwn(details.params, CHAIN_INPUT))
      checkParameters(
        `${this.name}: checking the param ${CHAIN_INPUT} of DAG ${dag}, which carries the chain context as a JSON string`,
        dag,
        { [CHAIN_INPUT]: JSON.stringify(request.chain) },
        details.params as DagParams
      )
  }

  /** The DAG's details, once per DAG: it exists, has no import errors, and is unpaused (or may be unpaused by start). */
  private async readyDag(dag: string, signal: AbortSignal): Promise<DagDetails> {
    const what = `${this.name}: reading DAG ${dag} on ${this.api.base}`
    const reply = await this.api.send(what, 'GET', `/api/v2/dags${path(dag, 'details')}`, signal)
    if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        404: `the server has no DAG ${dag}; set dag (default: the pipeline's name) to its dag_id, and check that its file is in the DAGs folder and parsed (Airflow 2's /api/v1 is not supported).`
      })
    const parsed = dagDetails.safeParse(this.api.object(what, reply))
    if (!parsed.success)
      throw new UserError(
        `${what}: ${this.api.base} answered 200 without the DAG's details (${parsed.error.issues.map((i) => `${i.path.join('.') || 'the reply'}: ${i.message}`).join('; ')}). Fix: check that url is an Airflow 3.x web server (Airflow 2's /api/v1 is not supported) and not a proxy answering for it.`
      )
    const details = parsed.data
    if (details.has_import_errors)
      throw new UserError(
        `${what}: the DAG's file has import errors, so it may run an old version or not at all. Fix: see Browse > Import errors at ${this.api.base}, or airflow dags list-import-errors, and fix the file.`
      )
    if (details.is_stale)
      throw new UserError(
        `${what}: the DAG is stale (its file is no longer in the DAGs folder), so its runs would never be scheduled. Fix: restore the DAG's file, or set dag to a DAG the server still has.`
      )
    if (details.is_paused) {
      if (!this.config.unpause)
        throw new UserError(
          `${what}: the DAG is paused; a run of it would be accepted and then wait forever. Fix: unpause it (the toggle at ${this.api.base}/dags/${encodeURIComponent(dag)}, or airflow dags unpause ${dag}), or set unpause: true on target ${this.name}.`
        )
      // Unpaused by start, not here: a later check (another request's) may still stop the step.
    }
    return details
  }

  private async unpauseDag(dag: string, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: unpausing DAG ${dag} on ${this.api.base} (unpause: true)`
    const reply = await this.api.send(what, 'PATCH', `/api/v2/dags${path(dag)}`, signal, { is_paused: false })
    if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        403: 'this user may not edit the DAG; give it the permission, or unpause the DAG by hand and drop unpause.'
      })
    this.log(`${this.name}: DAG ${dag} was paused; it is unpaused now (unpause: true).`)
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<AirflowHandle> {
    const dag = this.dagOf(request)
    const dagRunId = request.idempotencyKey
    const prepared = this.dags.get(dag)
    if (prepared && (await prepared).is_paused && this.config.unpause)
      await remember(this.unpaused, dag, () => this.unpauseDag(dag, signal))
    const what = `${this.name}: starting DAG ${dag} on ${this.api.base}`
    const reply = await this.api.send(what, 'POST', `/api/v2/dags${path(dag, 'dagRuns')}`, signal, {
      dag_run_id: dagRunId,
      logical_date: null,
      conf: { ...request.parameters, [CHAIN_INPUT]: JSON.stringify(request.chain) },
      note: request.reason.slice(0, 1000)
    })
    // 409: a run with this id exists, so an earlier start whose answer was lost made it: follow it.
    if (reply.status === 409) this.log(`${what}: run ${dagRunId} already exists (an earlier start); following it.`)
    else if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        400: `the server refused the run: a parameter does not fit the DAG's params, or the DAG cannot be parsed; fix the parameter or the DAG.`,
        404: `the server has no DAG ${dag}; set dag to its dag_id.`,
        422: 'the server could not read the request; check that url is an Airflow 3.x server (Airflow 2 is not supported).'
      })
    return this.handleOf(dag, dagRunId)
  }

  follow(runId: string): AirflowHandle {
    const [dag, dagRunId, extra] = runId.split('/')
    if (!dag || !dagRunId || extra !== undefined)
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not an Airflow run id as this action records it (<dag_id>/<dag_run_id>), so the run cannot be followed.`
      )
    return this.handleOf(this.checkedId('dag', dag, DAG_ID), this.checkedId('dag_run_id', dagRunId, DAG_RUN_ID))
  }

  private handleOf(dag: string, dagRunId: string): AirflowHandle {
    return {
      runId: `${dag}/${dagRunId}`,
      dag,
      dagRunId,
      runUrl: `${this.api.base}/dags/${encodeURIComponent(dag)}/runs/${encodeURIComponent(dagRunId)}`
    }
  }

  private async readRun(handle: AirflowHandle, what: string, signal: AbortSignal): Promise<DagRun> {
    const reply = await this.api.send(
      what,
      'GET',
      `/api/v2/dags${path(handle.dag, 'dagRuns', handle.dagRunId)}`,
      signal
    )
    if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        404: `the server has no run ${handle.dagRunId} of DAG ${handle.dag} (deleted, or another server); check url and dag.`
      })
    return this.api.object(what, reply) as DagRun
  }

  async status(handle: AirflowHandle, signal: AbortSignal): Promise<RunState> {
    const run = await this.readRun(handle, `${this.name}: reading run ${handle.dagRunId} of DAG ${handle.dag}`, signal)
    const word = typeof run.state === 'string' ? run.state : 'unknown'
    const ids = { runId: handle.runId, runUrl: handle.runUrl }
    const status = Object.hasOwn(STATES, word) ? STATES[word]! : 'running'
    if (status !== 'failed') return { status, ...ids, detail: word }
    if (handle.cancelled || (typeof run.note === 'string' && run.note.startsWith(CANCEL_NOTE)))
      return {
        status: 'cancelled',
        ...ids,
        detail: word,
        message: `DAG run ${handle.dagRunId} was stopped by the action`
      }
    const tasks = await this.failedTasks(handle, signal)
    return {
      status,
      ...ids,
      detail: word,
      message: `DAG run ${handle.dagRunId} of ${handle.dag} failed${tasks.length ? ` (failed tasks: ${tasks.join(', ')})` : ''}; the task logs are on its page`
    }
  }

  /** The tasks that failed, for the message: the first thing a user opens the run to find. */
  private async failedTasks(handle: AirflowHandle, signal: AbortSignal): Promise<string[]> {
    const what = `${this.name}: reading the failed tasks of run ${handle.dagRunId} of DAG ${handle.dag}`
    const reply = await this.api.send(
      what,
      'GET',
      `/api/v2/dags${path(handle.dag, 'dagRuns', handle.dagRunId, 'taskInstances')}?state=failed`,
      signal
    )
    // The run has failed whatever this list says: a refusal (403, 404) only loses the task names.
    if (reply.status !== 200) {
      this.log(`${this.api.refusal(what, reply).message} The run is reported failed without its task names.`)
      return []
    }
    const listed = (reply.json as { task_instances?: unknown } | null | undefined)?.task_instances
    const instances: unknown[] = Array.isArray(listed) ? listed : []
    const ids = instances.map((i) =>
      i !== null && typeof i === 'object' ? (i as { task_id?: unknown }).task_id : undefined
    )
    return [...new Set(ids.filter((id): id is string => typeof id === 'string'))].slice(0, 10)
  }

  async cancel(handle: AirflowHandle, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: stopping run ${handle.dagRunId} of DAG ${handle.dag}`
    // A run that ended meanwhile keeps its outcome: marking a success failed would be a lie.
    const run = await this.readRun(handle, what, signal)
    if (run.state !== 'queued' && run.state !== 'running') return
    const reply = await this.api.send(
      what,
      'PATCH',
      `/api/v2/dags${path(handle.dag, 'dagRuns', handle.dagRunId)}`,
      signal,
      {
        state: 'failed',
        note: `${CANCEL_NOTE}: the GitHub Actions step stopped it (its timeout, fail-fast, or the job was cancelled).`
      }
    )
    if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        403: 'this user may not edit DAG runs; give it the permission, or stop the run by hand.'
      })
    handle.cancelled = true
  }

  private async readXcom(handle: AirflowHandle, task: string, signal: AbortSignal): Promise<MetricsReading> {
    const key = this.config.metricsKey
    const what = `${this.name}: reading the XCom ${key} of task ${task} in run ${handle.dagRunId} of DAG ${handle.dag}`
    const reply = await this.api.send(
      what,
      'GET',
      `/api/v2/dags${path(handle.dag, 'dagRuns', handle.dagRunId, 'taskInstances', task, 'xcomEntries', key)}`,
      signal
    )
    if (reply.status !== 200)
      throw this.api.refusal(what, reply, {
        404: `the run has no XCom ${key} from task ${task}; make the task return a dict of metrics (or push it under ${key}), or set metrics-task and metrics-key to where it is.`
      })
    let value = (reply.json as { value?: unknown } | undefined)?.value
    // Airflow gives a returned dict as JSON; a value pushed as a JSON string is read the same way.
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown
      } catch {
        // not JSON: readMetrics says it is not an object
      }
    }
    return readMetrics(value, `the XCom ${key} of task ${task}`)
  }
}
