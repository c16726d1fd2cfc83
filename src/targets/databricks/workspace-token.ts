/**
 * A workspace access token the action mints at <api>/oidc/v1/token, as Databricks documents it:
 * OAuth M2M (grant_type client_credentials, HTTP Basic with the service principal's client id and
 * secret) or GitHub OIDC federation (the job's GitHub ID token, from ACTIONS_ID_TOKEN_REQUEST_URL,
 * exchanged with grant_type token-exchange and the service principal's client_id); scope all-apis
 * either way. Each token is masked when it arrives and minted again before expires_in runs out,
 * so a long wait never meets a 401. Targets of one workspace and principal share one.
 */
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin } from '../../http/fetch-within.js'
import { checkUrl } from '../../http/url.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import { headerSafe } from '../resolve-context.js'
import type { DatabricksAuth } from './resolve.js'

type Minting = Exclude<DatabricksAuth, { kind: 'token' }>

/** The longest life a minted token is taken to have, whatever expires_in says. */
const MAX_LIFE_S = 24 * 3600

/** Where the runner's GitHub ID token comes from: the two variables a job with id-token: write has. */
export interface IdTokenSource {
  url?: string
  token?: string
}

export class WorkspaceToken {
  private current?: { token: Promise<string>; refreshAt: number }
  /** Every secret this source holds or minted, for redacting a server's words. */
  readonly secrets: string[] = []

  constructor(
    private readonly target: string,
    private readonly api: string,
    private readonly auth: Minting,
    private readonly idTokens: IdTokenSource,
    private readonly clock: Clock,
    private readonly mask: (secret: string) => void
  ) {
    if (auth.kind === 'm2m') this.secrets.push(auth.clientSecret)
    if (idTokens.token) {
      this.mask(idTokens.token)
      this.secrets.push(idTokens.token)
    }
  }

  /** A token with time left; a fresh one once 80 % of the last one's life (at most a minute before its end) has passed. */
  get(signal: AbortSignal): Promise<string> {
    if (this.current && this.clock.now() < this.current.refreshAt) return this.current.token
    const started = this.clock.now()
    const minting = this.mint(signal).then(({ token, expiresInS }) => {
      const margin = Math.min(60, expiresInS / 5)
      if (this.current?.token === minting) this.current.refreshAt = started + (expiresInS - margin) * 1000
      return token
    })
    this.current = { token: minting, refreshAt: Number.POSITIVE_INFINITY }
    // A failed mint is not kept: the next call (the executor's retry) mints again.
    minting.catch(() => {
      if (this.current?.token === minting) this.current = undefined
    })
    return minting
  }

