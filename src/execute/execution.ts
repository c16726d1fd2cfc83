/**
 * What the steps of one executePlan call share: the runs, each target's max-parallel slots, and
 * fail-fast. A run's end is settled only here (settle), because settling is also where fail-fast
 * is decided: whichever step ends a run (start, follow, deadline, fail-fast), the first failure
 * stops new starts the same way.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { formatDuration, type Clock, type Deadline } from '../clock.js'
import type { RunState } from '../core/run-state.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { RunHandle, Target } from '../targets/target.js'

/** A run's outcome, as the executor knows it. What others make of it (its check run, its gates) is theirs to add. */
export interface RunResult {
  request: TriggerRequest
  state: RunState
  durationMs: number
}

/**
 * Who watches the runs go by: the log lines, the verdict on the commit, the gates. Each is told,
 * never asked: a call must not throw or block.
 */
export interface RunObserver {
  /** A request is about to start (TRIGGER_ATTEMPT). */
  attempt?(request: TriggerRequest): void
  /** A run has started (the verdict on the commit opens). */
  started?(request: TriggerRequest, ids: Pick<RunState, 'runId' | 'runUrl'>): void
  /** A run has ended, or was left running with wait: false (the verdict completes). */
  settled?(request: TriggerRequest, state: RunState, durationMs?: number): void
  /** A run's final result, told in plan order once all have ended (TRIGGER_SUCCESS / TRIGGER_FAILURE). */
  finished?(result: RunResult): void
}

export interface ExecuteOptions {
  /** Follow started runs until they end; false returns once everything has started. */
  wait: boolean
  /** The first failed run stops new starts. */
  failFast: boolean
  /** With failFast, also cancel the runs still going. */
  cancelOnFailFast: boolean
  deadline: Deadline
  clock: Clock
  /** Status changes, retries and progress. */
  log(message: string): void
  /** Told of each run's start and end. */
  observer?: RunObserver
}

/** One planned request on its way through the executor. */
export interface Run {
  request: TriggerRequest
  target: Target
  handle?: RunHandle
  /** The latest state; final once the run has ended. */
  state?: RunState
  startedAt?: number
  endedAt?: number
  /** The last progress word logged, so each change is logged once. */
  said?: string
}

export const label = (run: Run): string => `#${run.request.index} ${run.request.pipelineName}`

/** The run's id and link, from its latest state or else from its handle, leaving out what neither has. */
export const ids = (handle: RunHandle | undefined, state?: RunState): Pick<RunState, 'runId' | 'runUrl'> => {
  const runId = state?.runId ?? handle?.runId
  const runUrl = state?.runUrl ?? handle?.runUrl
  return { ...(runId ? { runId } : {}), ...(runUrl ? { runUrl } : {}) }
}

export class Execution {
  readonly clock: Clock
  readonly deadline: Deadline
  readonly log: (message: string) => void
  readonly observer: RunObserver
  /** When the step began, for the progress lines. */
  readonly begun: number
  readonly runs: Run[]
  /** Set by the first failure under fail-fast: no run starts after it, and cancelled runs give it as their reason. */
  stopReason: string | undefined
  /** Aborted at that first failure when cancel-on-fail-fast consents: the runs still going are stopped. */
  readonly cancelAll = new AbortController()
  private readonly limits = new Map<Target, LimitFunction>()

  constructor(
    readonly options: ExecuteOptions,
    requests: TriggerRequest[],
    targetFor: (request: TriggerRequest) => Target
  ) {
    this.clock = options.clock
    this.deadline = options.deadline
    this.log = options.log
    this.observer = options.observer ?? {}
    this.begun = this.clock.now()
    this.runs = requests.map((request) => ({ request, target: targetFor(request) }))
  }

  /** The target's max-parallel slots, one set per target whichever requests use it. */
  slot(target: Target): LimitFunction {
    if (!this.limits.has(target)) this.limits.set(target, pLimit(target.maxParallel))
    return this.limits.get(target)!
  }

  /** The log line before each retry's wait. */
  onRetry(what: string): (error: Error, ms: number) => void {
    return (error, ms) => this.log(`${what}: ${error.message}; trying again in ${(ms / 1000).toFixed(1)}s.`)
  }

  /** Logs the run's progress word, once per change. */
  say(run: Run, word: string, extra = ''): void {
    if (word === run.said) return
    run.said = word
    this.log(`${label(run)}: ${word}${extra}`)
  }

  /** The run has ended in `state`: recorded, logged with its duration, and, under fail-fast, the first failure stops the rest. */
  settle(run: Run, state: RunState): void {
    run.state = state
    run.endedAt = this.clock.now()
    this.observer.settled?.(run.request, state, run.startedAt !== undefined ? run.endedAt - run.startedAt : undefined)
    this.say(
      run,
      state.status,
      `${state.message ? ` (${state.message})` : ''}${run.startedAt !== undefined ? ` after ${formatDuration(run.endedAt - run.startedAt)}` : ''}`
    )
    const { failFast, cancelOnFailFast } = this.options
    if (failFast && !this.stopReason && (state.status === 'failed' || state.status === 'timed_out')) {
      this.stopReason = `fail-fast stopped new starts after ${label(run)} ${state.status}`
      if (cancelOnFailFast) this.cancelAll.abort()
    }
  }
}
