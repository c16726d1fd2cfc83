/** The progress line, every 30 s while runs are followed, e.g. `3 running, 2 completed, 0 failed (4m 10s)`. */
import { formatDuration } from '../clock.js'
import { isFinal } from '../core/run-state.js'
import type { Execution, Run } from './execution.js'

const PROGRESS_EVERY_MS = 30_000

/** Starts the progress lines; abort the controller it returns once every run has ended. */
export function reportProgress(execution: Execution): AbortController {
  const done = new AbortController()
  const { runs, clock, log, begun } = execution
  // With wait: false only runs inside the runner are followed; without any, the step ends once all have started.
  if (!execution.options.wait && !runs.some((run) => run.target.inRunner)) return done
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
      log(
        `${running} running, ${completed} completed, ${failed} failed${waiting ? `, ${waiting} waiting to start` : ''} (${formatDuration(clock.now() - begun)})`
      )
    }
  })()
  return done
}
