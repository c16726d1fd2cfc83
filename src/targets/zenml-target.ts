/**
 * The `zenml` target: runs a pipeline on a ZenML server through its REST API.
 * - ZenML ≥0.90: a snapshot (named, or the newest runnable named snapshot of the pipeline), with
 *   the body wrapped as {"run_configuration": …};
 * - ZenML 0.63–0.85: a run template, with the unwrapped body and every step's full parameters.
 * Parameters are resolved against the snapshot's config_template first, so a wrong name fails
 * with the candidates before any run is created. build, schedule and docker settings are never sent.
 */
import { createHash } from 'node:crypto'
import type { TargetConfig } from '../config/schema.js'
import type { ChainContext } from '../plan/chain.js'
import { UserError } from '../errors.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { dashboardUrl, followRun } from '../zenml/follow-run.js'
import { resolveParameters } from '../zenml/resolve-parameters.js'
import { isSuccessful, type ZenmlRun } from '../zenml/run-status.js'
import { ZenmlError } from '../zenml/zenml-errors.js'
import type { Runnable } from '../zenml/zenml-client.js'
import type { ZenmlConnection } from '../zenml/connection.js'
import type { RunState, Target, TargetContext } from './target.js'

type ZenmlConfig = Extract<TargetConfig, { type: 'zenml' }>

export interface ZenmlRunOptions {
  wait: boolean
  cancelOnTimeout: boolean
  enableCache?: boolean
  /** Tags for every run: repository, commit, workflow run; the request's key is added. */
  tags: string[]
}

/** ZenML tag names are at most 255 characters; a longer chain root is named by its hash. */
function chainTags(chain: ChainContext): string[] {
  const root = `pipeline-chain-root:${chain.root}`
  return [root.length <= 255 ? root : `pipeline-chain-root:sha256-${createHash('sha256').update(chain.root).digest('hex')}`, `pipeline-chain-depth:${chain.depth}`]
}

/** Answers after which the run may or may not exist: no answer, rate limit, gateway errors. */
const ANSWER_LOST = new Set([0, 429, 502, 503, 504])
const START_ATTEMPTS = 3

export function apiFlavour(version: string): 'snapshots' | 'templates' {
  const [major = 0, minor = 0] = version.split('.').map(Number)
  if (major > 0 || minor >= 90) return 'snapshots'
  if (minor >= 63) return 'templates'
  throw new UserError(`The ZenML server runs ${version}; triggering needs 0.63 or newer (run templates) or 0.90 or newer (snapshots). Upgrade the server, or use the command target.`)
}

export class ZenmlTarget implements Target {
  constructor(
    private readonly config: ZenmlConfig,
    private readonly context: TargetContext,
    private readonly options: ZenmlRunOptions,
    private readonly connection: ZenmlConnection
  ) {}

  async trigger(request: TriggerRequest): Promise<RunState> {
    const { client, project, info } = this.connection
    if (/[{}]/.test(request.runName)) {
      throw new UserError(
        `Input run-name gives ${JSON.stringify(request.runName)}: ZenML would expand its braces, so the action could not find the run by name to start it exactly once. Use the action's placeholders ({pipeline} {run_id} {attempt} {index} {sha} {ref}) only.`
      )
    }
    const flavour = this.config.template || request.template ? 'templates' : apiFlavour(info.version)
    const pipeline = await client.findPipeline(request.pipelineName, project)

    const tags = [...this.options.tags, ...(this.config.tags ?? []), `pipeline-trigger:${request.idempotencyKey}`, ...chainTags(request.chain)]
    const enableCache = this.config['enable-cache'] ?? this.options.enableCache
    const common = { run_name: request.runName, ...(enableCache !== undefined ? { enable_cache: enableCache } : {}) }
    let runnable: Runnable
    let started: ZenmlRun
    if (flavour === 'snapshots') {
      runnable = await client.findSnapshot(pipeline, project, request.snapshot ?? this.config.snapshot, this.config.stack)
      const resolved = resolveParameters(request.parameters, runnable.configTemplate, { dynamic: runnable.dynamic, fullSteps: false, what: `snapshot ${JSON.stringify(runnable.name)}` })
      const runConfiguration = {
        ...common,
        tags,
        ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}),
        ...(resolved.parameters ? { parameters: resolved.parameters } : {})
      }
      started = await this.startOnce(() => client.runSnapshot(runnable.id, runConfiguration, runnable.name), request.runName)
    } else {
      runnable = await client.findTemplate(pipeline, project, request.template ?? this.config.template)
      const resolved = resolveParameters(request.parameters, runnable.configTemplate, { dynamic: false, fullSteps: true, what: `run template ${JSON.stringify(runnable.name)}` })
      // 0.63–0.85 forbid unknown keys (422), so only fields those versions know are sent.
      const body = { ...common, ...(Object.keys(resolved.steps).length > 0 ? { steps: resolved.steps } : {}) }
      started = await this.startOnce(() => client.runTemplate(runnable.id, body, runnable.name), request.runName)
    }

    const url = dashboardUrl(info.proDashboardUrl ?? client.url, project, started.id)
    const ids = { runId: started.id, runUrl: url }
    if (!this.options.wait) return { status: 'running', ...ids }

    const run = await followRun(client, started.id, { timeoutMs: this.context.timeoutMs, log: this.context.log })
    if (run.timedOut) {
      if (this.config['cancel-on-timeout'] ?? this.options.cancelOnTimeout) {
        try {
          await client.stopRun(run.id)
        } catch (error) {
          return { status: 'timed_out', ...ids, message: `the run was still ${run.status} when timeout ran out, and stopping it failed (${(error as Error).message}); stop it in the dashboard` }
        }
        return { status: 'timed_out', ...ids, message: `the run was still ${run.status} when timeout ran out, so it was stopped (cancel-on-timeout)` }
      }
      return { status: 'timed_out', ...ids, message: `the run was still ${run.status} when timeout ran out; it goes on (set cancel-on-timeout to stop it)` }
    }
    if (!isSuccessful(run)) return { status: 'failed', ...ids, message: `the run ${run.name} ended ${run.status}${run.statusReason ? `: ${run.statusReason}` : ''}` }
    return { status: 'completed', ...ids }
  }

  /**
   * Starts the run exactly once. ZenML does not dedupe a POST, so when its answer is lost the
   * action looks for a run with this request's name (unique per project) before trying again.
   */
  private async startOnce(start: () => Promise<ZenmlRun>, runName: string): Promise<ZenmlRun> {
    const { client, project } = this.connection
    for (let attempt = 1; ; attempt++) {
      try {
        return await start()
      } catch (error) {
        const status = error instanceof ZenmlError ? error.status : -1
        if ((status === 409 && attempt > 1) || (ANSWER_LOST.has(status) && attempt < START_ATTEMPTS)) {
          const existing = await client.findRunByName(runName, project)
          if (existing) {
            this.context.log(`The answer to starting ${runName} was lost, but the run exists (${existing.id}); not starting it again.`)
            return existing
          }
          if (status !== 409) {
            this.context.log(`Starting ${runName} got no usable answer (${status || 'no response'}) and no such run exists; trying again.`)
            await new Promise((resolve) => setTimeout(resolve, 1_000 * attempt))
            continue
          }
        }
        throw error
      }
    }
  }
}
