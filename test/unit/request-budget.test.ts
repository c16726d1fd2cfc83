/**
 * The process's request budget (src/github/request-budget.ts), on the fake clock: writes go in
 * bursts up to GitHub's 80 a rolling minute and 500 a rolling hour, at most 10 requests are in
 * flight, a rate limit GitHub answered holds every request, and a wait that would pass the bound
 * fails at once. Then the one GitHub client with it, against loopback servers: writes are not
 * spaced a second apart, and a rate limit is waited out as GitHub says, never past the deadline.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { Deadline, realClock, type Clock } from '../../src/clock.js'
import { GitHubClient, rateLimitWaitMs } from '../../src/github/client.js'
import {
  MAX_CONCURRENT,
  OverBudget,
  RATE_LIMIT_DOCS,
  RequestBudget,
  WRITES_PER_HOUR,
  WRITES_PER_MINUTE,
  type Bound
} from '../../src/github/request-budget.js'
import { isTransient } from '../../src/retry.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks } from '../helpers/fake-github-checks.js'
import { rejection } from '../helpers/rejection.js'
import { scriptedServer } from '../helpers/scripted-server.js'

const MINUTE = 60_000
const HOUR = 3_600_000

/** A bound of `ms` from now on the fake clock, without a timer of its own (a timer would move the fake clock on). */
function within(clock: Clock, ms: number, controller = new AbortController()): Bound {
  const at = clock.now() + ms
  return { remaining: () => Math.max(0, at - clock.now()), signal: controller.signal }
}

/** Every promise and immediate queued so far has run. */
const settled = () => new Promise((resolve) => setImmediate(resolve))

/** `count` writes sent at once, each released as soon as it is admitted; resolves with the times they went. */
async function burst(budget: RequestBudget, clock: Clock, count: number, bound: Bound): Promise<number[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const release = await budget.admit(true, bound)
      release()
      return clock.now()
    })
  )
}

