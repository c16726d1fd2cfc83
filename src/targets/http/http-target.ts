/**
 * The `http` target: a custom trigger API (the tutorial's FastAPI `POST /trigger`), a Lambda
 * behind API Gateway, or a ZenML pipeline deployment (preset `zenml-deployment`).
 * - start: one signed JSON POST (X-Signature-256 over "<timestamp>.<body>") with an
 *   Idempotency-Key, so the executor may retry a lost answer without a second run.
 * - 200/201: the outcome is in the reply. 202: the run was accepted; status() reads the status URL
 *   (Location, or a body field), with If-None-Match when the server sent an ETag.
 * - Keys go only to the configured origin: redirects and status URLs elsewhere are refused.
 * - follow(runId): with status-url (a template with {run_id}), a later pass asks about a run by the
 *   id its check run kept; nothing else is kept, since a status URL the server gave may carry a key.
 */
import { randomUUID } from 'node:crypto'
import { realClock, type Clock } from '../../clock.js'
import type { ResolvedHttp } from './resolve.js'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import type { RunState } from '../../core/run-state.js'
import { UserError, quoteServer, redact, redactDeep } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { signature } from '../../http/sign.js'
import { checkUrl, serverGivenUrl } from '../../http/url.js'
import { renderTemplate } from '../../core/placeholders.js'
import type { RunRequest } from '../../core/run-request.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import { statusFromWord } from '../status-words.js'
import type { RunHandle, Target } from '../target.js'

const MAX_REDIRECTS = 3

interface HttpHandle extends RunHandle {
  statusUrl?: URL
  /** The status URL came from the status-url template, not from the server's reply. */
  fromTemplate?: boolean
  /** The last ETag and the state it described: a 304 means nothing changed. */
  etag?: string
  last?: RunState
  /** The metrics field of the last reply that said how the run stands. */
  metrics?: unknown
}

export function renderBody(template: Record<string, unknown>, request: RunRequest): unknown {
  const values = { pipeline: request.pipelineName, run_name: request.runName, idempotency_key: request.idempotencyKey }
  const render = (value: unknown): unknown => {
    if (value === '{parameters}') return request.parameters
    if (typeof value === 'string') return renderTemplate(value, values, 'http-body')
    if (Array.isArray(value)) return value.map(render)
    if (value !== null && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]))
    return value
  }
  return render(template)
}

function field(json: unknown, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (node, key) =>
        node !== null && typeof node === 'object' && Object.hasOwn(node, key)
          ? (node as Record<string, unknown>)[key]
          : undefined,
      json
    )
}

const handleIds = (handle: RunHandle): Pick<RunState, 'runId' | 'runUrl'> => ({
  ...(handle.runId ? { runId: handle.runId } : {}),
  ...(handle.runUrl ? { runUrl: handle.runUrl } : {})
})

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined

/** The chain guard's context as a header value: ASCII-only JSON, since header values are bytes. */
const asciiJson = (value: unknown): string =>
  JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

