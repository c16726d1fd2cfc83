/**
 * The one executor: every planned request is prepared, then started under its target's
 * max-parallel, then followed, all under the step's one deadline. Targets only start, report and
 * cancel; waiting, polling, retrying, fail-fast and cancelling live here.
 * - Runs are followed concurrently; results come back in plan order, whatever order they end in.
 * - Each run is polled after clamp(20 % of its age, 1 s, 30 s): a short run is noticed quickly,
 *   a long one is not hammered. A target that learns of a change itself (a process exits) wakes
 *   its run's wait at once.
 * - A run that does the work inside this job (command) holds its slot until it ends and is
 *   stopped when the deadline passes; it cannot outlive the step.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { Deadline, DeadlineExceeded, formatDuration, type Clock } from '../clock.js'
import { errorMessage } from '../errors.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { isTransient, retry } from '../retry.js'
import { isFinal, isSuccess, type RunHandle, type RunState, type Target } from '../targets/target.js'

export interface RunResult {
  request: TriggerRequest
  state: RunState
  durationMs: number
}

export interface ExecutionLog {
  /** A request is about to start (TRIGGER_ATTEMPT). */
  attempt(request: TriggerRequest): void
  /** A run's final result, called in plan order once all have ended (TRIGGER_SUCCESS / TRIGGER_FAILURE). */
  finished(result: RunResult): void
  /** Status changes, retries and progress. */
  info(message: string): void
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
  log: ExecutionLog
}

const MIN_POLL_MS = 1_000
const MAX_POLL_MS = 30_000
const PROGRESS_EVERY_MS = 30_000
/** Time a cancel may take after the deadline: stopping a run is worth a few seconds past it. */
const CANCEL_GRACE_MS = 15_000

/** The wait before the next poll of a run this old: a fifth of its age, within 1 s and 30 s. */
export function nextPollMs(ageMs: number): number {
  return Math.min(MAX_POLL_MS, Math.max(MIN_POLL_MS, Math.round(ageMs * 0.2)))
}

/** A run succeeded when it completed, or when it is still going and the step does not wait for it. */
export const succeeded = (result: RunResult): boolean => isSuccess(result.state.status)

