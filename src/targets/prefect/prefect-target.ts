/**
 * The `prefect` target: runs a deployment on a Prefect 3 server or Prefect Cloud (the same REST API).
 * - prepare: reads the deployment by name, refuses a paused or NOT_READY one (a run would sit
 *   Scheduled, then Late, for ever) and checks the parameters against its parameter_openapi_schema;
 *   with work-queue, the queue must be in the deployment's work pool, not paused, and polled.
 * - start: create_flow_run with idempotency_key = the request's key: the server answers 201 for a
 *   new run and 200 with the same run for a repeat, so a lost answer is retried as is (dedupesStarts).
 * - status: state.type onto the one vocabulary, state.name (Late, Retrying…) kept as the detail.
 * - cancel: set_state CANCELLING; a REJECT whose state is already final (a scheduled run becomes
 *   CANCELLED at once) is success.
 * - metrics: the run's newest artifact with the metrics key (artifact-metrics.ts).
 */
import type { z } from 'zod'
import { isFinal, type RunState } from '../../core/run-state.js'
import type { MetricsReading } from '../../core/metrics.js'
import type { RunRequest } from '../../core/run-request.js'
import { UserError, redactDeep } from '../../errors.js'
import type { Reply } from '../../http/fetch-within.js'
import { readReply } from '../../http/read-reply.js'
import { chainTags } from '../../zenml/run-tags.js'
import { remember } from '../remember.js'
import { statusFromWord } from '../status-words.js'
import type { RunHandle, Target } from '../target.js'
import { artifactMetrics, type Artifact } from './artifact-metrics.js'
import { checkParameters } from './parameters.js'
import type { PrefectApi } from './prefect-api.js'
import {
  UUID,
  deployment as deploymentReply,
  flowRun,
  setStateResult,
  workQueue,
  workQueues,
  type Deployment
} from './replies.js'
import type { ResolvedPrefect } from './resolve.js'
import { runLink } from './run-link.js'

interface PrefectHandle extends RunHandle {
  runId: string
}

const NOT_SERVED_FIX =
  'start the worker or the `serve()` process, or resume the deployment (prefect deployment resume <flow>/<deployment>)'

