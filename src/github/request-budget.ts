/**
 * When this process may send a request to GitHub: its share of GitHub's documented secondary rate
 * limits ("Rate limits for the REST API", About secondary rate limits:
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits):
 * - "no more than 80 content-generating requests per minute and no more than 500 content-generating
 *   requests per hour": writes (POST, PATCH, PUT, DELETE) go at once, in bursts, as long as no
 *   rolling minute holds more than 80 of this process's and no rolling hour more than 500. A write
 *   counts from when it was sent until its answer came, and then from that answer: the latest it
 *   can have reached GitHub, so a slow first request (a new connection) cannot squeeze two bursts
 *   into less than GitHub's minute;
 * - "No more than 100 concurrent requests", shared by everything that uses the same token: this
 *   process keeps MAX_CONCURRENT in flight, so ten jobs of one workflow run (one GITHUB_TOKEN's
 *   app installation) still stay within it, and a burst of polls cannot take it all;
 * - after GitHub answered with a rate limit, nothing is sent until the time it gave (`hold`).
 *
 * A request never waits past the bound it is given (the step's deadline): one that could go only
 * later fails at once with `OverBudget`, which says why and how long it would have waited.
 *
 * The throttling plugin's Bottleneck cannot stand in for this: its reservoir refills in fixed
 * windows (up to twice the limit across a window's edge), it waits on real timers, not the
 * action's clock, and it cannot refuse a wait that would pass the deadline.
 */
import type { Clock } from '../clock.js'

export const WRITES_PER_MINUTE = 80
export const WRITES_PER_HOUR = 500
export const MAX_CONCURRENT = 10
export const RATE_LIMIT_DOCS = 'https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000

export interface BudgetLimits {
  perMinute: number
  perHour: number
  concurrent: number
}

/** What a wait is measured against: the time left, and the signal that ends it. */
export interface Bound {
  remaining(): number
  signal: AbortSignal
}

/** The request could go only after its bound: not sent. */
export class OverBudget extends Error {
  override name = 'OverBudget'
  constructor(
    /** How long it would have had to wait. */
    readonly waitMs: number,
    /** Why, in words: the limit that holds it back. */
    readonly why: string,
    /** What the user can change. */
    readonly fix: string
  ) {
    super(`${why} (a wait of ${Math.ceil(waitMs / 1000)}s)`)
  }
}

interface NextSend {
  at: number
  why: string
  fix: string
}

const SPREAD_FIX =
  'give the step a longer `timeout`, or spread the runs over more steps or jobs (fewer runs per step, or `wait: false` with a reconcile pass)'

export class RequestBudget {
  /** This process's writes of the last hour: when each was answered (sent, while it is in flight), oldest first. */
  private readonly sent: number[] = []
  /** Writes waiting for their turn; they go in order. */
  private queued = 0
  private turn: Promise<void> = Promise.resolve()
  private active = 0
  private readonly freed = new Set<() => void>()
  private holdUntil = Number.NEGATIVE_INFINITY
  private holdWhy = ''

  constructor(
    private readonly clock: Clock,
    private readonly limits: BudgetLimits = {
      perMinute: WRITES_PER_MINUTE,
      perHour: WRITES_PER_HOUR,
      concurrent: MAX_CONCURRENT
    }
  ) {}

  /**
   * Waits until the request may go, within `bound`, and takes its place among those in flight;
   * returns the release to call once its answer is in. Throws OverBudget at once when it could go
   * only after the bound, and the signal's reason when the bound ends while it waits.
   */
  async admit(write: boolean, bound: Bound): Promise<() => void> {
    if (!write) return this.go(false, bound)
    // Where it will go if nothing changes, behind the writes queued before it: refused now, not after waiting.
    this.refuseIfPast(this.planned(this.queued), bound)
    this.queued++
    const previous = this.turn
    let done!: () => void
    this.turn = new Promise((resolve) => (done = resolve))
    try {
      await previous
      return await this.go(true, bound)
    } finally {
      this.queued--
      done()
    }
  }

  /** GitHub asked this process to wait (a rate limit): nothing is sent for `ms`. */
  hold(ms: number, why: string): void {
    const until = this.clock.now() + ms
    if (until <= this.holdUntil) return
    this.holdUntil = until
    this.holdWhy = why
  }

