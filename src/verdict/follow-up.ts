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
 * check runs are listed with status=in_progress. A pass costs ceil(R/100) + C list calls for R
 * workflow runs on C commits, then one status question to the target and two GitHub calls (read
 * again, complete) per open run that ended: about 2N plus a constant.
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
  readExternalId,
  readMetricsRecord,
  type ExternalRef,
  type MetricsRecord
} from './check-run-fields.js'
import { verdictOf } from './report-runs.js'

/** GitHub marks a check run left open this long `stale`; complete it with what is known a day before. */
export const STALE_MS = 14 * 24 * 3_600_000
const GIVE_UP_MS = STALE_MS - 24 * 3_600_000
const MAX_RUN_PAGES = 10

export interface OpenCheckRun {
  id: number
  name: string
  headSha: string
  startedAt?: string
  ref: ExternalRef
  summary: string
  /** The record the trigger step left on it: the pipeline and the gates in force when it started. */
  record?: MetricsRecord
}

export interface FollowUpOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  /** The target a check run names, connected; undefined when this config has no such target. */
  targetFor(ref: ExternalRef): Promise<Target | undefined>
  /** A completed run judged by its gates against the baseline (src/verdict/gatekeeper.ts). */
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
  private readonly owner: string
  private readonly repo: string
  private calls = 0

  constructor(private readonly options: FollowUpOptions) {
    ;[this.owner = '', this.repo = ''] = options.repository.split('/')
  }

  /** Every open check run of ours on the commits of the last 14 days' workflow runs. */
  async findOpen(): Promise<OpenCheckRun[]> {
    const { client, now } = this.options
    const { owner, repo } = this
    const since = new Date(now() - STALE_MS).toISOString().slice(0, 10)
    const shas: string[] = []
    for (let page = 1; page <= MAX_RUN_PAGES; page++) {
      this.calls++
      const { data } = await client.call(
        `listing the workflow runs since ${since}`,
        { permission: '`actions: read`', retry: true },
        (octokit) =>
          octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, created: `>=${since}`, per_page: 100, page })
      )
      for (const run of data.workflow_runs) if (!shas.includes(run.head_sha)) shas.push(run.head_sha)
      if (data.workflow_runs.length < 100) break
    }
    const open: OpenCheckRun[] = []
    for (const sha of shas) open.push(...(await this.openOn(sha)))
    return open
  }

  /** The open check runs of ours on one commit, every page. */
  private async openOn(sha: string): Promise<OpenCheckRun[]> {
    const { owner, repo } = this
    const open: OpenCheckRun[] = []
    for (let page = 1; ; page++) {
      this.calls++
      const { data } = await this.options.client.call(
        `listing the open check runs of ${sha.slice(0, 12)}`,
        { permission: '`checks: read`', retry: true },
        (octokit) =>
          octokit.rest.checks.listForRef({
            owner,
            repo,
            ref: sha,
            status: 'in_progress',
            filter: 'all',
            per_page: 100,
            page
          })
      )
      for (const run of data.check_runs) {
        const found = this.ours(run)
        if (found) open.push(found)
      }
      if (data.check_runs.length < 100) return open
    }
  }

  /** The check run a callback names, if it is ours and still open; otherwise why not. */
  async readOne(id: number): Promise<OpenCheckRun | string> {
    const { owner, repo } = this
    this.calls++
    const { data } = await this.options.client.call(
      `reading check run ${id}`,
      { permission: '`checks: read`', retry: true },
      (octokit) => octokit.rest.checks.get({ owner, repo, check_run_id: id })
    )
    const run = data as CheckRunReply
    if (run.status === 'completed')
      return `check run ${id} (${run.name}) is completed already (${run.conclusion ?? 'no conclusion'}): nothing to do`
    return (
      this.ours(run) ??
      `check run ${id} (${run.name}) was not made by pipeline-trigger (no external id of ours): nothing changed`
    )
  }

  /** The open check run of ours on `commit` for the target's run `runId` (a callback that names the run). */
  async findByRun(commit: string, runId: string): Promise<OpenCheckRun | string> {
    const found = (await this.openOn(commit)).find((run) => run.ref.runId === runId)
    return found ?? `no open check run of ours on ${commit.slice(0, 12)} is for run ${runId}: nothing changed`
  }

  /** Asks each run's target, completes the check runs of runs that ended. */
  async complete(open: OpenCheckRun[]): Promise<FollowUpResult> {
    const result: FollowUpResult = { open: open.length, completed: 0, stillRunning: 0, left: 0, githubCalls: 0 }
    for (const run of open) {
      const outcome = await this.ask(run).catch(
        (error: unknown) => `the target could not be asked: ${errorMessage(error)}`
      )
      if (typeof outcome === 'string') {
        result.left++
        this.options.log(`${run.name} (check run ${run.id}): ${outcome}; left as it is.`)
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
  private async ask(run: OpenCheckRun): Promise<RunState | undefined | string> {
    const target = await this.options.targetFor(run.ref)
    if (!target) return `its target "${run.ref.target}" (${run.ref.targetType}) is not in this config`
    if (!target.follow) return `a ${run.ref.targetType} run cannot be followed by a later pass`
    const handle = target.follow(run.ref.runId)
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
      `${run.name} (check run ${run.id}): still ${state.detail ?? state.status}${age ? ` after ${formatDuration(age)}` : ''}.`
    )
    if (age < GIVE_UP_MS) return undefined
    return {
      status: 'running',
      message: `still running after ${formatDuration(age)}; GitHub marks a check run open for 14 days stale, so it is closed with what is known`
    }
  }

  /** Completes one check run, unless another pass did first (read again just before). */
  private async completeOne(run: OpenCheckRun, state: RunState): Promise<boolean> {
    const { client } = this.options
    const { owner, repo } = this
    this.calls++
    const { data: now } = await client.call(
      `reading check run ${run.id}`,
      { permission: '`checks: read`', retry: true },
      (octokit) => octokit.rest.checks.get({ owner, repo, check_run_id: run.id })
    )
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
    await client.call(`completing check run ${run.id}`, { permission: '`checks: write`', retry: true }, (octokit) =>
      octokit.rest.checks.update({
        owner,
        repo,
        check_run_id: run.id,
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
    )
    this.options.log(`${run.name} (check run ${run.id}): ${state.status}, completed ${conclusion}.`)
    this.options.completed?.(run, { state, conclusion, ...(judgement ? { judgement } : {}) })
    return true
  }

  private ours(run: CheckRunReply): OpenCheckRun | undefined {
    const ref = readExternalId(run.external_id)
    if (!ref) return undefined
    const record = readMetricsRecord(run.output?.text)
    return {
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
