/**
 * The executor with a scripted target and a fake clock: concurrency, plan order, the deadline,
 * fail-fast, cancelling, retries, polling and wait: false, with hours of time in milliseconds.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Deadline, DeadlineExceeded } from '../../src/clock.js'
import type { RunState } from '../../src/core/run-state.js'
import { executePlan, nextPollMs, type ExecuteOptions, type RunResult } from '../../src/execute/execute.js'
import { LOST_ANSWER_SETTLE_MS } from '../../src/execute/start-run.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import { TransientError } from '../../src/retry.js'
import type { RunHandle, Target } from '../../src/targets/target.js'
import { FakeClock } from '../helpers/fake-clock.js'

interface Script {
  /** How long the run takes once started. */
  durationMs: number
  outcome?: 'completed' | 'failed'
  /** How long start() takes; Infinity = it never answers. */
  startMs?: number
  /** Errors thrown by the first start() calls, in order. */
  startErrors?: Error[]
  /** Errors thrown by the first status() calls, in order. */
  statusErrors?: Error[]
}

interface Handle extends RunHandle {
  index: number
  startedAt: number
}

class ScriptedTarget implements Target<Handle> {
  readonly name = 'scripted'
  readonly dedupesStarts: boolean
  readonly cancelOnTimeout: boolean
  readonly inRunner: boolean
  readonly maxParallel: number
  starts: number[] = []
  polls = new Map<number, number[]>()
  cancelled: number[] = []
  finds: number[] = []
  /** Runs that exist on the "server", by request index. */
  made = new Map<number, Handle>()
  private inStart = 0
  maxInStart = 0
  private active = 0
  maxActive = 0
  find?: (request: TriggerRequest, signal: AbortSignal) => Promise<Handle | undefined>

  constructor(
    private readonly clock: FakeClock,
    private readonly scripts: Script[],
    options: {
      maxParallel?: number
      dedupes?: boolean
      cancelOnTimeout?: boolean
      inRunner?: boolean
      canFind?: boolean
    } = {}
  ) {
    this.maxParallel = options.maxParallel ?? 4
    this.dedupesStarts = options.dedupes ?? true
    this.cancelOnTimeout = options.cancelOnTimeout ?? false
    this.inRunner = options.inRunner ?? false
    if (options.canFind) {
      this.find = async (request) => {
        this.finds.push(request.index)
        return this.made.get(request.index)
      }
    }
  }

  async start(request: TriggerRequest, signal: AbortSignal): Promise<Handle> {
    const script = this.scripts[request.index]!
    this.starts.push(request.index)
    this.inStart++
    this.maxInStart = Math.max(this.maxInStart, this.inStart)
    try {
      const startMs = script.startMs ?? 0
      if (startMs === Infinity) {
        await new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new DeadlineExceeded('timeout ran out')))
        )
      }
      await this.clock.sleep(startMs)
      const handle: Handle = {
        index: request.index,
        startedAt: this.clock.now(),
        runId: `run-${request.index}`,
        runUrl: `https://runs.example.com/${request.index}`
      }
      const error = script.startErrors?.shift()
      if (error) {
        // A lost answer: the run was made, but the caller never heard.
        if (error instanceof TransientError && error.message.includes('lost')) this.made.set(request.index, handle)
        throw error
      }
      this.made.set(request.index, handle)
      this.active++
      this.maxActive = Math.max(this.maxActive, this.active)
      return handle
    } finally {
      this.inStart--
    }
  }

  async status(handle: Handle): Promise<RunState> {
    const script = this.scripts[handle.index]!
    this.polls.set(handle.index, [...(this.polls.get(handle.index) ?? []), this.clock.now()])
    const error = script.statusErrors?.shift()
    if (error) throw error
    if (this.clock.now() - handle.startedAt < script.durationMs) return { status: 'running', detail: 'running' }
    this.active--
    return {
      status: script.outcome ?? 'completed',
      ...(script.outcome === 'failed' ? { message: 'the step raised' } : {})
    }
  }

  async cancel(handle: Handle): Promise<void> {
    this.cancelled.push(handle.index)
    this.active--
  }
}

