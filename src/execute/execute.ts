/**
 * The one executor: every planned request is prepared, then started under its target's
 * max-parallel, then followed, all under the step's one deadline. Targets only start, report and
 * cancel; waiting, polling, retrying, fail-fast and cancelling live here.
 * - Runs are followed concurrently; results come back in plan order, whatever order they end in.
 * - Each run is polled after clamp(20 % of its age, 1 s, 30 s): a short run is noticed quickly,
 *   a long one is not hammered. A target that learns of a change itself (a process exits) wakes
 *   its run's wait at once.
 * - A run that does the work inside this job (command) holds its slot until it ends and is
 *   stopped when the deadline passes; it cannot outlive the step.
 *
 * One run's steps, each in its own file over the shared state of execution.ts: start-run.ts,
 * wait-for-run.ts, stop-run.ts (the deadline and fail-fast), progress.ts; settling a run is
 * Execution.settle.
 */
import { isSuccess } from '../core/run-state.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { retry } from '../retry.js'
import type { Target } from '../targets/target.js'
import { Execution, label, type ExecuteOptions, type Run, type RunResult } from './execution.js'
import { followRun } from './wait-for-run.js'
import { reportProgress } from './progress.js'
import { startRun } from './start-run.js'

export { nextPollMs } from './wait-for-run.js'
export type { ExecuteOptions, RunObserver, RunResult } from './execution.js'

/** A run succeeded when it completed, or when it is still going and the step does not wait for it. */
export const succeeded = (result: RunResult): boolean => isSuccess(result.state.status)

export async function executePlan(
  requests: TriggerRequest[],
  targetFor: (request: TriggerRequest) => Target,
  options: ExecuteOptions
): Promise<RunResult[]> {
  const execution = new Execution(options, requests, targetFor)
  await prepareAll(execution)
  const progress = reportProgress(execution)
  try {
    await Promise.all(execution.runs.map((run) => executeRun(execution, run)))
  } finally {
    progress.abort()
  }
  return report(execution)
}

/**
 * A dry run's check (`dry-run: check`): every request prepared as for a real run, under the same
 * deadline, slots and retries, and nothing started. Throws the first refusal, as a real run would.
 */
export async function checkPlan(
  requests: TriggerRequest[],
  targetFor: (request: TriggerRequest) => Target,
  options: Pick<ExecuteOptions, 'deadline' | 'clock' | 'log'>
): Promise<void> {
  await prepareAll(
    new Execution({ ...options, wait: false, failFast: false, cancelOnFailFast: false }, requests, targetFor)
  )
}

/** Every request is checked before any starts: nothing is triggered on half-understood input. */
async function prepareAll(execution: Execution): Promise<void> {
  const { clock, deadline } = execution
  const prepared = await Promise.allSettled(
    execution.runs.map((run) =>
      execution.slot(run.target)(async () => {
        if (run.target.prepare)
          await retry(() => run.target.prepare!(run.request, deadline.signal), {
            clock,
            deadline,
            onRetry: execution.onRetry(`Preparing ${label(run)}`)
          })
      })
    )
  )
  const refused = prepared.find((outcome) => outcome.status === 'rejected')
  if (refused) throw (refused as PromiseRejectedResult).reason
}

/**
 * One run, from waiting for a slot of its target to its end. It is not started once fail-fast or
 * the deadline has stopped new starts. A run inside this job is followed in its slot, since it
 * uses the runner's CPUs until it ends; any other gives the slot up as soon as it has started.
 */
async function executeRun(execution: Execution, run: Run): Promise<void> {
  const { deadline } = execution
  const started = await execution.slot(run.target)(async () => {
    const notStarted = execution.stopReason ?? (deadline.expired ? `${deadline.why} before it could start` : undefined)
    if (notStarted) {
      execution.settle(run, { status: 'not_started', message: notStarted })
      return false
    }
    if (!(await startRun(execution, run))) return false
    if (run.target.inRunner) await followRun(execution, run)
    return true
  })
  if (started && !run.target.inRunner) await followRun(execution, run)
}

/** The results in plan order, each told to the log once all have ended. */
function report(execution: Execution): RunResult[] {
  const { clock, observer } = execution
  const results = execution.runs.map((run) => ({
    request: run.request,
    state: run.state!,
    durationMs: (run.endedAt ?? clock.now()) - (run.startedAt ?? run.endedAt ?? clock.now())
  }))
  for (const result of results) observer.finished?.(result)
  return results
}
