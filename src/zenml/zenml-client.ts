/**
 * A small client for the ZenML server REST API: version detection, API-key login (logged in once
 * per action run, again once on a 401), runs, and errors mapped to fixes. Plain fetch: the API is
 * a handful of JSON calls.
 */
import { UserError } from '../errors.js'
import type { ZenmlRun } from './run-status.js'
import { ZenmlError, zenmlError } from './zenml-errors.js'

/** Per-request ceiling; polling has its own overall timeout. */
const REQUEST_TIMEOUT_MS = 30_000
const USER_AGENT = 'pipeline-trigger'

export interface ServerInfo {
  version: string
  deploymentType: string
  authScheme: string
  proDashboardUrl?: string
}

/** https only, except loopback, so a key never crosses a network in clear text. */
export function checkServerUrl(url: string, field = 'zenml-url'): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError(`Input ${field}: ${JSON.stringify(url)} is not a URL. Give the server URL, e.g. https://zenml.example.com.`)
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && loopback)) {
    throw new UserError(`Input ${field}: ${JSON.stringify(url)} must use https (http is allowed only on loopback), so the API key is never sent in clear text.`)
  }
  return parsed.href.replace(/\/+$/, '')
}

export class ZenmlClient {
  private token?: string
  readonly url: string

  constructor(
    url: string,
    private readonly apiKey: string,
    private readonly onToken: (token: string) => void = () => {}
  ) {
    this.url = checkServerUrl(url)
  }

  private async call(method: string, path: string, what: string, options: { body?: string; contentType?: string; auth?: boolean } = {}): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT }
    if (options.contentType) headers['content-type'] = options.contentType
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`
    let response: Response
    try {
      response = await fetch(`${this.url}${path}`, { method, headers, body: options.body, redirect: 'error', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) })
    } catch (error) {
      throw new UserError(`ZenML server: ${what} failed: ${(error as Error).message} (${(error as { cause?: Error }).cause?.message ?? 'no detail'}). Check that zenml-url is reachable from the runner.`)
    }
    const text = await response.text()
    let body: unknown = text
    try {
      body = text ? JSON.parse(text) : undefined
    } catch {
      // not JSON: keep the text for the message
    }
    return { status: response.status, body }
  }

  async info(): Promise<ServerInfo> {
    const { status, body } = await this.call('GET', '/api/v1/info', `reading ${this.url}/api/v1/info`, { auth: false })
    if (status !== 200 || !body || typeof body !== 'object') throw zenmlError(status, body, `reading ${this.url}/api/v1/info (is zenml-url a ZenML server?)`)
    const info = body as Record<string, unknown>
    return {
      version: String(info.version ?? ''),
      deploymentType: String(info.deployment_type ?? ''),
      authScheme: String(info.auth_scheme ?? ''),
      ...(typeof info.pro_dashboard_url === 'string' ? { proDashboardUrl: info.pro_dashboard_url } : {})
    }
  }

  /** Exchanges the service-account API key for an access token (form `password=<key>`). */
  async login(): Promise<void> {
    const form = new URLSearchParams({ password: this.apiKey }).toString()
    const { status, body } = await this.call('POST', '/api/v1/login', `logging in to ${this.url} with zenml-api-key`, { body: form, contentType: 'application/x-www-form-urlencoded', auth: false })
    const token = status === 200 && body && typeof body === 'object' ? (body as { access_token?: unknown }).access_token : undefined
    if (typeof token !== 'string') throw zenmlError(status, body, `logging in to ${this.url} with zenml-api-key`)
    this.onToken(token)
    this.token = token
  }

  /** An authenticated JSON call; logs in first, and once more after a 401. */
  async request(method: string, path: string, what: string, json?: unknown): Promise<unknown> {
    if (!this.token) await this.login()
    const send = () => this.call(method, path, what, json === undefined ? {} : { body: JSON.stringify(json), contentType: 'application/json' })
    let result = await send()
    if (result.status === 401) {
      await this.login()
      result = await send()
    }
    if (result.status < 200 || result.status >= 300) throw zenmlError(result.status, result.body, what)
    return result.body
  }

  async getRun(id: string): Promise<ZenmlRun> {
    const body = (await this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}?hydrate=false`, `reading run ${id}`)) as {
      id?: string
      name?: string
      body?: { status?: string; in_progress?: boolean; status_reason?: string | null }
    }
    if (!body?.body?.status) throw new ZenmlError(`ZenML server: the run ${id} came back without body.status; is zenml-url a ZenML server?`, 200)
    return {
      id: String(body.id ?? id),
      name: String(body.name ?? ''),
      status: body.body.status,
      ...(typeof body.body.in_progress === 'boolean' ? { inProgress: body.body.in_progress } : {}),
      ...(body.body.status_reason ? { statusReason: body.body.status_reason } : {})
    }
  }
}
