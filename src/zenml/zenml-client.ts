/**
 * A small client for the ZenML server REST API: version detection, API-key login (logged in once
 * per action run, again once on a 401), runs, and errors mapped to fixes. Plain fetch: the API is
 * a handful of JSON calls. Every call is bound to the caller's signal (the step's deadline); a
 * lost answer or a 429/5xx is marked transient and the executor decides whether to try again.
 */
import type { z } from 'zod'
import { UserError, redact, redactDeep } from '../errors.js'
import { fetchWithin, type Reply } from '../http/fetch-within.js'
import { checkUrl } from '../http/url.js'
import { TransientError, retryAfterMs } from '../retry.js'
import { USER_AGENT } from '../user-agent.js'
import type { ConfigTemplate } from './resolve-parameters.js'
import type { ZenmlRun } from './run-status.js'
import {
  pageOf,
  pipelineReply,
  polledRunReply,
  runMetadataReply,
  readZenmlReply,
  runReply,
  runnableReply,
  infoReply,
  loginReply
} from './replies.js'
import { ZenmlError, zenmlError } from './zenml-errors.js'

/** A hydrated snapshot carries its whole compiled configuration. */
const MAX_REPLY_BYTES = 16 * 1024 * 1024

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
function parameterTemplate(metadata: z.infer<typeof runnableReply>['metadata']): ConfigTemplate | undefined {
  if (metadata?.config_template) return { steps: metadata.config_template.steps ?? {} }
  const steps = metadata?.step_configurations
  if (!steps) return undefined
  return {
    steps: Object.fromEntries(
      Object.entries(steps).map(([step, s]) => [step, { parameters: s?.config?.parameters ?? {} }])
    )
  }
}

function toRunnable(entity: z.infer<typeof runnableReply>): Runnable {
  const configTemplate = parameterTemplate(entity.metadata)
  return {
    id: entity.id,
    name: entity.name ?? entity.id,
    runnable: entity.body?.runnable === true,
    dynamic: entity.body?.is_dynamic === true,
    ...(entity.body?.pipeline_id ? { pipelineId: entity.body.pipeline_id } : {}),
    ...(configTemplate ? { configTemplate } : {})
  }
}

function toRun(run: z.infer<typeof runReply>): ZenmlRun {
  return {
    id: run.id,
    name: run.name ?? '',
    status: run.body?.status ?? 'initializing',
    ...(run.body?.status_reason ? { statusReason: run.body.status_reason } : {})
  }
}

/**
 * The run a start made. The server accepted the start, so an unreadable answer is a lost answer:
 * transient, and the executor looks the run up by its name before anything else.
 */
