/**
 * Re-attach on a re-run: a job's second attempt finds, for each request, the check run an earlier
 * attempt opened on the same commit (same name, our external id with the run's id), asks the
 * target how that run stands, and follows it instead of starting another while it is still
 * running or has completed. A failed or cancelled one is started anew. GitHub's check run is the
 * record: nothing else is kept between attempts.
 */
import type { RunRequest } from '../core/run-request.js'
import type { RunState } from '../core/run-state.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { RunHandle, Target } from '../targets/target.js'

export interface EarlierRun {
  checkRunId: number
  runId: string
}

export interface ReattachOptions {
  /** The earlier attempt's check run and run for this request, if there is one. */
  earlier(request: TriggerRequest): Promise<EarlierRun | undefined>
  /** The check run this attempt takes over, so it is completed, not opened a second time. */
  adopt(request: TriggerRequest, checkRunId: number): void
  log(message: string): void
}

/** The target, whose start first looks for the run an earlier attempt of the job started. */
export function reattaching(target: Target, options: ReattachOptions): Target {
  const follow = target.follow?.bind(target)
  if (!follow) return target
  const start = async (request: RunRequest, signal: AbortSignal): Promise<RunHandle> => {
    const triggerRequest = request as TriggerRequest
    const earlier = await options.earlier(triggerRequest).catch((error: unknown) => {
      options.log(
        `#${request.index} ${request.pipelineName}: the earlier attempts' check runs could not be read (${(error as Error).message}); starting it.`
      )
      return undefined
    })
    if (earlier) {
      const handle = follow(earlier.runId)
      const state: RunState = await target.status(handle, signal)
      const what = `#${request.index} ${request.pipelineName}: the run ${earlier.runId} an earlier attempt of this job started`
      if (state.status === 'running' || state.status === 'completed') {
        options.log(
          `${what} is ${state.status}: re-attached to it (check run ${earlier.checkRunId}), not starting another.`
        )
        options.adopt(triggerRequest, earlier.checkRunId)
        return state.status === 'completed' ? { ...handle, settled: { ...state, runId: earlier.runId } } : handle
      }
      options.log(`${what} ${state.status}: starting a new one.`)
    }
    return target.start(request, signal)
  }
  // Everything else is the target's own; only start looks back first.
  return {
    name: target.name,
    maxParallel: target.maxParallel,
    inRunner: target.inRunner,
    dedupesStarts: target.dedupesStarts,
    cancelOnTimeout: target.cancelOnTimeout,
    start,
    status: (handle, signal) => target.status(handle, signal),
    follow,
    ...(target.prepare ? { prepare: target.prepare.bind(target) } : {}),
    ...(target.cancel ? { cancel: target.cancel.bind(target) } : {}),
    ...(target.find ? { find: target.find.bind(target) } : {}),
    // Without it a re-run's runs, re-attached or new, would complete with no metrics and undecidable gates.
    ...(target.metrics ? { metrics: target.metrics.bind(target) } : {})
  }
}
