/**
 * The `dagster` target: launches a job through a Dagster webserver's GraphQL API (OSS, or Dagster+
 * with a Dagster-Cloud-Api-Token).
 * - prepare: the job exists and the run config (the parameters placed in it) is valid for it
 *   (pipelineOrError, isPipelineConfigValid), so a wrong name or value fails before any run.
 * - start: launchRun (bounded by the deadline only), the run tagged with our idempotency key.
 *   Dagster does not dedupe a launch, so a start whose answer was lost is tried again only after
 *   find() proved, by that tag, that no run was made.
 * - status: runOrError; a failed run's reason from its failure events. cancel: terminateRun.
 * - metrics: the metadata of the run's outputs and materializations, named step::label.
 */
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import type { RunRequest } from '../../core/run-request.js'
import { isFinal, type RunState } from '../../core/run-state.js'
import { DeadlineExceeded } from '../../clock.js'
import { UserError, redactDeep } from '../../errors.js'
import { TransientError } from '../../retry.js'
import type { RunHandle, Target } from '../target.js'
import { DagsterGraphql } from './graphql-client.js'
import { EVENTS, FIND, LAUNCH, PREPARE, RUN, TERMINATE, WORKSPACE } from './queries.js'
import {
  configInvalid,
  events as eventsReply,
  launched,
  run as runReply,
  runs as runsReply,
  terminateFailure,
  workspace,
  type MetadataEntry
} from './replies.js'
import type { ResolvedDagster } from './resolve.js'
import { KEY_TAG, runConfigData, runTags } from './run-config.js'
import { statusOf } from './run-status.js'

interface DagsterHandle extends RunHandle {
  runId: string
}

/** Pages of a run's events read at most, for metrics or a failure's reason (1000 events each). */
const MAX_EVENT_PAGES = 20

