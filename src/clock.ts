/**
 * The one clock: every wait in the action goes through it, so a test can replace time itself,
 * and the one step-wide deadline that `timeout` sets.
 */
import { UserError } from './errors.js'

export interface Clock {
  now(): number
  /** Resolves after `ms`, or as soon as `signal` aborts (never rejects: callers check what happened). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  random(): number
}

export const realClock: Clock = {
  now: Date.now,
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const done = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      signal?.addEventListener('abort', done, { once: true })
    }),
  random: Math.random
}

/** The step's `timeout` ran out while a call was in flight. */
export class DeadlineExceeded extends UserError {
  override name = 'DeadlineExceeded'
}

/**
 * The step's one deadline. Its signal aborts when `timeout` runs out; every request, start and
 * poll is bound to it, so nothing can outlive the step.
 */
export class Deadline {
  readonly at: number
  private readonly controller = new AbortController()
  private readonly timer = new AbortController()

  constructor(
    readonly clock: Clock,
    readonly ms: number
  ) {
    this.at = clock.now() + ms
    void clock.sleep(ms, this.timer.signal).then(() => {
      if (!this.timer.signal.aborted)
        this.controller.abort(new DeadlineExceeded(`timeout (${formatDuration(ms)}) ran out`))
    })
  }

  get signal(): AbortSignal {
    return this.controller.signal
  }

  get expired(): boolean {
    return this.controller.signal.aborted
  }

  remaining(): number {
    return Math.max(0, this.at - this.clock.now())
  }

  /** Set when the job was cancelled before the timeout: why (the signal the runner sent). */
  cancelled: string | undefined

  /**
   * The job is being cancelled (the runner sent SIGINT or SIGTERM): everything bound to the
   * deadline ends now, as at the timeout, so runs are stopped where that was consented and
   * check runs completed, within the seconds the runner allows.
   */
  cancel(why: string): void {
    if (this.expired) return
    this.cancelled = why
    this.controller.abort(new DeadlineExceeded(why))
  }

  /** What ended the step's time, in words: "timeout (5m) ran out" or "the job was cancelled (SIGINT)". */
  get why(): string {
    return this.cancelled ?? `timeout (${formatDuration(this.ms)}) ran out`
  }

  /** Stops the timer once the step is done, so it keeps no process alive. */
  dispose(): void {
    this.timer.abort()
  }
}

/** 4m 10s, 1h 2m, 900ms: how durations read in the log. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  const total = Math.round(ms / 1000)
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60]
  // Beyond two days, days read better than hours: a run 13 days old, not 312h.
  if (h >= 48) return `${Math.floor(h / 24)}d${h % 24 ? ` ${h % 24}h` : ''}`
  if (h > 0) return `${h}h${m ? ` ${m}m` : ''}`
  if (m > 0) return `${m}m${s ? ` ${s}s` : ''}`
  return `${s}s`
}
