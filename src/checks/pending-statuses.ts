/**
 * The commit statuses a later pass completes. Where check runs were refused, a step with
 * `wait: false` set a `pending` status for each run it left going whose target can follow it; a
 * status has no external id, so its description names the run (check-run-fields.ts,
 * statusDescription: `<title> · run <run> on <target> (<target type>)`).
 *
 * Found through each commit's combined status, which has the newest status of each context (one
 * call per 100 contexts): a context whose newest status is `pending`, named `pipeline: …` and
 * naming a run, is one of ours still open. A newer status of the context that is final means it
 * was completed already; older statuses do not count (GitHub keeps at most 1,000 per commit and
 * context). Completed with a new status of the same context, after reading it again. Like a
 * callback's payload, the description only locates the run: the verdict is the target's answer.
 */
import { GitHubRefusal } from '../github/client.js'
import type { StatusesApi } from '../github/statuses-api.js'
import { LIMITS, readStatusRun, withRunTail, type ExternalRef, type statusState } from './check-run-fields.js'

export interface PendingStatus {
  kind: 'status'
  /** The context, which names the run as its check run would: `pipeline: training_pipeline (…)`. */
  name: string
  headSha: string
  /** When the pending status was set: the age the 14-day rule counts from. */
  startedAt: string
  ref: ExternalRef
  /** The part of the description that names the run, kept on the final status. */
  tail: string
  targetUrl?: string
}

interface StatusReply {
  state: string
  context: string
  description?: string | null
  target_url?: string | null
  created_at: string
}

export interface CommitStatusesOptions {
  statuses: StatusesApi
  /** Counts each GitHub call, for the pass's total. */
  counted(): void
  log(message: string): void
}

export class CommitStatuses {
  /** Why statuses cannot be read with this token: asked once per pass, then not again. */
  private unreadable: string | undefined

  constructor(private readonly options: CommitStatusesOptions) {}

  /** The pending statuses of ours on a commit; none, said once, where the token may not read statuses. */
  async pendingOn(sha: string): Promise<PendingStatus[]> {
    if (this.unreadable) return []
    let newest: StatusReply[]
    try {
      newest = await this.newest(sha)
    } catch (error) {
      if (!(error instanceof GitHubRefusal && (error.status === 403 || error.status === 404))) throw error
      this.unreadable = error.message
      this.options.log(
        `Commit statuses not read (${error.message}); this pass completes check runs only. A step whose check runs were refused left pending statuses: grant statuses: write to complete them.`
      )
      return []
    }
    return newest.flatMap((status): PendingStatus[] => {
      const named = readStatusRun(status.description)
      if (status.state !== 'pending' || !status.context.startsWith('pipeline: ') || !named) return []
      return [
        {
          kind: 'status',
          name: status.context,
          headSha: sha,
          startedAt: status.created_at,
          ref: named.ref,
          tail: named.tail,
          ...(status.target_url ? { targetUrl: status.target_url } : {})
        }
      ]
    })
  }

  /**
   * Sets the final status of the pending one's context: `words` and the run it names. Read again
   * just before: where the newest status of the context is no longer this pending one (another
   * pass completed it, a re-run's step set its own), nothing is set, and the reason is returned.
   */
  async complete(
    pending: PendingStatus,
    state: ReturnType<typeof statusState>,
    words: string,
    targetUrl: string | undefined
  ): Promise<true | string> {
    const context = pending.name.toLowerCase()
    // GitHub compares contexts without case.
    const now = (await this.newest(pending.headSha)).find((status) => status.context.toLowerCase() === context)
    if (now?.state !== 'pending') return `completed by another pass already (${now?.state ?? 'no status'})`
    if (readStatusRun(now.description)?.tail !== pending.tail) return 'its newest pending status is for another run now'
    const description = withRunTail(words, pending.tail) ?? words.slice(0, LIMITS.description)
    const url = targetUrl ?? pending.targetUrl
    this.options.counted()
    await this.options.statuses.set(`setting the commit status ${pending.name} on ${pending.headSha.slice(0, 12)}`, {
      sha: pending.headSha,
      state,
      context: now.context,
      description,
      ...(url && /^https?:\/\//.test(url) ? { target_url: url } : {})
    })
    return true
  }

  /** The newest status of each context on a commit (its combined status), every page. */
  private async newest(sha: string): Promise<StatusReply[]> {
    const statuses: StatusReply[] = []
    for (let page = 1; ; page++) {
      this.options.counted()
      const found = await this.options.statuses.combined(sha, page)
      statuses.push(...found)
      if (found.length < 100) return statuses
    }
  }
}
