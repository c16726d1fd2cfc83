/**
 * Following a started run until it ends. Each run is polled after clamp(20 % of its age, 1 s,
 * 30 s): a short run is noticed quickly, a long one is not hammered. A target that learns of a
 * change itself (a process exits) wakes the wait at once. The deadline and fail-fast end the wait
 * too; what happens then is in stop-run.ts.
 */
import { DeadlineExceeded } from '../clock.js'
import { errorMessage } from '../errors.js'
import { isTransient } from '../retry.js'
import { isFinal, type RunState } from '../core/run-state.js'
import { ids, label, type Execution, type Run } from './execution.js'
import { withMetrics } from './read-metrics.js'
import { cancelAfterFailFast, endAtDeadline } from './stop-run.js'

const MIN_POLL_MS = 1_000
const MAX_POLL_MS = 30_000

/** The wait before the next poll of a run this old: a fifth of its age, within 1 s and 30 s. */
export function nextPollMs(ageMs: number): number {
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(ageMs * 0.2)))
}

/** Follows the started run to its end and settles it; with wait: false only a run inside the runner is followed. */
export async function followRun(execution: Execution, run: Run): Promise<void> {
  const { clock, deadline, log, cancelAll } = execution
  const { target } = run
  const handle = run.handle!
  if (handle.settled)
    return execution.settle(run, await withMetrics(execution, run, { ...ids(handle), ...handle.settled }))
  if (!execution.options.wait && !target.inRunner)
    return execution.settle(run, {
      status: 'running',
      ...ids(handle),
      message: 'not followed (wait: false); its outcome is unknown to this step'
    })
  let changed = handle.changed
  /** The least wait the server asked for (Retry-After), which the next poll honours. */
  let pollAfter = 0
  // A run its target cannot cancel is followed to its end even after fail-fast.
  const interrupt = target.cancel ? AbortSignal.any([deadline.signal, cancelAll.signal]) : deadline.signal
  for (;;) {
    const wait = new AbortController()
    const delay = Math.max(nextPollMs(clock.now() - run.startedAt!), pollAfter)
    const woke = await Promise.race([
      clock.sleep(delay, AbortSignal.any([interrupt, wait.signal])).then(() => 'timer'),
      ...(changed ? [changed.then(() => 'changed')] : [])
    ])
    wait.abort()
    // The change has been heard; racing it again would wake every wait at once.
    if (woke === 'changed') changed = undefined
    if (deadline.expired) return endAtDeadline(execution, run)
    if (target.cancel && cancelAll.signal.aborted) return cancelAfterFailFast(execution, run)
    let state: RunState
    try {
      state = await target.status(handle, deadline.signal)
    } catch (error) {
      if (deadline.expired || error instanceof DeadlineExceeded) return endAtDeadline(execution, run)
      if (isTransient(error)) {
        log(`${label(run)}: ${error.message}; asking again at the next poll.`)
        pollAfter = error.retryAfterMs ?? 0
        continue
      }
      return execution.settle(run, { status: 'failed', ...ids(handle, run.state), message: errorMessage(error) })
    }
    if (isFinal(state.status))
      return execution.settle(run, await withMetrics(execution, run, { ...ids(handle), ...state }))
    run.state = { ...ids(handle), ...state }
    execution.say(run, state.detail ?? state.status)
    pollAfter = state.pollAfterMs ?? 0
  }
}
