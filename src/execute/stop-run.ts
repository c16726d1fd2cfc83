/**
 * Ending a run the step stops waiting for: at the deadline (timed out) and after fail-fast with
 * cancel-on-fail-fast (cancelled). Both first look once more, so a run that ended just now is
 * reported as it ended; both stop the run with a few seconds of grace, even past the deadline.
 */
import { Deadline } from '../clock.js'
import { errorMessage } from '../errors.js'
import { retry } from '../retry.js'
import { isFinal, type RunState } from '../core/run-state.js'
import { ids, label, type Execution, type Run } from './execution.js'

/** Time a cancel may take after the deadline: stopping a run is worth a few seconds past it. */
const CANCEL_GRACE_MS = 15_000
/**
 * Time the last status read may take after the deadline. A read answers in well under a second;
 * a server that does not answer must not hold the step long past timeout.
 */
export const LAST_LOOK_GRACE_MS = 3_000

/** The deadline passed while the run went on: stopped where the user consented (cancel-on-timeout) or where it runs inside this job. */
export async function endAtDeadline(execution: Execution, run: Run): Promise<void> {
  const ended = await lastLook(execution, run)
  if (ended) return execution.settle(run, ended)
  const { target } = run
  // A cancelled job's runs are cancelled, not timed out: the user stopped them, not the clock.
  const base: RunState = {
    status: execution.deadline.cancelled ? 'cancelled' : 'timed_out',
    ...ids(run.handle, run.state)
  }
  const what = `still ${run.state?.detail ?? 'running'} when ${execution.deadline.why}`
  if (target.cancel && (target.cancelOnTimeout || target.inRunner)) {
    const problem = await stopRun(execution, run)
    const message = problem
      ? `${what}, and stopping it failed (${problem}); stop it by hand`
      : `${what}, so it was stopped${target.inRunner ? '' : ' (cancel-on-timeout)'}`
    return execution.settle(run, { ...base, message })
  }
  execution.settle(run, {
    ...base,
    message: `${what}; it goes on${target.cancel ? ' (set cancel-on-timeout to stop it)' : ''}`
  })
}

/** Fail-fast with cancel-on-fail-fast: the run is stopped, and says which failure stopped it. */
export async function cancelAfterFailFast(execution: Execution, run: Run): Promise<void> {
  const ended = await lastLook(execution, run)
  if (ended) return execution.settle(run, ended)
  const problem = await stopRun(execution, run)
  execution.settle(run, {
    status: 'cancelled',
    ...ids(run.handle, run.state),
    message: `${execution.stopReason}${problem ? `; stopping it failed (${problem}), stop it by hand` : ', so it was stopped'}`
  })
}

/** Stops a run with a few seconds of grace, even past the deadline; the reason it could not, if it could not. */
async function stopRun(execution: Execution, run: Run): Promise<string | undefined> {
  const { clock } = execution
  const grace = new Deadline(clock, CANCEL_GRACE_MS)
  try {
    await retry(() => run.target.cancel!(run.handle!, grace.signal), {
      clock,
      deadline: grace,
      onRetry: execution.onRetry(`Stopping ${label(run)}`)
    })
    return undefined
  } catch (error) {
    return errorMessage(error)
  } finally {
    grace.dispose()
  }
}

/** One more status read, with a few seconds of grace: a run that ended just now is reported as it ended, not as cancelled or timed out. */
async function lastLook(execution: Execution, run: Run): Promise<RunState | undefined> {
  const grace = new Deadline(execution.clock, LAST_LOOK_GRACE_MS)
  try {
    const state = await run.target.status(run.handle!, grace.signal)
    return isFinal(state.status) ? { ...ids(run.handle), ...state } : undefined
  } catch {
    return undefined
  } finally {
    grace.dispose()
  }
}