describe('the request budget', () => {
  test('80 writes in a burst go at once; the 81st waits until the oldest of that minute falls out', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    const times = await burst(budget, clock, WRITES_PER_MINUTE, within(clock, HOUR))
    assert.deepEqual(new Set(times), new Set([0]))
    assert.equal(budget.writeWaitMs(), MINUTE)
    const [next] = await burst(budget, clock, 1, within(clock, HOUR))
    assert.equal(next, MINUTE)
  })

  test('the minute is rolling, not a fixed window: 40 at 0 s and 40 at 30 s let 40 more go at 60 s, the rest at 90 s', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    await burst(budget, clock, 40, within(clock, HOUR))
    await clock.sleep(30_000)
    await burst(budget, clock, 40, within(clock, HOUR))
    const times = await burst(budget, clock, 80, within(clock, HOUR))
    assert.deepEqual(
      times.map((t) => t / 1000),
      [...Array<number>(40).fill(60), ...Array<number>(40).fill(90)]
    )
  })

  test('a write counts from its answer: a burst answered 5 s after it was sent lets the 81st go at 65 s', async () => {
    const clock = new FakeClock()
    // All 80 in flight at once, so none waits for another's answer.
    const budget = new RequestBudget(clock, { perMinute: WRITES_PER_MINUTE, perHour: WRITES_PER_HOUR, concurrent: 100 })
    const releases = await Promise.all(
      Array.from({ length: WRITES_PER_MINUTE }, () => budget.admit(true, within(clock, HOUR)))
    )
    await clock.sleep(5_000)
    // Answered one by one, as their answers come: the next write follows the first answer by a minute.
    for (const release of releases) release()
    const [next] = await burst(budget, clock, 1, within(clock, HOUR))
    assert.equal(next, 65_000)
  })

  test('at most 500 writes in a rolling hour: the 501st waits until the first is an hour old', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    const times = await burst(budget, clock, WRITES_PER_HOUR, within(clock, 2 * HOUR))
    // 80 a minute: six full minutes, then the last 20.
    assert.equal(times.filter((t) => t === 0).length, 80)
    assert.equal(times.at(-1), 6 * MINUTE)
    const [next] = await burst(budget, clock, 1, within(clock, 2 * HOUR))
    assert.equal(next, HOUR)
  })

  test(`at most ${MAX_CONCURRENT} requests are in flight; the next goes when one answers`, async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    const inFlight: (() => void)[] = []
    const all = Array.from({ length: 25 }, (_, i) =>
      budget.admit(i % 2 === 0, within(clock, MINUTE)).then((release) => inFlight.push(release))
    )
    await settled()
    assert.equal(inFlight.length, MAX_CONCURRENT)
    inFlight[0]!()
    inFlight[0]!() // a second release of the same request frees nothing more
    await settled()
    assert.equal(inFlight.length, MAX_CONCURRENT + 1)
    for (let i = 1; i < 25; i++) {
      inFlight[i]!()
      await settled()
    }
    await Promise.all(all)
    assert.equal(inFlight.length, 25)
    assert.equal(clock.now(), 0)
  })

  test('after a rate limit, nothing goes until the time GitHub gave: reads and writes alike', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    budget.hold(7_000, 'GitHub answered HTTP 429 (rate limit) and asked to wait 7s')
    const read = await budget.admit(false, within(clock, MINUTE))
    assert.equal(clock.now(), 7_000)
    read()
    const write = await budget.admit(true, within(clock, MINUTE))
    assert.equal(clock.now(), 7_000)
    write()
    // A shorter hold does not shorten a longer one.
    budget.hold(30_000, 'first')
    budget.hold(1_000, 'second')
    ;(await budget.admit(false, within(clock, MINUTE)))()
    assert.equal(clock.now(), 37_000)
  })

  test('a write that could go only after its bound fails at once, saying why; one deep in the queue too', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    await burst(budget, clock, WRITES_PER_MINUTE, within(clock, HOUR))
    const refused = await rejection(budget.admit(true, within(clock, 30_000)))
    assert.ok(refused instanceof OverBudget)
    assert.equal(refused.waitMs, MINUTE)
    assert.equal(clock.now(), 0)
    assert.match(refused.why, /this process has sent 80 writes to GitHub within a minute/)
    assert.ok(refused.why.includes(RATE_LIMIT_DOCS))
    assert.match(refused.fix, /longer `timeout`/)

    // 80 more queued for the next minute: a write behind them could go only at 120 s.
    const queued = burst(budget, clock, WRITES_PER_MINUTE, within(clock, HOUR))
    await settled()
    assert.equal(clock.now(), 0)
    const deep = await rejection(budget.admit(true, within(clock, 100_000)))
    assert.ok(deep instanceof OverBudget)
    assert.equal(deep.waitMs, 2 * MINUTE)
    assert.match(deep.why, /80 writes are queued before it/)
    assert.equal(clock.now(), 0)
    assert.deepEqual(new Set(await queued), new Set([MINUTE]))
  })

  test('a hold past the bound fails at once; a bound that ends while a request waits ends the wait', async () => {
    const clock = new FakeClock()
    const budget = new RequestBudget(clock)
    budget.hold(120_000, 'GitHub answered HTTP 403 (rate limit) and asked to wait 2m')
    const refused = await rejection(budget.admit(false, within(clock, MINUTE)))
    assert.ok(refused instanceof OverBudget)
    assert.match(refused.why, /asked to wait 2m/)
    assert.equal(clock.now(), 0)

    const stop = new AbortController()
    const waiting = budget.admit(true, within(clock, HOUR, stop))
    await settled()
    stop.abort(new Error('the job was cancelled'))
    assert.equal((await rejection(waiting)).message, 'the job was cancelled')
  })

  test('how long a rate limit asks to wait: retry-after, else until x-ratelimit-reset, else a minute', () => {
    const now = 1_700_000_000_000
    assert.equal(rateLimitWaitMs(429, { 'retry-after': '7' }, '', now), 7_000)
    assert.equal(rateLimitWaitMs(403, { 'retry-after': '30' }, 'secondary rate limit', now), 30_000)
    assert.equal(
      rateLimitWaitMs(403, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }, '', now),
      42_000
    )
    assert.equal(rateLimitWaitMs(403, {}, 'You have exceeded a secondary rate limit.', now), MINUTE)
    assert.equal(rateLimitWaitMs(429, {}, '', now), MINUTE)
    // A 403 without any of it is a permission refusal, not a rate limit.
    assert.equal(rateLimitWaitMs(403, {}, 'Resource not accessible by integration', now), undefined)
    assert.equal(rateLimitWaitMs(503, { 'retry-after': '5' }, '', now), undefined)
  })
})

/** Real time, except that a sleep returns at once and moves this clock on by its length: what waited, and how long, is recorded. */
class SteppingClock implements Clock {
  private offset = 0
  readonly sleeps: number[] = []
  now = (): number => Date.now() + this.offset
  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    this.offset += ms
    return Promise.resolve()
  }
  random = (): number => 0.5
}

