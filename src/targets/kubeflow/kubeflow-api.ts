/**
 * The Kubeflow Pipelines REST calls (v2beta1) the target makes, each one request under the
 * deadline: the bearer token goes only to the configured endpoint, a redirect is not followed (in
 * front of Kubeflow it is a sign-in proxy, IAP or Dex, that did not take the token), a server's
 * words (google.rpc.Status {code, message}) lose every secret before they enter a message, and
 * each failure says what, whom and the fix.
 */
import type { Clock } from '../../clock.js'
import { UserError, preview, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ResolvedKubeflow } from './resolve.js'

/** What a refusal means for this call: the fix per HTTP status, beside the common ones. */
export type Fixes = Partial<Record<number, string>>

export const API = '/apis/v2beta1'

export class KubeflowApi {
  constructor(
    private readonly config: ResolvedKubeflow,
    private readonly clock: Clock
  ) {}

  /** The endpoint, for messages and links. */
  get base(): string {
    return this.config.base
  }

  /** A server's text with the token gone, in one line. */
  quote(text: string): string {
    return quoteServer(redact(text, [this.config.token]))
  }

  /**
   * One call to `${base}/apis/v2beta1${path}`; a 200 with a JSON object is returned, anything else
   * is a TransientError (408, 429, 5xx, no answer) or a UserError naming `what`, the server, its
   * words and the fix.
   */
  async call(
    what: string,
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { body?: unknown; fixes?: Fixes } = {}
  ): Promise<Record<string, unknown>> {
    const url = `${this.config.base}${API}${path}`
    const reply = await fetchWithin(
      url,
      {
        method,
        what: `${this.config.name}: ${what}`,
        check: `that url (${this.config.base}) is the Kubeflow Pipelines endpoint and reachable from the runner`,
        // Read, never followed: the token stays on the endpoint it was given for.
        redirect: 'manual',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(this.config.token ? { authorization: `Bearer ${this.config.token}` } : {})
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
      },
      signal
    )
    if (reply.status === 200) {
      if (reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json))
        return reply.json as Record<string, unknown>
      throw new UserError(
        `${this.config.name}: ${what}: ${method} ${hostPath(reply.url)} answered HTTP 200 with ${preview(this.quote(reply.text).slice(0, 60))}, not a JSON object. Fix: set url to the Kubeflow Pipelines endpoint (the API is at <url>${API}); a sign-in page means the proxy in front did not take the token.`
      )
    }
    throw this.failure(what, method, reply, options.fixes ?? {})
  }

  private failure(what: string, method: string, reply: Reply, fixes: Fixes): UserError {
    const message = `${this.config.name}: ${what}: ${method} ${hostPath(reply.url)} answered HTTP ${reply.status}`
    if (reply.status >= 300 && reply.status < 400) {
      const location = reply.headers.get('location')
      const where = location ? ` to ${originOf(location, reply.url)}` : ''
      return new UserError(
        `${message}, a redirect${where} that the action does not follow, so the token stays on ${this.config.base}. Fix: ${this.config.token ? 'the proxy in front of Kubeflow (IAP, Dex/oauth2-proxy) did not accept token as a bearer token: give it one that proxy takes (an IAP ID token for its OAuth client, a Dex ID token), or' : 'set token: env:NAME to a bearer token the proxy in front of Kubeflow takes, or'} point url at the final address.`
      )
    }
    const status = reply.json as { message?: unknown; error?: unknown } | undefined
    const words =
      typeof status?.message === 'string' && status.message
        ? status.message
        : typeof status?.error === 'string'
          ? status.error
          : reply.text
    const said = this.quote(words)
    const full = `${message}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(full, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const common: Fixes = {
      401: this.config.token
        ? 'the server (or the proxy in front of it) did not accept token: it is expired or for another audience; issue a fresh one (a service account token with audience pipelines.kubeflow.org, an IAP or Dex ID token) into the secret token names.'
        : 'the server needs credentials: set token: env:NAME to a bearer token the deployment accepts.',
      403: `the token's identity may not do this${this.config.namespace ? ` in namespace ${this.config.namespace}` : ''}: in multi-user Kubeflow, bind it to the profile (a RoleBinding to kubeflow-edit, or a contributor added to the profile) so it may get and list pipelines and experiments and create, get, list and terminate runs.`,
      404: `nothing at that path: check url (${this.config.base}; the API must be at <url>${API}, Kubeflow Pipelines 2.x).`
    }
    const fix =
      fixes[reply.status] ??
      common[reply.status] ??
      (reply.status >= 500 ? "the server failed; check the ml-pipeline API server's log." : "see the server's words.")
    return new UserError(`${full}. Fix: ${fix}`)
  }
}

/** The host and path a reply came from, without a query. */
function hostPath(url: string): string {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname}`
}

/** Where a redirect points, without its path and query (they may carry a sign-in state). */
function originOf(location: string, base: string): string {
  try {
    return new URL(location, base).origin
  } catch {
    return 'an unreadable Location'
  }
}
