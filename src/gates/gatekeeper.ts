/**
 * The step's gates: each run is judged once, when it settles (judge.ts), against the baseline
 * found once per step (baseline.ts), only when something needs it: a gate that names `baseline`,
 * or the pull-request report's deltas. The verdict on the commit, the outputs, the summary and the
 * report all read the same judgement.
 */
import type { RunState } from '../core/run-state.js'
import { parseGate } from '../core/gate.js'
import { errorMessage } from '../errors.js'
import type { GitHubClient } from '../github/client.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { Judgement } from '../core/judgement.js'
import { findBaselines, type Baselines } from './baseline.js'
import { judge } from './judge.js'

export interface GatekeeperOptions {
  /** Undefined without a token: gates against a number still work, against a baseline they are neutral. */
  client: GitHubClient | undefined
  repository: string
  defaultBranch: string | undefined
  /** The commit the step runs on ('' for none): never its own baseline. */
  sha: string
  /** The pipelines (config keys) whose baselines may be asked for: one search finds them all. */
  pipelines: string[]
  /** Whether deltas to the baseline are wanted even where no gate asks for one (the report). */
  wantBaseline: boolean
  log(message: string): void
}

export class Gatekeeper {
  private baselines: Promise<Baselines> | undefined
  private readonly judged = new Map<number, Promise<Judgement>>()

  constructor(private readonly options: GatekeeperOptions) {}

  /** The run's judgement, decided once: later calls get the same. */
  judge(request: TriggerRequest, state: RunState): Promise<Judgement> {
    if (!this.judged.has(request.index))
      this.judged.set(request.index, this.judgeRun(request.pipeline, request.gates ?? [], state))
    return this.judged.get(request.index)!
  }

  /** The judgement made for a request, if it settled. */
  judgement(request: TriggerRequest): Promise<Judgement> | undefined {
    return this.judged.get(request.index)
  }

  /** A run of `pipeline` judged by `gates`, against the baseline (looked up once, when first needed). */
  async judgeRun(pipeline: string, gates: readonly string[], state: RunState): Promise<Judgement> {
    const needs =
      state.status === 'completed' &&
      (gates.some((gate) => parseGate(gate).usesBaseline) || (this.options.wantBaseline && state.metrics !== undefined))
    const found = needs ? await this.lookUp() : undefined
    const history = found?.history.get(pipeline) ?? []
    const baseline = history[0]
    const problem =
      found?.problem ??
      (needs && !baseline
        ? `${this.options.defaultBranch ?? 'the default branch'} has no completed run of ${pipeline} with metrics in its last commits`
        : undefined)
    try {
      return { ...judge(state, gates, baseline, problem), ...(baseline ? { baseline } : {}), history }
    } catch (error) {
      // Gates were checked when the config was read; this is a last guard, never a crash.
      return {
        conclusion: 'neutral',
        gates: [],
        reason: `the gates could not be checked: ${errorMessage(error)}`,
        history
      }
    }
  }

  private lookUp(): Promise<Baselines> {
    const { client, repository, defaultBranch, sha, pipelines, log } = this.options
    if (!client)
      return Promise.resolve({ history: new Map(), calls: 0, problem: 'there is no token to read the baseline with' })
    this.baselines ??= findBaselines({
      client,
      repository,
      branch: defaultBranch,
      sha,
      pipelines: [...new Set(pipelines)]
    }).then((found) => {
      const counts = [...found.history].map(([pipeline, points]) => `${pipeline}: ${points.length}`).join(', ')
      log(
        found.problem
          ? `No baseline: ${found.problem}.`
          : `Baseline: completed runs of ${defaultBranch} found per pipeline (${counts}) in ${found.calls} GitHub API call(s).`
      )
      return found
    })
    return this.baselines
  }
}
