/**
 * Retries for trigger requests: capped exponential backoff with full jitter
 * (sleep = random(0, min(cap, base·2^attempt))), and Retry-After (seconds or an HTTP date)
 * honoured, all within one deadline. Clock and randomness are injectable for tests.
 */
export const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504])

export interface RetryClock {
  now(): number
  sleep(ms: number): Promise<void>
  random(): number
}

export const realClock: RetryClock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random
}

const BASE_MS = 500
const CAP_MS = 20_000

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
