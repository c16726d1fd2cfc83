/**
 * The `http` target: a custom trigger API (the tutorial's FastAPI `POST /trigger`), a Lambda
 * behind API Gateway, or a ZenML pipeline deployment (preset `zenml-deployment`).
 * - One JSON body, serialised once and signed (X-Signature-256 over "<timestamp>.<body>").
 * - Idempotency-Key on every attempt, so a POST is retried (429, 5xx, no answer) without
 *   starting a second run at a receiver that dedupes.
 * - 200/201: the run id and URL from the reply. 202: the run was accepted; with `wait`, the
 *   status URL (Location, or a body field) is polled until it says done.
 * - https only (loopback aside, unless allowed), redirects only within the same host, 30 s per
 *   request, replies capped at 1 MiB, and secrets redacted from every message.
 */
import { randomUUID } from 'node:crypto'
import { UserError } from '../errors.js'
import { RETRYABLE_STATUS, backoffMs, realClock, retryAfterMs, type RetryClock } from '../http/retry.js'
import { signature } from '../http/sign.js'
import { checkUrl } from '../http/url.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { renderTemplate } from '../plan/placeholders.js'
import type { RunState, Target, TargetContext } from './target.js'
import { USER_AGENT } from '../user-agent.js'

const REQUEST_TIMEOUT_MS = 30_000
const MAX_BODY_BYTES = 1024 * 1024
const MAX_REDIRECTS = 3
const SUCCESS = new Set(['completed', 'succeeded', 'success', 'done', 'cached'])
const FAILURE = new Set(['failed', 'failure', 'error', 'cancelled', 'canceled', 'stopped', 'rejected'])

/** Everything the target needs, with secrets already read (and masked) by main.ts. */
export interface HttpSettings {
  url: string
  preset?: 'zenml-deployment'
  apiKey?: string
  apiKeyHeader: string
  signingSecret?: string
  /** Body template: strings may use {pipeline} {run_name} {idempotency_key}; "{parameters}" alone is the parameters object. */
  body?: Record<string, unknown>
  allowInsecureHttp: boolean
  statusUrlField: string
  runIdField?: string
  runUrlField?: string
  wait: boolean
}

interface Reply {
  status: number
  headers: Headers
  json: unknown
  text: string
  url: string
}

const DEFAULT_BODY = { pipeline_name: '{pipeline}', parameters: '{parameters}' }
const DEPLOYMENT_BODY = { parameters: '{parameters}', run_name: '{run_name}' }

export function renderBody(template: Record<string, unknown>, request: TriggerRequest): unknown {
  const values = { pipeline: request.pipelineName, run_name: request.runName, idempotency_key: request.idempotencyKey }
  const render = (value: unknown): unknown => {
    if (value === '{parameters}') return request.parameters
    if (typeof value === 'string') return renderTemplate(value, values, 'http-body')
    if (Array.isArray(value)) return value.map(render)
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]))
    return value
  }
  return render(template)
}

function field(json: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined), json)
}

const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined)

export class HttpTarget implements Target {
  private readonly url: URL

  constructor(
    private readonly settings: HttpSettings,
    private readonly context: TargetContext,
    private readonly clock: RetryClock = realClock
  ) {
    const base = checkUrl(settings.url, 'http-url', settings.allowInsecureHttp)
    this.url = settings.preset === 'zenml-deployment' ? new URL(`${base.href.replace(/\/+$/, '')}/invoke`) : base
  }

  /** Removes secrets from text that came from a server. */
  private redact(value: string): string {
    let result = value
    for (const secret of [this.settings.apiKey, this.settings.signingSecret]) if (secret) result = result.split(secret).join('***')
    return result.length > 500 ? `${result.slice(0, 499)}…` : result
  }

  private authHeaders(): Record<string, string> {
    const key = this.settings.apiKey
    if (!key) return {}
    return this.settings.apiKeyHeader.toLowerCase() === 'authorization' ? { authorization: `Bearer ${key}` } : { [this.settings.apiKeyHeader]: key }
  }

  async trigger(request: TriggerRequest): Promise<RunState> {
    const deployment = this.settings.preset === 'zenml-deployment'
    const body = JSON.stringify(renderBody(this.settings.body ?? (deployment ? DEPLOYMENT_BODY : DEFAULT_BODY), request))
    const deadline = this.clock.now() + this.context.timeoutMs
    const reply = await this.send('POST', this.url, deadline, () => {
      const timestamp = Math.floor(this.clock.now() / 1000)
      return {
        body,
        headers: {
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
          'x-request-id': randomUUID(),
          // The chain guard's context, for a receiver that triggers further pipelines (ASCII-only JSON: header values are bytes).
          'x-pipeline-context': JSON.stringify(request.chain).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
          ...(this.settings.signingSecret ? { 'x-signature-256': signature(this.settings.signingSecret, timestamp, body), 'x-signature-timestamp': String(timestamp) } : {})
        }
      }
    })

    if (reply.status === 200 || reply.status === 201) {
      if (deployment) {
        const runId = text(field(reply.json, 'metadata.run_id'))
        const ok = field(reply.json, 'success') === true
        return ok
          ? { status: 'completed', ...(runId ? { runId } : {}) }
          : { status: 'failed', ...(runId ? { runId } : {}), message: `the deployment answered success: false${text(field(reply.json, 'error')) ? `: ${this.redact(String(field(reply.json, 'error')))}` : ''}` }
      }
      const state = this.runIds(reply.json)
      const status = text(field(reply.json, 'status'))?.toLowerCase()
      if (status && FAILURE.has(status)) return { status: 'failed', ...state, message: `the trigger API answered status ${status}` }
      return { status: 'completed', ...state }
    }
    if (reply.status === 202) {
      const state = this.runIds(reply.json)
      const location = reply.headers.get('location') ?? text(field(reply.json, this.settings.statusUrlField))
      if (!this.settings.wait) return { status: 'running', ...state }
      if (!location) return { status: 'running', ...state, message: `the trigger was accepted (202) without a status URL (Location header or ${this.settings.statusUrlField}), so the action cannot wait for it` }
      return this.poll(new URL(location, reply.url), deadline, state)
    }
    throw this.failure(reply)
  }

