/**
 * A job run's status in the action's words: Jobs API 2.2's status.state, and once TERMINATED,
 * status.termination_details.code (TerminationCodeCode). A state this table does not know counts
 * as still going; a termination code it does not know as failed.
 */
import type { RunStatus } from '../../core/run-state.js'

/** Every state but TERMINATED is on its way (BLOCKED, PENDING, QUEUED, RUNNING, TERMINATING, WAITING). */
export const FINAL_STATE = 'TERMINATED'

const CODES: Record<string, RunStatus> = {
  SUCCESS: 'completed',
  // "completed successfully but some child runs failed": a gate on its result would be a lie.
  SUCCESS_WITH_FAILURES: 'failed',
  USER_CANCELED: 'cancelled',
  // Canceled by the platform, e.g. the job's maximum run duration passed.
  CANCELED: 'cancelled',
  // Never executed: skipped, disabled, or refused by a queue or concurrency limit.
  SKIPPED: 'not_started',
  DISABLED: 'not_started',
  MAX_JOB_QUEUE_SIZE_EXCEEDED: 'not_started',
  MAX_CONCURRENT_RUNS_EXCEEDED: 'not_started'
}

export function statusOfTermination(code: string | undefined): RunStatus {
  return code !== undefined && Object.hasOwn(CODES, code) ? CODES[code]! : 'failed'
}
