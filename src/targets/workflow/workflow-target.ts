/**
 * The `workflow` target: starts another GitHub Actions workflow, in this repository or another,
 * with the parameters as its inputs, and follows its run.
 * - prepare: the ref (the repository's default branch unless set) and the target workflow file,
 *   read through the contents API; every input is checked against it before anything is sent.
 * - start: workflow_dispatch, with the run id from the answer where the server gives it; else
 *   (older GHES, repository_dispatch) status() finds the run by the correlation id the
 *   workflow puts in its run-name.
 * - status: the run's status and conclusion in the action's vocabulary; cancel: the cancel endpoint.
 * - metrics: the run's `pipeline-metrics` artifact (metrics.json), see metrics-artifact.ts.
 * GitHub does not dedupe a dispatch, so a dispatch is never sent twice (see start()).
 */
import type { Clock } from '../../clock.js'
import type { ResolvedWorkflow } from './resolve.js'
import type { RunState } from '../../core/run-state.js'
import { UserError } from '../../errors.js'
import type { ActionsApi, WorkflowRun } from './actions-api.js'
import { CORRELATION_INPUT, clientPayload, declaredInputs, dispatchInputs, workflowName } from './workflow-inputs.js'
import { isTransient } from '../../retry.js'
import type { RunRequest } from '../../core/run-request.js'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import { METRICS_ARTIFACT, readRunMetrics } from './metrics-artifact.js'
import { remember } from '../remember.js'
import type { RunHandle, Target } from '../target.js'

interface WorkflowHandle extends RunHandle {
  /** Set once the run is known. */
  run?: number
  correlation: string
  dispatchedAt: number
}

interface Prepared {
  ref?: string
  /** What to send: workflow inputs, or a repository_dispatch client_payload. */
  body: Record<string, unknown>
  /** The workflow declares the correlation input, so its run can be found without run details. */
  findable: boolean
}

/** How long a dispatched run may take to appear in the run list before the action gives up on it. */
const DISCOVERY_MS = 5 * 60_000
/** Runs are listed from a little before the dispatch: the runner's clock and GitHub's may differ. */
const CLOCK_SKEW_MS = 2 * 60_000

/** A workflow run's status and conclusion in the action's words. */
export function runState(run: WorkflowRun): RunState {
  const ids = { runId: String(run.id), runUrl: run.htmlUrl }
  if (run.status !== 'completed') return { status: 'running', ...ids, detail: run.status }
  const conclusion = run.conclusion ?? 'unknown'
  if (conclusion === 'success' || conclusion === 'neutral') return { status: 'completed', ...ids, detail: conclusion }
  if (conclusion === 'cancelled')
    return { status: 'cancelled', ...ids, detail: conclusion, message: 'the workflow run was cancelled' }
  return { status: 'failed', ...ids, detail: conclusion, message: `the workflow run ended ${conclusion}` }
}