  private runIds(json: unknown): Pick<RunState, 'runId' | 'runUrl'> {
    const runId = text(field(json, this.settings.runIdField ?? 'run_id')) ?? (this.settings.runIdField ? undefined : text(field(json, 'id')))
    const runUrl = text(field(json, this.settings.runUrlField ?? 'run_url'))
    return { ...(runId ? { runId } : {}), ...(runUrl && /^https?:\/\//.test(runUrl) ? { runUrl } : {}) }
  }

  /** Follows an accepted trigger's status URL until it reports success or failure. */
  private async poll(statusUrl: URL, deadline: number, ids: Pick<RunState, 'runId' | 'runUrl'>): Promise<RunState> {
    checkUrl(statusUrl.href, 'the status URL', this.settings.allowInsecureHttp)
    let delay = 1000
    for (;;) {
      const reply = await this.send('GET', statusUrl, deadline, () => ({ headers: {} }))
      if (reply.status !== 200) throw this.failure(reply)
      const status = text(field(reply.json, 'status'))?.toLowerCase() ?? ''
      const state = { ...ids, ...this.runIds(reply.json) }
      this.context.log(`Trigger API status: ${JSON.stringify(status)}`)
      if (SUCCESS.has(status)) return { status: 'completed', ...state }
      if (FAILURE.has(status)) return { status: 'failed', ...state, message: `the trigger API reports ${status}${text(field(reply.json, 'error')) ? `: ${this.redact(String(field(reply.json, 'error')))}` : ''}` }
      if (this.clock.now() + delay > deadline) return { status: 'timed_out', ...state, message: `still ${status || 'running'} when timeout ran out` }
      await this.clock.sleep(delay)
      delay = Math.min(delay * 2, 15_000)
    }
  }

  private failure(reply: Reply): UserError {
    const hints: Record<number, string> = {
      400: 'the receiver rejected the body; check http-body and the parameters.',
      401: 'the API key is wrong or missing; check api-key and api-key-header.',
      403: 'the receiver refused this key or signature; check api-key and signing-secret.',
      404: 'nothing at that URL; check http-url (and the path, e.g. /trigger).',
      405: 'that URL does not take POST; check http-url.',
      413: 'the body is too large for the receiver; send fewer parameters, e.g. each: file instead of each: all.',
      422: 'the receiver could not read the body; check http-body.'
    }
    const said = this.redact(reply.text.trim().split('\n')[0] ?? '')
    return new UserError(`HTTP ${reply.status} from ${reply.url}${said ? `: ${said}` : ''}. Fix: ${hints[reply.status] ?? (reply.status >= 500 ? 'the receiver failed; check its logs.' : 'see the message.')}`)
  }

  /** One logical request: retried on 408/425/429/5xx and lost answers, redirects only within the same host. */
  private async send(method: string, url: URL, deadline: number, build: () => { body?: string; headers: Record<string, string> }): Promise<Reply> {
    for (let attempt = 0; ; attempt++) {
      let reply: Reply | undefined
      let problem: string
      try {
        reply = await this.once(method, url, build)
        if (!RETRYABLE_STATUS.has(reply.status)) return reply
        problem = `HTTP ${reply.status}`
      } catch (error) {
        if (error instanceof UserError) throw error
        problem = (error as Error).message
      }
      const wait = (reply && retryAfterMs(reply.headers.get('retry-after'), this.clock.now())) ?? backoffMs(attempt, this.clock.random)
      if (this.clock.now() + wait > deadline || attempt >= 5) {
        if (reply) return reply
        throw new UserError(`${method} ${url.href} failed: ${this.redact(problem)}. Fix: check that the receiver is up and reachable from the runner.`)
      }
      this.context.log(`${method} ${url.href}: ${problem}; retrying in ${Math.round(wait / 100) / 10}s with the same Idempotency-Key.`)
      await this.clock.sleep(wait)
    }
  }

  private async once(method: string, start: URL, build: () => { body?: string; headers: Record<string, string> }): Promise<Reply> {
    let url = start
    for (let hop = 0; ; hop++) {
      const { body, headers } = build()
      const response = await fetch(url, {
        method,
        body,
        redirect: 'manual',
        headers: { accept: 'application/json', 'user-agent': USER_AGENT, ...this.authHeaders(), ...headers },
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS)
      })
      const location = response.headers.get('location')
      if ([301, 302, 303, 307, 308].includes(response.status) && location) {
        const next = new URL(location, url)
        if (next.host !== url.host) throw new UserError(`${url.href} redirected to another host (${next.host}); the action follows redirects only within the same host, so keys never leave it. Point http-url at the final URL.`)
        if (hop >= MAX_REDIRECTS) throw new UserError(`${start.href} redirected more than ${MAX_REDIRECTS} times; point http-url at the final URL.`)
        await response.body?.cancel()
        url = next
        continue
      }
      const raw = await readCapped(response)
      let json: unknown
      try {
        json = raw ? JSON.parse(raw) : undefined
      } catch {
        json = undefined
      }
      return { status: response.status, headers: response.headers, json, text: raw, url: url.href }
    }
  }
}

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel()
      throw new UserError(`The reply from ${response.url} is larger than 1 MiB; the action reads at most that. Return a short JSON reply.`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