describe('the GitHub client with its budget', () => {
  const closing: (() => Promise<void> | void)[] = []
  afterEach(async () => {
    for (const close of closing.splice(0)) await close()
  })
  function client(apiUrl: string, token: string, clock: Clock, timeoutMs = MINUTE): GitHubClient {
    const deadline = new Deadline(realClock, timeoutMs)
    closing.push(() => deadline.dispose())
    return new GitHubClient({ token, apiUrl, deadline, clock, log: () => {} })
  }

  test('five writes are not spaced a second apart: sent one after another they never wait, sent together all five are in flight at once', async () => {
    let inFlight = 0
    let most = 0
    const fake = await startFakeGitHubChecks({
      repository: 'octo-org/octo-repo',
      tokens: { 'job-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } } },
      // Each check run's creation is held a moment, so writes sent together are seen together.
      latency: ({ method }) => {
        if (method !== 'POST') return 0
        most = Math.max(most, ++inFlight)
        setTimeout(() => inFlight--, 300)
        return 300
      }
    })
    closing.push(() => fake.close())
    const clock = new SteppingClock()
    const github = client(fake.url, 'job-token', clock)
    const create = (i: number) =>
      github.call(`creating check run ${i}`, { permission: '`checks: write`' }, (octokit) =>
        octokit.rest.checks.create({
          owner: 'octo-org',
          repo: 'octo-repo',
          name: `train ${i}`,
          head_sha: 'a'.repeat(40),
          status: 'in_progress'
        })
      )
    for (let i = 0; i < 5; i++) await create(i)
    assert.deepEqual(clock.sleeps, [])
    assert.equal(most, 1)
    await Promise.all([5, 6, 7, 8, 9].map(create))
    assert.deepEqual(clock.sleeps, [])
    assert.equal(most, 5)
    assert.equal(fake.checkRuns.length, 10)
    assert.deepEqual(fake.contractErrors, [])
  })

  test('a secondary rate limit with retry-after: the call is tried again after that long, and no other call goes before', async () => {
    const server = await scriptedServer((_request, index) =>
      index === 0
        ? {
            status: 403,
            headers: { 'retry-after': '7' },
            body: {
              message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
            }
          }
        : { status: 200, body: { id: 1, default_branch: 'main' } }
    )
    closing.push(() => server.close())
    const clock = new SteppingClock()
    const github = client(server.url, 'job-token', clock)
    const read = () =>
      github.call('reading octo-org/octo-repo', { permission: '`contents: read`', retry: true }, (octokit) =>
        octokit.rest.repos.get({ owner: 'octo-org', repo: 'octo-repo' })
      )
    assert.equal((await read()).data.default_branch, 'main')
    // The one wait is the retry policy's, as long as GitHub said; the budget's hold had passed by then.
    assert.deepEqual(clock.sleeps, [7_000])
    assert.equal(server.requests.length, 2)

    // A write that is not retried: its 429 holds the next call (a read) for the minute GitHub's docs ask for.
    const limited = await scriptedServer((request) =>
      request.method === 'POST' ? { status: 429, body: { message: 'Too many requests' } } : { status: 200, body: {} }
    )
    closing.push(() => limited.close())
    const other = client(limited.url, 'job-token', clock, 2 * MINUTE)
    const refused = await rejection(
      other.call('creating a check run', { permission: '`checks: write`' }, (octokit) =>
        octokit.rest.checks.create({ owner: 'o', repo: 'r', name: 'n', head_sha: 'a'.repeat(40) })
      )
    )
    assert.ok(isTransient(refused))
    assert.equal((refused as { retryAfterMs?: number }).retryAfterMs, MINUTE)
    assert.match(refused.message, /HTTP 429: Too many requests \(rate limit\)/)
    await other.call('reading o/r', { permission: '`contents: read`' }, (octokit) =>
      octokit.rest.repos.get({ owner: 'o', repo: 'r' })
    )
    assert.equal(clock.sleeps.length, 2)
    assert.ok(clock.sleeps[1]! > MINUTE - 1_000 && clock.sleeps[1]! <= MINUTE, String(clock.sleeps[1]))
  })

  test('a rate limit longer than the time left fails at once, and so does every call after it, saying what, whom, why and the fix', async () => {
    const server = await scriptedServer(() => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: { message: 'You have exceeded a secondary rate limit.' }
    }))
    closing.push(() => server.close())
    const clock = new SteppingClock()
    const github = client(server.url, 'job-token', clock, MINUTE)
    const read = (what: string) =>
      github.call(what, { permission: '`contents: read`', retry: true }, (octokit) =>
        octokit.rest.repos.get({ owner: 'octo-org', repo: 'octo-repo' })
      )
    const first = await rejection(read('reading octo-org/octo-repo'))
    assert.ok(isTransient(first))
    assert.match(first.message, /HTTP 429: You have exceeded a secondary rate limit \(rate limit\)/)
    const next = await rejection(read('reading octo-org/octo-repo again'))
    const host = new URL(server.url).host
    assert.match(
      next.message,
      new RegExp(
        `^GitHub API: reading octo-org/octo-repo again: not sent to ${host.replaceAll('.', '\\.')}: GitHub answered HTTP 429 \\(rate limit\\) and asked to wait 2m, so it could go only in 2m, after the step's timeout \\([^)]+ left\\)\\. Fix: run the step again once GitHub's wait is over, or give it a longer \`timeout\`\\.$`
      )
    )
    assert.ok(!isTransient(next))
    // Neither waited: nothing slept, and the second call never reached the server.
    assert.deepEqual(clock.sleeps, [])
    assert.equal(server.requests.length, 1)
  })
})
