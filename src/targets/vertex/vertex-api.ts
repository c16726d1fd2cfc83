/**
 * The aiplatform.v1 REST calls the vertex target makes, each one request under the deadline: the
 * access token goes only to the configured endpoint (redirects are refused, not followed), a
 * server's words lose the token before they enter a message, and each refusal says what, whom,
 * Google's status and the fix: the IAM role for a 403, the token's life for a 401.
 */
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ResolvedVertex } from './resolve.js'

/** The fix for a refusal of this call, by HTTP status; the common ones below fill in the rest. */
export type Fixes = Partial<Record<number, string>>

/** Google's error body: {error: {code, message, status}} (google.rpc.Status with the code's name). */
export function googleError(reply: Reply): { message?: string; status?: string } {
  const error = (reply.json as { error?: { message?: unknown; status?: unknown } } | undefined)?.error
  return {
    ...(typeof error?.message === 'string' ? { message: error.message } : {}),
    ...(typeof error?.status === 'string' ? { status: error.status } : {})
  }
}

export class VertexApi {
  constructor(
    private readonly config: ResolvedVertex,
    private readonly clock: Clock
  ) {}

  get endpoint(): string {
    return this.config.endpoint
  }

  /** A server's text with the token gone, in one line. */
  quote(text: string): string {
    return quoteServer(redact(text, [this.config.token]))
  }

  /** The location's path, v1/projects/<project>/locations/<location>. */
  get parent(): string {
    return `v1/projects/${encodeURIComponent(this.config.project)}/locations/${encodeURIComponent(this.config.location)}`
  }

  /**
   * One call to `${endpoint}/${path}`; a reply with a status in `accept` is returned, anything else
   * is a TransientError (408, 429, 5xx, no answer) or a UserError naming what, whom and the fix.
   */
  async call(
    what: string,
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { body?: unknown; accept?: number[]; fixes?: Fixes } = {}
  ): Promise<Reply> {
    const reply = await fetchWithin(
      `${this.config.endpoint}/${path}`,
      {
        method,
        what: `${this.config.name}: ${what}`,
        check: `that endpoint (${this.config.endpoint}) is the Vertex AI API of ${this.config.location} and reachable from the runner`,
        redirect: 'error',
        // A job's jobDetail holds every task's artifacts; fields= keeps the reply to what is read.
        maxBytes: 8 * 1024 * 1024,
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          authorization: `Bearer ${this.config.token}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {})
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
      },
      signal
    )
    if ((options.accept ?? [200]).includes(reply.status)) return reply
    throw this.failure(what, method, reply, options.fixes ?? {})
  }

  private failure(what: string, method: string, reply: Reply, fixes: Fixes): UserError {
    const error = googleError(reply)
    const said = this.quote(error.message ?? reply.text)
    const url = new URL(reply.url)
    const message = `${this.config.name}: ${what}: ${method} ${url.host}${url.pathname} answered HTTP ${reply.status}${error.status ? ` ${error.status}` : ''}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const { project, serviceAccount } = this.config
    const forbidden = /iam\.serviceAccounts\.actAs/.test(error.message ?? '')
      ? `the identity the token stands for may not act as ${serviceAccount ?? 'the service account'}: grant it roles/iam.serviceAccountUser on that service account (gcloud iam service-accounts add-iam-policy-binding ${serviceAccount ?? '<service-account>'} --role roles/iam.serviceAccountUser --member <the identity>), or change service-account.`
      : /SERVICE_DISABLED|has not been used|is disabled/.test(error.message ?? '')
        ? `enable the Vertex AI API in project ${project} (gcloud services enable aiplatform.googleapis.com --project ${project}).`
        : `grant the identity the token stands for (the service account google-github-actions/auth impersonates, or the Workload Identity principal) roles/aiplatform.user on project ${project}, and check project and location.`
    const common: Fixes = {
      401: 'Google refused the access token: it expired (google-github-actions/auth gives one for access_token_lifetime, 1 hour by default: run the auth step right before this one, or raise access_token_lifetime), or the variable token names holds no access token (set token_format: access_token on the auth step and pass its access_token output).',
      403: forbidden,
      404: `nothing there: check project (${project}) and location (${this.config.location}), and that endpoint is that region's Vertex AI API.`
    }
    const fix =
      fixes[reply.status] ??
      common[reply.status] ??
      (reply.status >= 500 ? 'Vertex AI failed; try again later.' : "see Google's words.")
    return new UserError(`${message}. Fix: ${fix}`)
  }
}
