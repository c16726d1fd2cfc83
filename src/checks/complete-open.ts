/**
 * Completing check runs a trigger step left open (`wait: false`), after asking each run's target
 * how the run stands: the reconcile pass (every open check run of this repository's recent
 * commits) and the callback (one check run, named by a repository_dispatch). GitHub holds the
 * state: an open check run with our external id is a run to ask about; nothing else is kept.
 *
 * A payload that arrives from outside is never the verdict: only the target's own answer is. A
 * check run that is not ours, already completed, or whose target this config does not have is
 * left as it is, and the log says why.
 *
 * How open check runs are found (GitHub has no repository-wide listing): the workflow runs of the
 * last 14 days (a check run older than that is stale already) give the commits; each commit's
 * check runs are listed with status=in_progress, and its pending statuses of ours read from its
 * combined status (pending-statuses.ts: where check runs were refused). A pass costs
 * ceil(R/100) + 2C list calls for R workflow runs on C commits, then one status question to the
 * target and two GitHub calls (read again, complete) per open run that ended: about 2N plus a constant.
 */
import { formatDuration } from '../clock.js'
import { isFinal, type RunState } from '../core/run-state.js'
import { errorMessage } from '../errors.js'
import type { GitHubClient } from '../github/client.js'
import type { Target } from '../targets/target.js'
import type { Conclusion, Judgement } from '../core/judgement.js'
import {
  checkConclusion,
  LIMITS,
  statusState,
  readExternalId,
  readMetricsRecord,
  type ExternalRef,
  type MetricsRecord
} from './check-run-fields.js'
import { verdictOf } from './run-verdict.js'
import { CommitStatuses, type PendingStatus } from './pending-statuses.js'
import { checksApi, type ChecksApi } from '../github/checks-api.js'
import { statusesApi } from '../github/statuses-api.js'
import { workflowRunsApi, type WorkflowRunsApi } from '../github/workflow-runs-api.js'

/** GitHub marks a check run left open this long `stale`; complete it with what is known a day before. */
export const STALE_MS = 14 * 24 * 3_600_000
const GIVE_UP_MS = STALE_MS - 24 * 3_600_000
const MAX_RUN_PAGES = 10

export interface OpenCheckRun {
  kind: 'check-run'
  id: number
  name: string
  headSha: string
  startedAt?: string
  ref: ExternalRef
  summary: string
  /** The record the trigger step left on it: the pipeline and the gates in force when it started. */
  record?: MetricsRecord
}

/** A verdict of ours still open: a check run, or a pending commit status where check runs were refused. */
export type OpenVerdict = OpenCheckRun | PendingStatus

export interface FollowUpOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  /** The target a check run names, connected; undefined when this config has no such target. */
  targetFor(ref: ExternalRef): Promise<Target | undefined>
  /** A completed run judged by its gates against the baseline (src/gates/gatekeeper.ts). */
  judge?(pipeline: string, gates: readonly string[], state: RunState): Promise<Judgement>
  /** Told of each check run this pass completed, with what its target said (the report comment catches up: report-catch-up.ts). */
  completed?(run: OpenCheckRun, outcome: CompletedOutcome): void
  now(): number
  signal: AbortSignal
  log(message: string): void
}

/** What a check run was completed with: the target's answer, the conclusion, and the gates' judgement if they spoke. */
export interface CompletedOutcome {
  state: RunState
  conclusion: Conclusion
  judgement?: Judgement
}

export interface FollowUpResult {
  open: number
  completed: number
  stillRunning: number
  left: number
  /** GitHub API calls this pass made (the target's are not counted). */
  githubCalls: number
}

type CheckRunReply = {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion?: string | null
  started_at?: string | null
  external_id?: string | null
  output?: { summary?: string | null; text?: string | null } | null
}

export class FollowUp {
  private readonly checks: ChecksApi
  private readonly workflowRuns: WorkflowRunsApi
  private calls = 0
  private readonly statuses: CommitStatuses

  constructor(private readonly options: FollowUpOptions) {
    this.checks = checksApi(options.client, options.repository)
    this.workflowRuns = workflowRunsApi(options.client, options.repository)
    this.statuses = new CommitStatuses({
      statuses: statusesApi(options.client, options.repository),
      counted: () => this.calls++,
      log: options.log
    })
  }

