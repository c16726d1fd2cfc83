/**
 * The `kubeflow` target: a run of a pipeline version on Kubeflow Pipelines v2 (REST API v2beta1).
 * - prepare: the pipeline (by id, else by name, else by display name, in namespace if set), its
 *   version (pipeline-version by id or name, else the newest) and the experiment (if set) exist,
 *   and the parameters fit the version's pipeline_spec.root.inputDefinitions.parameters. One
 *   lookup per pipeline for the whole step; nothing changes.
 * - start: POST /runs with the version reference, runtime_config.parameters (and pipeline_root),
 *   service_account, the experiment; the display name is "<run name> [<idempotency key>]" and the
 *   description the reason with the chain context. KFP has no dedupe field, so a start whose
 *   answer was lost is tried again only after find() listed the runs with that display name and
 *   found none (dedupesStarts false: the executor waits LOST_ANSWER_SETTLE_MS first).
 * - status: GET /runs/{id}; state onto our words, a failure's error and failed tasks in the
 *   message. cancel: POST /runs/{id}:terminate (a run that already ended is left alone).
 * - metrics: none. KFP v2 keeps metrics artifacts in ML Metadata; the v2beta1 run holds only their
 *   artifact ids (run_details.task_details[].outputs), so there is nothing to read here.
 * - follow: the run id (a UUID) is enough; the link is <url>/#/runs/details/<id>, the UI's route.
 */
import type { RunRequest } from '../../core/run-request.js'
import type { RunState, RunStatus } from '../../core/run-state.js'
import { UserError, preview, redact } from '../../errors.js'
import { isTransient } from '../../retry.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'
import type { KubeflowApi } from './kubeflow-api.js'
import { checkParameters, declaredParameters, type DeclaredParameter } from './pipeline-parameters.js'
import type { ResolvedKubeflow } from './resolve.js'

interface KubeflowHandle extends RunHandle {
  runId: string
  runUrl: string
}

/** The pipeline version a request runs, and where: resolved once per pipeline. */
interface Placement {
  pipelineId: string
  versionId: string
  /** "pipeline train, version v2", for messages. */
  label: string
  /** undefined: the spec declares no root (then the server is left to judge the parameters). */
  parameters?: Record<string, DeclaredParameter>
}

type Json = Record<string, unknown>

/** KFP's RuntimeState in the action's words: every word of v2beta1; another is an error, not "running" until the timeout. */
const STATES: Record<string, RunStatus> = {
  RUNTIME_STATE_UNSPECIFIED: 'running',
  PENDING: 'running',
  RUNNING: 'running',
  PAUSED: 'running',
  CANCELING: 'running',
  SUCCEEDED: 'completed',
  SKIPPED: 'completed',
  FAILED: 'failed',
  CANCELED: 'cancelled'
}
const FINAL = new Set(['SUCCEEDED', 'SKIPPED', 'FAILED', 'CANCELED'])

/** KFP's ids are UUIDs: a key given as one is an id, anything else a name. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** What may go into a path: a run id this action recorded, a pipeline's, version's or experiment's id a server gave. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/
/** The longest display name sent: the UI shows it whole, and it keeps well inside the server's column. */
export const MAX_DISPLAY_NAME = 128

/** The run's display name: its name, then the idempotency key in brackets that find() looks it up by. */
export function displayName(request: RunRequest): string {
  const tail = ` [${request.idempotencyKey}]`
  return `${request.runName.slice(0, MAX_DISPLAY_NAME - tail.length).trimEnd()}${tail}`
}

const list = (reply: Json, key: string): Json[] =>
  Array.isArray(reply[key])
    ? (reply[key] as unknown[]).filter((x): x is Json => x !== null && typeof x === 'object')
    : []

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined)

/** A filter query: the Filter message as JSON, url-encoded, with EQUALS on one string member. */
const equals = (key: string, value: string) =>
  `filter=${encodeURIComponent(JSON.stringify({ predicates: [{ key, operation: 'EQUALS', string_value: value }] }))}`

