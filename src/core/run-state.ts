/**
 * How a run stands, in the action's words: the targets say it, the executor waits on it, the
 * report shows it. Free-form words are mapped onto it in src/targets/status-words.ts, ZenML's
 * in src/zenml/run-status.ts.
 */
import type { Metrics } from './metrics.js'

/** The one status vocabulary. Each target maps its own words onto it in one place. */
export type RunStatus = 'completed' | 'failed' | 'running' | 'timed_out' | 'cancelled' | 'not_started'

export const RUN_STATUSES: readonly RunStatus[] = [
  'completed',
  'failed',
  'running',
  'timed_out',
  'cancelled',
  'not_started'
]

/** A final status ends the wait; no flag of the target's overrides that. */
export const isFinal = (status: RunStatus): boolean => status !== 'running'

/** What a step counts as success: the run completed, or it goes on and the step does not wait for it. */
export const isSuccess = (status: string): boolean => status === 'completed' || status === 'running'

export interface RunState {
  status: RunStatus
  runId?: string
  runUrl?: string
  /** Why a run failed, was cancelled or was not started, in words a user can act on. */
  message?: string
  /** The target's own word for the state (ZenML's `provisioning`, an API's `queued`), for progress lines. */
  detail?: string
  /** The server asked not to be polled again before this many ms (Retry-After on a status reply). */
  pollAfterMs?: number
  /** What a completed run reported about itself (read once it completed; see src/core/metrics.ts). */
  metrics?: Metrics
  /** Why its metrics could not be read, when they could not. */
  metricsProblem?: string
}