  /** Every open check run and pending status of ours on the commits of the last 14 days' workflow runs. */
  async findOpen(): Promise<OpenVerdict[]> {
    const { now } = this.options
    const since = new Date(now() - STALE_MS).toISOString().slice(0, 10)
    const shas: string[] = []
    for (let page = 1; page <= MAX_RUN_PAGES; page++) {
      this.calls++
      const runs = await this.workflowRuns.list(`listing the workflow runs since ${since}`, {
        created: `>=${since}`,
        page
      })
      for (const run of runs) if (!shas.includes(run.head_sha)) shas.push(run.head_sha)
      if (runs.length < 100) break
    }
    const open: OpenVerdict[] = []
    for (const sha of shas) open.push(...(await this.openOn(sha)), ...(await this.statuses.pendingOn(sha)))
    return open
  }

  /** The open check runs of ours on one commit, every page. */
  private async openOn(sha: string): Promise<OpenCheckRun[]> {
    const open: OpenCheckRun[] = []
    for (let page = 1; ; page++) {
      this.calls++
      const runs = await this.checks.listForRef(`listing the open check runs of ${sha.slice(0, 12)}`, sha, {
        status: 'in_progress',
        filter: 'all',
        page
      })
      for (const run of runs) {
        const found = this.ours(run)
        if (found) open.push(found)
      }
      if (runs.length < 100) return open
    }
  }

  /** The check run a callback names, if it is ours and still open; otherwise why not. */
  async readOne(id: number): Promise<OpenCheckRun | string> {
    this.calls++
    const run: CheckRunReply = await this.checks.get(id)
    if (run.status === 'completed')
      return `check run ${id} (${run.name}) is completed already (${run.conclusion ?? 'no conclusion'}): nothing to do`
    return (
      this.ours(run) ??
      `check run ${id} (${run.name}) was not made by pipeline-trigger (no external id of ours): nothing changed`
    )
  }

  /** The open check run (else pending status) of ours on `commit` for the target's run `runId` (a callback that names the run). */
  async findByRun(commit: string, runId: string): Promise<OpenVerdict | string> {
    const found =
      (await this.openOn(commit)).find((run) => run.ref.runId === runId) ??
      (await this.statuses.pendingOn(commit)).find((status) => status.ref.runId === runId)
    return (
      found ??
      `no open check run or pending status of ours on ${commit.slice(0, 12)} is for run ${runId}: nothing changed`
    )
  }

  /** Asks each run's target, completes the check runs of runs that ended. */
  async complete(open: OpenVerdict[]): Promise<FollowUpResult> {
    const result: FollowUpResult = { open: open.length, completed: 0, stillRunning: 0, left: 0, githubCalls: 0 }
    for (const run of open) {
      const outcome = await this.ask(run).catch(
        (error: unknown) => `the target could not be asked: ${errorMessage(error)}`
      )
      if (typeof outcome === 'string') {
        result.left++
        this.options.log(`${where(run)}: ${outcome}; left as it is.`)
        continue
      }
      if (!outcome) {
        result.stillRunning++
        continue
      }
      if (await this.completeOne(run, outcome)) result.completed++
      else result.left++
    }
    result.githubCalls = this.calls
    return result
  }

  /** The run's state from its target, once it ended (or is about to go stale); undefined while it goes on; a string when it cannot be asked. */
  private async ask(run: OpenVerdict): Promise<RunState | undefined | string> {
    const { runId } = run.ref
    // Named by its request's key: the target gave no run id, so there is nothing to ask it about.
    if (runId === undefined) return `its ${run.ref.targetType} target gave no run id, so a later pass cannot follow it`
    const target = await this.options.targetFor(run.ref)
    if (!target) return `its target "${run.ref.target}" (${run.ref.targetType}) is not in this config`
    if (!target.follow) return `a ${run.ref.targetType} run cannot be followed by a later pass`
    const handle = target.follow(runId)
    const state = await target.status(handle, this.options.signal)
    if (state.status === 'completed' && target.metrics) {
      // Read once, as the trigger step would have: a read that fails leaves the gates undecided, the run completed.
      try {
        const reading = await target.metrics(handle, this.options.signal)
        for (const note of reading.ignored) this.options.log(`${run.name}: a metric was left out: ${note}.`)
        return { ...state, metrics: reading.metrics }
      } catch (error) {
        return { ...state, metricsProblem: `its metrics could not be read: ${errorMessage(error)}` }
      }
    }
    if (isFinal(state.status)) return state
    const age = run.startedAt ? this.options.now() - Date.parse(run.startedAt) : 0
    this.options.log(
      `${where(run)}: still ${state.detail ?? state.status}${age ? ` after ${formatDuration(age)}` : ''}.`
    )
    if (age < GIVE_UP_MS) return undefined
    return {
      status: 'running',
      message: `still running after ${formatDuration(age)}; GitHub marks a check run open for 14 days stale, so it is closed with what is known`
    }
  }

