/**
 * The GitHub REST calls the workflow target makes: read the target workflow file, dispatch it
 * (or a repository_dispatch), find, read and cancel its run. Through @actions/github's Octokit with
 * the throttling plugin, which spaces content-creating requests (a second apart) and waits out rate
 * limits. Retries are the executor's: errors come back sorted into transient (429, 5xx, no answer),
 * the deadline, and final errors that name the permission to grant.
 */
import type { z } from 'zod'
import { DeadlineExceeded } from '../clock.js'
import { UserError, preview, quoteServer, redact } from '../errors.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../retry.js'
import { USER_AGENT } from '../user-agent.js'
import { loadOctokit, type Octokit } from './octokit.js'
import {
  contentReply,
  dispatchReply,
  readGithubReply,
  repositoryReply,
  runListReply,
  runReply,
  workflowReply
} from './replies.js'

/** The API version under which a workflow dispatch answers with its run (github.com, GHES ≥ 3.21). */
export const DISPATCH_API_VERSION = '2026-03-10'
const PERMISSIONS_DOC = 'the README, section Permissions'

export interface WorkflowRun {
  id: number
  status: string
  conclusion: string | null
  htmlUrl: string
  /** The run's name as shown (run-name), where a correlation id can be put. */
  title: string
}

export interface Dispatched {
  runId?: number
  htmlUrl?: string
}

interface OctokitError {
  status?: number
  message: string
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

export class ActionsApi {
  private readonly client: Promise<Octokit>

  constructor(
    private readonly token: string,
    readonly apiUrl: string,
    private readonly log: (message: string) => void,
    /** Time left before the step's deadline: a rate-limit wait never goes past it. */
    private readonly remainingMs: () => number = () => Infinity
  ) {
    this.client = loadOctokit(token, {
      baseUrl: apiUrl,
      userAgent: USER_AGENT,
      throttle: {
        onRateLimit: (retryAfter: number, options: { method: string; url: string }, _o: unknown, retryCount: number) =>
          this.waitOut('rate limit', retryAfter, options, retryCount),
        onSecondaryRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          retryCount: number
        ) => this.waitOut('secondary rate limit', retryAfter, options, retryCount)
      }
    })
  }

  /** Waits out a rate limit once, and only when the wait ends before the deadline; otherwise the call fails as transient. */
  private waitOut(
    kind: string,
    retryAfter: number,
    options: { method: string; url: string },
    retryCount: number
  ): boolean {
    const wait = retryCount < 1 && retryAfter * 1000 < this.remainingMs()
    this.log(
      `GitHub API ${kind} on ${options.method} ${options.url}; ${wait ? `waiting ${retryAfter}s` : `not waiting ${retryAfter}s, past the step's deadline`}.`
    )
    return wait
  }

  /** github.com and GHE.com (data residency) take 25 dispatch inputs; GHES keeps 10. */
  get isGithubCom(): boolean {
    const host = new URL(this.apiUrl).hostname
    return host === 'api.github.com' || host.endsWith('.ghe.com')
  }