export class PrefectTarget implements Target<PrefectHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  /** create_flow_run with an idempotency_key answers a repeat with the run it already made. */
  readonly dedupesStarts = true
  readonly cancelOnTimeout: boolean
  private readonly deployments = new Map<string, Promise<Deployment>>()

  constructor(
    private readonly config: ResolvedPrefect,
    private readonly api: PrefectApi,
    /** Where the runs come from (repository, commit, workflow run), as tags on every run. */
    private readonly provenance: string[]
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  /** flow/deployment: the pipeline's name on the target when it is written so, else the target's deployment key. */
  private deploymentName(request: RunRequest): string {
    if (/^[^/]+\/[^/]+$/.test(request.pipelineName)) return request.pipelineName
    if (this.config.deployment) return this.config.deployment
    throw new UserError(
      `${this.name}: pipeline ${request.pipeline} names no Prefect deployment (${JSON.stringify(request.pipelineName)} is not flow/deployment, and target ${this.name} has no deployment key). Fix: set deployment: <flow>/<deployment> on the target, or pipeline: <flow>/<deployment> on the pipeline.`
    )
  }

  private where(deployment: string): string {
    return `${this.name}: deployment ${deployment} on ${this.api.url}`
  }

  /** A 2xx reply read against what the target uses from it; anything else is a final error naming the field. */
  private read<T>(schema: z.ZodType<T>, reply: Reply, what: string): T {
    return readReply(schema, reply.json ?? reply.text, {
      server: `${this.name}: Prefect API ${this.api.url}`,
      what,
      secrets: this.config.secrets,
      fix: `check that url is the Prefect 3 API root (a server's …/api, or a Prefect Cloud workspace URL), not a proxy or a login page in front of it`
    })
  }

  /** The deployment by name, once per step, refused when nothing would pick a run up. */
  private deployment(request: RunRequest, signal: AbortSignal): Promise<Deployment> {
    const name = this.deploymentName(request)
    return remember(this.deployments, name, async () => {
      const [flow = '', deployment = ''] = name.split('/')
      const reply = await this.api.call(
        `reading deployment ${name}`,
        'GET',
        `/deployments/name/${encodeURIComponent(flow)}/${encodeURIComponent(deployment)}`,
        signal,
        {
          fixes: {
            404: `no deployment ${name} there. Check deployment (<flow name>/<deployment name>, as \`prefect deployment ls\` lists it), and that url names the server or workspace it was deployed to.`
          }
        }
      )
      const found = this.read(deploymentReply, reply, `reading deployment ${name}`)
      if (found.paused === true)
        throw new UserError(
          `${this.where(name)} is paused: a run started now would sit Scheduled, then Late, and never run. Fix: ${NOT_SERVED_FIX}.`
        )
      if (found.status === 'NOT_READY')
        throw new UserError(
          `${this.where(name)} is NOT_READY: no worker or serve() process has polled it lately, so a run started now would sit Scheduled, then Late, and never run. Fix: ${NOT_SERVED_FIX}.`
        )
      if (this.config.workQueue) await this.checkWorkQueue(name, found, this.config.workQueue, signal)
      return found
    })
  }

  /**
   * The work-queue key's queue exists in the deployment's work pool, is not paused and is polled.
   * create_flow_run does not check this: it creates a queue it does not know, and a run sent to a
   * queue no worker polls sits Late for ever.
   */
  private async checkWorkQueue(name: string, found: Deployment, queue: string, signal: AbortSignal): Promise<void> {
    const where = `${this.where(name)}, work-queue ${queue}`
    const pool = found.work_pool_name
    if (!pool)
      throw new UserError(
        `${where}: the deployment runs on no work pool (a flow.serve() deployment), so Prefect cannot send its runs to a work queue (create_flow_run answers 400). Fix: remove work-queue from target ${this.name}, or deploy the flow to a work pool (flow.deploy(work_pool_name=…)).`
      )
    const poolPath = `/work_pools/${encodeURIComponent(pool)}`
    const reply = await this.api.call(
      `reading work queue ${queue} of work pool ${pool}`,
      'GET',
      `${poolPath}/queues/${encodeURIComponent(queue)}`,
      signal,
      // 404: the queue (or the pool) is not there; the queues the pool has make the fix.
      { accept: [200, 404] }
    )
    if (reply.status === 404) {
      const listed = await this.api.call(
        `listing the work queues of work pool ${pool}`,
        'POST',
        `${poolPath}/queues/filter`,
        signal,
        {
          body: {},
          fixes: {
            404: `work pool ${pool} of deployment ${name} is gone from the server. Redeploy the flow to a work pool.`
          }
        }
      )
      const names = this.read(workQueues, listed, `listing the work queues of work pool ${pool}`).map((q) => q.name)
      throw new UserError(
        `${where}: work pool ${pool} has no work queue ${JSON.stringify(queue)} (it has: ${names.join(', ') || 'none'}); Prefect would make the queue on start, and the run would sit Late where no worker looks. Fix: set work-queue to one of ${names.join(', ') || 'its queues'}, or create the queue and start a worker for it (prefect worker start --pool ${pool} --work-queue ${queue}).`
      )
    }
    const read = this.read(workQueue, reply, `reading work queue ${queue} of work pool ${pool}`)
    if (read.is_paused === true || read.status === 'PAUSED')
      throw new UserError(
        `${where}: the queue is paused in work pool ${pool}, so a run sent to it would sit Scheduled, then Late, and never run. Fix: prefect work-queue resume ${queue} --pool ${pool} (or choose another work-queue).`
      )
    if (read.status === 'NOT_READY')
      throw new UserError(
        `${where}: no worker has polled the queue lately (NOT_READY) in work pool ${pool}, so a run sent to it would sit Scheduled, then Late, and never run. Fix: start a worker for it: prefect worker start --pool ${pool} --work-queue ${queue}.`
      )
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    const found = await this.deployment(request, signal)
    checkParameters(
      request.parameters,
      found.parameter_openapi_schema,
      found.parameters ?? {},
      this.where(this.deploymentName(request)),
      found.enforce_parameter_schema !== false
    )
  }

  async start(request: RunRequest, signal: AbortSignal): Promise<PrefectHandle> {
    const name = this.deploymentName(request)
    const found = await this.deployment(request, signal)
    const reply = await this.api.call(
      `starting ${request.pipelineName} (deployment ${name})`,
      'POST',
      `/deployments/${encodeURIComponent(found.id)}/create_flow_run`,
      signal,
      {
        body: {
          name: request.runName,
          parameters: request.parameters,
          idempotency_key: request.idempotencyKey,
          tags: ['pipeline-trigger', ...this.provenance, ...chainTags(request.chain)],
          ...(this.config.workQueue ? { work_queue_name: this.config.workQueue } : {})
        },
        // 201: a new run; 200: the run this idempotency key already made.
        accept: [200, 201],
        fixes: {
          404: `deployment ${name} is gone from the server since it was read. Check deployment and redeploy the flow.`,
          409: `the flow refused the parameters; give each the type its signature declares, under the pipeline's parameters.`,
          422: `the server could not read the request; check the pipeline's parameters and work-queue.`
        }
      }
    )
    const id = (reply.json as { id?: unknown } | undefined)?.id
    if (typeof id !== 'string' || !UUID.test(id))
      throw new UserError(
        `${this.where(name)}: create_flow_run answered HTTP ${reply.status} without a flow run id (${this.api.quote(reply.text)}). Fix: check that url is a Prefect 3 API root.`
      )
    return this.handle(id)
  }

  follow(runId: string): PrefectHandle {
    if (!UUID.test(runId))
      throw new UserError(
        `${this.name}: ${JSON.stringify(runId)} is not a Prefect flow run id (a UUID), so the run cannot be followed.`
      )
    return this.handle(runId)
  }

  private handle(runId: string): PrefectHandle {
    return { runId, runUrl: runLink(this.api.url, runId) }
  }

  async status(handle: PrefectHandle, signal: AbortSignal): Promise<RunState> {
    const reply = await this.api.call(
      `reading flow run ${handle.runId}`,
      'GET',
      `/flow_runs/${encodeURIComponent(handle.runId)}`,
      signal,
      {
        fixes: {
          404: `no such flow run there: it was deleted, or url names another server or workspace than the one that ran it. Check url.`
        }
      }
    )
    const { state } = this.read(flowRun, reply, `reading flow run ${handle.runId}`)
    const status = statusFromWord(state.type)
    const word = state.name ?? state.type
    return {
      status,
      runId: handle.runId,
      runUrl: handle.runUrl!,
      ...(word ? { detail: word } : {}),
      ...(isFinal(status) && status !== 'completed'
        ? {
            message: `Prefect reports ${word}${state.type && state.type !== word ? ` (${state.type})` : ''}${state.message ? `: ${this.api.quote(state.message)}` : ''}`
          }
        : {})
    }
  }

  async cancel(handle: PrefectHandle, signal: AbortSignal): Promise<void> {
    const reply = await this.api.call(
      `cancelling flow run ${handle.runId}`,
      'POST',
      `/flow_runs/${encodeURIComponent(handle.runId)}/set_state`,
      signal,
      {
        body: { state: { type: 'CANCELLING', name: 'Cancelling', message: 'Cancelled by pipeline-trigger' } },
        accept: [200, 201]
      }
    )
    const result = this.read(setStateResult, reply, `cancelling flow run ${handle.runId}`)
    // REJECT with a final state: the run was over, or (Scheduled) the server cancelled it at once.
    if (result.status === 'ACCEPT' || (result.state?.type && isFinal(statusFromWord(result.state.type)))) return
    throw new UserError(
      `${this.name}: cancelling flow run ${handle.runId} on ${this.api.url}: the server answered ${result.status}${result.details?.reason ? ` (${this.api.quote(result.details.reason)})` : ''}. Fix: cancel it in the Prefect UI: ${handle.runUrl}.`
    )
  }

  async metrics(handle: PrefectHandle, signal: AbortSignal): Promise<MetricsReading> {
    const key = this.config.metricsArtifact
    const reply = await this.api.call(
      `reading artifact ${key} of flow run ${handle.runId}`,
      'POST',
      '/artifacts/filter',
      signal,
      {
        body: {
          artifacts: { flow_run_id: { any_: [handle.runId] }, key: { any_: [key] } },
          sort: 'CREATED_DESC',
          limit: 1
        }
      }
    )
    const [artifact] = Array.isArray(reply.json) ? (redactDeep(reply.json, this.config.secrets) as Artifact[]) : []
    const reading = artifactMetrics(artifact, `artifact ${key} of flow run ${handle.runId}`)
    if (!artifact)
      reading.ignored.push(
        `flow run ${handle.runId} has no artifact ${key}: the flow reports metrics with create_table_artifact(key="${key}", table=[{"accuracy": 0.9}]) (or set metrics-artifact)`
      )
    return reading
  }
}
