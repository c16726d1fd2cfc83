/**
 * The Prefect REST calls the target makes, each one request under the deadline: the Authorization
 * header goes only to the configured API root, redirects are not followed, a server's words lose
 * every secret before they enter a message, and each failure says what, whom and the fix.
 */
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ResolvedPrefect } from './resolve.js'

/** What a refusal means for this call: the fix per HTTP status, beside the common ones. */
export type Fixes = Partial<Record<number, string>>

export class PrefectApi {
  constructor(
    private readonly config: ResolvedPrefect,
    private readonly clock: Clock
  ) {}

  /** The API root, for messages and links. */
  get url(): string {
    return this.config.url
  }

  /** A server's text with every secret gone, in one line. */
  quote(text: string): string {
    return quoteServer(redact(text, this.config.secrets))
  }

  /**
   * One call; a reply with a status in `accept` is returned, anything else is a TransientError
   * (408, 429, 5xx, no answer) or a UserError naming `what`, the server, its words and the fix.
   */
  async call(
    what: string,
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { body?: unknown; accept?: number[]; fixes?: Fixes } = {}
  ): Promise<Reply> {
    const url = `${this.config.url}${path}`
    const reply = await fetchWithin(
      url,
      {
        method,
        what: `${this.config.name}: ${what}`,
        check: `that url (${this.config.url}) is the Prefect API root and reachable from the runner`,
        redirect: 'error',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.config.authorization ? { authorization: this.config.authorization } : {})
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
      },
      signal
    )
    if ((options.accept ?? [200]).includes(reply.status)) return reply
    throw this.failure(what, method, reply, options.fixes ?? {})
  }

  private failure(what: string, method: string, reply: Reply, fixes: Fixes): UserError {
    const detail = (reply.json as { detail?: unknown; exception_message?: unknown } | undefined) ?? {}
    const words =
      typeof detail.detail === 'string'
        ? detail.detail
        : typeof detail.exception_message === 'string'
          ? detail.exception_message
          : reply.text
    const said = this.quote(words)
    const message = `${this.config.name}: ${what}: ${method} ${reply.url} answered HTTP ${reply.status}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const common: Fixes = {
      401: this.config.authorization
        ? `the server refused the credentials: check the secret behind ${this.config.authorization.startsWith('Bearer') ? 'api-key (a Prefect Cloud API key)' : "auth-string (the server's PREFECT_SERVER_API_AUTH_STRING, user:password)"}.`
        : "the server needs credentials: set api-key: env:NAME (Prefect Cloud) or auth-string: env:NAME (a self-hosted server's user:password).",
      403: 'the key may not do this in that workspace: give its service account the Developer role (or one that may run deployments).',
      404: `nothing at that path: check url (${this.config.url}; a self-hosted server's ends in /api, a Cloud workspace's in /accounts/<id>/workspaces/<id>).`
    }
    const fix =
      fixes[reply.status] ??
      common[reply.status] ??
      (reply.status >= 500 ? 'the server failed; check its logs.' : "see the server's words.")
    return new UserError(`${message}. Fix: ${fix}`)
  }
}