export class HttpTarget implements Target<HttpHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts: boolean
  readonly cancelOnTimeout = false
  /** Only with status-url: without it a run id alone cannot be asked about (see Target.follow). */
  readonly follow?: (runId: string) => HttpHandle
  /** A ZenML deployment runs the pipeline inside the POST: the answer may take the whole deadline. */
  private readonly synchronous: boolean
  private saidNoRunId = false

  constructor(
    private readonly config: ResolvedHttp,
    private readonly clock: Clock = realClock,
    private readonly log: (message: string) => void = () => undefined
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.synchronous = config.preset === 'zenml-deployment'
    // A trigger API dedupes by Idempotency-Key; a ZenML deployment ignores it, so a lost answer is never retried there.
    this.dedupesStarts = !this.synchronous
    if (config.statusUrl) this.follow = (runId) => this.followById(runId)
  }

  private followById(runId: string): HttpHandle {
    const statusUrl = this.statusUrlOf(runId)
    if (!statusUrl)
      throw new UserError(
        `${this.config.name}: ${JSON.stringify(runId)} is not a run id status-url can name, so the run cannot be followed.`
      )
    return { runId, statusUrl, fromTemplate: true }
  }

  /** status-url with the run id filled in, URI-encoded: it stays one path segment or query value on the trigger's origin. */
  private statusUrlOf(runId: string): URL | undefined {
    // "." and ".." would be dot segments: the URL would name another path than the run's.
    if (!this.config.statusUrl || runId === '.' || runId === '..') return undefined
    return new URL(renderTemplate(this.config.statusUrl, { run_id: encodeURIComponent(runId) }, 'status-url'))
  }

  /** A server's text, with the key and signing secret gone in every encoding, then cut to one line. */
  private redact(value: string): string {
    return quoteServer(redact(value, [this.config.apiKey, this.config.signingSecret]))
  }

  private authHeaders(): Record<string, string> {
    const key = this.config.apiKey
    if (!key) return {}
    return this.config.apiKeyHeader.toLowerCase() === 'authorization'
      ? { authorization: `Bearer ${key}` }
      : { [this.config.apiKeyHeader]: key }
  }

  start(request: RunRequest, signal: AbortSignal): Promise<HttpHandle> {
    return this.withoutSecrets(() => this.post(request, signal))
  }

  status(handle: HttpHandle, signal: AbortSignal): Promise<RunState> {
    return this.withoutSecrets(() => this.poll(handle, signal))
  }

  /** The metrics field of the final reply; a value that carries the key or secret loses it. */
  metrics(handle: HttpHandle): Promise<MetricsReading> {
    const secrets = [this.config.apiKey, this.config.signingSecret]
    return Promise.resolve(
      readMetrics(
        redactDeep(handle.metrics, secrets),
        `the field ${this.config.metricsField} of ${this.config.name}'s reply`
      )
    )
  }

  /**
   * A URL the server gave (a Location, a status URL, a redirect) may carry the key, and errors
   * quote URLs: every error leaves here with the key and signing secret gone, in every encoding.
   */
  private async withoutSecrets<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call()
    } catch (error) {
      if (error instanceof Error) error.message = redact(error.message, [this.config.apiKey, this.config.signingSecret])
      throw error
    }
  }

  private async post(request: RunRequest, signal: AbortSignal): Promise<HttpHandle> {
    const body = JSON.stringify(renderBody(this.config.body, request))
    const timestamp = Math.floor(this.clock.now() / 1000)
    const what = `${this.config.name}: starting ${request.pipelineName} (POST)`
    const reply = await this.send(
      what,
      'POST',
      this.config.url,
      signal,
      body,
      this.synchronous ? Infinity : undefined,
      {
        'content-type': 'application/json',
        'idempotency-key': request.idempotencyKey,
        'x-request-id': randomUUID(),
        // For a receiver that triggers further pipelines (chain guard).
        'x-pipeline-context': asciiJson(request.chain),
        ...(this.config.signingSecret
          ? {
              'x-signature-256': signature(this.config.signingSecret, timestamp, body),
              'x-signature-timestamp': String(timestamp)
            }
          : {})
      }
    )
    const ids = this.runIds(reply.json)
    if (reply.status !== 200 && reply.status !== 201 && reply.status !== 202) throw this.failure(reply)
    const outcome = this.outcome(reply.json)
    // 200/201 mean done, unless the reply says the run is still going (e.g. a repeated Idempotency-Key).
    if (reply.status !== 202 && outcome.status !== 'running') {
      const metrics = field(reply.json, this.config.metricsField)
      return { ...ids, settled: { ...ids, ...outcome }, ...(metrics !== undefined ? { metrics } : {}) }
    }
    if (!ids.runId && this.config.statusUrl) this.sayNoRunId(request.pipelineName)
    const header = reply.headers.get('location')
    const location = header ?? text(field(reply.json, this.config.statusUrlField))
    const templated = !location && ids.runId ? this.statusUrlOf(ids.runId) : undefined
    if (templated) return { ...ids, statusUrl: templated, fromTemplate: true }
    if (!location) {
      return {
        ...ids,
        settled: {
          status: 'running',
          ...ids,
          message: `accepted (HTTP ${reply.status}) without a status URL (Location header or ${this.config.statusUrlField})${this.config.statusUrl ? ' or a run id for status-url' : ''}, so the action cannot follow it`
        }
      }
    }
    return {
      ...ids,
      statusUrl: serverGivenUrl(
        location,
        reply.url,
        header !== null ? 'a Location header' : `a status URL (${this.config.statusUrlField})`
      )
    }
  }

  /** A run left going without a run id cannot be asked about later: said once for this target, not for every run. */
  private sayNoRunId(pipeline: string): void {
    if (this.saidNoRunId) return
    this.saidNoRunId = true
    this.log(
      `${this.config.name}: the trigger API accepted ${pipeline} without a run id (${this.config.runIdField ?? 'run_id, then id'} in its reply), so status-url cannot name the run: a later pass (reconcile, a callback, a re-run of the job) cannot ask about it. Fix: make the reply carry the run's id, or set run-id-field.`
    )
  }

  /** A synchronous reply's outcome: a ZenML deployment says success true/false; other APIs may name a failure. */
  private outcome(json: unknown): Pick<RunState, 'status' | 'message'> {
    if (this.config.preset === 'zenml-deployment') {
      if (field(json, 'success') === true) return { status: 'completed' }
      const error = text(field(json, 'error'))
      return {
        status: 'failed',
        message: `the deployment answered success: false${error ? `: ${this.redact(error)}` : ''}`
      }
    }
    const word = text(field(json, 'status'))
    if (word === undefined) return { status: 'completed' }
    const status = statusFromWord(word)
    return status === 'completed' || status === 'running'
      ? { status }
      : { status, message: `the trigger API answered status ${JSON.stringify(word)}` }
  }

  private async poll(handle: HttpHandle, signal: AbortSignal): Promise<RunState> {
    if (handle.settled) return handle.settled
    const url = handle.statusUrl!
    if (url.origin !== this.config.url.origin) {
      throw new UserError(
        `The trigger was accepted (202), but its status URL ${url.href} is on another origin than ${this.config.url.origin}. The action sends the API key only to the origin you configured, so it does not follow it. Make the receiver return a status URL on ${this.config.url.origin}, or set wait: false.`
      )
    }
    checkUrl(url.href, 'the status URL', this.config.allowInsecureHttp)
    const reply = await this.send(
      `${this.config.name}: reading the run's status`,
      'GET',
      url,
      signal,
      undefined,
      undefined,
      handle.etag ? { 'if-none-match': handle.etag } : {}
    )
    if (reply.status === 304 && handle.last) return handle.last
    // Some APIs keep answering 202 while the run is pending.
    if (reply.status === 202) return { status: 'running', ...handleIds(handle) }
    if (reply.status !== 200)
      throw this.failure(
        reply,
        handle.fromTemplate
          ? `nothing at that URL; check status-url (${this.config.statusUrl}) and that the receiver knows run ${handle.runId}.`
          : undefined
      )
    const word = text(field(reply.json, 'status'))
    const ids = { runId: handle.runId, runUrl: handle.runUrl, ...this.runIds(reply.json) }
    const status = statusFromWord(word)
    const error = text(field(reply.json, 'error'))
    const state: RunState = {
      status,
      ...(ids.runId ? { runId: ids.runId } : {}),
      ...(ids.runUrl ? { runUrl: ids.runUrl } : {}),
      ...(word ? { detail: word } : {}),
      ...(status === 'failed' || status === 'cancelled'
        ? { message: `the trigger API reports ${word}${error ? `: ${this.redact(error)}` : ''}` }
        : {})
    }
    const pollAfterMs = retryAfterMs(reply.headers.get('retry-after'), this.clock.now())
    if (pollAfterMs !== undefined) state.pollAfterMs = pollAfterMs
    const etag = reply.headers.get('etag')
    if (etag) Object.assign(handle, { etag, last: state })
    handle.metrics = field(reply.json, this.config.metricsField)
    return state
  }

  private runIds(json: unknown): Pick<RunState, 'runId' | 'runUrl'> {
    // A ZenML deployment names its run at metadata.run_id; other APIs at run_id, else id.
    const idField =
      this.config.runIdField ?? (this.config.preset === 'zenml-deployment' ? 'metadata.run_id' : undefined)
    const runId = idField ? text(field(json, idField)) : (text(field(json, 'run_id')) ?? text(field(json, 'id')))
    const runUrl = text(field(json, this.config.runUrlField ?? 'run_url'))
    return { ...(runId ? { runId } : {}), ...(runUrl && /^https?:\/\//.test(runUrl) ? { runUrl } : {}) }
  }

  private failure(reply: Reply, notFound?: string): UserError {
    const hints: Record<number, string | undefined> = {
      400: 'the receiver rejected the body; check http-body and the parameters.',
      401: 'the API key is wrong or missing; check api-key and api-key-header.',
      403: 'the receiver refused this key or signature; check api-key and signing-secret.',
      404: notFound ?? 'nothing at that URL; check http-url (and the path, e.g. /trigger).',
      405: 'that URL does not take this method; check http-url.',
      413: 'the body is too large for the receiver; send fewer parameters, e.g. each: file instead of each: all.',
      422: 'the receiver could not read the body; check http-body.'
    }
    const said = this.redact(reply.text)
    const message = `HTTP ${reply.status} from ${reply.url}${said ? `: ${said}` : ''}`
    if (RETRYABLE_STATUS.has(reply.status))
      return new TransientError(message, retryAfterMs(reply.headers.get('retry-after'), this.clock.now()))
    return new UserError(
      `${message}. Fix: ${hints[reply.status] ?? (reply.status >= 500 ? 'the receiver failed; check its logs.' : 'see the message.')}`
    )
  }

  /**
   * One request, following redirects only within the configured origin, so keys never leave it.
   * After a 301/302/303 a POST becomes a GET without a body, as browsers do: the server has acted.
   */
  private async send(
    what: string,
    method: string,
    start: URL,
    signal: AbortSignal,
    body: string | undefined,
    limitMs: number | undefined,
    headers: Record<string, string>
  ): Promise<Reply> {
    let url = start
    for (let hop = 0; ; hop++) {
      const reply = await fetchWithin(
        url,
        {
          method,
          body,
          limitMs,
          what,
          check: 'that the URL is right and the receiver is reachable from the runner',
          redirect: 'manual',
          headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...this.authHeaders(), ...headers }
        },
        signal
      )
      const location = reply.headers.get('location')
      if (![301, 302, 303, 307, 308].includes(reply.status) || !location) {
        if (RETRYABLE_STATUS.has(reply.status)) throw this.failure(reply)
        return reply
      }
      const next = serverGivenUrl(location, url, `a redirect (HTTP ${reply.status}) to`)
      if (next.origin !== this.config.url.origin) {
        throw new UserError(
          `${url.href} redirected to ${next.origin}, another origin; the action follows redirects only within ${this.config.url.origin}, so keys never leave it. Point the URL at the final address.`
        )
      }
      if (hop >= MAX_REDIRECTS)
        throw new UserError(
          `${start.href} redirected more than ${MAX_REDIRECTS} times; point the URL at the final address.`
        )
      if (reply.status !== 307 && reply.status !== 308) {
        method = 'GET'
        body = undefined
      }
      url = next
    }
  }
}
