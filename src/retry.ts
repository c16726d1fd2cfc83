/**
 * The one retry policy: 408, 425, 429, 5xx and lost answers are retried with capped exponential
 * backoff and full jitter (sleep = random(0, min(cap, base·2^attempt))), Retry-After honoured,
 * never past the deadline. Callers decide *whether* a call may be retried (a POST only where the
 * receiver dedupes, or a lookup proved the first attempt made nothing); this module decides *when*.
 */
import type { Clock, Deadline } from './clock.js'
import { UserError } from './errors.js'

export const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504])

/** An error worth another try: the answer was lost or the server asked us to come back. */
export class TransientError extends UserError {
  override name = 'TransientError'
  readonly transient = true
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/** True for TransientError and for any error that says it is transient (e.g. a ZenML 503). */
export function isTransient(error: unknown): error is Error & { retryAfterMs?: number } {
  return error instanceof Error && (error as { transient?: unknown }).transient === true
}

const BASE_MS = 500
const CAP_MS = 20_000
export const MAX_ATTEMPTS = 5

/** Milliseconds to wait, from a Retry-After header value; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

export function backoffMs(attempt: number, random: () => number): number {
  return Math.floor(random() * Math.min(CAP_MS, BASE_MS * 2 ** attempt))
}

export interface RetryOptions {
  clock: Clock
  deadline: Pick<Deadline, 'remaining' | 'signal' | 'expired'>
  /** Which errors may be retried; default: transient ones. */
  retryable?: (error: unknown) => boolean
  /** Told before each wait, for the log. */
  onRetry?: (error: Error, waitMs: number) => void
  attempts?: number
  /** The least wait before a retry (a lost start's run given time to land); a wait that does not fit before the deadline ends the retries. */
  minWaitMs?: number
}

/** Calls `call(attempt)` until it succeeds, the error is final, the attempts are spent or the deadline is near. */
export async function retry<T>(call: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { clock, deadline } = options
  const retryable = options.retryable ?? isTransient
  for (let attempt = 0; ; attempt++) {
    try {
      return await call(attempt)
    } catch (error) {
      if (!retryable(error) || attempt + 1 >= (options.attempts ?? MAX_ATTEMPTS)) throw error
      const wait = Math.max(
        options.minWaitMs ?? 0,
        (error as { retryAfterMs?: number }).retryAfterMs ?? backoffMs(attempt, clock.random)
      )
      if (wait >= deadline.remaining()) throw error
      options.onRetry?.(error as Error, wait)
      await clock.sleep(wait, deadline.signal)
      if (deadline.expired) throw error
    }
  }
}
