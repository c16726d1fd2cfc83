/**
 * A completed run's metrics, read once from its target, under the step's deadline and the one
 * retry policy. A read that fails does not fail the run: the run completed; its gates then cannot
 * say yes, and the verdict says why (neutral).
 */
import { errorMessage } from '../errors.js'
import type { RunState } from '../core/run-state.js'
import { retry } from '../retry.js'
import { label, type Execution, type Run } from './execution.js'

export async function withMetrics(execution: Execution, run: Run, state: RunState): Promise<RunState> {
  const { target, handle } = run
  if (state.status !== 'completed' || !target.metrics || !handle) return state
  const { clock, deadline, log } = execution
  try {
    const reading = await retry(() => target.metrics!(handle, deadline.signal), {
      clock,
      deadline,
      onRetry: execution.onRetry(`Reading the metrics of ${label(run)}`)
    })
    for (const note of reading.ignored) log(`${label(run)}: a metric was left out: ${note}.`)
    return { ...state, metrics: reading.metrics }
  } catch (error) {
    const problem = `its metrics could not be read: ${errorMessage(error)}`
    log(`${label(run)}: ${problem}`)
    return { ...state, metricsProblem: problem }
  }
}
