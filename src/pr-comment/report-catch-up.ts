/**
 * A later pass (reconcile, a callback) brings the pull requests' report comments up to date with
 * the check runs it completed: no row stays "pending" once its check run is completed.
 *
 * Which pull request: the one the trigger step recorded on the open check run (its record's `pull`;
 * GitHub's `pull_requests` of a check run is empty for a fork's pull request, and asking
 * `commits/{sha}/pulls` would cost a call per commit). Which section and row: every section of that
 * commit in THE comment (the trusted marker comment, post-report.ts) whose hidden record has a row with
 * the check run's id. The row's new state is only what the pass learned from the run's target (its
 * status, metrics, the gates' judgement against the baseline); the record gives the other rows, shown
 * as they were, and is never read as a verdict.
 *
 * Once per pass per pull request (and commit), after every completion: one write of all its
 * sections, through post-report.ts's rounds (the head check: a commit that is no longer the pull
 * request's head is not written, its sections were dropped already; the read-back; other jobs'
 * sections kept). Needs `pull-requests: write`; a refusal is said once and ends the catching up: the
 * check runs are completed all the same.
 */
import type { Clock } from '../clock.js'
import { errorMessage } from '../errors.js'
import { GitHubRefusal, type GitHubClient } from '../github/client.js'
import type { CompletedOutcome, OpenCheckRun, OpenVerdict } from '../checks/complete-open.js'
import { updatePullRequestReport, type SectionText } from './post-report.js'
import { chartHistory, checkRunPage, toReportRun } from '../checks/run-verdict.js'
import {
  awaitsLaterPass,
  readSectionRecord,
  renderSection,
  sectionRecord,
  withCompletedRows,
  type CompletedRow
} from './report-section.js'

export interface ReportCatchUpOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  clock: Clock
  log(message: string): void
}

export class ReportCatchUp {
  /** Per pull request and commit, the rows of the check runs completed on it, by check run id. */
  private readonly pending = new Map<string, { pull: number; sha: string; rows: Map<number, CompletedRow> }>()

  constructor(private readonly options: ReportCatchUpOptions) {}

  /** Whether any check run of these was opened by a pull request's job whose report comment shows it. */
  static wanted(open: readonly OpenVerdict[]): boolean {
    // A commit status has no record: only a check run's row is in the report comment.
    return open.some((run) => run.kind === 'check-run' && run.record?.pull !== undefined)
  }

  /** A check run this pass completed: its row, made from what the target said. */
  completed(run: OpenCheckRun, outcome: CompletedOutcome): void {
    const pull = run.record?.pull
    if (pull === undefined) return
    const { state, conclusion, judgement } = outcome
    const key = `${pull}@${run.headSha}`
    if (!this.pending.has(key)) this.pending.set(key, { pull, sha: run.headSha, rows: new Map() })
    const row = toReportRun(
      run.record!.pipeline,
      { ...state, runId: state.runId ?? run.ref.runId },
      judgement,
      run.name,
      checkRunPage(this.options.repository, run.id)
    )
    this.pending.get(key)!.rows.set(run.id, {
      // The check run's conclusion is the row's verdict, with the gates or without.
      run: { ...row, verdict: conclusion, checkRunId: run.id },
      history: judgement ? chartHistory(judgement) : []
    })
  }

  /** Writes each pull request's sections once; never throws. Returns the pull requests brought up to date. */
  async post(): Promise<number> {
    const { client, repository, clock, log } = this.options
    let updated = 0
    for (const { pull, sha, rows } of this.pending.values()) {
      const ids = [...rows.keys()].join(', ')
      const edit = (sections: SectionText[]): SectionText[] =>
        sections.flatMap((section) => {
          const rowsOf = readSectionRecord(section.record)
          const next = rowsOf && rowsOf.sha === sha ? withCompletedRows(rowsOf, rows) : undefined
          if (!next) return []
          // Kept while a row still waits for a later pass.
          const record = awaitsLaterPass(next) ? sectionRecord(next) : undefined
          return [{ key: section.key, markdown: renderSection(next), ...(record ? { record } : {}) }]
        })
      try {
        const posted = await updatePullRequestReport({
          client,
          repository,
          pullNumber: pull,
          headSha: sha,
          edit,
          clock,
          log
        })
        if (posted.posted) {
          updated++
          log(`Report comment of pull request #${pull} brought up to date (check run ${ids}): ${posted.url}`)
          continue
        }
        if (posted.refused) return this.refused(posted.reason, updated)
        log(`The report comment of pull request #${pull} was left as it is (check run ${ids}): ${posted.reason}.`)
      } catch (error) {
        if (error instanceof GitHubRefusal && error.status === 403) return this.refused(errorMessage(error), updated)
        log(`The report comment of pull request #${pull} was left as it is (check run ${ids}): ${errorMessage(error)}`)
      }
    }
    return updated
  }

  /** Said once: the token may not read or write the pull requests' comments. */
  private refused(reason: string, updated: number): number {
    this.options.log(
      `The pull requests' report comments were not brought up to date: the token may not read or comment on pull requests (grant permissions: pull-requests: write to this workflow); the check runs are completed all the same. (${reason})`
    )
    return updated
  }
}