export class DagsterTarget implements Target<DagsterHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = false
  readonly cancelOnTimeout: boolean

  constructor(
    private readonly config: ResolvedDagster,
    private readonly api: DagsterGraphql,
    /** Where the runs come from (repository, commit, workflow run), as tags on every run. */
    private readonly provenance: string[]
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  private job(request: RunRequest): string {
    return this.config.job ?? request.pipelineName
  }

  private selector(request: RunRequest) {
    return {
      repositoryLocationName: this.config.location,
      repositoryName: this.config.repository,
      pipelineName: this.job(request)
    }
  }

  private jobLabel(request: RunRequest): string {
    return `job ${this.job(request)} (location ${this.config.location}, repository ${this.config.repository})`
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: checking ${this.jobLabel(request)}`
    const runConfig = runConfigData(this.config, request)
    const variables = { selector: this.selector(request), runConfigData: runConfig }
    const [job, valid] = await this.api.fields(
      PREPARE,
      variables,
      ['pipelineOrError', 'isPipelineConfigValid'] as const,
      what,
      signal
    )
    // A location that failed to load answers PipelineNotFoundError (1.13) or, elsewhere, a PythonError.
    if (job.typename === 'PipelineNotFoundError' || job.typename === 'PythonError')
      throw await this.notFound(what, job.typename, job.message, signal)
    if (job.typename !== 'Pipeline') throw this.api.refused(what, job.typename, job.message)
    if (valid.typename === 'PipelineConfigValidationValid') return
    if (valid.typename === 'RunConfigValidationInvalid') throw this.invalidConfig(what, valid.value)
    throw this.api.refused(what, valid.typename, valid.message)
  }

  private invalidConfig(what: string, value: unknown) {
    const { errors } = this.api.read(configInvalid, value, what)
    const where = this.config.op ? `op: ${this.config.op}` : 'run-config'
    return this.api.refused(
      what,
      'RunConfigValidationInvalid',
      // Each error on its own line of Dagster's: the first three, so one long message hides no other.
      [
        ...errors.slice(0, 3).map((error) => this.api.quote(error.message, 200)),
        ...(errors.length > 3 ? [`and ${errors.length - 3} more`] : [])
      ].join('; '),
      `give the pipeline's parameters the names and types the job's config schema has (they go in by ${where})`
    )
  }

  /**
   * Why a job was not found, from the server's code locations: ours still loading is transient
   * (asked again under the step's deadline); ours failed to load is final with the load error; else
   * the fix lists the jobs the server has, by location and repository (a PythonError stays transient).
   */
  private async notFound(what: string, typename: string, message: string, signal: AbortSignal): Promise<Error> {
    const fallback = 'check location, repository (default __repository__) and job in the target'
    let entries
    try {
      const answer = await this.api.field(
        WORKSPACE,
        {},
        'workspaceOrError',
        `${this.name}: listing code locations`,
        signal
      )
      if (answer.typename !== 'Workspace') return this.api.refused(what, typename, message, fallback)
      entries = this.api.read(workspace, answer.value, `${this.name}: listing code locations`).locationEntries
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw error
      return this.api.refused(what, typename, message, fallback)
    }
    const ours = entries.find((entry) => entry.name === this.config.location)
    const host = `Dagster webserver ${this.api.endpoint.host}`
    if (ours?.loadStatus === 'LOADING')
      return new TransientError(`${what}: code location ${ours.name} is still loading on ${host}; asking again.`)
    const loadError = ours?.locationOrLoadError
    if (loadError?.__typename === 'PythonError') {
      // Each on its own: quote() keeps a message's first line, and the cause says what raised.
      const said = [loadError.message, loadError.cause?.message]
        .filter((text): text is string => Boolean(text))
        .map((text) => this.api.quote(text, 350))
        .join(' ← ')
      return new UserError(
        `${what}: ${host} has code location ${ours!.name}, but it failed to load: ${said}. Fix: correct the code location's error (the traceback is in the code location's log: dagster dev's output, or Deployment → ${ours!.name} in the UI), then reload the code location (Reload in the UI, or restart dagster dev).`
      )
    }
    const listed = entries
      .map((entry) =>
        (entry.locationOrLoadError?.repositories ?? [])
          .map(
            (repository) =>
              `location ${entry.name}, repository ${repository.name}: ${repository.pipelines.map((p) => p.name).join(', ') || 'no jobs'}`
          )
          .join('; ')
      )
      .filter(Boolean)
      .join('; ')
    return this.api.refused(
      what,
      typename,
      message,
      `${fallback}; the server has ${listed || 'no code location loaded'}`
    )
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<DagsterHandle> {
    const what = `${this.name}: launching ${this.jobLabel(request)}`
    const executionParams = {
      selector: {
        repositoryLocationName: this.config.location,
        repositoryName: this.config.repository,
        jobName: this.job(request)
      },
      runConfigData: runConfigData(this.config, request),
      executionMetadata: { tags: runTags(request, this.provenance) }
    }
    // Only the deadline bounds it: a launch given up on after 30 s still makes its run on the server,
    // where find() may not see it yet, and Dagster does not dedupe the launch that would follow.
    const answer = await this.api.field(LAUNCH, { executionParams }, 'launchRun', what, signal, Infinity)
    if (answer.typename === 'LaunchRunSuccess')
      return this.handle(this.api.read(launched, answer.value, what).run.runId)
    if (answer.typename === 'RunConfigValidationInvalid') throw this.invalidConfig(what, answer.value)
    if (answer.typename === 'PipelineNotFoundError' || answer.typename === 'PythonError')
      throw await this.notFound(what, answer.typename, answer.message, signal)
    throw this.api.refused(what, answer.typename, answer.message)
  }

  async find(request: RunRequest, signal: AbortSignal): Promise<DagsterHandle | undefined> {
    const what = `${this.name}: looking for the run of ${this.jobLabel(request)} tagged ${KEY_TAG}=${request.idempotencyKey}`
    const filter = { pipelineName: this.job(request), tags: [{ key: KEY_TAG, value: request.idempotencyKey }] }
    const answer = await this.api.field(FIND, { filter }, 'runsOrError', what, signal)
    if (answer.typename !== 'Runs') throw this.api.refused(what, answer.typename, answer.message)
    const found = this.api.read(runsReply, answer.value, what).results[0]
    return found ? this.handle(found.runId) : undefined
  }

  follow(runId: string): DagsterHandle {
    return this.handle(runId)
  }

  async status(handle: DagsterHandle, signal: AbortSignal): Promise<RunState> {
    const what = `${this.name}: reading run ${handle.runId}`
    const answer = await this.api.field(RUN, { runId: handle.runId }, 'runOrError', what, signal)
    if (answer.typename !== 'Run') throw this.api.refused(what, answer.typename, answer.message)
    const word = this.api.read(runReply, answer.value, what).status
    const status = statusOf(word)
    const state: RunState = { status, runId: handle.runId, runUrl: handle.runUrl, detail: word }
    if (status === 'failed') state.message = `Dagster reports ${word}${await this.failureReason(handle, signal)}`
    if (status === 'cancelled') state.message = `Dagster reports ${word}: the run was terminated`
    return state
  }

  /** ": <step>: <error>" from the run's failure events, or nothing when they cannot be read. */
  private async failureReason(handle: DagsterHandle, signal: AbortSignal): Promise<string> {
    try {
      const reasons: string[] = []
      for (const event of await this.events(handle, signal, 1)) {
        if (event.__typename === 'ExecutionStepFailureEvent' && event.error)
          reasons.push(
            `${event.stepKey ?? 'a step'}: ${this.api.quote(event.error.cause?.message ?? event.error.message)}`
          )
        else if (event.__typename === 'RunFailureEvent' && event.message && reasons.length === 0)
          reasons.push(this.api.quote(event.message))
      }
      return reasons.length ? `: ${reasons.slice(0, 3).join('; ')}` : ''
    } catch (error) {
      if (error instanceof DeadlineExceeded) throw error
      return ''
    }
  }

  private async events(handle: DagsterHandle, signal: AbortSignal, pages = MAX_EVENT_PAGES) {
    const what = `${this.name}: reading the events of run ${handle.runId}`
    const all = []
    let afterCursor: string | null = null
    for (let page = 0; page < pages; page++) {
      const answer = await this.api.field(EVENTS, { runId: handle.runId, afterCursor }, 'logsForRun', what, signal)
      if (answer.typename !== 'EventConnection') throw this.api.refused(what, answer.typename, answer.message)
      const connection = this.api.read(eventsReply, answer.value, what)
      all.push(...connection.events)
      if (!connection.hasMore) break
      afterCursor = connection.cursor
    }
    return all
  }

  async metrics(handle: DagsterHandle, signal: AbortSignal): Promise<MetricsReading> {
    const raw: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    const ignored: string[] = []
    for (const event of await this.events(handle, signal)) {
      for (const entry of event.metadataEntries ?? []) {
        const name = event.stepKey ? `${event.stepKey}::${entry.label}` : entry.label
        const value = metadataValue(entry)
        if (value === undefined) ignored.push(`${JSON.stringify(name)}: a ${entry.__typename}, not a number or text`)
        else raw[name] = value
      }
    }
    const reading = readMetrics(
      redactDeep(raw, [this.config.apiToken]),
      `the output and materialization metadata of run ${handle.runId}`
    )
    return { metrics: reading.metrics, ignored: [...ignored, ...reading.ignored] }
  }

  async cancel(handle: DagsterHandle, signal: AbortSignal): Promise<void> {
    const what = `${this.name}: terminating run ${handle.runId}`
    const answer = await this.api.field(TERMINATE, { runId: handle.runId }, 'terminateRun', what, signal)
    if (answer.typename === 'TerminateRunSuccess') return
    if (answer.typename === 'TerminateRunFailure') {
      const { run } = this.api.read(terminateFailure, answer.value, what)
      // It ended meanwhile, or is being terminated already: nothing is left to ask.
      if (isFinal(statusOf(run.status)) || run.status === 'CANCELING') return
      // STARTING cannot be terminated yet: asked again, it can.
      throw new TransientError(
        `${what}: Dagster cannot terminate it while ${run.status}: ${this.api.quote(answer.message)}`
      )
    }
    throw this.api.refused(what, answer.typename, answer.message)
  }

  private handle(runId: string): DagsterHandle {
    return { runId, runUrl: `${this.config.base}/runs/${encodeURIComponent(runId)}` }
  }
}

/** A metadata entry's value as a metric: numbers, text and JSON; undefined for other kinds (paths, URLs, tables…). */
function metadataValue(entry: MetadataEntry): unknown {
  switch (entry.__typename) {
    case 'FloatMetadataEntry':
      return entry.floatValue ?? Number(entry.floatRepr)
    case 'IntMetadataEntry':
      return entry.intValue ?? Number(entry.intRepr)
    case 'TextMetadataEntry':
      return entry.text ?? undefined
    case 'BoolMetadataEntry':
      return entry.boolValue ?? undefined
    case 'JsonMetadataEntry':
      try {
        return JSON.parse(entry.jsonString ?? '') as unknown
      } catch {
        return undefined
      }
    default:
      return undefined
  }
}
