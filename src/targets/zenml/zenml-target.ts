/**
 * The `zenml` target: runs a pipeline on a ZenML server through its REST API.
 * - ZenML ≥0.90: a snapshot (named, or the newest runnable named snapshot of the pipeline), with
 *   the body wrapped as {"run_configuration": …};
 * - ZenML 0.63–0.85: a run template, with the unwrapped body and every step's full parameters.
 * Parameters are resolved against the snapshot's config_template first, so a wrong name fails
 * with the candidates before any run is created. build, schedule and docker settings are never sent.
 * ZenML does not dedupe a start, so a lost answer is retried only after find() proved, by the
 * request's unique run name, that no run was made.
 */
import type { ResolvedZenml } from './resolve.js'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import type { RunState } from '../../core/run-state.js'
import { UserError } from '../../errors.js'
import type { RunRequest } from '../../core/run-request.js'
import type { ZenmlConnection } from '../../zenml/connection.js'
import { resolveParameters } from '../../zenml/resolve-parameters.js'
import { stateOf, type ZenmlRun } from '../../zenml/run-status.js'
import { chainTags } from '../../zenml/run-tags.js'
import { dashboardUrl, type Runnable } from '../../zenml/zenml-client.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'

interface ZenmlHandle extends RunHandle {
  runId: string
}

/** A request made ready to start: which snapshot or template, and the body to send. */
interface Prepared {
  flavour: 'snapshots' | 'templates'
  id: string
  name: string
  body: Record<string, unknown>
}

export function apiFlavour(version: string): 'snapshots' | 'templates' {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (major > 0 || minor >= 90) return 'snapshots'
  if (minor >= 63) return 'templates'
  throw new UserError(
    `The ZenML server runs ${version}; triggering needs 0.63 or newer (run templates) or 0.90 or newer (snapshots). Upgrade the server, or use the command target.`
  )
}

export class ZenmlTarget implements Target<ZenmlHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = false
  readonly cancelOnTimeout: boolean
  private readonly prepared = new Map<string, Promise<Prepared>>()
  /** Snapshots and templates by what names them: twenty runs of one snapshot read it once. */
  private readonly runnables = new Map<string, Promise<Runnable>>()

  constructor(
    private readonly config: ResolvedZenml,
    private readonly connection: ZenmlConnection,
    /** Where the runs come from (repository, commit, workflow run), on every run. */
    private readonly provenance: string[]
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    await this.ready(request, signal)
  }

  /** Resolves the snapshot or template and the parameters once per request. */
  private ready(request: RunRequest, signal: AbortSignal): Promise<Prepared> {
    return remember(this.prepared, String(request.index), () => this.resolve(request, signal))
  }

  private async resolve(request: RunRequest, signal: AbortSignal): Promise<Prepared> {
    const { client, project, info } = this.connection
    if (/[{}]/.test(request.runName)) {
      throw new UserError(
        `Input run-name gives ${JSON.stringify(request.runName)}: ZenML would expand its braces, so the action could not find the run by name to start it exactly once. Use the action's placeholders ({pipeline} {run_id} {attempt} {index} {sha} {ref}) only.`
      )
    }
    const flavour = this.config.template || request.template ? 'templates' : apiFlavour(info.version)
    const name =
      flavour === 'snapshots' ? (request.snapshot ?? this.config.snapshot) : (request.template ?? this.config.template)
    const runnable = await remember(
      this.runnables,
      JSON.stringify([flavour, request.pipelineName, name ?? null]),
      async () => {
        const pipeline = await client.findPipeline(request.pipelineName, project, signal)
        return flavour === 'snapshots'
          ? client.findSnapshot(pipeline, project, name, this.config.stack, signal)
          : client.findTemplate(pipeline, project, name, signal)
      }
    )
    const tags = [
      ...this.provenance,
      ...this.config.tags,
      `pipeline-trigger:${request.idempotencyKey}`,
      ...chainTags(request.chain)
    ]
    const common = {
      run_name: request.runName,
      ...(this.config.enableCache !== undefined ? { enable_cache: this.config.enableCache } : {})
    }
    if (flavour === 'snapshots') {
      const resolved = resolveParameters(request.parameters, runnable.configTemplate, {
        dynamic: runnable.dynamic,
        fullSteps: false,
        what: `snapshot ${JSON.stringify(runnable.name)}`
      })
      const body = {
        ...common,
        tags,
        ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}),
        ...(resolved.parameters ? { parameters: resolved.parameters } : {})
      }
      return { flavour, id: runnable.id, name: runnable.name, body }
    }
    const resolved = resolveParameters(request.parameters, runnable.configTemplate, {
      dynamic: false,
      fullSteps: true,
      what: `run template ${JSON.stringify(runnable.name)}`
    })
    // 0.63–0.85 forbid unknown keys (422), so only fields those versions know are sent.
    return {
      flavour,
      id: runnable.id,
      name: runnable.name,
      body: { ...common, ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}) }
    }
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<ZenmlHandle> {
    const { client } = this.connection
    const { flavour, id, name, body } = await this.ready(request, signal)
    const run =
      flavour === 'snapshots'
        ? await client.runSnapshot(id, body, name, signal)
        : await client.runTemplate(id, body, name, signal)
    return this.handle(run)
  }

  async find(request: RunRequest, signal: AbortSignal): Promise<ZenmlHandle | undefined> {
    const existing = await this.connection.client.findRunByName(request.runName, this.connection.project, signal)
    return existing ? this.handle(existing) : undefined
  }

  follow(runId: string): ZenmlHandle {
    return { runId }
  }

  async status(handle: ZenmlHandle, signal: AbortSignal): Promise<RunState> {
    const run = await this.connection.client.getRun(handle.runId, signal)
    return stateOf(run, handle)
  }

  async metrics(handle: ZenmlHandle, signal: AbortSignal): Promise<MetricsReading> {
    return readMetrics(
      await this.connection.client.getRunMetadata(handle.runId, signal),
      `the metadata of run ${handle.runId}`
    )
  }

  async cancel(handle: ZenmlHandle, signal: AbortSignal): Promise<void> {
    await this.connection.client.stopRun(handle.runId, signal)
  }

  private handle(run: ZenmlRun): ZenmlHandle {
    const { client, project, info } = this.connection
    return { runId: run.id, runUrl: dashboardUrl(info.proDashboardUrl ?? client.url, project, run.id) }
  }
}