  private async mint(signal: AbortSignal): Promise<{ token: string; expiresInS: number }> {
    const url = `${this.api}/oidc/v1/token`
    const form = new URLSearchParams({ scope: 'all-apis' })
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': USER_AGENT,
      'content-type': 'application/x-www-form-urlencoded'
    }
    let what: string
    if (this.auth.kind === 'm2m') {
      what = `${this.target}: getting a workspace token for service principal ${this.auth.clientId} (OAuth M2M) at ${url}`
      form.set('grant_type', 'client_credentials')
      const basic = Buffer.from(`${this.auth.clientId}:${this.auth.clientSecret}`, 'utf8').toString('base64')
      this.mask(basic)
      this.secrets.push(basic)
      headers.authorization = `Basic ${basic}`
    } else {
      what = `${this.target}: exchanging the job's GitHub ID token for a workspace token of service principal ${this.auth.clientId} at ${url}`
      form.set('grant_type', 'urn:ietf:params:oauth:grant-type:token-exchange')
      form.set('subject_token_type', 'urn:ietf:params:oauth:token-type:jwt')
      form.set('client_id', this.auth.clientId)
      form.set('subject_token', await this.githubIdToken(this.auth.audience, signal))
    }
    const reply = await fetchWithin(
      url,
      {
        method: 'POST',
        what,
        check: 'that host (or endpoint) is the workspace URL and reachable from the runner',
        redirect: 'error',
        headers,
        body: form.toString()
      },
      signal
    )
    const body = (reply.json ?? {}) as {
      access_token?: unknown
      expires_in?: unknown
      error?: unknown
      error_description?: unknown
    }
    if (reply.status === 200 && typeof body.access_token === 'string' && body.access_token) {
      this.mask(body.access_token)
      this.secrets.push(body.access_token)
      const token = headerSafe(this.target, `the token minted at ${url}`, body.access_token)!
      // A life past a day (1e400 is Infinity) would never be renewed: Databricks' tokens live an hour.
      const expiresInS =
        typeof body.expires_in === 'number' && body.expires_in > 0 ? Math.min(body.expires_in, MAX_LIFE_S) : 3600
      return { token, expiresInS }
    }
    // Only OAuth's error words are quoted: the body itself may hold a token (cut short, or under another status).
    const said = quoteServer(
      redact([body.error, body.error_description].filter((w) => typeof w === 'string').join(': '), [
        ...this.secrets,
        ...(typeof body.access_token === 'string' ? [body.access_token] : [])
      ])
    )
    const message = `${what}: HTTP ${reply.status}${said ? `: ${said}` : unquoted(reply.text)}`
    if (RETRYABLE_STATUS.has(reply.status))
      throw new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const fix =
      this.auth.kind === 'm2m'
        ? `check client-id (the service principal's application id) and the OAuth secret in ${this.auth.from} (Settings > Identity and access > Service principals > Secrets; a secret expires), and that the principal is in this workspace.`
        : `check client-id (the service principal's application id), that its federation policy trusts issuer https://token.actions.githubusercontent.com with audience ${this.auth.audience} and this job's subject (repo:<owner>/<repo>:ref:… or :environment:…), and that the principal is in this workspace.`
    throw new UserError(`${message}. Fix: ${fix}`)
  }

  /** The job's GitHub ID token for `audience`, asked of ACTIONS_ID_TOKEN_REQUEST_URL only. */
  private async githubIdToken(audience: string, signal: AbortSignal): Promise<string> {
    const what = `${this.target}: getting the job's GitHub ID token (audience ${audience}) for OIDC federation`
    if (!this.idTokens.url || !this.idTokens.token)
      throw new UserError(
        `${what}: ACTIONS_ID_TOKEN_REQUEST_URL is not set, so this job cannot get one. Fix: give the job permissions: id-token: write (a pull request from a fork never gets it; use client-secret there).`
      )
    const url = checkUrl(this.idTokens.url, 'ACTIONS_ID_TOKEN_REQUEST_URL')
    url.searchParams.set('audience', audience)
    const reply = await fetchWithin(
      url,
      {
        method: 'GET',
        what,
        check: "that the runner reaches GitHub's token service",
        redirect: 'error',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          authorization: `Bearer ${this.idTokens.token}`
        }
      },
      signal
    )
    const value = (reply.json as { value?: unknown } | undefined)?.value
    if (reply.status === 200 && typeof value === 'string' && value) {
      this.mask(value)
      this.secrets.push(value)
      return value
    }
    const said = (reply.json as { message?: unknown } | undefined)?.message
    const message = `${what}: HTTP ${reply.status} from ${url.host}${typeof said === 'string' && said ? `: ${quoteServer(redact(said, this.secrets))}` : unquoted(reply.text)}`
    if (RETRYABLE_STATUS.has(reply.status))
      throw new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    throw new UserError(`${message}. Fix: give the job permissions: id-token: write.`)
  }
}

/** A token service's reply without its error words: its length only, since the body may hold a token. */
function unquoted(text: string): string {
  return text
    ? ` with no error message (a body of ${text.length} characters, not shown: it may hold a token)`
    : ' with an empty body'
}
