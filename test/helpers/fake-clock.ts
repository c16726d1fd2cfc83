/**
 * A clock whose time moves only when everything is waiting on it: once the event loop has
 * nothing else to do (setImmediate), the earliest sleeper wakes and `now` jumps to its time.
 * Unit tests of the executor run hours of polling in milliseconds, deterministically.
 */
import type { Clock } from '../../src/clock.js'

interface Timer {
  at: number
  seq: number
  wake(): void
}

export class FakeClock implements Clock {
  private time = 0
  private seq = 0
  private timers: Timer[] = []
  private driving = false

  now = (): number => this.time
  random = (): number => 0.5

  sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted) return resolve()
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        wake: () => {
          signal?.removeEventListener('abort', cancel)
          resolve()
        }
      }
      const cancel = () => {
        this.timers = this.timers.filter((t) => t !== timer)
        resolve()
      }
      signal?.addEventListener('abort', cancel, { once: true })
      this.timers.push(timer)
      this.drive()
    })

  private drive(): void {
    if (this.driving) return
    this.driving = true
    const step = () => {
      if (this.timers.length === 0) {
        this.driving = false
        return
      }
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
      const next = this.timers.shift()!
      this.time = Math.max(this.time, next.at)
      next.wake()
      setImmediate(step)
    }
    setImmediate(step)
  }
}
