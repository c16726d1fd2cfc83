/**
 * The verdict on the commit: one check run per triggered run, opened when the run starts and
 * completed when it ends; a commit status where a check run cannot be made. GitHub holds the state:
 * nothing of ours is kept anywhere else.
 *
 * Which way, by the token's permissions, learned from GitHub's answers rather than guessed:
 * - check runs need `checks: write` and an app's token (GITHUB_TOKEN is one); a refusal there
 *   (403, or 404 or 422 to a create) falls back to commit statuses (`statuses: write`) with the
 *   same context each time;
 * - a refusal there too (a fork's pull request gets read-only tokens) ends the reporting, said
 *   once: the job summary still has every run. A verdict that cannot be posted never fails the trigger.
 * A refusal costs one attempt for the step: until a way has had one answer that is not a refusal,
 * its calls go one at a time, so the other runs wait for the first and then take the next way down.
 */
import type { RunState } from '../core/run-state.js'
import { errorMessage } from '../errors.js'
import { checksApi, type ChecksApi } from '../github/checks-api.js'
import { GitHubRefusal, type GitHubClient } from '../github/client.js'
import { statusesApi, type StatusesApi } from '../github/statuses-api.js'
import type { VerdictMode } from '../inputs/settings.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { Judgement } from '../core/judgement.js'
import { verdictOf } from './run-verdict.js'
import {
  checkConclusion,
  checkRunName,
  checkSummary,
  checkTitle,
  externalId,
  metricsRecord,
  readExternalId,
  readStatusRun,
  statusContext,
  statusDescription,
  statusState,
  type RunOutcome
} from './check-run-fields.js'

type Way = 'check-run' | 'status' | 'none'

/**
 * GitHub's answers to a create that another try would get again: no permission (403), no such
 * endpoint or repository for this token (404: a token that cannot see it, a server without the
 * API), a request it will not take (422). Each moves the step to the next way down.
 */
const REFUSALS = new Set([403, 404, 422])

export interface CommitVerdictOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  /** The commit the verdict goes on: a pull request's head, otherwise the event's commit. */
  sha: string
  mode: Exclude<VerdictMode, 'off'>
  /** Whether the step follows runs to their end; with wait: false a pending status is set only for a run a later pass can follow. */
  wait: boolean
  /** Whether a later pass can ask the request's target about its run by its id (the target has `follow`). */
  followable?(request: TriggerRequest): boolean
  /** All the plan's requests: a pipeline with several runs names each by its file or index. */
  requests: TriggerRequest[]
  /** The pull request whose report comment shows these runs, if one does: recorded on each open check run for a later pass. */
  pullRequest?: number
  /** The run's judgement (its gates against the baseline), asked once when it ends. */
  judge?(request: TriggerRequest, state: RunState): Promise<Judgement>
  log(message: string): void
  warn(message: string): void
}

/** The words on a check run whose run this step does not follow. */
const NOT_FOLLOWED =
  'in progress; this step does not wait (wait: false): a reconcile pass or a callback completes this check'

const ids = (state: Pick<RunState, 'runId' | 'runUrl'>) => ({
  ...(state.runId ? { runId: state.runId } : {}),
  ...(state.runUrl ? { runUrl: state.runUrl } : {})
})

export class CommitVerdict {
  private way: Way
  private readonly checks: ChecksApi
  private readonly statuses: StatusesApi
  /** Per request: its check run's id once made, and the calls for it, one after another. */
  private readonly checkRunIds = new Map<number, number>()
  /** The requests whose check run this attempt opened itself (an adopted one may be completed: it is reopened). */
  private readonly opened = new Set<number>()
  private readonly queues = new Map<number, Promise<void>>()
  private readonly siblings = new Map<string, number>()
  private warned = false
  /** The ways GitHub has taken a call of; until then their calls go one at a time (`probe`). */
  private readonly proven = new Set<Way>()
  private probe: Promise<unknown> | undefined

  constructor(private readonly options: CommitVerdictOptions) {
    this.way = options.mode === 'status' ? 'status' : 'check-run'
    this.checks = checksApi(options.client, options.repository)
    this.statuses = statusesApi(options.client, options.repository)
    for (const request of options.requests)
      this.siblings.set(request.pipelineName, (this.siblings.get(request.pipelineName) ?? 0) + 1)
  }

