/**
 * What every target is: it starts a run, says how the run is doing, and may cancel it. Targets
 * never sleep, poll or retry: src/execute/ owns waiting, the deadline, concurrency and retries.
 */
import type { RunState } from '../core/run-state.js'
import type { RunRequest } from '../core/run-request.js'
import type { MetricsReading } from '../core/metrics.js'

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
  prepare?(request: RunRequest, signal: AbortSignal): Promise<void>
  start(request: RunRequest, signal: AbortSignal): Promise<Handle>
  status(handle: Handle, signal: AbortSignal): Promise<RunState>
  cancel?(handle: Handle, signal: AbortSignal): Promise<void>
  /** The run this request already started, if any: lets a start whose answer was lost be retried exactly once. */
  find?(request: RunRequest, signal: AbortSignal): Promise<Handle | undefined>
  /**
   * A handle for a run this step did not start, from the run id its check run recorded: a later
   * reconcile pass or a callback asks the target about it. Absent where a run id is not enough.
   */
  follow?(runId: string): Handle
  /**
   * What the completed run reported about itself (src/core/metrics.ts bounds it), read once when
   * it has completed. Absent where the target has no way to report metrics.
   */
  metrics?(handle: Handle, signal: AbortSignal): Promise<MetricsReading>
}