  /** Completes one check run, unless another pass did first (read again just before). */
  private async completeOne(run: OpenVerdict, state: RunState): Promise<boolean> {
    if (run.kind === 'status') return this.completeStatus(run, state)
    this.calls++
    const now = await this.checks.get(run.id)
    if (now.status === 'completed') {
      this.options.log(
        `${run.name} (check run ${run.id}): completed by another pass already (${now.conclusion ?? ''}).`
      )
      return false
    }
    const judgement =
      run.record && this.options.judge && state.status === 'completed'
        ? await this.options.judge(run.record.pipeline, run.record.gates ?? [], state)
        : undefined
    const judged = judgement ? verdictOf(run.record!.pipeline, state, judgement, run.name) : {}
    const conclusion = judged.conclusion ?? checkConclusion(state.status) ?? 'neutral'
    const title = judged.verdictReason
      ? `${run.name.replace(/^pipeline: /, '')} ${conclusion}: ${judged.verdictReason}`
      : `${run.name.replace(/^pipeline: /, '')} ${state.status.replace('_', ' ')}${state.message ? `: ${state.message}` : ''}`
    const note = `\n\nCompleted after the run's target was asked (${state.status}${state.message ? `: ${state.message}` : ''}).`
    this.calls++
    await this.checks.update(`completing check run ${run.id}`, run.id, {
      status: 'completed',
      conclusion,
      completed_at: new Date(this.options.now()).toISOString(),
      ...(state.runUrl && /^https?:\/\//.test(state.runUrl) ? { details_url: state.runUrl } : {}),
      output: {
        title: title.length > LIMITS.title ? `${title.slice(0, LIMITS.title - 1)}…` : title,
        summary: `${run.summary.slice(0, LIMITS.summary - note.length)}${note}`,
        ...(judged.text ? { text: judged.text } : {})
      }
    })
    this.options.log(`${run.name} (check run ${run.id}): ${state.status}, completed ${conclusion}.`)
    this.options.completed?.(run, { state, conclusion, ...(judgement ? { judgement } : {}) })
    return true
  }

  /**
   * Sets the final status of a pending one, as a step that waited would have. No gates: a status
   * has no room for the record of the gates in force when the run started.
   */
  private async completeStatus(status: PendingStatus, state: RunState): Promise<boolean> {
    const conclusion = checkConclusion(state.status) ?? 'neutral'
    // A neutral status has no state of its own: success, with "neutral" and why in its words.
    const outcome = conclusion === 'neutral' ? 'neutral' : state.status.replace('_', ' ')
    const words = `${status.name.replace(/^pipeline: /, '')} ${outcome}${state.message ? `: ${state.message}` : ''}`
    const set = statusState(state.status, conclusion)
    const done = await this.statuses.complete(status, set, words, state.runUrl)
    if (done !== true) {
      this.options.log(`${where(status)}: ${done}.`)
      return false
    }
    this.options.log(`${where(status)}: ${state.status}, set ${set}.`)
    return true
  }

  private ours(run: CheckRunReply): OpenCheckRun | undefined {
    const ref = readExternalId(run.external_id)
    if (!ref) return undefined
    const record = readMetricsRecord(run.output?.text)
    return {
      kind: 'check-run',
      id: run.id,
      name: run.name,
      headSha: run.head_sha,
      ...(run.started_at ? { startedAt: run.started_at } : {}),
      ref,
      summary: run.output?.summary ?? '',
      ...(record ? { record } : {})
    }
  }
}

/** How the log names an open verdict: its name, and which check run or which commit's status. */
function where(run: OpenVerdict): string {
  return run.kind === 'status'
    ? `${run.name} (commit status on ${run.headSha.slice(0, 12)})`
    : `${run.name} (check run ${run.id})`
}