  /** The run has started: its check run opens (in progress), or its status is pending. */
  started(request: TriggerRequest, state: Pick<RunState, 'runId' | 'runUrl'>): void {
    const note = this.options.wait ? {} : { message: NOT_FOLLOWED }
    // The pipeline and its gates, for a later pass (reconcile, a callback) that completes this check run.
    const text = metricsRecord({
      pipeline: request.pipeline,
      status: 'running',
      metrics: {},
      ...(request.gates?.length ? { gates: request.gates } : {}),
      ...(this.options.pullRequest !== undefined ? { pull: this.options.pullRequest } : {})
    })
    this.enqueue(request, () => this.post(request, { status: 'running', ...ids(state), ...note, text }))
  }

  /**
   * The run ended: its check run completes with the conclusion. A run left going (wait: false)
   * keeps its check run open, or its pending status (set when it started, only where a later pass
   * can follow it), for a reconcile pass or a callback to complete after asking the target.
   */
  settled(request: TriggerRequest, state: RunState, durationMs?: number): void {
    if (state.status === 'running') return
    const outcome: RunOutcome = {
      status: state.status,
      ...ids(state),
      ...(state.message ? { message: state.message } : {}),
      ...(durationMs !== undefined ? { durationMs } : {})
    }
    const judge = this.options.judge
    this.enqueue(request, async () =>
      this.post(
        request,
        judge
          ? { ...outcome, ...verdictOf(request.pipeline, state, await judge(request, state), this.name(request)) }
          : outcome
      )
    )
  }

  /** Waits for every call; their failures were logged, none is thrown. */
  async flush(): Promise<void> {
    await Promise.all(this.queues.values())
  }

  /**
   * The check run an earlier attempt of this job opened for this request (same commit, same name,
   * our external id with a run id), newest first; undefined when there is none or GitHub cannot say.
   */
  async earlier(request: TriggerRequest): Promise<{ checkRunId: number; runId: string } | undefined> {
    if (this.way !== 'check-run') return undefined
    const { sha } = this.options
    const name = checkRunName(request, this.siblings.get(request.pipelineName) ?? 1)
    const runs = await this.checks.listForRef(
      `looking for the check run an earlier attempt opened for ${request.pipelineName}`,
      sha,
      { name, filter: 'all' }
    )
    const candidates = runs
      .map((run) => ({ checkRunId: run.id, ref: readExternalId(run.external_id) }))
      // Only a run its target gave an id for can be followed again; one named by its request key cannot.
      .flatMap(({ checkRunId, ref }) =>
        ref?.runId !== undefined && ref.target === request.target ? [{ checkRunId, runId: ref.runId }] : []
      )
      .sort((a, b) => b.checkRunId - a.checkRunId)
    return candidates[0]
  }

  /** This attempt takes over an earlier attempt's check run: it is completed, not opened again. */
  adopt(request: TriggerRequest, checkRunId: number): void {
    this.checkRunIds.set(request.index, checkRunId)
  }

  /** The request's check run name (its commit status context): the pipeline, and what tells it from its siblings. */
  name(request: TriggerRequest): string {
    return checkRunName(request, this.siblings.get(request.pipelineName) ?? 1)
  }

  /** The check run ids, by request index, for the outputs. */
  checkRunId(request: TriggerRequest): number | undefined {
    return this.checkRunIds.get(request.index)
  }

  private enqueue(request: TriggerRequest, call: () => Promise<void>): void {
    const previous = this.queues.get(request.index) ?? Promise.resolve()
    this.queues.set(
      request.index,
      previous
        .then(call)
        .catch((error: unknown) =>
          this.warnOnce(`the verdict of ${request.pipelineName} could not be posted: ${errorMessage(error)}`)
        )
    )
  }

  private warnOnce(message: string): void {
    if (this.warned) return this.options.log(message)
    this.warned = true
    this.options.warn(message)
  }