export class KubeflowTarget implements Target<KubeflowHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = false
  readonly cancelOnTimeout: boolean
  private readonly placements = new Map<string, Promise<Placement>>()
  private readonly experiments = new Map<string, Promise<string>>()

  constructor(
    private readonly config: ResolvedKubeflow,
    private readonly api: KubeflowApi,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  private pipelineOf(request: RunRequest): string {
    return this.config.pipeline ?? request.pipelineName
  }

  private get secrets(): string[] {
    return this.config.token ? [this.config.token] : []
  }

  private get inNamespace(): string {
    return this.config.namespace ? ` in namespace ${this.config.namespace}` : ''
  }

  private get namespaceQuery(): string {
    return this.config.namespace ? `namespace=${encodeURIComponent(this.config.namespace)}&` : ''
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const placement = await this.placementOf(request, signal)
    await this.experimentId(signal)
    if (placement.parameters)
      checkParameters(
        `${this.name}: checking the parameters of ${request.pipeline}`,
        placement.label,
        request.parameters,
        placement.parameters
      )
  }

  private placementOf(request: RunRequest, signal: AbortSignal): Promise<Placement> {
    const pipeline = this.pipelineOf(request)
    return remember(this.placements, pipeline, () => this.lookUpPlacement(pipeline, signal))
  }

  private async lookUpPlacement(pipeline: string, signal: AbortSignal): Promise<Placement> {
    const found = await this.findPipeline(pipeline, signal)
    const pipelineId = text(found.pipeline_id)!
    const version = await this.findVersion(pipeline, pipelineId, signal)
    const versionName = text(version.display_name) ?? text(version.name) ?? text(version.pipeline_version_id)!
    const label = `pipeline ${pipeline}, version ${versionName}`
    const spec =
      version.pipeline_spec ??
      (await this.readVersion(pipeline, pipelineId, text(version.pipeline_version_id)!, signal)).pipeline_spec
    const parameters = declaredParameters(spec)
    return {
      pipelineId,
      versionId: text(version.pipeline_version_id)!,
      label,
      ...(parameters ? { parameters } : {})
    }
  }

  /** By id; else by name, then by display name (the UI shows the display name). */
  private async findPipeline(pipeline: string, signal: AbortSignal): Promise<Json> {
    const what = `looking up pipeline ${pipeline}${this.inNamespace} on ${this.api.base}`
    const missing = `the server has no pipeline ${pipeline}${this.inNamespace}; upload it (kfp pipeline create, or the UI's Upload pipeline), or set pipeline to its name or id${this.config.namespace ? '' : ' (and namespace, for a private pipeline in multi-user Kubeflow)'}.`
    if (UUID.test(pipeline)) {
      const found = await this.api.call(what, 'GET', `/pipelines/${pipeline}`, signal, { fixes: { 404: missing } })
      return this.withId(found, 'pipeline_id', what)
    }
    for (const key of ['name', 'display_name']) {
      const reply = await this.api.call(
        what,
        'GET',
        `/pipelines?${this.namespaceQuery}page_size=2&${equals(key, pipeline)}`,
        signal
      )
      const found = list(reply, 'pipelines')
      if (found.length > 1)
        throw new UserError(
          `${this.name}: ${what}: ${found.length} pipelines have the ${key} ${pipeline} (${found.map((p) => text(p.pipeline_id)).join(', ')}). Fix: set pipeline to the id of the one to run.`
        )
      if (found[0]) return this.withId(found[0], 'pipeline_id', what)
    }
    throw new UserError(`${this.name}: ${what}: no pipeline has that name or display name. Fix: ${missing}`)
  }

  /** pipeline-version by id or name, else the newest version. */
  private async findVersion(pipeline: string, pipelineId: string, signal: AbortSignal): Promise<Json> {
    const wanted = this.config.pipelineVersion
    const what = `looking up ${wanted ? `version ${wanted}` : 'the newest version'} of pipeline ${pipeline} on ${this.api.base}`
    if (wanted && UUID.test(wanted)) return this.readVersion(pipeline, pipelineId, wanted, signal)
    const versions = `/pipelines/${encodeURIComponent(pipelineId)}/versions`
    if (!wanted) {
      const reply = await this.api.call(
        what,
        'GET',
        `${versions}?page_size=1&sort_by=${encodeURIComponent('created_at desc')}`,
        signal
      )
      const [newest] = list(reply, 'pipeline_versions')
      if (!newest)
        throw new UserError(
          `${this.name}: ${what}: the pipeline has no version. Fix: upload one (kfp pipeline create-version, or the UI's Upload version).`
        )
      return this.withId(newest, 'pipeline_version_id', what)
    }
    for (const key of ['name', 'display_name']) {
      const [found] = list(
        await this.api.call(what, 'GET', `${versions}?page_size=1&${equals(key, wanted)}`, signal),
        'pipeline_versions'
      )
      if (found) return this.withId(found, 'pipeline_version_id', what)
    }
    throw new UserError(
      `${this.name}: ${what}: pipeline ${pipeline} has no version named ${wanted}. Fix: set pipeline-version to one of its versions' names or ids (the UI lists them on the pipeline's page), or leave it out for the newest.`
    )
  }

  private async readVersion(
    pipeline: string,
    pipelineId: string,
    versionId: string,
    signal: AbortSignal
  ): Promise<Json> {
    const what = `reading version ${versionId} of pipeline ${pipeline} on ${this.api.base}`
    const found = await this.api.call(
      what,
      'GET',
      `/pipelines/${encodeURIComponent(pipelineId)}/versions/${encodeURIComponent(versionId)}`,
      signal,
      {
        fixes: {
          404: `pipeline ${pipeline} has no version ${versionId}; set pipeline-version to one of its versions, or leave it out for the newest.`
        }
      }
    )
    return this.withId(found, 'pipeline_version_id', what)
  }

  /** The experiment's id (by id or display name, once), or '' for the server's default. */
  private experimentId(signal: AbortSignal): Promise<string> {
    const experiment = this.config.experiment
    if (!experiment) return Promise.resolve('')
    return remember(this.experiments, experiment, async () => {
      const what = `looking up experiment ${experiment}${this.inNamespace} on ${this.api.base}`
      const missing = `create it (kfp experiment create ${experiment}${this.config.namespace ? ` --namespace ${this.config.namespace}` : ''}, or the UI's Create experiment), or set experiment to an existing one's name or id.`
      if (UUID.test(experiment))
        return text(
          this.withId(
            await this.api.call(what, 'GET', `/experiments/${experiment}`, signal, {
              fixes: { 404: `the server has no experiment ${experiment}; ${missing}` }
            }),
            'experiment_id',
            what
          ).experiment_id
        )!
      const reply = await this.api.call(
        what,
        'GET',
        `/experiments?${this.namespaceQuery}page_size=2&${equals('display_name', experiment)}`,
        signal
      )
      const found = list(reply, 'experiments')
      if (found.length > 1)
        throw new UserError(
          `${this.name}: ${what}: ${found.length} experiments have that name (${found.map((e) => text(e.experiment_id)).join(', ')}). Fix: set experiment to the id of the one the runs go in${this.config.namespace ? '' : ', or namespace to the profile it is in'}.`
        )
      if (!found[0]) throw new UserError(`${this.name}: ${what}: no experiment has that name. Fix: ${missing}`)
      return text(this.withId(found[0], 'experiment_id', what).experiment_id)!
    })
  }

  /** A reply that names what it is: without its id (one that can go into a path), url is not a KFP 2.x API. */
  private withId(reply: Json, key: string, what: string): Json {
    if (RUN_ID.test(text(reply[key]) ?? '')) return reply
    throw new UserError(
      `${this.name}: ${what}: ${this.api.base} answered ${reply[key] === undefined ? `without ${key}` : `${key} ${preview(reply[key])}, not an id`}. Fix: check that url is a Kubeflow Pipelines 2.x endpoint (the v2beta1 API), not a proxy answering for it.`
    )
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<KubeflowHandle> {
    const placement = await this.placementOf(request, signal)
    const experimentId = await this.experimentId(signal)
    const what = `starting ${placement.label} on ${this.api.base}`
    const { pipelineRoot, serviceAccount } = this.config
    const run = await this.api.call(
      what,
      'POST',
      `/runs${experimentId ? `?experiment_id=${encodeURIComponent(experimentId)}` : ''}`,
      signal,
      {
        body: {
          display_name: displayName(request),
          description: `${request.reason.slice(0, 1000)}\npipeline-context: ${JSON.stringify(request.chain)}`,
          pipeline_version_reference: { pipeline_id: placement.pipelineId, pipeline_version_id: placement.versionId },
          runtime_config: { parameters: request.parameters, ...(pipelineRoot ? { pipeline_root: pipelineRoot } : {}) },
          ...(serviceAccount ? { service_account: serviceAccount } : {}),
          ...(experimentId ? { experiment_id: experimentId } : {})
        },
        fixes: {
          400: `the server refused the run: a parameter does not fit ${placement.label}, or pipeline-root or service-account is not valid there; fix what its words name.`,
          404: `the pipeline version or the experiment is gone (deleted since it was looked up); check pipeline, pipeline-version and experiment.`
        }
      }
    )
    const runId = text(run.run_id)
    // The id goes into every later path: a server's odd one ("../pipelines/…") is not followed.
    if (!runId || !RUN_ID.test(runId))
      throw new UserError(
        `${this.name}: ${what}: the server answered ${runId ? `run_id ${preview(runId)}, not a run id` : 'without a run_id'}, so the run cannot be followed. Fix: check that url is a Kubeflow Pipelines 2.x endpoint.`
      )
    return this.handle(runId)
  }

  async find(request: RunRequest, signal: AbortSignal): Promise<KubeflowHandle | undefined> {
    const name = displayName(request)
    const what = `looking for the run named ${JSON.stringify(name)} on ${this.api.base}`
    const experimentId = await this.experimentId(signal)
    const scope = experimentId ? `experiment_id=${encodeURIComponent(experimentId)}&` : this.namespaceQuery
    const reply = await this.api.call(what, 'GET', `/runs?${scope}page_size=10&${equals('display_name', name)}`, signal)
    // The name alone could be anyone's (it is readable in the UI): the run must also be of this
    // request's pipeline version and experiment, as the start made it.
    const placement = await this.placementOf(request, signal)
    const found = list(reply, 'runs').find((run) => {
      const reference = (run.pipeline_version_reference ?? {}) as Json
      return (
        run.display_name === name &&
        RUN_ID.test(text(run.run_id) ?? '') &&
        reference.pipeline_id === placement.pipelineId &&
        reference.pipeline_version_id === placement.versionId &&
        (!experimentId || run.experiment_id === experimentId)
      )
    })
    return found ? this.handle(text(found.run_id)!) : undefined
  }

  follow(runId: string): KubeflowHandle {
    if (!RUN_ID.test(runId))
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not a Kubeflow run id (a UUID), so the run cannot be followed. Fix: follow a run id this action recorded.`
      )
    return this.handle(runId)
  }

  private handle(runId: string): KubeflowHandle {
    return { runId, runUrl: `${this.api.base}/#/runs/details/${encodeURIComponent(runId)}` }
  }

  private readRun(handle: KubeflowHandle, what: string, signal: AbortSignal): Promise<Json> {
    return this.api.call(what, 'GET', `/runs/${encodeURIComponent(handle.runId)}`, signal, {
      fixes: { 404: `the server has no run ${handle.runId} (deleted, or another server or namespace); check url.` }
    })
  }

  async status(handle: KubeflowHandle, signal: AbortSignal): Promise<RunState> {
    const what = `reading run ${handle.runId}`
    const run = await this.readRun(handle, what, signal)
    // Protobuf's JSON leaves out a zero enum, so no state is RUNTIME_STATE_UNSPECIFIED; a reply about another run, or none, is not an answer.
    const word = run.state ?? 'RUNTIME_STATE_UNSPECIFIED'
    if (run.run_id !== handle.runId || typeof word !== 'string' || !Object.hasOwn(STATES, word))
      throw new UserError(
        `${this.name}: ${what}: ${this.api.base} answered ${run.run_id !== handle.runId ? `run_id ${preview(run.run_id)}` : `state ${preview(typeof word === 'string' ? this.api.quote(word) : word)}`}, not run ${handle.runId} in one of v2beta1's states (${Object.keys(STATES).join(', ')}). Fix: check that url is a Kubeflow Pipelines 2.x endpoint, not a proxy answering for it.`
      )
    const status = STATES[word]!
    const state: RunState = { status, runId: handle.runId, runUrl: handle.runUrl, detail: word }
    // The check run's text: without the token, even echoed in a task's name.
    if (status === 'failed') state.message = redact(`Kubeflow reports ${word}${this.failure(run)}`, this.secrets)
    if (status === 'cancelled') state.message = `Kubeflow reports ${word}: the run was terminated`
    if (word === 'SKIPPED') state.message = 'Kubeflow reports SKIPPED: the run did nothing'
    return state
  }

  /** ": <error>; failed tasks: <task>: <error>" from the run, as far as it says. */
  private failure(run: Json): string {
    const error = text((run.error as Json | undefined)?.message)
    const details = (run.run_details as Json | undefined) ?? {}
    const tasks = list(details, 'task_details')
      .filter((task) => task.state === 'FAILED' && list(task, 'child_tasks').length === 0)
      .map((task) => {
        const why = text((task.error as Json | undefined)?.message)
        return `${text(task.display_name) ?? text(task.task_id) ?? 'a task'}${why ? `: ${this.api.quote(why)}` : ''}`
      })
      .slice(0, 3)
    return `${error ? `: ${this.api.quote(error)}` : ''}${tasks.length ? ` (failed tasks: ${tasks.join('; ')})` : ''}`
  }

  async cancel(handle: KubeflowHandle, signal: AbortSignal): Promise<void> {
    const what = `terminating run ${handle.runId}`
    // A run that ended meanwhile keeps its outcome.
    const run = await this.readRun(handle, what, signal)
    if (FINAL.has(text(run.state) ?? '')) return
    try {
      await this.api.call(what, 'POST', `/runs/${encodeURIComponent(handle.runId)}:terminate`, signal, {
        fixes: {
          403: "the token's identity may not terminate runs in this namespace; give it the kubeflow-edit role there, or stop the run in the UI."
        }
      })
    } catch (error) {
      // It may have ended between the read and the terminate (400 FAILED_PRECONDITION): then it keeps its outcome.
      if (isTransient(error) || !FINAL.has(text((await this.readRun(handle, what, signal)).state) ?? '')) throw error
      this.log(`${this.name}: run ${handle.runId} ended before it could be terminated; it keeps its outcome.`)
      return
    }
    this.log(`${this.name}: run ${handle.runId} is being terminated.`)
  }
}
