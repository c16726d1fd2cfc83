/**
 * The one GitHub client: @actions/github's Octokit, every request admitted by the process's request
 * budget (request-budget.ts: GitHub's published secondary limits, writes in bursts within them) and
 * inside the step's deadline with min(30 s, time left) of its own, and every failure sorted into
 * the three kinds callers act on: the deadline ran out (final), the answer was lost or GitHub asked
 * us to come back (transient, with its Retry-After), or GitHub refused (final, with the fix for
 * that status). Retries are the one policy of src/retry.ts: a read asks for them; a write leaves
 * them to its caller, who knows whether a second try is safe. A rate limit is waited out once, as
 * GitHub says: the failed call by that policy, every other call of the process by the budget's hold.
 *
 * Octokit is loaded only when a step really calls the API: importing @actions/github parses the
 * event file on the spot, and the client is most of the bundle.
 */
import type { getOctokit } from '@actions/github'
import type { z } from 'zod'
import { formatDuration, type Clock, type Deadline } from '../clock.js'
import { UserError, quoteServer, redact } from '../errors.js'
import { REQUEST_LIMIT_MS, deadlineError } from '../http/fetch-within.js'
import { hostOf, transportMessage } from '../http/transport.js'
import { checkUrl } from '../http/url.js'
import { RETRYABLE_STATUS, TransientError, retry, retryAfterMs } from '../retry.js'
import { USER_AGENT } from '../user-agent.js'
import { readGithubReply } from './replies.js'
import { OverBudget, budgetOf, type Bound, type RequestBudget } from './request-budget.js'

export type Octokit = ReturnType<typeof getOctokit>

const PERMISSIONS_DOC = 'the README, section Permissions'

export interface GitHubClientOptions {
  token: string
  /** The REST API root: GITHUB_API_URL (api.github.com, or https://HOST/api/v3 on GHES). */
  apiUrl: string
  deadline: Deadline
  clock: Clock
  log(message: string): void
}

export interface CallOptions {
  /** The permission a 403/404 most likely lacks, e.g. "`actions: read`". */
  permission: string
  /** Another way out, added to a permission error, e.g. "or add actions/checkout so git can answer". */
  otherwise?: string
  /**
   * What bounds this call: the step's deadline by default; a stop after the deadline passes its own
   * few seconds of grace. Octokit's request must carry the same signal (`request: { signal }`).
   */
  signal?: AbortSignal
  /** Retry lost answers, 5xx and rate limits under the one policy (reads; a write only where the caller made it safe). */
  retry?: boolean
}

interface OctokitError {
  status?: number
  message: string
  name?: string
  cause?: unknown
  response?: { headers?: Record<string, string | undefined>; data?: unknown }
}

/** GitHub answered and refused: final, with its status for callers that try another form (a 400). */
export class GitHubRefusal extends UserError {
  override name = 'GitHubRefusal'
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

/** The client of the job's own token, on the runner's API (GITHUB_API_URL), on the deadline's clock. */
export function jobClient(token: string, deadline: Deadline, log: (message: string) => void): GitHubClient {
  return new GitHubClient({
    token,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    deadline,
    clock: deadline.clock,
    log
  })
}

export class GitHubClient {
  readonly apiUrl: string
  private octokit?: Promise<Octokit>
  /** The process's budget for this API host, shared by every client of it. */
  private readonly budget: RequestBudget

  constructor(private readonly options: GitHubClientOptions) {
    this.apiUrl = checkUrl(options.apiUrl, 'GITHUB_API_URL').href.replace(/\/+$/, '')
    this.budget = budgetOf(options.clock, this.apiUrl)
  }

  /**
   * Resolves once a write could go at once (normally now: the process's write budget has room),
   * never past the deadline: a caller that reads what it will write from reads it then.
   */
  async writeRoom(): Promise<void> {
    const { clock, deadline } = this.options
    const wait = this.budget.writeWaitMs()
    if (wait > 0 && wait < deadline.remaining()) await clock.sleep(wait, deadline.signal)
  }

