/**
 * ZenML's ExecutionStatus in the action's vocabulary. The status alone decides: a run that fails
 * before any step starts stays `failed` with `in_progress: true` for good (seen on 0.98.0), and
 * ZenML's own client also waits on the status alone. Unknown statuses count as still running.
 */
import type { RunState, RunStatus } from '../core/run-state.js'

const STATUSES: Record<string, RunStatus> = {
  completed: 'completed',
  cached: 'completed',
  skipped: 'completed',
  failed: 'failed',
  retried: 'failed',
  stopped: 'cancelled',
  cancelled: 'cancelled'
}

export interface ZenmlRun {
  id: string
  name: string
  status: string
  statusReason?: string
}

export function runStatus(run: ZenmlRun): RunStatus {
  return Object.hasOwn(STATUSES, run.status) ? STATUSES[run.status]! : 'running'
}

/** A ZenML run in the action's words; a run that did not succeed says how it ended and why. */
export function stateOf(run: ZenmlRun, ids: { runId?: string; runUrl?: string }): RunState {
  const status = runStatus(run)
  const reason = run.statusReason ? `: ${run.statusReason}` : ''
  return {
    status,
    ...ids,
    detail: run.status,
    ...(status !== 'completed' && status !== 'running'
      ? { message: `the run ${run.name || run.id} ended ${run.status}${reason}` }
      : {})
  }
}
