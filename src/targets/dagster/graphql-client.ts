/**
 * One GraphQL exchange with a Dagster webserver, under the step's deadline (fetchWithin), and the
 * reading of its answer. Dagster says most refusals as HTTP 200 with a union member's __typename
 * (PipelineNotFoundError, RunConfigValidationInvalid, …): each is named, with its fix. A query the
 * server cannot read is HTTP 400 with `errors`. Only a PythonError (the server failed), a 5xx or a
 * lost answer is transient; everything else is final.
 */
import type { z } from 'zod'
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { hostOf } from '../../http/transport.js'
import { readReply } from '../../http/read-reply.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import { envelope, member } from './replies.js'

export interface DagsterServer {
  /** The target's name in the config, for messages. */
  name: string
  /** The webserver's base URL, without a trailing slash. */
  base: string
  apiToken?: string
  /** Dagster+: the deployment, which it selects by the Dagster-Cloud-Deployment header. */
  deployment?: string
}

/** The fix for each refusal a union can answer with; a caller may say more (the jobs the server has). */
const FIXES: Record<string, string> = {
  PipelineNotFoundError: 'check location, repository (default __repository__) and job in the target',
  UnauthorizedError:
    "the token may not do this: give api-token's user or agent the Launcher role (or higher) in Dagster+",
  RunNotFoundError:
    'the run is not on this server: check url (another deployment or instance?), or whether the run was deleted',
  InvalidSubsetError: 'check job and run-config',
  PresetNotFoundError: 'check job and run-config',
  ConflictingExecutionParamsError: 'check run-config',
  NoModeProvidedError: 'check job',
  InvalidStepError: 'check job and run-config',
  InvalidOutputError: 'check job and run-config',
  RunConflict: 'a run with this id exists already; run the job again with another trigger'
}

/** A result union's member: which one, its error message ('' for none), and the object to read. */
export interface Member {
  typename: string
  message: string
  value: unknown
}

export class DagsterGraphql {
  readonly endpoint: URL

  constructor(
    private readonly server: DagsterServer,
    private readonly clock: Clock
  ) {
    this.endpoint = new URL(`${server.base}/graphql`)
  }

  /** The server's words, with the token gone in every encoding, cut to one line. */
  quote(text: string, max = 300): string {
    return quoteServer(redact(text, [this.server.apiToken]), max)
  }

  /**
   * Sends one operation and returns the union member at `field` of its data: its __typename and
   * the object, checked to be a member (with a message where it is an error).
   */
  async field(
    query: string,
    variables: Record<string, unknown>,
    field: string,
    what: string,
    signal: AbortSignal,
    limitMs?: number
  ) {
    const [answer] = await this.fields(query, variables, [field] as const, what, signal, limitMs)
    return answer
  }

  /** The same for several fields of one operation (prepare asks two questions in one request), in their order. */
  async fields<const Fields extends readonly string[]>(
    query: string,
    variables: Record<string, unknown>,
    fields: Fields,
    what: string,
    signal: AbortSignal,
    limitMs?: number
  ): Promise<{ [K in keyof Fields]: Member }> {
    const reply = await this.post(query, variables, what, signal, limitMs)
    const body = this.read(envelope, reply.json ?? reply.text, what)
    return fields.map((field) => {
      const value = body.data?.[field]
      if (value === undefined || value === null) throw this.queryRefused(what, body.errors ?? [], reply)
      const { __typename, message } = this.read(member, value, `${what} (${field})`)
      return { typename: __typename, message: message ?? '', value }
    }) as { [K in keyof Fields]: Member }
  }

  /** A member the caller expects, read whole: its fields as `schema` says, or a final error naming the field. */
  read<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
    return readReply(schema, value, {
      server: `Dagster webserver ${hostOf(this.endpoint)}`,
      what,
      secrets: [this.server.apiToken],
      fix: `check that url points at the Dagster webserver itself (its GraphQL API at ${this.endpoint.href}, Dagster 1.x), not a proxy or a login page in front of it`
    })
  }

  /** A member the caller did not expect: a transient PythonError, or a refusal with its fix. */
  refused(what: string, typename: string, message: string, fix?: string): UserError {
    const said = `${what}: Dagster webserver ${hostOf(this.endpoint)} answered ${typename}${message ? `: ${this.quote(message, 700)}` : ''}`
    if (typename === 'PythonError')
      return new TransientError(
        `${said}. If it persists, check the webserver's log and that the code location loads (Deployment page of the UI).`
      )
    return new UserError(
      `${said}. Fix: ${fix ?? (Object.hasOwn(FIXES, typename) ? FIXES[typename] : undefined) ?? "see the message; this action speaks Dagster 1.x's GraphQL API"}.`
    )
  }

  /** @param limitMs this request's own limit (fetchWithin's, default 30 s); Infinity leaves only the deadline. */
  private async post(
    query: string,
    variables: Record<string, unknown>,
    what: string,
    signal: AbortSignal,
    limitMs: number | undefined
  ) {
    const reply = await fetchWithin(
      this.endpoint,
      {
        method: 'POST',
        body: JSON.stringify({ query, variables }),
        limitMs,
        what,
        check: `that url (${this.server.base}) is the Dagster webserver and reachable from the runner`,
        // The token goes to this origin only: a redirect is refused, not followed.
        redirect: 'error',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          ...(this.server.apiToken ? { 'dagster-cloud-api-token': this.server.apiToken } : {}),
          ...(this.server.deployment ? { 'dagster-cloud-deployment': this.server.deployment } : {})
        }
      },
      signal
    )
    if (reply.status === 200 || reply.status === 400) return reply
    const said = `${what}: HTTP ${reply.status} from ${reply.url}${reply.text ? `: ${this.quote(reply.text)}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      throw new TransientError(said, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    const fixes: Record<number, string> = {
      401: this.server.apiToken
        ? 'the token was refused: check that api-token holds a valid Dagster+ user or agent token for this deployment'
        : 'the server wants a token: set api-token: env:NAME (Dagster+: a user or agent token)',
      403: "the token may not do this: check api-token's role in Dagster+ (Launcher or higher) and the deployment in url",
      404: `nothing at ${reply.url}: url is the webserver's base (http://host:3000, or https://<org>.dagster.cloud/<deployment>), without /graphql`
    }
    throw new UserError(`${said}. Fix: ${fixes[reply.status] ?? 'check url and the webserver'}.`)
  }

  /** HTTP 400, or 200 without the field: the server could not run the operation. */
  private queryRefused(what: string, errors: { message: string }[], reply: Reply): UserError {
    const said = errors.map((error) => this.quote(error.message)).join('; ') || 'no data and no error'
    return new UserError(
      `${what}: Dagster webserver ${hostOf(this.endpoint)} refused the GraphQL operation (HTTP ${reply.status}): ${said}. Fix: this action speaks the GraphQL API of Dagster 1.13; check the server's version at ${this.server.base}/server_info.`
    )
  }
}
