/**
 * Starting a run. A start whose answer was lost may have made the run anyway, so it is tried
 * again only where that cannot make a second run: the target dedupes starts (the same
 * Idempotency-Key), or it can look up the run the lost answer made before it starts again.
 */
import { DeadlineExceeded } from '../clock.js'
import { errorMessage } from '../errors.js'
import { isTransient, retry } from '../retry.js'
import type { RunHandle } from '../targets/target.js'
import { ids, label, type Execution, type Run } from './execution.js'

/**
 * How long a start whose answer was lost is given to land before the run is looked up: a server
 * that received the request may still be committing the run, and a lookup that comes too soon
 * finds nothing and starts a second one where the target cannot dedupe.
 */
export const LOST_ANSWER_SETTLE_MS = 3_000

/** Starts the run and logs its id and link; false when it ended here instead (failed, or timed out while starting). */
export async function startRun(execution: Execution, run: Run): Promise<boolean> {
  const { clock, deadline } = execution
  const { request, target } = run
  execution.observer.attempt?.(request)
  run.startedAt = clock.now()
  try {
    run.handle = await retry(
      async (attempt) => {
        // After a lost answer, a target that cannot dedupe first proves the run does not exist yet
        // (after the retry's wait of at least LOST_ANSWER_SETTLE_MS: a launch still being committed).
        const found = attempt > 0 ? await lookUp(execution, run, deadline.signal) : undefined
        if (found) return found
        try {
          return await target.start(request, deadline.signal)
        } catch (error) {
          // A refusal after a lost answer (ZenML's 409 for a taken run name) can mean the first try made the run after all.
          if (attempt > 0 && !isTransient(error))
            return (await lookUp(execution, run, deadline.signal)) ?? Promise.reject(error)
          throw error
        }
      },
      {
        clock,
        deadline,
        retryable: (error) => isTransient(error) && (target.dedupesStarts || target.find !== undefined),
        ...(target.dedupesStarts ? {} : { minWaitMs: LOST_ANSWER_SETTLE_MS }),
        onRetry: execution.onRetry(
          `Starting ${label(run)}${target.dedupesStarts ? ' (the same Idempotency-Key, so at most one run)' : ''}`
        )
      }
    )
  } catch (error) {
    if (deadline.expired || error instanceof DeadlineExceeded) {
      // The call that was waiting says of whom: a lost login, a start that never answered.
      const said = errorMessage(error)
      const namesMore = said !== '' && said !== deadline.why && !/^timeout( \(.+\))? ran out$/.test(said)
      execution.settle(run, {
        status: 'timed_out',
        message: `${namesMore ? said : `${deadline.why} while it was starting`}; it may have started`
      })
      return false
    }
    // The attempts are spent on lost answers: one last lookup, since any of them may have made the run.
    const found = isTransient(error) ? await lookUp(execution, run, deadline.signal).catch(() => undefined) : undefined
    if (!found) {
      const lost = isTransient(error)
        ? '; no answer came, so the run may have started anyway: check the target before you re-run'
        : ''
      execution.settle(run, { status: 'failed', message: `${errorMessage(error)}${lost}` })
      return false
    }
    run.handle = found
  }
  const { runId, runUrl } = ids(run.handle)
  execution.say(run, 'started', runId ? ` run ${runId}${runUrl ? ` ${runUrl}` : ''}` : '')
  execution.observer.started?.(run.request, ids(run.handle))
  return true
}

/** The run a lost answer may have made, if the target can look it up. */
async function lookUp(execution: Execution, run: Run, signal: AbortSignal): Promise<RunHandle | undefined> {
  const found = await run.target.find?.(run.request, signal)
  if (found)
    execution.log(
      `${label(run)}: the answer to starting it was lost, but the run exists (${found.runId ?? run.request.runName}); not starting it again.`
    )
  return found
}
