/**
 * The verdict on the commit: one check run per triggered run, opened when the run starts and
 * completed when it ends; a commit status where a check run cannot be made. GitHub holds the state:
 * nothing of ours is kept anywhere else.
 *
 * Which way, by the token's permissions, learned from GitHub's answers rather than guessed:
 * - check runs need `checks: write` and an app's token (GITHUB_TOKEN is one); a 403 there falls
 *   back to commit statuses (`statuses: write`) with the same context each time;
 * - a 403 there too (a fork's pull request gets read-only tokens) ends the reporting, said once:
 *   the job summary still has every run. A verdict that cannot be posted never fails the trigger.
 */
import type { RunState } from '../core/run-state.js'
import { errorMessage } from '../errors.js'
import { GitHubRefusal, type GitHubClient } from '../github/client.js'
import type { VerdictMode } from '../inputs/settings.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { Judgement } from '../core/judgement.js'
import { verdictOf } from './report-runs.js'
import {
  checkConclusion,
  checkRunName,
  checkSummary,
  checkTitle,
  externalId,
  metricsRecord,
  readExternalId,
  statusContext,
  statusDescription,
  statusState,
  type RunOutcome
} from './check-run-fields.js'

type Way = 'check-run' | 'status' | 'none'

export interface CommitVerdictOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  /** The commit the verdict goes on: a pull request's head, otherwise the event's commit. */
  sha: string
  mode: Exclude<VerdictMode, 'off'>
  /** Whether the step follows runs to their end; a commit status is set only for runs it follows. */
  wait: boolean
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
  private readonly owner: string
  private readonly repo: string
  /** Per request: its check run's id once made, and the calls for it, one after another. */
  private readonly checkRunIds = new Map<number, number>()
  /** The requests whose check run this attempt opened itself (an adopted one may be completed: it is reopened). */
  private readonly opened = new Set<number>()
  private readonly queues = new Map<number, Promise<void>>()
  private readonly siblings = new Map<string, number>()
  private warned = false

  constructor(private readonly options: CommitVerdictOptions) {
    this.way = options.mode === 'status' ? 'status' : 'check-run'
    ;[this.owner = '', this.repo = ''] = options.repository.split('/')
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
   * keeps its check run open, for a reconcile pass or a callback to complete after asking the
   * target; no commit status is set for it (a pending one nothing completes would hold a
   * required check for good).
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
    const { client, sha } = this.options
    const { owner, repo } = this
    const name = checkRunName(request, this.siblings.get(request.pipelineName) ?? 1)
    const { data } = await client.call(
      `looking for the check run an earlier attempt opened for ${request.pipelineName}`,
      { permission: '`checks: read`', retry: true },
      (octokit) =>
        octokit.rest.checks.listForRef({ owner, repo, ref: sha, check_name: name, filter: 'all', per_page: 100 })
    )
    const candidates = data.check_runs
      .map((run) => ({ checkRunId: run.id, ref: readExternalId(run.external_id) }))
      .filter((run) => run.ref !== undefined && run.ref.target === request.target && run.ref.runId !== '')
      .sort((a, b) => b.checkRunId - a.checkRunId)
    const newest = candidates[0]
    return newest ? { checkRunId: newest.checkRunId, runId: newest.ref!.runId } : undefined
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
      try {
        return way === 'check-run' ? await this.checkRun(request, outcome) : await this.status(request, outcome)
      } catch (error) {
        if (!(error instanceof GitHubRefusal && error.status === 403)) throw error
        this.refused(way, error)
      }
    }
  }

  /** A 403: the next way down, said once. */
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

  private async checkRun(request: TriggerRequest, outcome: RunOutcome): Promise<void> {
    const { client, sha } = this.options
    const { owner, repo } = this
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
      const { data } = await client.call(
        `creating the check run of ${request.pipelineName} on ${sha.slice(0, 12)}`,
        { permission: '`checks: write`' },
        (octokit) => octokit.rest.checks.create({ owner, repo, head_sha: sha, ...fields })
      )
      this.checkRunIds.set(request.index, data.id)
      this.opened.add(request.index)
      return
    }
    // An adopted check run (a re-run re-attached to its run) may have been completed by the attempt that died: reopened here.
    if (!conclusion) this.opened.add(request.index)
    await client.call(
      `${conclusion ? 'completing' : 'reopening'} the check run of ${request.pipelineName}`,
      { permission: '`checks: write`', retry: true },
      (octokit) => octokit.rest.checks.update({ owner, repo, check_run_id: id, ...fields })
    )
  }

  private async status(request: TriggerRequest, outcome: RunOutcome): Promise<void> {
    const { client, sha, wait } = this.options
    const { owner, repo } = this
    // A pending status nothing will complete would hold a required check for good.
    if (outcome.status === 'running' && !wait) return
    // The same context each time: the newest status of a context is the one the commit shows.
    await client.call(
      `setting the commit status of ${request.pipelineName} on ${sha.slice(0, 12)}`,
      { permission: '`statuses: write`', retry: true },
      (octokit) =>
        octokit.rest.repos.createCommitStatus({
          owner,
          repo,
          sha,
          state: statusState(outcome.status, outcome.conclusion),
          context: statusContext(request, this.siblings.get(request.pipelineName) ?? 1),
          description: statusDescription(request, outcome),
          ...(outcome.runUrl && /^https?:\/\//.test(outcome.runUrl) ? { target_url: outcome.runUrl } : {})
        })
    )
  }
}