function request(index: number): TriggerRequest {
  return {
    index,
    pipeline: `p${index}`,
    pipelineName: `pipeline_${index}`,
    target: 'scripted',
    targetConfig: { type: 'http' },
    parameters: {},
    reason: 'test',
    runName: `run-${index}`,
    idempotencyKey: `key-${index}`,
    chain: { root: 'r', depth: 1, chain: [`pipeline_${index}`] }
  }
}

async function execute(
  target: ScriptedTarget,
  clock: FakeClock,
  count: number,
  options: Partial<ExecuteOptions> & { timeoutMs?: number } = {}
) {
  const deadline = new Deadline(clock, options.timeoutMs ?? 6 * 3_600_000)
  const lines: string[] = []
  const finished: RunResult[] = []
  const results = await executePlan(
    Array.from({ length: count }, (_, i) => request(i)),
    () => target,
    {
      wait: true,
      failFast: false,
      cancelOnFailFast: false,
      deadline,
      clock,
      log: (m) => lines.push(m),
      observer: {
        attempt: (r) => lines.push(`attempt #${r.index}`),
        finished: (r) => finished.push(r)
      },
      ...options
    }
  )
  deadline.dispose()
  return { results, lines, finished, elapsed: clock.now() }
}

/** A target that can look its runs up and loses the answer to each of the five starts: the attempts are spent. */
function everyAnswerLost(clock: FakeClock): ScriptedTarget {
  const lost = Array.from({ length: 5 }, () => new TransientError('answer lost'))
  return new ScriptedTarget(clock, [{ durationMs: 1000, startErrors: lost }], { dedupes: false, canFind: true })
}

describe('executor: concurrency and order', () => {
  test('max-parallel bounds the starts in flight; following is not bounded', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      Array.from({ length: 7 }, () => ({ startMs: 1000, durationMs: 4000 })),
      { maxParallel: 2 }
    )
    const { results, elapsed } = await execute(target, clock, 7)
    assert.equal(target.maxInStart, 2)
    assert.ok(target.maxActive > 2, 'more runs than max-parallel are followed at once')
    assert.deepEqual(
      results.map((r) => r.state.status),
      Array(7).fill('completed')
    )
    // 4 waves of starts (1 s each), then the last run's 4 s, noticed within a poll.
    assert.ok(elapsed <= 4000 + 4000 + 1000, `took ${elapsed} ms`)
  })

  test('a run inside the runner holds its slot until it ends', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      Array.from({ length: 3 }, () => ({ durationMs: 2000 })),
      { maxParallel: 1, inRunner: true }
    )
    const { results, elapsed } = await execute(target, clock, 3)
    assert.equal(target.maxActive, 1)
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['completed', 'completed', 'completed']
    )
    assert.ok(elapsed >= 6000)
  })

  test('results and result lines stay in plan order whatever order runs end in', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [
      { durationMs: 9000 },
      { durationMs: 1000 },
      { durationMs: 5000 },
      { durationMs: 3000, outcome: 'failed' }
    ])
    const { results, finished, elapsed } = await execute(target, clock, 4)
    assert.deepEqual(
      results.map((r) => r.request.index),
      [0, 1, 2, 3]
    )
    assert.deepEqual(
      finished.map((r) => r.request.index),
      [0, 1, 2, 3]
    )
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['completed', 'completed', 'completed', 'failed']
    )
    assert.equal(results[3]!.state.message, 'the step raised')
    assert.equal(results[0]!.state.runId, 'run-0')
    // They overlap: the step takes about the longest run, not the sum.
    assert.ok(elapsed < 9000 * 1.25, `took ${elapsed} ms`)
  })

  test('property: any mix of durations ends in plan order, within 25 % (or 1 s) of the longest run', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 600_000 }), { minLength: 1, maxLength: 12 }),
        async (durations) => {
          const clock = new FakeClock()
          const target = new ScriptedTarget(
            clock,
            durations.map((durationMs) => ({ durationMs })),
            { maxParallel: 100 }
          )
          const { results, elapsed } = await execute(target, clock, durations.length)
          assert.deepEqual(
            results.map((r) => r.request.index),
            durations.map((_, i) => i)
          )
          const longest = Math.max(...durations)
          assert.ok(
            elapsed <= Math.max(longest * 1.25, longest + 1000),
            `${elapsed} ms for a longest run of ${longest} ms`
          )
        }
      ),
      { numRuns: 40 }
    )
  })
})