  /** How long until a write could go, were one sent now (0: at once). */
  writeWaitMs(): number {
    return Math.max(0, this.planned(this.queued).at - this.clock.now())
  }

  private async go(write: boolean, bound: Bound): Promise<() => void> {
    for (;;) {
      bound.signal.throwIfAborted()
      const next = this.next(write, this.sent)
      const now = this.clock.now()
      if (next.at > now) {
        this.refuseIfPast(next, bound)
        await this.clock.sleep(next.at - now, bound.signal)
        continue
      }
      if (this.active >= this.limits.concurrent) {
        await this.slotFreed(bound.signal)
        continue
      }
      // Taken at once, with no await since the checks: what they saw still holds.
      this.active++
      if (write) this.record(now)
      let released = false
      return () => {
        if (released) return
        released = true
        this.active--
        if (write) this.answered(now)
        const waiting = [...this.freed]
        this.freed.clear()
        for (const wake of waiting) wake()
      }
    }
  }

  /** The earliest a request may go after the writes in `sent`, and what holds it back. */
  private next(write: boolean, sent: readonly number[]): NextSend {
    let next: NextSend = { at: this.clock.now(), why: '', fix: '' }
    const later = (at: number, why: string, fix: string) => {
      if (at > next.at) next = { at, why, fix }
    }
    later(this.holdUntil, this.holdWhy, "run the step again once GitHub's wait is over, or give it a longer `timeout`")
    if (write) {
      const { perMinute, perHour } = this.limits
      if (sent.length >= perMinute)
        later(
          sent[sent.length - perMinute]! + MINUTE_MS,
          `this process has sent ${perMinute} writes to GitHub within a minute, the most GitHub allows (${perMinute} content-generating requests a minute, ${RATE_LIMIT_DOCS})`,
          SPREAD_FIX
        )
      if (sent.length >= perHour)
        later(
          sent[sent.length - perHour]! + HOUR_MS,
          `this process has sent ${perHour} writes to GitHub within an hour, the most GitHub allows (${perHour} content-generating requests an hour, ${RATE_LIMIT_DOCS})`,
          SPREAD_FIX
        )
    }
    return next
  }

  /** When the write after `ahead` queued ones would go, as things stand. */
  private planned(ahead: number): NextSend {
    const sent = [...this.sent]
    let next = this.next(true, sent)
    for (let i = 0; i < ahead; i++) {
      sent.push(next.at)
      next = this.next(true, sent)
    }
    if (ahead > 0 && next.why) next = { ...next, why: `${next.why}; ${ahead} writes are queued before it` }
    return next
  }

  private refuseIfPast(next: NextSend, bound: Bound): void {
    const wait = next.at - this.clock.now()
    if (wait > 0 && wait >= bound.remaining()) throw new OverBudget(wait, next.why, next.fix)
  }

  private record(now: number): void {
    this.sent.push(now)
    while (this.sent.length > 0 && this.sent[0]! <= now - HOUR_MS) this.sent.shift()
  }

  /** The write sent at `sentAt` has its answer: it counts from now on. */
  private answered(sentAt: number): void {
    const at = this.sent.indexOf(sentAt)
    if (at < 0) return
    this.sent[at] = this.clock.now()
    this.sent.sort((a, b) => a - b)
  }

  private slotFreed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.freed.delete(wake)
        signal.removeEventListener('abort', wake)
        resolve()
      }
      this.freed.add(wake)
      signal.addEventListener('abort', wake, { once: true })
    })
  }
}

/**
 * One budget per API host and clock: GitHub counts a host's limits on its own (github.com, a GHES
 * instance), and every client of the process on that host shares them; a test's fake clock, or its
 * own loopback server, has a budget of its own.
 */
const budgets = new WeakMap<Clock, Map<string, RequestBudget>>()
export function budgetOf(clock: Clock, apiUrl: string): RequestBudget {
  let hosts = budgets.get(clock)
  if (!hosts) budgets.set(clock, (hosts = new Map()))
  const host = new URL(apiUrl).host
  let budget = hosts.get(host)
  if (!budget) hosts.set(host, (budget = new RequestBudget(clock)))
  return budget
}