  private async post(request: TriggerRequest, outcome: RunOutcome): Promise<void> {
    if (outcome.status === 'running' && this.opened.has(request.index)) return // already open
    for (;;) {
      const way = this.way
      if (way === 'none') return
      // A way GitHub has not taken a call of yet: one call at a time, so a refusal is met once, not once per run.
      if (!this.proven.has(way) && this.probe) {
        await this.probe.catch(() => undefined)
        continue
      }
      const creating = way === 'status' || !this.checkRunIds.has(request.index)
      const call = way === 'check-run' ? this.checkRun(request, outcome) : this.status(request, outcome)
      if (!this.proven.has(way)) this.probe = call
      try {
        if (await call) this.proven.add(way)
        return
      } catch (error) {
        const refusal =
          error instanceof GitHubRefusal && (error.status === 403 || (creating && REFUSALS.has(error.status)))
        if (!refusal) throw error
        this.refused(way, error)
      } finally {
        if (this.probe === call) this.probe = undefined
      }
    }
  }

  /** A refusal: the next way down, said once. */
  private refused(way: Way, error: GitHubRefusal): void {
    if (way !== this.way) return // another run's refusal moved it already
    if (way === 'check-run' && this.options.mode === 'auto') {
      this.way = 'status'
      this.options.log(
        `Check runs refused (${error.message}); the verdict goes on the commit as commit statuses instead (permissions: statuses: write).`
      )
      return
    }
    this.way = 'none'
    // auto asked for nothing: where the permission is not there, one line in the log, not an annotation on every run.
    const say =
      this.options.mode === 'auto'
        ? (message: string) => this.options.log(message)
        : (message: string) => this.warnOnce(message)
    say(
      `No verdict on the commit: the token may not ${way === 'check-run' ? 'create check runs (permissions: checks: write, and a GitHub App token such as github.token)' : 'create commit statuses (permissions: statuses: write)'}. A pull request from a fork gets a read-only token; the job summary has every run. (${error.message})`
    )
  }

  /** Creates or updates the request's check run; true once GitHub took it. */
  private async checkRun(request: TriggerRequest, outcome: RunOutcome): Promise<boolean> {
    const { sha } = this.options
    const conclusion = outcome.conclusion ?? checkConclusion(outcome.status)
    const fields = {
      name: checkRunName(request, this.siblings.get(request.pipelineName) ?? 1),
      external_id: externalId(request, outcome.runId),
      ...(outcome.runUrl && /^https?:\/\//.test(outcome.runUrl) ? { details_url: outcome.runUrl } : {}),
      output: {
        title: checkTitle(request, outcome),
        summary: checkSummary(request, outcome),
        ...(outcome.text ? { text: outcome.text } : {})
      },
      ...(conclusion
        ? { status: 'completed' as const, conclusion, completed_at: new Date().toISOString() }
        : { status: 'in_progress' as const })
    }
    const id = this.checkRunIds.get(request.index)
    if (id === undefined) {
      // Not retried: a create whose answer was lost may have made the check run.
      const created = await this.checks.create(
        `creating the check run of ${request.pipelineName} on ${sha.slice(0, 12)}`,
        sha,
        fields
      )
      this.checkRunIds.set(request.index, created.id)
      this.opened.add(request.index)
      return true
    }
    // An adopted check run (a re-run re-attached to its run) may have been completed by the attempt that died: reopened here.
    if (!conclusion) this.opened.add(request.index)
    await this.checks.update(
      `${conclusion ? 'completing' : 'reopening'} the check run of ${request.pipelineName}`,
      id,
      fields
    )
    return true
  }

  /**
   * Sets the request's commit status; true once GitHub took it, false where none is due. Its
   * description names the run (statusDescription), so a later pass finds a pending one and asks.
   */
  private async status(request: TriggerRequest, outcome: RunOutcome): Promise<boolean> {
    const { sha, wait } = this.options
    const description = statusDescription(request, outcome)
    // A run left going (wait: false) is pending only where a later pass can complete it: its
    // target can follow it and the description names its run id. Otherwise none: a pending status
    // nothing completes would hold a required check for good.
    if (
      outcome.status === 'running' &&
      !wait &&
      !(this.options.followable?.(request) && readStatusRun(description)?.ref.runId !== undefined)
    )
      return false
    // The same context each time: the newest status of a context is the one the commit shows.
    await this.statuses.set(`setting the commit status of ${request.pipelineName} on ${sha.slice(0, 12)}`, {
      sha,
      state: statusState(outcome.status, outcome.conclusion),
      context: statusContext(request, this.siblings.get(request.pipelineName) ?? 1),
      description,
      ...(outcome.runUrl && /^https?:\/\//.test(outcome.runUrl) ? { target_url: outcome.runUrl } : {})
    })
    return true
  }
}