interface Run {
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

const label = (run: Run): string => `#${run.request.index} ${run.request.pipelineName}`
const ids = (handle: RunHandle | undefined, state?: RunState): Pick<RunState, 'runId' | 'runUrl'> => {
  const runId = state?.runId ?? handle?.runId
  const runUrl = state?.runUrl ?? handle?.runUrl
  return { ...(runId ? { runId } : {}), ...(runUrl ? { runUrl } : {}) }
}

export async function executePlan(
  requests: TriggerRequest[],
  targetFor: (request: TriggerRequest) => Target,
  options: ExecuteOptions
): Promise<RunResult[]> {
  const { clock, deadline, log } = options
  const begun = clock.now()
  const limits = new Map<Target, LimitFunction>()
  const limit = (target: Target): LimitFunction => {
    if (!limits.has(target)) limits.set(target, pLimit(target.maxParallel))
    return limits.get(target)!
  }
  const runs: Run[] = requests.map((request) => ({ request, target: targetFor(request) }))
  /** Fail-fast: no new starts after the first failure, and (with consent) cancel what still runs. */
  let stopReason: string | undefined
  const cancelAll = new AbortController()
  const onRetry = (what: string) => (error: Error, ms: number) =>
    log.info(`${what}: ${error.message}; trying again in ${(ms / 1000).toFixed(1)}s.`)

  // Every request is checked before any starts: nothing is triggered on half-understood input.
  const prepared = await Promise.allSettled(
    runs.map((run) =>
      limit(run.target)(async () => {
        if (run.target.prepare)
          await retry(() => run.target.prepare!(run.request, deadline.signal), {
            clock,
            deadline,
            onRetry: onRetry(`Preparing ${label(run)}`)
          })
      })
    )
  )
  const refused = prepared.find((outcome) => outcome.status === 'rejected')
  if (refused) throw (refused as PromiseRejectedResult).reason

  const say = (run: Run, word: string, extra = ''): void => {
    if (word === run.said) return
    run.said = word
    log.info(`${label(run)}: ${word}${extra}`)
  }

  const finish = (run: Run, state: RunState): void => {
    run.state = state
    run.endedAt = clock.now()
    say(
      run,
      state.status,
      `${state.message ? ` (${state.message})` : ''}${run.startedAt !== undefined ? ` after ${formatDuration(run.endedAt - run.startedAt)}` : ''}`
    )
    if (options.failFast && !stopReason && (state.status === 'failed' || state.status === 'timed_out')) {
      stopReason = `fail-fast stopped new starts after ${label(run)} ${state.status}`
      if (options.cancelOnFailFast) cancelAll.abort()
    }
  }

  /** Stops a run with a few seconds of grace, even past the deadline. */
  const stopRun = async (run: Run): Promise<string | undefined> => {
    const grace = new Deadline(clock, CANCEL_GRACE_MS)
    try {
      await retry(() => run.target.cancel!(run.handle!, grace.signal), {
        clock,
        deadline: grace,
        onRetry: onRetry(`Stopping ${label(run)}`)
      })
      return undefined
    } catch (error) {
      return errorMessage(error)
    } finally {
      grace.dispose()
    }
  }

  /** One more status read, with a few seconds of grace: a run that ended just now is reported as it ended, not as cancelled or timed out. */
  const lastLook = async (run: Run): Promise<RunState | undefined> => {
    const grace = new Deadline(clock, CANCEL_GRACE_MS)
    try {
      const state = await run.target.status(run.handle!, grace.signal)
      return isFinal(state.status) ? { ...ids(run.handle), ...state } : undefined
    } catch {
      return undefined
    } finally {
      grace.dispose()
    }
  }

  const timedOut = async (run: Run): Promise<void> => {
    const ended = await lastLook(run)
    if (ended) return finish(run, ended)
    const base: RunState = { status: 'timed_out', ...ids(run.handle, run.state) }
    const what = `still ${run.state?.detail ?? 'running'} when timeout (${formatDuration(deadline.ms)}) ran out`
    if (run.target.cancel && (run.target.cancelOnTimeout || run.target.inRunner)) {
      const problem = await stopRun(run)
      const message = problem
        ? `${what}, and stopping it failed (${problem}); stop it by hand`
        : `${what}, so it was stopped${run.target.inRunner ? '' : ' (cancel-on-timeout)'}`
      return finish(run, { ...base, message })
    }
    finish(run, {
      ...base,
      message: `${what}; it goes on${run.target.cancel ? ' (set cancel-on-timeout to stop it)' : ''}`
    })
  }

  /** The run a lost answer may have made, if the target can look it up. */
  const lookUp = async (run: Run, signal: AbortSignal): Promise<RunHandle | undefined> => {
    const found = await run.target.find?.(run.request, signal)
    if (found)
      log.info(
        `${label(run)}: the answer to starting it was lost, but the run exists (${found.runId ?? run.request.runName}); not starting it again.`
      )
    return found
  }

  const start = async (run: Run): Promise<boolean> => {
    const { request, target } = run
    log.attempt(request)
    run.startedAt = clock.now()
    try {
      run.handle = await retry(
        async (attempt) => {
          // After a lost answer, a target that cannot dedupe first proves the run does not exist yet.
          const found = attempt > 0 ? await lookUp(run, deadline.signal) : undefined
          if (found) return found
          try {
            return await target.start(request, deadline.signal)
          } catch (error) {
            // A refusal after a lost answer (ZenML's 409 for a taken run name) can mean the first try made the run after all.
            if (attempt > 0 && !isTransient(error)) return (await lookUp(run, deadline.signal)) ?? Promise.reject(error)
            throw error
          }
        },
        {
          clock,
          deadline,
          retryable: (error) => isTransient(error) && (target.dedupesStarts || target.find !== undefined),
          onRetry: onRetry(
            `Starting ${label(run)}${target.dedupesStarts ? ' (the same Idempotency-Key, so at most one run)' : ''}`
          )
        }
      )
    } catch (error) {
      if (deadline.expired || error instanceof DeadlineExceeded) {
        finish(run, {
          status: 'timed_out',
          message: `timeout (${formatDuration(deadline.ms)}) ran out while it was starting; it may have started`
        })
        return false
      }
      const found = isTransient(error) ? await lookUp(run, deadline.signal).catch(() => undefined) : undefined
      if (!found) {
        const lost = isTransient(error)
          ? '; no answer came, so the run may have started anyway: check the target before you re-run'
          : ''
        finish(run, { status: 'failed', message: `${errorMessage(error)}${lost}` })
        return false
      }
      run.handle = found
    }
    const { runId, runUrl } = ids(run.handle)
    say(run, 'started', runId ? ` run ${runId}${runUrl ? ` ${runUrl}` : ''}` : '')
    return true
  }

  const follow = async (run: Run): Promise<void> => {
    const { target } = run
    const handle = run.handle!
    if (handle.settled) return finish(run, { ...ids(handle), ...handle.settled })
    if (!options.wait && !target.inRunner)
      return finish(run, {
        status: 'running',
        ...ids(handle),
        message: 'not followed (wait: false); its outcome is unknown to this step'
      })
    let changed = handle.changed
    let pollAfter = 0
    // A run its target cannot cancel is followed to its end even after fail-fast.
    const interrupt = target.cancel ? AbortSignal.any([deadline.signal, cancelAll.signal]) : deadline.signal
    for (;;) {
      const wait = new AbortController()
      const delay = Math.max(nextPollMs(clock.now() - run.startedAt!), pollAfter)
      const woke = await Promise.race([
        clock.sleep(delay, AbortSignal.any([interrupt, wait.signal])).then(() => 'timer'),
        ...(changed ? [changed.then(() => 'changed')] : [])
      ])
      wait.abort()
      if (woke === 'changed') changed = undefined
      if (deadline.expired) return timedOut(run)
      if (target.cancel && cancelAll.signal.aborted) {
        const ended = await lastLook(run)
        if (ended) return finish(run, ended)
        const problem = await stopRun(run)
        return finish(run, {
          status: 'cancelled',
          ...ids(handle, run.state),
          message: `${stopReason}${problem ? `; stopping it failed (${problem}), stop it by hand` : ', so it was stopped'}`
        })
      }
      let state: RunState
      try {
        state = await target.status(handle, deadline.signal)
      } catch (error) {
        if (deadline.expired || error instanceof DeadlineExceeded) return timedOut(run)
        if (isTransient(error)) {
          log.info(`${label(run)}: ${error.message}; asking again at the next poll.`)
          pollAfter = error.retryAfterMs ?? 0
          continue
        }
        return finish(run, { status: 'failed', ...ids(handle, run.state), message: errorMessage(error) })
      }
      if (isFinal(state.status)) return finish(run, { ...ids(handle), ...state })
      run.state = { ...ids(handle), ...state }
      say(run, state.detail ?? state.status)
      pollAfter = state.pollAfterMs ?? 0
    }
  }

  const execute = async (run: Run): Promise<void> => {
    const started = await limit(run.target)(async () => {
      const notStarted =
        stopReason ??
        (deadline.expired ? `timeout (${formatDuration(deadline.ms)}) ran out before it could start` : undefined)
      if (notStarted) {
        finish(run, { status: 'not_started', message: notStarted })
        return false
      }
      if (!(await start(run))) return false
      // A run inside this job holds its slot (the runner's CPUs) until it ends.
      if (run.target.inRunner) await follow(run)
      return true
    })
    if (started && !run.target.inRunner) await follow(run)
  }

  const progress = reportProgress(runs, options, begun)
  try {
    await Promise.all(runs.map(execute))
  } finally {
    progress.abort()
  }
  const results = runs.map((run) => ({
    request: run.request,
    state: run.state!,
    durationMs: (run.endedAt ?? clock.now()) - (run.startedAt ?? run.endedAt ?? clock.now())
  }))
  for (const result of results) log.finished(result)
  return results
}

/** Every 30 s while runs are followed: one line of counts, e.g. `3 running, 2 completed, 0 failed (4m 10s)`. */
function reportProgress(runs: Run[], options: ExecuteOptions, begun: number): AbortController {
  const done = new AbortController()
  if (!options.wait && !runs.some((run) => run.target.inRunner)) return done
  const { clock, log } = options
  void (async () => {
    for (;;) {
      await clock.sleep(PROGRESS_EVERY_MS, done.signal)
      if (done.signal.aborted) return
      const count = (test: (run: Run) => boolean) => runs.filter(test).length
      const waiting = count((run) => run.startedAt === undefined && run.state === undefined)
      const running = count(
        (run) => run.startedAt !== undefined && (run.state === undefined || !isFinal(run.state.status))
      )
      const completed = count((run) => run.state?.status === 'completed')
      const failed = count(
        (run) => run.state !== undefined && isFinal(run.state.status) && run.state.status !== 'completed'
      )
      log.info(
        `${running} running, ${completed} completed, ${failed} failed${waiting ? `, ${waiting} waiting to start` : ''} (${formatDuration(clock.now() - begun)})`
      )
    }
  })()
  return done
}
