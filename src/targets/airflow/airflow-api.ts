/**
 * The calls the airflow target makes to an Airflow 3 server (REST API v2), each one request under
 * the step's deadline, with the bearer token sent only to the configured base URL (redirects are
 * refused, not followed). A 408/425/429/5xx or a lost answer is transient; every other refusal
 * names the server, what was asked, what came back and the fix.
 */
import type { Clock } from '../../clock.js'
import { UserError, preview, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import { MintedToken } from './minted-token.js'

/** What to change for a refusal, by status; the caller's own words win over these. */
const FIXES: Record<number, string> = {
  403: 'this user may not do that, or the token is invalid or expired; give the user the permission (trigger and edit DAG runs, read XComs) or a fresh token.'
}

/** A 401's fix by how the action logs in: a platform's token is not the action's to renew. */
const UNAUTHORIZED = {
  token:
    "the server did not accept token (expired, or not valid for this server); the action cannot renew a platform's token: put a current one in the secret token names, or use username + password, whose token the action mints and renews.",
  login:
    'the server refused a token minted for username just now; check that username may use the API and that the auth manager takes tokens from /auth/token.',
  none: 'the server needs credentials; set token (env:NAME) or username + password (env:NAME).'
}

export class AirflowApi {
  /** Everything to redact from a server's words: the token, the password, each minted JWT. */
  private readonly secrets: (string | undefined)[]

  constructor(
    /** The web server's base URL, without a trailing slash. */
    readonly base: string,
    /** A platform's token (sent as it is), one the action minted (renewed on a 401), or none. */
    private readonly bearer: string | MintedToken | undefined,
    secrets: (string | undefined)[],
    private readonly clock: Clock,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.secrets = [...secrets]
  }

  /**
   * One request to `${base}${path}`; a transient failure is thrown, any other reply returned.
   * A 401 for a minted token (it expired during a long wait) mints a new one and tries once more.
   */
  async send(what: string, method: string, path: string, signal: AbortSignal, body?: unknown): Promise<Reply> {
    const token = this.bearer instanceof MintedToken ? await this.bearer.get() : this.bearer
    if (token && !this.secrets.includes(token)) this.secrets.push(token)
    let reply = await this.request(what, method, path, signal, token, body)
    if (reply.status === 401 && token && this.bearer instanceof MintedToken) {
      const fresh = await this.bearer.renew(token, signal)
      this.secrets.push(fresh)
      this.log(
        `${what}: the server refused the token minted at ${this.base}/auth/token (HTTP 401, expired); minted a new one and trying once more.`
      )
      reply = await this.request(what, method, path, signal, fresh, body)
    }
    if (RETRYABLE_STATUS.has(reply.status)) throw this.refusal(what, reply)
    return reply
  }

  private async request(
    what: string,
    method: string,
    path: string,
    signal: AbortSignal,
    token: string | undefined,
    body?: unknown
  ): Promise<Reply> {
    return fetchWithin(
      `${this.base}${path}`,
      {
        method,
        what,
        check: 'that url is the Airflow web server and is reachable from the runner',
        redirect: 'error',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {})
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {})
      },
      signal
    )
  }

  /** A 200's JSON object; anything else (a sign-in page, a proxy's HTML) means url is not the Airflow API. */
  object(what: string, reply: Reply): Record<string, unknown> {
    if (reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json))
      return reply.json as Record<string, unknown>
    throw new UserError(
      `${what}: ${hostPath(reply.url)} answered HTTP ${reply.status} with ${preview(redact(reply.text, this.secrets).slice(0, 60))}, not a JSON object. Fix: set url to the Airflow 3 web server's base URL (the API is at <url>/api/v2).`
    )
  }

  /** The error for a reply the caller did not expect: what, whom, what came back, and the fix. */
  refusal(what: string, reply: Reply, fixes: Record<number, string> = {}): UserError {
    const said = quoteServer(redact(withoutToken(serverWords(reply)), this.secrets))
    const message = `${what}: HTTP ${reply.status} from ${hostPath(reply.url)}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const kind = this.bearer instanceof MintedToken ? 'login' : this.bearer ? 'token' : 'none'
    const fix =
      fixes[reply.status] ??
      (reply.status === 401 ? UNAUTHORIZED[kind] : undefined) ??
      FIXES[reply.status] ??
      (reply.status >= 500 ? "the server failed; check the API server's log." : 'see the message.')
    return new UserError(`${message}. Fix: ${fix}`)
  }
}

/** A token minted at /auth/token (simple, FAB and Keycloak auth managers): 201 {access_token}. */
export async function mintToken(
  base: string,
  username: string,
  password: string,
  signal: AbortSignal,
  clock: Clock
): Promise<string> {
  const api = new AirflowApi(base, undefined, [password], clock)
  const what = `logging in to Airflow at ${base} as ${username}`
  const reply = await api.send(what, 'POST', '/auth/token', signal, { username, password })
  const token = (reply.json as { access_token?: unknown } | undefined)?.access_token
  if ((reply.status === 200 || reply.status === 201) && typeof token === 'string' && token) return token
  throw api.refusal(what, reply, {
    401: `the server refused ${username}'s password; check username and the variable password names.`,
    404: `no /auth/token under ${base}: the URL may not be an Airflow 3 web server (Airflow 2's /api/v1 is not supported), or the platform issues tokens itself (use token: env:NAME).`,
    405: `no /auth/token under ${base}: the URL may not be an Airflow 3 web server, or the platform issues tokens itself (use token: env:NAME).`,
    200: 'the server answered without an access_token; check that url is the Airflow web server.',
    201: 'the server answered without an access_token; check that url is the Airflow web server.'
  })
}

/** FastAPI's detail (a string, or a list of {loc, msg}), else the reply's text. */
function serverWords(reply: Reply): string {
  const detail = (reply.json as { detail?: unknown } | undefined)?.detail
  if (typeof detail === 'string') return detail
  if (Array.isArray(detail))
    return detail
      .map((entry: unknown) => {
        if (entry === null || typeof entry !== 'object') return String(entry)
        const item = entry as { loc?: unknown; msg?: unknown }
        return Array.isArray(item.loc) ? `${item.loc.join('.')}: ${String(item.msg)}` : String(item.msg)
      })
      .join('; ')
  if (detail && typeof detail === 'object' && typeof (detail as { reason?: unknown }).reason === 'string')
    return (detail as { reason: string }).reason
  return reply.text
}

/** A login's reply quoted without its token: refused with another status or cut short, it is a credential all the same. */
function withoutToken(words: string): string {
  return words.replace(/("access_token"\s*:\s*")(?:[^"\\]|\\.)*"?/g, '$1***"')
}

/** The host and path a reply came from, without a query. */
function hostPath(url: string): string {
  const parsed = new URL(url)
  return `${parsed.host}${parsed.pathname}`
}