  /** github.com and GHE.com (data residency) take 25 dispatch inputs; GHES keeps 10. */
  get isGithubCom(): boolean {
    const host = new URL(this.apiUrl).hostname
    return host === 'api.github.com' || host.endsWith('.ghe.com')
  }

  private load(): Promise<Octokit> {
    this.octokit ??= (async () => {
      const github = await import('@actions/github')
      const { deadline } = this.options
      const octokit = github.getOctokit(this.options.token, {
        baseUrl: this.apiUrl,
        userAgent: USER_AGENT,
        request: {
          // Each request: its own 30 s and the call's bound (the step's deadline unless the caller gave one), whichever ends first.
          fetch: (url: string, init: RequestInit) =>
            fetch(url, {
              ...init,
              signal: AbortSignal.any([
                init.signal ?? deadline.signal,
                AbortSignal.timeout(
                  init.signal ? REQUEST_LIMIT_MS : Math.max(1, Math.min(REQUEST_LIMIT_MS, deadline.remaining()))
                )
              ])
            })
        }
      })
      // Every request, each page of a listing too, waits for its turn in the budget, never past its bound.
      octokit.hook.wrap('request', async (request, options) => {
        const signal = (options.request as { signal?: AbortSignal } | undefined)?.signal
        // A call with its own bound (a few seconds of grace past the deadline) waits at most until that ends.
        const bound: Bound =
          signal && signal !== deadline.signal ? { signal, remaining: () => REQUEST_LIMIT_MS } : deadline
        const release = await this.budget.admit(!['GET', 'HEAD'].includes(options.method), bound)
        try {
          return await request(options)
        } finally {
          release()
        }
      })
      return octokit
    })()
    return this.octokit
  }

  /** A reply checked against what the caller reads from it; the token is never quoted from it. */
  read<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
    return readGithubReply(schema, body, what, [this.options.token])
  }

  /** One REST call, described by `what` ("listing the files of pull request #7") in every error. */
  async call<T>(what: string, options: CallOptions, request: (octokit: Octokit) => Promise<T>): Promise<T> {
    const octokit = await this.load()
    const once = async () => {
      try {
        return await request(octokit)
      } catch (error) {
        throw this.failure(what, options, error as OctokitError)
      }
    }
    if (!options.retry) return once()
    return retry(once, {
      clock: this.options.clock,
      deadline: this.options.deadline,
      onRetry: (error, ms) => this.options.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
    })
  }

  /** The error for a failed call: deadline, not sent (over budget), transient (lost answer, 5xx, rate limit) or final with its fix. */
  private failure(what: string, options: CallOptions, error: OctokitError): Error {
    const bound = options.signal ?? this.options.deadline.signal
    const step = `GitHub API: ${what}`
    if (bound.aborted) return deadlineError(step, this.apiUrl, bound)
    if (error instanceof OverBudget)
      return new UserError(
        `${step}: not sent to ${hostOf(this.apiUrl)}: ${error.why}, so it could go only in ${formatDuration(error.waitMs)}, after the step's timeout (${formatDuration(this.options.deadline.remaining())} left). Fix: ${error.fix}.`
      )
    const check = `that GITHUB_API_URL (${this.apiUrl}) is right and reachable from the runner`
    if (error.response === undefined) {
      if (rootName(error) === 'TimeoutError' || rootName(error) === 'AbortError')
        return new TransientError(
          `${step}: ${hostOf(this.apiUrl)} did not answer within ${REQUEST_LIMIT_MS / 1000}s. Check ${check}.`
        )
      const message = transportMessage(step, this.apiUrl, error, check)
      // A port fetch refuses (bad port) or a request it cannot build is final: another try builds the same.
      return /port that fetch refuses|Invalid URL/.test(message) ? new UserError(message) : new TransientError(message)
    }
    const status = error.status ?? 0
    const said = redact(githubMessage(error), [this.options.token])
    const quoted = said ? `: ${said}` : ''
    const headers = error.response.headers ?? {}
    const limited = rateLimitWaitMs(status, headers, said)
    if (limited !== undefined) {
      // GitHub's "stop making requests temporarily": no call of this process goes before then; this one is retried by the policy.
      this.budget.hold(
        limited,
        `GitHub answered HTTP ${status} (rate limit) and asked to wait ${formatDuration(limited)}`
      )
      this.options.log(
        `GitHub API rate limit on ${what}: HTTP ${status}; GitHub asks to wait ${formatDuration(limited)}, so no call of this step goes before then.`
      )
      return new TransientError(
        `${step}: HTTP ${status}${quoted} (rate limit). GitHub asked to try again later; the action does, within timeout.`,
        limited
      )
    }
    if (RETRYABLE_STATUS.has(status))
      return new TransientError(
        `${step}: HTTP ${status}${quoted}. GitHub asked to try again later; the action does, within timeout.`,
        retryAfterMs(headers['retry-after'] ?? null, Date.now())
      )
    return new GitHubRefusal(`${step}: HTTP ${status}${quoted}. Fix: ${fixFor(status, options)}.`, status)
  }
}