function startedRun(body: unknown, what: string, secrets: (string | undefined)[]): ZenmlRun {
  try {
    return toRun(readZenmlReply(runReply, body, what, secrets))
  } catch (error) {
    throw new TransientError(
      `${(error as Error).message.replace(/ Fix: .*$/, '')} The server accepted the start, so the action looks the run up by its name.`
    )
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

  private async call(
    method: string,
    path: string,
    what: string,
    signal: AbortSignal,
    options: { body?: string; contentType?: string; auth?: boolean } = {}
  ): Promise<{ status: number; body: unknown; text: string; retryAfterMs?: number }> {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': USER_AGENT }
    if (options.contentType) headers['content-type'] = options.contentType
    if (options.auth !== false && this.token) headers.authorization = `Bearer ${this.token}`
    // A lost answer comes back transient, naming the call, the host and what to check: the request may or may not have been carried out.
    const reply: Reply = await fetchWithin(
      `${this.url}${path}`,
      {
        method,
        headers,
        body: options.body,
        redirect: 'error',
        maxBytes: MAX_REPLY_BYTES,
        what: `ZenML server: ${what}`,
        check: 'that zenml-url is right and the server is reachable from the runner'
      },
      signal
    )
    const retryAfter = retryAfterMs(reply.headers.get('retry-after'), Date.now())
    return {
      status: reply.status,
      body: reply.json ?? (reply.text || undefined),
      text: reply.text,
      ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {})
    }
  }

  /** The key and the session token: never quoted, in any encoding. */
  private get secrets(): (string | undefined)[] {
    return [this.apiKey, this.token]
  }

  /**
   * The error for a refused call, with the key and token gone from the server's words in every
   * encoding: from each string of a JSON reply, from the raw text of any other.
   */
  private fail(
    status: number,
    reply: { body: unknown; text: string },
    what: string,
    retryAfterMs?: number
  ): ZenmlError {
    const said =
      typeof reply.body === 'string' || reply.body === undefined
        ? redact(reply.text, this.secrets) || null
        : redactDeep(reply.body, this.secrets)
    return zenmlError(status, said, what, retryAfterMs)
  }

  async info(signal: AbortSignal): Promise<ServerInfo> {
    const reply = await this.call('GET', '/api/v1/info', `reading ${this.url}/api/v1/info`, signal, { auth: false })
    const what = `reading ${this.url}/api/v1/info`
    if (reply.status !== 200)
      throw this.fail(reply.status, reply, `${what} (is zenml-url a ZenML server?)`, reply.retryAfterMs)
    const info = readZenmlReply(infoReply, reply.body, what, this.secrets)
    return {
      version: info.version,
      deploymentType: info.deployment_type ?? '',
      authScheme: info.auth_scheme ?? '',
      ...(info.pro_dashboard_url ? { proDashboardUrl: info.pro_dashboard_url } : {})
    }
  }

  /** Exchanges the service-account API key for an access token (form `password=<key>`). */
  async login(signal: AbortSignal): Promise<void> {
    const form = new URLSearchParams({ password: this.apiKey }).toString()
    const what = `logging in to ${this.url} with zenml-api-key`
    const reply = await this.call('POST', '/api/v1/login', what, signal, {
      body: form,
      contentType: 'application/x-www-form-urlencoded',
      auth: false
    })
    if (reply.status !== 200) throw this.fail(reply.status, reply, what, reply.retryAfterMs)
    const token = readZenmlReply(loginReply, reply.body, what, this.secrets).access_token
    this.onToken(token)
    this.token = token
  }

  /** An authenticated JSON call; logs in first, and once more after a 401. */
  async request(method: string, path: string, what: string, signal: AbortSignal, json?: unknown): Promise<unknown> {
    if (!this.token) await this.login(signal)
    const send = () =>
      this.call(
        method,
        path,
        what,
        signal,
        json === undefined ? {} : { body: JSON.stringify(json), contentType: 'application/json' }
      )
    let result = await send()
    if (result.status === 401) {
      // The token expired during a long wait: log in again, once.
      await this.login(signal)
      result = await send()
    }
    if (result.status < 200 || result.status >= 300) throw this.fail(result.status, result, what, result.retryAfterMs)
    return result.body
  }

  private async list<T>(
    path: string,
    query: Record<string, string>,
    item: z.ZodType<T>,
    what: string,
    signal: AbortSignal
  ): Promise<T[]> {
    return readZenmlReply(
      pageOf(item),
      await this.request('GET', `${path}?${new URLSearchParams(query).toString()}`, what, signal),
      what,
      this.secrets
    ).items
  }

  /** The pipeline's id; when it does not exist, the error lists the pipelines that do. */
  async findPipeline(name: string, project: string, signal: AbortSignal): Promise<{ id: string; name: string }> {
    const [found] = await this.list(
      '/api/v1/pipelines',
      { name, project, size: '1', hydrate: 'false' },
      pipelineReply,
      `looking up pipeline ${JSON.stringify(name)}`,
      signal
    )
    if (found) return { id: found.id, name }
    const all = await this.list(
      '/api/v1/pipelines',
      { project, size: '50', sort_by: 'asc:name', hydrate: 'false' },
      pipelineReply,
      'listing pipelines',
      signal
    )
    const names = all.map((p) => p.name).filter(Boolean)
    throw new UserError(
      `No pipeline named ${JSON.stringify(name)} in project ${JSON.stringify(project)} on ${this.url}. Pipelines there: ${names.length ? names.join(', ') : 'none yet (run the pipeline once to register it)'}.`
    )
  }

  /** A snapshot by name or id, or the newest runnable named snapshot of the pipeline. */
  async findSnapshot(
    pipeline: { id: string; name: string },
    project: string,
    nameOrId: string | undefined,
    stack: string | undefined,
    signal: AbortSignal
  ): Promise<Runnable> {
    if (nameOrId && UUID.test(nameOrId)) {
      const snapshot = await this.getSnapshot(nameOrId, signal)
      if (snapshot.pipelineId && snapshot.pipelineId !== pipeline.id) {
        throw new UserError(
          `Snapshot ${nameOrId} belongs to another pipeline, not ${pipeline.name}. Use a snapshot of ${pipeline.name}, or set pipeline to the snapshot's pipeline.`
        )
      }
      return snapshot
    }
    const query: Record<string, string> = {
      pipeline: pipeline.id,
      project,
      named_only: 'true',
      sort_by: 'desc:created',
      size: '1',
      hydrate: 'false'
    }
    if (nameOrId) query.name = nameOrId
    else query.runnable = 'true'
    if (stack) query.stack = stack
    const [found] = await this.list(
      '/api/v1/pipeline_snapshots',
      query,
      runnableReply,
      `looking up snapshots of ${pipeline.name}`,
      signal
    )
    if (found) return this.getSnapshot(found.id, signal)
    const named = await this.list(
      '/api/v1/pipeline_snapshots',
      { pipeline: pipeline.id, project, named_only: 'true', sort_by: 'desc:created', size: '20', hydrate: 'false' },
      runnableReply,
      `listing snapshots of ${pipeline.name}`,
      signal
    )
    const names = named.map((s) => `${s.name ?? s.id}${s.body?.runnable === true ? '' : ' (not runnable)'}`)
    const wanted = nameOrId ? `no snapshot named ${JSON.stringify(nameOrId)}` : 'no runnable named snapshot'
    throw new UserError(
      `Pipeline ${pipeline.name} has ${wanted}${stack ? ` on stack ${JSON.stringify(stack)}` : ''}. Named snapshots: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline snapshot create", on a remote stack.`
    )
  }

  async getSnapshot(id: string, signal: AbortSignal): Promise<Runnable> {
    const what = `reading snapshot ${id}`
    return toRunnable(
      readZenmlReply(
        runnableReply,
        await this.request(
          'GET',
          `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}?hydrate=true&include_config_schema=false`,
          what,
          signal
        ),
        what,
        this.secrets
      )
    )
  }

  /** A run template by name or id, or the newest runnable one of the pipeline (servers 0.63–0.85). */
  async findTemplate(
    pipeline: { id: string; name: string },
    project: string,
    nameOrId: string | undefined,
    signal: AbortSignal
  ): Promise<Runnable> {
    if (nameOrId && UUID.test(nameOrId)) return this.getTemplate(nameOrId, signal)
    const query: Record<string, string> = {
      pipeline_id: pipeline.id,
      project,
      sort_by: 'desc:created',
      size: '20',
      hydrate: 'false'
    }
    if (nameOrId) query.name = nameOrId
    const found = await this.list(
      '/api/v1/run_templates',
      query,
      runnableReply,
      `looking up run templates of ${pipeline.name}`,
      signal
    )
    const runnable = found.find((t) => t.body?.runnable === true)
    if (runnable) return this.getTemplate(runnable.id, signal)
    const names = found.map((t) => `${t.name ?? t.id}${t.body?.runnable === true ? '' : ' (not runnable)'}`)
    throw new UserError(
      `Pipeline ${pipeline.name} has ${nameOrId ? `no runnable run template named ${JSON.stringify(nameOrId)}` : 'no runnable run template'}. Templates: ${names.length ? names.join(', ') : 'none'}. Create one with "zenml pipeline create-run-template", on a remote stack.`
    )
  }

  async getTemplate(id: string, signal: AbortSignal): Promise<Runnable> {
    const what = `reading run template ${id}`
    return toRunnable(
      readZenmlReply(
        runnableReply,
        await this.request('GET', `/api/v1/run_templates/${encodeURIComponent(id)}?hydrate=true`, what, signal),
        what,
        this.secrets
      )
    )
  }

  /** Starts a run of a snapshot: the body is wrapped in run_configuration. */
  async runSnapshot(
    id: string,
    runConfiguration: Record<string, unknown>,
    name: string,
    signal: AbortSignal
  ): Promise<ZenmlRun> {
    const what = `running snapshot ${JSON.stringify(name)}`
    return startedRun(
      await this.request('POST', `/api/v1/pipeline_snapshots/${encodeURIComponent(id)}/runs`, what, signal, {
        run_configuration: runConfiguration
      }),
      what,
      this.secrets
    )
  }

  /** Starts a run of a legacy template: the body is the run configuration itself. */
  async runTemplate(
    id: string,
    runConfiguration: Record<string, unknown>,
    name: string,
    signal: AbortSignal
  ): Promise<ZenmlRun> {
    const what = `running run template ${JSON.stringify(name)}`
    return startedRun(
      await this.request(
        'POST',
        `/api/v1/run_templates/${encodeURIComponent(id)}/runs`,
        what,
        signal,
        runConfiguration
      ),
      what,
      this.secrets
    )
  }

  /** The run with this name in the project, if there is one (run names are unique per project). */
  async findRunByName(name: string, project: string, signal: AbortSignal): Promise<ZenmlRun | undefined> {
    const [found] = await this.list(
      '/api/v1/runs',
      { name, project, size: '1', hydrate: 'false' },
      runReply,
      `looking up run ${JSON.stringify(name)}`,
      signal
    )
    return found ? toRun(found) : undefined
  }

  async stopRun(id: string, signal: AbortSignal): Promise<void> {
    await this.request(
      'POST',
      `/api/v1/runs/${encodeURIComponent(id)}/stop?graceful=false`,
      `stopping run ${id}`,
      signal
    )
  }

  /**
   * What the run's pipeline logged with log_metadata: the run's own keys and every step's as
   * `<step>::<key>` (include_full_metadata; checked against a real 0.98.0 server). Values keep
   * their JSON types; the latest value of a key wins.
   */
  async getRunMetadata(id: string, signal: AbortSignal): Promise<Record<string, unknown>> {
    const what = `reading the metadata of run ${id}`
    const reply = readZenmlReply(
      runMetadataReply,
      await this.request(
        'GET',
        `/api/v1/runs/${encodeURIComponent(id)}?hydrate=true&include_full_metadata=true`,
        what,
        signal
      ),
      what,
      this.secrets
    )
    // What a pipeline logged goes on to check runs and comments: a key it logged by mistake does not.
    return redactDeep(reply.metadata?.run_metadata ?? {}, this.secrets) as Record<string, unknown>
  }

  async getRun(id: string, signal: AbortSignal): Promise<ZenmlRun> {
    const what = `reading run ${id}`
    return toRun(
      readZenmlReply(
        polledRunReply,
        await this.request('GET', `/api/v1/runs/${encodeURIComponent(id)}?hydrate=false`, what, signal),
        what,
        this.secrets
      )
    )
  }
}

/** The OSS dashboard's page for a run. */
export function dashboardUrl(serverUrl: string, project: string, runId: string): string {
  return `${serverUrl}/projects/${encodeURIComponent(project)}/runs/${encodeURIComponent(runId)}`
}