describe('executor: polling', () => {
  test("the next poll comes after a fifth of the run's age, within 1 s and 30 s", () => {
    assert.equal(nextPollMs(0), 1000)
    assert.equal(nextPollMs(10_000), 2000)
    assert.equal(nextPollMs(6 * 3_600_000), 30_000)
  })

  test('a six-hour run is polled at most twice a minute, and its end is noticed within 30 s', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 6 * 3_600_000 }])
    const { results, elapsed } = await execute(target, clock, 1, { timeoutMs: 7 * 3_600_000 })
    assert.equal(results[0]!.state.status, 'completed')
    const polls = target.polls.get(0)!
    const lastHour = polls.filter((t) => t >= 5 * 3_600_000 && t < 6 * 3_600_000)
    assert.ok(lastHour.length <= 120, `${lastHour.length} polls in the last hour`)
    assert.ok(elapsed - 6 * 3_600_000 <= 30_000)
    const gaps = polls.slice(1).map((t, i) => [polls[i]!, t - polls[i]!] as const)
    assert.ok(
      gaps.filter(([at]) => at > 150_000).every(([, gap]) => gap >= 30_000),
      'past 2.5 minutes of age, 30 s between polls'
    )
    assert.ok(polls.length <= 6 * 120 + 40, `${polls.length} polls in all`)
  })

  test('a transient status error waits for its Retry-After, then polling goes on', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [
      { durationMs: 20_000, statusErrors: [new TransientError('HTTP 429 from status', 15_000)] }
    ])
    const { results, lines } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    const [first, second] = target.polls.get(0)!
    assert.ok(second! - first! >= 15_000, 'Retry-After honoured')
    assert.ok(lines.some((l) => /HTTP 429 from status; asking again at the next poll/.test(l)))
  })

  test('a status reply that asks for time (Retry-After) is not polled sooner', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 30_000 }])
    const status = target.status.bind(target)
    let first = true
    target.status = async (handle) => {
      const state = await status(handle)
      if (!first) return state
      first = false
      return { ...state, pollAfterMs: 20_000 }
    }
    await execute(target, clock, 1)
    const [a, b] = target.polls.get(0)!
    assert.ok(b! - a! >= 20_000, `${b! - a!} ms between the first polls`)
  })

  test('a final status error fails the run with the error', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [
      { durationMs: 20_000, statusErrors: [new Error('HTTP 404: no such run')] }
    ])
    const { results } = await execute(target, clock, 1)
    assert.deepEqual([results[0]!.state.status, results[0]!.state.message], ['failed', 'HTTP 404: no such run'])
  })

  test('each status change is logged once, and a progress line comes every 30 s', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 70_000 }, { durationMs: 5_000 }])
    const { lines } = await execute(target, clock, 2)
    assert.equal(lines.filter((l) => l === '#0 pipeline_0: running').length, 1)
    assert.ok(
      lines.some((l) => /^#1 pipeline_1: completed after \d+s$/.test(l)),
      lines.join('\n')
    )
    assert.ok(lines.includes('1 running, 1 completed, 0 failed (30s)'), lines.join('\n'))
    assert.ok(lines.includes('1 running, 1 completed, 0 failed (1m)'), lines.join('\n'))
  })
})