/**
 * How long GitHub asks us to wait after a rate limit (403 or 429), as "Best practices for using the
 * REST API" says to (https://docs.github.com/en/rest/guides/best-practices-for-using-the-rest-api#handle-rate-limit-errors-appropriately):
 * `retry-after` seconds; else, with `x-ratelimit-remaining: 0`, until `x-ratelimit-reset` (epoch
 * seconds); else, for a secondary limit that gives neither, at least a minute. Undefined: not a rate limit.
 */
export function rateLimitWaitMs(
  status: number,
  headers: Record<string, string | undefined>,
  message: string,
  now = Date.now()
): number | undefined {
  if (status !== 403 && status !== 429) return undefined
  const retryAfter = retryAfterMs(headers['retry-after'] ?? null, now)
  if (retryAfter !== undefined) return retryAfter
  if (headers['x-ratelimit-remaining'] === '0') {
    const reset = Number(headers['x-ratelimit-reset'])
    return Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) : 60_000
  }
  if (/secondary rate limit/i.test(message) || status === 429) return 60_000
  return undefined
}

/** What to do about each refusal GitHub gives. */
function fixFor(status: number, options: CallOptions): string {
  const otherwise = options.otherwise ? `, ${options.otherwise}` : ''
  switch (status) {
    case 401:
      return `the token is invalid or expired: pass a valid token (see ${PERMISSIONS_DOC})`
    case 403:
    case 404:
      return `the token needs ${options.permission}${status === 404 ? ', or the repository or workflow does not exist (GitHub answers 404 when the token cannot see it)' : ''}${otherwise}. github.token reaches this repository only; for another one use a GitHub App token or a fine-grained token with that permission there (see ${PERMISSIONS_DOC})`
    case 409:
      return 'GitHub reported a conflict with the current state (for example an empty repository or a run that already ended); check the repository and try again'
    case 410:
      return 'the repository has Actions or this workflow disabled; enable it'
    case 422:
      return 'GitHub refused the request as invalid: check that the workflow has a workflow_dispatch trigger on that ref and declares the inputs sent (or, for repository_dispatch, the event type)'
    default:
      return "see GitHub's message; check the repository, workflow and ref"
  }
}

/** The name of the innermost cause: TimeoutError when our own 30 s ran out. */
function rootName(error: unknown): string | undefined {
  let current = error as { cause?: unknown; name?: string } | undefined
  for (let depth = 0; current?.cause && depth < 5; depth++) current = current.cause as typeof current
  return current?.name
}

/** GitHub's own words from an error reply, one line. */
function githubMessage(error: OctokitError): string {
  const data = error.response?.data as { message?: unknown } | undefined
  return quoteServer(typeof data?.message === 'string' ? data.message : error.message)
}
