/**
 * What every target is: it starts a run, says how the run is doing, and may cancel it. Targets
 * never sleep, poll or retry: src/execute/ owns waiting, the deadline, concurrency and retries.
 */
import type { TriggerRequest } from '../plan/trigger-request.js'

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
}

/** A started run, as its target needs it to follow and cancel it. */
export interface RunHandle {
  runId?: string
  runUrl?: string
  /** Set when the start already settled the outcome (a synchronous API), or the run cannot be followed. */
  settled?: RunState
  /** Resolves when the target learns something without being asked (a process exited), so the wait ends early. */
  changed?: Promise<unknown>
}

export interface Target<Handle extends RunHandle = RunHandle> {
  /** The target's name in the config, for messages. */
  readonly name: string
  /** How many of its requests may start at once. */
  readonly maxParallel: number
  /**
   * The run executes inside this job (the command target): it holds its concurrency slot until it
   * ends, it is followed even with wait: false, and it is stopped when the deadline passes, since
   * it cannot outlive the step.
   */
  readonly inRunner: boolean
  /** A lost answer to start may be retried as is: the receiver dedupes (Idempotency-Key). */
  readonly dedupesStarts: boolean
  /** Cancel a run still going when the deadline passes (cancel-on-timeout). */
  readonly cancelOnTimeout: boolean
  /** Checks and resolves everything a request needs, before any request of the step starts. */
  prepare?(request: TriggerRequest, signal: AbortSignal): Promise<void>
  start(request: TriggerRequest, signal: AbortSignal): Promise<Handle>
  status(handle: Handle, signal: AbortSignal): Promise<RunState>
  cancel?(handle: Handle, signal: AbortSignal): Promise<void>
  /** The run this request already started, if any: lets a start whose answer was lost be retried exactly once. */
  find?(request: TriggerRequest, signal: AbortSignal): Promise<Handle | undefined>
}