describe('executor: one deadline', () => {
  test('the deadline bounds a start that never answers', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ startMs: Infinity, durationMs: 0 }, { durationMs: 1000 }], {
      maxParallel: 1
    })
    const { results, elapsed } = await execute(target, clock, 2, { timeoutMs: 3000 })
    assert.equal(elapsed, 3000)
    assert.equal(results[0]!.state.status, 'timed_out')
    assert.match(results[0]!.state.message!, /timeout \(3s\) ran out while it was starting; it may have started/)
    assert.deepEqual(
      [results[1]!.state.status, results[1]!.state.message],
      ['not_started', 'timeout (3s) ran out before it could start']
    )
  })

  test('runs still going at the deadline: cancelled with consent, otherwise reported as going on', async () => {
    for (const cancelOnTimeout of [true, false]) {
      const clock = new FakeClock()
      const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }, { durationMs: 1000 }], { cancelOnTimeout })
      const { results, elapsed } = await execute(target, clock, 2, { timeoutMs: 10_000 })
      assert.equal(elapsed, 10_000)
      assert.deepEqual(
        results.map((r) => r.state.status),
        ['timed_out', 'completed']
      )
      assert.equal(results[0]!.state.runUrl, 'https://runs.example.com/0', 'the link stays')
      assert.deepEqual(target.cancelled, cancelOnTimeout ? [0] : [])
      assert.match(
        results[0]!.state.message!,
        cancelOnTimeout
          ? /still running when timeout \(10s\) ran out, so it was stopped \(cancel-on-timeout\)/
          : /it goes on \(set cancel-on-timeout to stop it\)/
      )
    }
  })

  test('a run inside the runner is always stopped at the deadline', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }], { inRunner: true, cancelOnTimeout: false })
    const { results } = await execute(target, clock, 1, { timeoutMs: 5000 })
    assert.deepEqual(target.cancelled, [0])
    assert.match(results[0]!.state.message!, /so it was stopped$/)
  })
})

describe('executor: fail-fast', () => {
  test('the first failure stops new starts; what never started says why', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      [{ durationMs: 1000, outcome: 'failed' }, { durationMs: 1000 }, { durationMs: 1000 }],
      { maxParallel: 1, inRunner: true }
    )
    const { results } = await execute(target, clock, 3, { failFast: true })
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['failed', 'not_started', 'not_started']
    )
    assert.equal(results[1]!.state.message, 'fail-fast stopped new starts after #0 pipeline_0 failed')
    assert.deepEqual(target.starts, [0])
  })

  test('with cancel-on-fail-fast the runs still going are cancelled; without it they run on', async () => {
    for (const cancelOnFailFast of [true, false]) {
      const clock = new FakeClock()
      const target = new ScriptedTarget(clock, [
        { durationMs: 60_000 },
        { durationMs: 2000, outcome: 'failed' },
        { durationMs: 60_000 }
      ])
      const { results, elapsed } = await execute(target, clock, 3, { failFast: true, cancelOnFailFast })
      if (cancelOnFailFast) {
        assert.deepEqual(
          results.map((r) => r.state.status),
          ['cancelled', 'failed', 'cancelled']
        )
        assert.deepEqual(target.cancelled.sort(), [0, 2])
        assert.match(
          results[0]!.state.message!,
          /fail-fast stopped new starts after #1 pipeline_1 failed, so it was stopped/
        )
        assert.ok(elapsed < 5000)
      } else {
        assert.deepEqual(
          results.map((r) => r.state.status),
          ['completed', 'failed', 'completed']
        )
      }
    }
  })

  test('a run that ended just before fail-fast is reported as it ended, not cancelled', async () => {
    const clock = new FakeClock()
    // #0 ends at 9.0 s, between its polls at 8.64 s and 10.37 s; #1's start is refused at 9.5 s.
    const target = new ScriptedTarget(clock, [
      { durationMs: 9000 },
      { durationMs: 0, startMs: 9500, startErrors: [new Error('HTTP 400: refused')] }
    ])
    const { results } = await execute(target, clock, 2, { failFast: true, cancelOnFailFast: true })
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['completed', 'failed']
    )
    assert.deepEqual(target.cancelled, [])
  })

  test('a run its target cannot cancel is followed to its end after fail-fast, at the usual pace', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }, { durationMs: 2000, outcome: 'failed' }])
    Object.assign(target, { cancel: undefined })
    const { results } = await execute(target, clock, 2, { failFast: true, cancelOnFailFast: true })
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['completed', 'failed']
    )
    assert.ok(target.polls.get(0)!.length < 40, `${target.polls.get(0)!.length} polls: no busy loop`)
  })
})

