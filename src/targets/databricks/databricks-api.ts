/**
 * The Jobs API 2.2 calls the databricks target makes, each one request under the step's deadline,
 * with the bearer token sent only to the API's origin (host, or endpoint), redirects refused. A
 * 408/425/429/5xx or a lost answer is transient; every other refusal names the workspace, the
 * call, Databricks' {error_code, message} and the fix.
 */
import type { z } from 'zod'
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { readReply } from '../../http/read-reply.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ResolvedDatabricks } from './resolve.js'
import type { WorkspaceToken } from './workspace-token.js'

/** The fix for a refusal of this call, by HTTP status or by Databricks' error_code. */
export type Fixes = Partial<Record<number | string, string>>

export class DatabricksApi {
  constructor(
    private readonly config: ResolvedDatabricks,
    /** The token as it is (token: env:NAME), or the source that mints and renews it. */
    private readonly bearer: string | WorkspaceToken,
    private readonly clock: Clock
  ) {}

  private get secrets(): string[] {
    const auth = this.config.auth
    return [
      ...(typeof this.bearer === 'string' ? [this.bearer] : this.bearer.secrets),
      ...(auth.kind === 'm2m' ? [auth.clientSecret] : [])
    ]
  }

  /** A server's text without any credential, in every encoding. */
  redact(text: string): string {
    return redact(text, this.secrets)
  }

  /** A 200's JSON object as `shape` says it is, or an error naming the field that is not (and no credential). */
  read<T>(shape: z.ZodType<T>, reply: Record<string, unknown>, what: string): T {
    return readReply(shape, reply, {
      server: `Databricks at ${new URL(this.config.api).host}`,
      what,
      secrets: this.secrets,
      fix: `check that host${this.config.api !== this.config.host ? ' (endpoint)' : ''} is the Databricks workspace URL (the API is at <host>/api/2.2), not a proxy answering for it`
    })
  }

  /**
   * One call to `${api}/api/2.2/jobs/${path}`; a 200's JSON object is returned, anything else is a
   * TransientError or a UserError naming `what`, the workspace, its words and the fix.
   */
  async call(
    what: string,
    method: 'GET' | 'POST',
    path: string,
    signal: AbortSignal,
    options: { query?: Record<string, string>; body?: unknown; fixes?: Fixes } = {}
  ): Promise<Record<string, unknown>> {
    const url = new URL(`${this.config.api}/api/2.2/jobs/${path}`)
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value)
    const token = typeof this.bearer === 'string' ? this.bearer : await this.bearer.get(signal)
    const reply = await fetchWithin(
      url,
      {
        method,
        what,
        check: `that host${this.config.api !== this.config.host ? ' (endpoint)' : ''} (${this.config.api}) is the workspace URL and reachable from the runner`,
        redirect: 'error',
        headers: {
          accept: 'application/json',
          'user-agent': USER_AGENT,
          authorization: `Bearer ${token}`,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {})
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {})
      },
      signal
    )
    if (reply.status === 200) {
      if (reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json))
        return reply.json as Record<string, unknown>
      throw new UserError(
        `${what}: ${url.host} answered 200 with ${quoteServer(redact(reply.text, this.secrets), 60)}, not a JSON object. Fix: set host to the workspace URL (the API is at <host>/api/2.2), not a sign-in page or a proxy.`
      )
    }
    throw this.refusal(what, reply, options.fixes ?? {})
  }

  /** Databricks' error_code and message, or the reply's text. */
  private refusal(what: string, reply: Reply, fixes: Fixes): UserError {
    const body = (reply.json ?? {}) as { error_code?: unknown; message?: unknown }
    const code = typeof body.error_code === 'string' ? body.error_code : undefined
    const words = code ? `${code}: ${typeof body.message === 'string' ? body.message : ''}` : reply.text
    const said = quoteServer(redact(words, this.secrets))
    const message = `${what}: HTTP ${reply.status} from ${new URL(reply.url).host}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const auth = this.config.auth
    const common: Fixes = {
      401:
        auth.kind === 'token'
          ? `the workspace did not accept the token in ${auth.from} (expired, revoked, or from another workspace); put a current personal access token there, or use a service principal (client-id with client-secret or oidc-audience), whose tokens the action mints and renews.`
          : `the workspace refused the token minted for service principal ${auth.clientId}; add the principal to this workspace (Settings > Identity and access) and check host.`,
      403: `the ${auth.kind === 'token' ? "token's user" : `service principal ${auth.clientId}`} lacks the permission: give it CAN MANAGE RUN on the job (the job's Permissions), and check the workspace's IP access list lets the runner in.`,
      RESOURCE_DOES_NOT_EXIST: 'nothing by that id in this workspace; check job and host.',
      404: 'nothing by that id in this workspace; check job and host.'
    }
    const fix =
      (code !== undefined ? fixes[code] : undefined) ??
      fixes[reply.status] ??
      (code !== undefined ? common[code] : undefined) ??
      common[reply.status] ??
      (reply.status >= 500
        ? "the service failed; see Databricks' status page and try again."
        : "see Databricks' words.")
    return new UserError(`${message}. Fix: ${fix}`)
  }
}