  /** One call; `permission` names what a 403/404 most likely lacks. */
  private async call<T>(
    what: string,
    permission: string,
    signal: AbortSignal,
    request: (octokit: Octokit) => Promise<T>
  ): Promise<T> {
    const octokit = await this.client
    try {
      return await request(octokit)
    } catch (raw) {
      if (signal.aborted)
        throw new DeadlineExceeded(`GitHub API: ${what}: ${(signal.reason as Error)?.message ?? 'timeout ran out'}`)
      const error = raw as OctokitError
      const status = error.status ?? 0
      const said = redact(githubMessage(error), [this.token])
      const headers = error.response?.headers ?? {}
      // A 403 with a rate-limit header is a rate limit (primary or secondary), not a permission problem.
      const rateLimited =
        status === 403 && (headers['x-ratelimit-remaining'] === '0' || headers['retry-after'] !== undefined)
      if (status === 0 || RETRYABLE_STATUS.has(status) || rateLimited) {
        const reset = Number(headers['x-ratelimit-reset'])
        const wait =
          retryAfterMs(headers['retry-after'] ?? null, Date.now()) ??
          (Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - Date.now()) : undefined)
        throw new TransientError(
          `GitHub API: HTTP ${status || 'no answer'} while ${what}${said ? `: ${said}` : ''}${rateLimited ? ' (rate limit)' : ''}`,
          wait
        )
      }
      if (status === 401)
        throw new UserError(
          `GitHub API: HTTP 401 while ${what}: the token is invalid or expired. Fix: pass a valid token (see ${PERMISSIONS_DOC}).`
        )
      if (status === 403 || status === 404) {
        throw new UserError(
          `GitHub API: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: the token needs ${permission}${status === 404 ? ', or the repository or workflow does not exist (GitHub answers 404 when the token cannot see it)' : ''}. github.token reaches this repository only; for another one use a GitHub App token or a fine-grained token with that permission there (see ${PERMISSIONS_DOC}).`
        )
      }
      const fix =
        status === 422
          ? 'GitHub refused the request as invalid: check that the workflow has a workflow_dispatch trigger on that ref and declares the inputs sent (or, for repository_dispatch, the event type)'
          : status === 410
            ? 'the repository has Actions or this workflow disabled; enable it'
            : "see GitHub's message; check repo, workflow and ref"
      throw new UserError(`GitHub API: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: ${fix}.`)
    }
  }

  async defaultBranch(owner: string, repo: string, signal: AbortSignal): Promise<string> {
    const what = `reading ${owner}/${repo}`
    const { data } = await this.call(what, '`contents: read` (or `metadata: read`)', signal, (octokit) =>
      octokit.rest.repos.get({ owner, repo, request: { signal } })
    )
    return readGithubReply(repositoryReply, data, what).default_branch
  }

  /** The workflow file's path and text at `ref`; a numeric id is resolved to its path first. */
  async workflowFile(
    owner: string,
    repo: string,
    workflow: string,
    ref: string,
    signal: AbortSignal
  ): Promise<{ path: string; text: string }> {
    let path = `.github/workflows/${workflow}`
    if (/^\d+$/.test(workflow)) {
      const what = `reading workflow ${workflow} of ${owner}/${repo}`
      const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
        octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: Number(workflow), request: { signal } })
      )
      path = readGithubReply(workflowReply, data, what).path
    }
    const what = `reading ${path} at ${ref} in ${owner}/${repo}`
    const { data } = await this.call(what, '`contents: read`', signal, (octokit) =>
      octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } })
    )
    const content = readGithubReply(contentReply, data, what)
    if (Array.isArray(content) || content.type !== 'file' || content.content === undefined)
      throw new UserError(`${owner}/${repo}: ${path} at ${ref} is not a file. Check workflow and ref.`)
    return { path, text: Buffer.from(content.content, 'base64').toString('utf8') }
  }

  /**
   * workflow_dispatch, asking for the run: API version 2026-03-10 answers 200 with it. A server
   * that refuses that version (400, older GHES) is asked with return_run_details, and one that
   * refuses that too gets the plain dispatch (204, no run: the caller finds it by correlation).
   * A 400 means nothing was dispatched, so asking again cannot start a second run.
   */
  async dispatchWorkflow(
    owner: string,
    repo: string,
    workflow: string,
    ref: string,
    inputs: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<Dispatched> {
    const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' as const
    const base = {
      owner,
      repo,
      workflow_id: /^\d+$/.test(workflow) ? Number(workflow) : workflow,
      ref,
      inputs,
      request: { signal }
    }
    const what = `dispatching ${workflow} on ${ref} in ${owner}/${repo}`
    const attempts: Record<string, unknown>[] = [
      { headers: { 'x-github-api-version': DISPATCH_API_VERSION } },
      { return_run_details: true },
      {}
    ]
    for (const [i, extra] of attempts.entries()) {
      try {
        const { data } = await this.call(what, '`actions: write`', signal, (octokit) =>
          octokit.request(route, { ...base, ...extra } as never)
        )
        // GitHub accepted the dispatch: an unreadable answer only loses the run's id, which the caller finds by correlation.
        const parsed = dispatchReply.safeParse(data || undefined)
        if (!parsed.success)
          this.log(
            `${what}: accepted, but the answer did not name the run (${preview(data)}); finding it by its pipeline-trigger-id.`
          )
        const details = (parsed.success && parsed.data) || {}
        return {
          ...(details.workflow_run_id ? { runId: details.workflow_run_id } : {}),
          ...(details.html_url ? { htmlUrl: details.html_url } : {})
        }
      } catch (error) {
        if (i === attempts.length - 1 || !/HTTP 400 /.test((error as Error).message)) throw error
        this.log(
          `${what}: the server refused ${i === 0 ? `API version ${DISPATCH_API_VERSION}` : 'return_run_details'} (older GitHub Enterprise Server); asking ${i === 0 ? 'with return_run_details' : 'without run details'}.`
        )
      }
    }
    throw new UserError(`${what}: no dispatch was accepted.`)
  }

  async dispatchRepository(
    owner: string,
    repo: string,
    eventType: string,
    payload: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<void> {
    await this.call(
      `sending repository_dispatch ${JSON.stringify(eventType)} to ${owner}/${repo}`,
      '`contents: write`',
      signal,
      (octokit) =>
        octokit.rest.repos.createDispatchEvent({
          owner,
          repo,
          event_type: eventType,
          client_payload: payload,
          request: { signal }
        })
    )
  }

  /** The newest run created since `since` (ISO time) whose run-name carries `correlation`. */
  async findRun(
    owner: string,
    repo: string,
    by: { workflow?: string; event: string; correlation: string; since: string },
    signal: AbortSignal
  ): Promise<WorkflowRun | undefined> {
    const what = `looking for the run of ${by.workflow ?? by.event} in ${owner}/${repo}`
    // Whole seconds, as GitHub's search syntax documents.
    const since = by.since.replace(/\.\d{3}Z$/, 'Z')
    const query = { owner, repo, event: by.event, created: `>=${since}`, per_page: 100, request: { signal } }
    const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
      by.workflow
        ? octokit.rest.actions.listWorkflowRuns({
            ...query,
            workflow_id: /^\d+$/.test(by.workflow) ? Number(by.workflow) : by.workflow
          })
        : octokit.rest.actions.listWorkflowRunsForRepo(query)
    )
    const run = readGithubReply(runListReply, data, what).workflow_runs.find((r) =>
      (r.display_title ?? '').includes(by.correlation)
    )
    return run ? toRun(run) : undefined
  }

  async getRun(owner: string, repo: string, id: number, signal: AbortSignal): Promise<WorkflowRun> {
    const what = `reading workflow run ${id} of ${owner}/${repo}`
    const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
      octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: id, request: { signal } })
    )
    return toRun(readGithubReply(runReply, data, what))
  }

  async cancelRun(owner: string, repo: string, id: number, signal: AbortSignal): Promise<void> {
    await this.call(`cancelling workflow run ${id} of ${owner}/${repo}`, '`actions: write`', signal, (octokit) =>
      octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: id, request: { signal } })
    )
  }
}

function toRun(run: z.infer<typeof runReply>): WorkflowRun {
  return {
    id: run.id,
    status: run.status ?? 'queued',
    conclusion: run.conclusion ?? null,
    htmlUrl: run.html_url,
    title: run.display_title ?? ''
  }
}

/** GitHub's own words from an error reply, one line. */
function githubMessage(error: OctokitError): string {
  const data = error.response?.data as { message?: unknown; errors?: unknown } | undefined
  return quoteServer(typeof data?.message === 'string' ? data.message : error.message)
}