describe('executor: retries', () => {
  test('a lost answer is retried where the target dedupes: one more start, same request', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [
      {
        durationMs: 1000,
        startErrors: [new TransientError('HTTP 503 from trigger'), new TransientError('HTTP 429 from trigger', 2000)]
      }
    ])
    const { results, lines } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    assert.deepEqual(target.starts, [0, 0, 0])
    assert.ok(
      lines.some((l) =>
        /^Starting #0 pipeline_0 \(the same Idempotency-Key, so at most one run\): HTTP 503 from trigger; trying again in \d/.test(
          l
        )
      )
    )
    assert.ok(
      lines.some((l) => /HTTP 429 from trigger; trying again in 2\.0s/.test(l)),
      'Retry-After honoured'
    )
  })

  test('a target that neither dedupes nor can look up is never started twice', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      [{ durationMs: 1000, startErrors: [new TransientError('connection reset')] }],
      { dedupes: false }
    )
    const { results } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'failed')
    assert.equal(
      results[0]!.state.message,
      'connection reset; no answer came, so the run may have started anyway: check the target before you re-run'
    )
    assert.deepEqual(target.starts, [0])
  })

  test('a lookup before the retry finds the run the lost answer made: exactly one run', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1000, startErrors: [new TransientError('answer lost')] }], {
      dedupes: false,
      canFind: true
    })
    const { results, lines } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    assert.deepEqual(target.starts, [0])
    assert.deepEqual(target.finds, [0])
    assert.ok(lines.some((l) => l.includes('the run exists (run-0); not starting it again')))
  })

  test('a run still being committed when its answer was lost is found after the settle wait: never two', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1000, startErrors: [new TransientError('answer lost')] }], {
      dedupes: false,
      canFind: true
    })
    // The server acted on the lost start, but its run shows up only 2 s later (a launch still being
    // committed); a lookup within the retry's first backoff (≤ 0.5 s) would find nothing.
    const made = target.made
    const visibleAt = new Map<number, number>()
    target.made = new Map()
    const set = target.made.set.bind(target.made)
    target.made.set = (index, handle) => {
      visibleAt.set(index, clock.now() + 2_000)
      made.set(index, handle)
      return set(index, handle)
    }
    const find = target.find!
    target.find = async (request, signal) =>
      clock.now() >= (visibleAt.get(request.index) ?? Infinity)
        ? find(request, signal)
        : (target.finds.push(request.index), undefined)
    const { results } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    assert.deepEqual(target.starts, [0], 'one start: the lookup came after the settle wait and found the run')
    assert.ok(LOST_ANSWER_SETTLE_MS >= 2_000)
  })

  test('the lookup finds nothing: the start is tried again', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      [{ durationMs: 1000, startErrors: [new TransientError('HTTP 502 before the server acted')] }],
      { dedupes: false, canFind: true }
    )
    const { results } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    assert.deepEqual(target.starts, [0, 0])
  })

  test('a refusal on the retry (a taken run name) adopts the run the lost answer made', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      [
        {
          durationMs: 1000,
          startErrors: [new TransientError('HTTP 502 from start'), new Error('HTTP 409: run name taken')]
        }
      ],
      { dedupes: false, canFind: true }
    )
    // The server made the run only after the first lookup: the 409 is the first sign of it.
    let finds = 0
    const find = target.find!
    target.find = async (request, signal) =>
      ++finds === 1
        ? undefined
        : (target.made.set(0, { index: 0, startedAt: 0, runId: 'run-0' }), find(request, signal))
    const { results } = await execute(target, clock, 1)
    assert.deepEqual([results[0]!.state.status, results[0]!.state.runId], ['completed', 'run-0'])
    assert.deepEqual(target.starts, [0, 0])
  })

  test('when the attempts are spent, one last lookup finds a run the lost answers made', async () => {
    const clock = new FakeClock()
    const target = everyAnswerLost(clock)
    let finds = 0
    const find = target.find!
    target.find = async (request, signal) => (++finds < 5 ? undefined : find(request, signal))
    const { results } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    assert.equal(target.starts.length, 5)
  })

  test('retries stop at the deadline, not after it', async () => {
    const clock = new FakeClock()
    const errors = Array.from({ length: 10 }, () => new TransientError('HTTP 503', 4000))
    const target = new ScriptedTarget(clock, [{ durationMs: 1000, startErrors: errors }])
    const { results, elapsed } = await execute(target, clock, 1, { timeoutMs: 9000 })
    assert.equal(results[0]!.state.status, 'failed')
    assert.ok(elapsed <= 9000)
  })
})