export class WorkflowTarget implements Target<WorkflowHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = false
  readonly dedupesStarts = false
  readonly cancelOnTimeout: boolean
  private readonly prepared = new Map<string, Promise<Prepared>>()
  /** Workflow files by ref, and the default branch: read once however many requests need them. */
  private readonly files = new Map<string, Promise<{ path: string; text: string }>>()
  private readonly refs = new Map<string, Promise<string>>()

  constructor(
    private readonly config: ResolvedWorkflow,
    private readonly api: ActionsApi,
    private readonly clock: Clock
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
    this.cancelOnTimeout = config.cancelOnTimeout
  }

  private get repository(): string {
    return `${this.config.owner}/${this.config.repo}`
  }

  async prepare(request: RunRequest, signal: AbortSignal): Promise<void> {
    await this.ready(request, signal)
  }

  private ready(request: RunRequest, signal: AbortSignal): Promise<Prepared> {
    return remember(this.prepared, String(request.index), () => this.resolve(request, signal))
  }

  private async resolve(request: RunRequest, signal: AbortSignal): Promise<Prepared> {
    const { owner, repo } = this.config
    const chain = JSON.stringify(request.chain)
    if (this.config.event === 'repository_dispatch') {
      return {
        body: clientPayload(request.parameters, this.repository, { chain, correlation: request.idempotencyKey }),
        findable: true
      }
    }
    const ref =
      this.config.ref ?? (await remember(this.refs, 'default', () => this.api.defaultBranch(owner, repo, signal)))
    const { path, text } = await remember(this.files, ref, () =>
      this.api.workflowFile(owner, repo, this.config.workflow!, ref, signal)
    )
    const where = `${this.repository}/${path}@${ref}`
    // A workflow_run chain starts its chain at the upstream workflow: dispatching that same workflow would loop.
    const name = workflowName(text, where, this.config.workflow!)
    if (request.chain.chain.includes(`workflow:${name}`)) {
      throw new UserError(
        `Chain guard: ${where} is the workflow "${name}", which is already in this chain (${request.chain.chain.join(' → ')}), so dispatching it would loop. Nothing was triggered. Fix: dispatch another workflow, or drop the rule that leads back to "${name}".`
      )
    }
    const declared = declaredInputs(text, where)
    const body = dispatchInputs(request.parameters, declared, where, {
      chain,
      correlation: request.idempotencyKey,
      maxInputs: this.api.isGithubCom ? 25 : 10
    })
    return { ref, body, findable: declared.has(CORRELATION_INPUT) }
  }

  /**
   * GitHub does not dedupe a dispatch, and a new run takes seconds to be listed, so a lost answer is
   * never answered with a second dispatch: a findable run is looked for by status() (for up to
   * five minutes), and any other lost answer fails the run with a note that it may have started.
   */
  async start(request: RunRequest, signal: AbortSignal): Promise<WorkflowHandle> {
    const { findable } = await this.ready(request, signal)
    const handle: WorkflowHandle = { correlation: request.idempotencyKey, dispatchedAt: this.clock.now() }
    try {
      return await this.dispatch(request, handle, signal)
    } catch (error) {
      if (!isTransient(error) || !findable) throw error
      return handle
    }
  }

  private async dispatch(request: RunRequest, handle: WorkflowHandle, signal: AbortSignal): Promise<WorkflowHandle> {
    const { owner, repo } = this.config
    const { ref, body } = await this.ready(request, signal)
    if (this.config.event === 'repository_dispatch') {
      await this.api.dispatchRepository(owner, repo, this.config.eventType!, body, signal)
      return handle
    }
    const dispatched = await this.api.dispatchWorkflow(owner, repo, this.config.workflow!, ref!, body, signal)
    if (dispatched.runId)
      return {
        ...handle,
        run: dispatched.runId,
        runId: String(dispatched.runId),
        ...(dispatched.htmlUrl ? { runUrl: dispatched.htmlUrl } : {})
      }
    if (!(await this.ready(request, signal)).findable) {
      const message = `dispatched, but this server answered without the run, and ${this.config.workflow} declares no ${CORRELATION_INPUT} input to find it by, so the action cannot follow it. Fix: declare that input there and put it in run-name (see docs/chains-and-workflows.md, section "Workflows in other repositories").`
      return { ...handle, settled: { status: 'running', message } }
    }
    return handle
  }

  private async lookup(handle: WorkflowHandle, signal: AbortSignal): Promise<WorkflowRun | undefined> {
    const since = new Date(handle.dispatchedAt - CLOCK_SKEW_MS).toISOString()
    const by =
      this.config.event === 'repository_dispatch'
        ? { event: 'repository_dispatch' }
        : { workflow: this.config.workflow!, event: 'workflow_dispatch' }
    return this.api.findRun(
      this.config.owner,
      this.config.repo,
      { ...by, correlation: handle.correlation, since },
      signal
    )
  }

  follow(runId: string): WorkflowHandle {
    if (!/^\d{1,20}$/.test(runId))
      throw new UserError(
        `${JSON.stringify(runId.slice(0, 40))} is not a workflow run id, so the run cannot be followed.`
      )
    // The run is known by its id: no correlation to look for, no discovery window.
    return { run: Number(runId), runId, correlation: '', dispatchedAt: 0 }
  }

  async status(handle: WorkflowHandle, signal: AbortSignal): Promise<RunState> {
    if (handle.run === undefined) {
      const found = await this.lookup(handle, signal)
      if (!found) {
        if (this.clock.now() - handle.dispatchedAt > DISCOVERY_MS) {
          return {
            status: 'failed',
            message: `dispatched, but no run whose run-name carries ${handle.correlation} appeared in ${DISCOVERY_MS / 60_000} minutes. Fix: in the receiving workflow, declare the input ${CORRELATION_INPUT} (repository_dispatch: client_payload.${CORRELATION_INPUT}) and put it in run-name (see docs/chains-and-workflows.md, section "Workflows in other repositories").`
          }
        }
        return { status: 'running', detail: 'dispatched; waiting for GitHub to list the run' }
      }
      Object.assign(handle, { run: found.id, runId: String(found.id), runUrl: found.htmlUrl })
    }
    return runState(await this.api.getRun(this.config.owner, this.config.repo, handle.run!, signal))
  }

  /** Cancels the run; one not listed yet is looked for first, and one still not found is said to be so, not reported stopped. */
  async cancel(handle: WorkflowHandle, signal: AbortSignal): Promise<void> {
    const run = handle.run ?? (await this.lookup(handle, signal))?.id
    if (run === undefined)
      throw new UserError(
        `the dispatched run (run-name with ${handle.correlation}) is not listed yet, so it could not be cancelled; cancel it in ${this.repository}'s Actions tab`
      )
    await this.api.cancelRun(this.config.owner, this.config.repo, run, signal)
  }

  /** What the completed run published in its pipeline-metrics artifact; a run never found has none to read. */
  async metrics(handle: WorkflowHandle, signal: AbortSignal): Promise<MetricsReading> {
    if (handle.run === undefined) {
      const reading = readMetrics(undefined, 'the run')
      reading.ignored.push(
        `the dispatched run (run-name with ${handle.correlation}) was never found, so its ${METRICS_ARTIFACT} artifact could not be read`
      )
      return reading
    }
    return readRunMetrics(this.api, this.config.owner, this.config.repo, handle.run, signal)
  }
}
