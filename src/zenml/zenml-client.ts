/**
 * A small client for the ZenML server REST API: version detection, API-key login (logged in once
 * per action run, again once on a 401), runs, and errors mapped to fixes. Plain fetch: the API is
 * a handful of JSON calls.
 */
import { UserError } from '../errors.js'
import { checkUrl } from '../http/url.js'
import { USER_AGENT } from '../user-agent.js'
import type { ConfigTemplate } from './resolve-parameters.js'
import type { ZenmlRun } from './run-status.js'
import { ZenmlError, zenmlError } from './zenml-errors.js'

/** Per-request ceiling; polling has its own overall timeout. */
const REQUEST_TIMEOUT_MS = 30_000

export interface ServerInfo {
  version: string
  deploymentType: string
  authScheme: string
  proDashboardUrl?: string
}

/** The server URL without a trailing slash; https only, except loopback. */
export function checkServerUrl(url: string, field = 'Input zenml-url'): string {
  return checkUrl(url, field).href.replace(/\/+$/, '')
}

interface Entity {
  id: string
  name: string | null
  body?: Record<string, unknown> | null
  metadata?: Record<string, unknown> | null
}

/** A snapshot (≥0.90) or a run template (0.63–0.85), with what triggering needs. */
export interface Runnable {
  id: string
  name: string
  runnable: boolean
  dynamic: boolean
  /** The pipeline it belongs to, when the server says. */
  pipelineId?: string
  configTemplate?: ConfigTemplate
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The parameters a snapshot or template takes. A server fills config_template only for runnable
 * snapshots (seen on 0.98.0); otherwise the compiled step configurations say the same.
 */
function parameterTemplate(metadata: Record<string, unknown> | null | undefined): ConfigTemplate | undefined {
  if (metadata?.config_template) return metadata.config_template as ConfigTemplate
  const steps = metadata?.step_configurations as Record<string, { config?: { parameters?: Record<string, unknown> } }> | undefined
  if (!steps) return undefined
  return { steps: Object.fromEntries(Object.entries(steps).map(([step, s]) => [step, { parameters: s.config?.parameters ?? {} }])) }
}

function toRunnable(entity: Entity): Runnable {
  const configTemplate = parameterTemplate(entity.metadata)
  return {
    id: entity.id,
    name: entity.name ?? entity.id,
    runnable: entity.body?.runnable === true,
    dynamic: entity.body?.is_dynamic === true,
    ...(typeof entity.body?.pipeline_id === 'string' ? { pipelineId: entity.body.pipeline_id } : {}),
    ...(configTemplate ? { configTemplate } : {})
  }
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
      // Status 0: no answer at all (the request may or may not have been carried out).
      throw new ZenmlError(`ZenML server: ${what} failed: ${(error as Error).message} (${(error as { cause?: Error }).cause?.message ?? 'no detail'}). Check that zenml-url is reachable from the runner.`, 0)
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

  private async list(path: string, query: Record<string, string>, what: string): Promise<{ items: Entity[]; total: number }> {
    const page = (await this.request('GET', `${path}?${new URLSearchParams(query).toString()}`, what)) as { items?: Entity[]; total?: number }
    return { items: page.items ?? [], total: page.total ?? 0 }
  }

  /** The pipeline's id; when it does not exist, the error lists the pipelines that do. */
  async findPipeline(name: string, project: string): Promise<{ id: string; name: string }> {
    const found = await this.list('/api/v1/pipelines', { name, project, size: '1', hydrate: 'false' }, `looking up pipeline ${JSON.stringify(name)}`)
    if (found.items[0]) return { id: found.items[0].id, name }
    const all = await this.list('/api/v1/pipelines', { project, size: '50', sort_by: 'asc:name', hydrate: 'false' }, 'listing pipelines')
    const names = all.items.map((p) => p.name).filter(Boolean)
    throw new UserError(
      `No pipeline named ${JSON.stringify(name)} in project ${JSON.stringify(project)} on ${this.url}. Pipelines there: ${names.length ? names.join(', ') : 'none yet (run the pipeline once to register it)'}.`
    )
  }

  /** A snapshot by name or id, or the newest runnable named snapshot of the pipeline. */
  async findSnapshot(pipeline: { id: string; name: string }, project: string, nameOrId?: string, stack?: string): Promise<Runnable> {
    if (nameOrId && UUID.test(nameOrId)) {
      const snapshot = await this.getSnapshot(nameOrId)
      if (snapshot.pipelineId && snapshot.pipelineId !== pipeline.id) {
        throw new UserError(`Snapshot ${nameOrId} belongs to another pipeline, not ${pipeline.name}. Use a snapshot of ${pipeline.name}, or set pipeline to the snapshot's pipeline.`)
      }
      return snapshot
    }
    const query: Record<string, string> = { pipeline: pipeline.id, project, named_only: 'true', sort_by: 'desc:created', size: '1', hydrate: 'false' }
    if (nameOrId) query.name = nameOrId
    else query.runnable = 'true'
    if (stack) query.stack = stack
    const found = await this.list('/api/v1/pipeline_snapshots', query, `looking up snapshots of ${pipeline.name}`)
    if (found.items[0]) return this.getSnapshot(found.items[0].id)
    const named = await this.list('/api/v1/pipeline_snapshots', { pipeline: pipeline.id, project, named_only: 'true', sort_by: 'desc:created', size: '20', hydrate: 'false' }, `listing snapshots of ${pipeline.name}`)
    const names = named.items.map((s) => `${s.name}${s.body?.runnable === true ? '' : ' (not runnable)'}`)
    const wanted = nameOrId ? `no snapshot named ${JSON.stringify(nameOrId)}` : 'no runnable named snapshot'
    throw new UserError(
      `Pipeline ${pipeline.name} has ${wanted}${stack ? ` on stack ${JSON.stringify(stack)}` : ''}. Named snapshots: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline snapshot create", on a remote stack.`
    )
  }

  async getSnapshot(id: string): Promise<Runnable> {
    return toRunnable((await this.request('GET', `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}?hydrate=true&include_config_schema=false`, `reading snapshot ${id}`)) as Entity)
  }

  /** A run template by name or id, or the newest runnable one of the pipeline (servers 0.63–0.85). */
  async findTemplate(pipeline: { id: string; name: string }, project: string, nameOrId?: string): Promise<Runnable> {
    if (nameOrId && UUID.test(nameOrId)) return this.getTemplate(nameOrId)
    const query: Record<string, string> = { pipeline_id: pipeline.id, project, sort_by: 'desc:created', size: '20', hydrate: 'false' }
    if (nameOrId) query.name = nameOrId
    const found = await this.list('/api/v1/run_templates', query, `looking up run templates of ${pipeline.name}`)
    const runnable = found.items.find((t) => t.body?.runnable === true)
    if (runnable) return this.getTemplate(runnable.id)
    const names = found.items.map((t) => `${t.name}${t.body?.runnable === true ? '' : ' (not runnable)'}`)
    throw new UserError(
      `Pipeline ${pipeline.name} has ${nameOrId ? `no runnable run template named ${JSON.stringify(nameOrId)}` : 'no runnable run template'}. Templates: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline create-run-template", on a remote stack.`
    )
  }

  async getTemplate(id: string): Promise<Runnable> {
    return toRunnable((await this.request('GET', `/api/v1/run_templates/${encodeURIComponent(id)}?hydrate=true`, `reading run template ${id}`)) as Entity)
  }

  /** Starts a run of a snapshot: the body is wrapped in run_configuration. */
  async runSnapshot(id: string, runConfiguration: Record<string, unknown>, name: string): Promise<ZenmlRun> {
    return this.toRun(await this.request('POST', `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}/runs`, `running snapshot ${JSON.stringify(name)}`, { run_configuration: runConfiguration }))
  }

  /** Starts a run of a legacy template: the body is the run configuration itself. */
  async runTemplate(id: string, runConfiguration: Record<string, unknown>, name: string): Promise<ZenmlRun> {
    return this.toRun(await this.request('POST', `/api/v1/run_templates/${encodeURIComponent(id)}/runs`, `running run template ${JSON.stringify(name)}`, runConfiguration))
  }

  /** The run with this name in the project, if there is one (run names are unique per project). */
  async findRunByName(name: string, project: string): Promise<ZenmlRun | undefined> {
    const found = await this.list('/api/v1/runs', { name, project, size: '1', hydrate: 'false' }, `looking up run ${JSON.stringify(name)}`)
    return found.items[0] ? this.toRun(found.items[0]) : undefined
  }

  async stopRun(id: string): Promise<void> {
    await this.request('POST', `/api/v1/runs/${encodeURIComponent(id)}/stop?graceful=false`, `stopping run ${id}`)
  }

  private toRun(value: unknown): ZenmlRun {
    const run = value as { id?: string; name?: string; body?: { status?: string; in_progress?: boolean; status_reason?: string | null } }
    if (!run?.id) throw new ZenmlError('ZenML server: the run request was accepted but no run id came back; check the server version.', 200)
    return {
      id: run.id,
      name: run.name ?? '',
      status: run.body?.status ?? 'initializing',
      ...(typeof run.body?.in_progress === 'boolean' ? { inProgress: run.body.in_progress } : {}),
      ...(run.body?.status_reason ? { statusReason: run.body.status_reason } : {})
    }
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