describe('executor: wait false', () => {
  test('everything starts, nothing is polled, and each run keeps its link', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }, { durationMs: 60_000 }])
    const { results, elapsed } = await execute(target, clock, 2, { wait: false })
    assert.deepEqual(
      results.map((r) => r.state.status),
      ['running', 'running']
    )
    assert.equal(results[1]!.state.runUrl, 'https://runs.example.com/1')
    assert.match(results[0]!.state.message!, /not followed \(wait: false\)/)
    assert.equal(target.polls.size, 0)
    assert.equal(elapsed, 0)
  })
})

describe('executor: prepare', () => {
  test('a request that cannot be prepared stops the step before anything starts', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1 }, { durationMs: 1 }])
    const prepare = async (r: TriggerRequest) => {
      if (r.index === 1) throw new Error('snapshot "x" has no parameter "y"')
    }
    Object.assign(target, { prepare })
    await assert.rejects(execute(target, clock, 2), /has no parameter/)
    assert.deepEqual(target.starts, [])
  })
})

describe('executor: branches the scenarios above do not reach', () => {
  test('a start that settles the outcome (a synchronous API) is reported as it settled, never polled', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }])
    const start = target.start.bind(target)
    target.start = async (r, signal) => ({
      ...(await start(r, signal)),
      settled: { status: 'failed', message: 'refused at once' }
    })
    const { results } = await execute(target, clock, 1)
    assert.deepEqual(
      [results[0]!.state.status, results[0]!.state.message, results[0]!.state.runId],
      ['failed', 'refused at once', 'run-0']
    )
    assert.equal(target.polls.size, 0)
  })

  test('the started line names the run and its link; durations run from start to end, 0 for what never started', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1000, outcome: 'failed' }, { durationMs: 1000 }], {
      maxParallel: 1,
      inRunner: true
    })
    const { results, lines } = await execute(target, clock, 2, { failFast: true })
    assert.ok(lines.includes('#0 pipeline_0: started run run-0 https://runs.example.com/0'), lines.join('\n'))
    assert.ok(lines.includes('#0 pipeline_0: failed (the step raised) after 1s'), lines.join('\n'))
    assert.ok(lines.includes('#1 pipeline_1: not_started (fail-fast stopped new starts after #0 pipeline_0 failed)'))
    assert.deepEqual(
      results.map((r) => r.durationMs),
      [1000, 0]
    )
  })

  test('a run that reports timed_out itself also triggers fail-fast', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1000 }, { durationMs: 1000 }], {
      maxParallel: 1,
      inRunner: true
    })
    target.status = async () => ({ status: 'timed_out', message: 'the server gave up' })
    const { results } = await execute(target, clock, 2, { failFast: true })
    assert.deepEqual(
      results.map((r) => [r.state.status, r.state.message]),
      [
        ['timed_out', 'the server gave up'],
        ['not_started', 'fail-fast stopped new starts after #0 pipeline_0 timed_out']
      ]
    )
  })

  test('a run that ended just before the deadline is reported as it ended, not stopped', async () => {
    const clock = new FakeClock()
    // Polls at 8.64 s (running) and 10.37 s; the run ends at 9 s, the deadline is at 10 s.
    const target = new ScriptedTarget(clock, [{ durationMs: 9000 }], { cancelOnTimeout: true })
    const { results, elapsed } = await execute(target, clock, 1, { timeoutMs: 10_000 })
    assert.equal(elapsed, 10_000)
    assert.deepEqual([results[0]!.state.status, results[0]!.state.runId], ['completed', 'run-0'])
    assert.deepEqual(target.cancelled, [])
  })

  test('at the deadline, a run its target cannot cancel is reported as going on, with no hint to set', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }], { cancelOnTimeout: true })
    Object.assign(target, { cancel: undefined })
    const { results } = await execute(target, clock, 1, { timeoutMs: 10_000 })
    assert.deepEqual(
      [results[0]!.state.status, results[0]!.state.message],
      ['timed_out', 'still running when timeout (10s) ran out; it goes on']
    )
  })

  test('a stop that fails says so and asks for a stop by hand: at the deadline and after fail-fast', async () => {
    for (const at of ['deadline', 'fail-fast'] as const) {
      const clock = new FakeClock()
      const target = new ScriptedTarget(clock, [{ durationMs: 60_000 }, { durationMs: 2000, outcome: 'failed' }], {
        cancelOnTimeout: true
      })
      let tries = 0
      target.cancel = async () => {
        tries++
        throw new Error('HTTP 403: no permission')
      }
      const { results } = await execute(
        target,
        clock,
        at === 'deadline' ? 1 : 2,
        at === 'deadline' ? { timeoutMs: 10_000 } : { failFast: true, cancelOnFailFast: true }
      )
      assert.equal(tries, 1, 'a refusal is not retried')
      assert.deepEqual(
        [results[0]!.state.status, results[0]!.state.message, results[0]!.state.runUrl],
        at === 'deadline'
          ? [
              'timed_out',
              'still running when timeout (10s) ran out, and stopping it failed (HTTP 403: no permission); stop it by hand',
              'https://runs.example.com/0'
            ]
          : [
              'cancelled',
              'fail-fast stopped new starts after #1 pipeline_1 failed; stopping it failed (HTTP 403: no permission), stop it by hand',
              'https://runs.example.com/0'
            ]
      )
    }
  })

  test('with wait: false a run inside the runner is still followed to its end', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 5000 }], { inRunner: true })
    const { results, elapsed } = await execute(target, clock, 1, { wait: false })
    assert.equal(results[0]!.state.status, 'completed')
    assert.ok(target.polls.get(0)!.length > 1)
    assert.ok(elapsed >= 5000)
  })

  test('a target that learns of the end itself wakes the wait at once', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 100_000 }])
    const start = target.start.bind(target)
    target.start = async (r, signal) => ({ ...(await start(r, signal)), changed: clock.sleep(100_000) })
    const { results, elapsed } = await execute(target, clock, 1)
    assert.equal(results[0]!.state.status, 'completed')
    // Polled on its own schedule, the end (at 100 s, polls 20 s apart by then) would be seen later.
    assert.equal(elapsed, 100_000)
    assert.equal(target.polls.get(0)!.at(-1), 100_000)
  })

  test('progress lines count the runs still waiting for a slot', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(
      clock,
      Array.from({ length: 3 }, () => ({ durationMs: 40_000 })),
      { maxParallel: 1, inRunner: true }
    )
    const { lines } = await execute(target, clock, 3)
    assert.ok(lines.includes('1 running, 0 completed, 0 failed, 2 waiting to start (30s)'), lines.join('\n'))
  })

  test('with wait: false and no run inside the runner, no progress line is written', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 60_000, startMs: 45_000 }])
    const { lines } = await execute(target, clock, 1, { wait: false })
    assert.ok(!lines.some((l) => /\d+ running, /.test(l)), lines.join('\n'))
  })

  test('a transient refusal to prepare is retried and logged', async () => {
    const clock = new FakeClock()
    const target = new ScriptedTarget(clock, [{ durationMs: 1 }])
    let prepares = 0
    Object.assign(target, {
      prepare: async () => {
        if (++prepares === 1) throw new TransientError('HTTP 503 from snapshot', 1000)
      }
    })
    const { results, lines } = await execute(target, clock, 1)
    assert.equal(prepares, 2)
    assert.equal(results[0]!.state.status, 'completed')
    assert.ok(
      lines.includes('Preparing #0 pipeline_0: HTTP 503 from snapshot; trying again in 1.0s.'),
      lines.join('\n')
    )
  })

  test('when the attempts are spent and the last lookup fails too, the run is failed as possibly started', async () => {
    const clock = new FakeClock()
    const target = everyAnswerLost(clock)
    let finds = 0
    target.find = async () => {
      if (++finds >= 5) throw new Error('lookup broke')
      return undefined
    }
    const { results } = await execute(target, clock, 1)
    assert.equal(target.starts.length, 5)
    assert.deepEqual(
      [results[0]!.state.status, results[0]!.state.message],
      ['failed', 'answer lost; no answer came, so the run may have started anyway: check the target before you re-run']
    )
  })
})
