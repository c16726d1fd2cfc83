import type { Judgement } from '../core/judgement.js'
import type { RunResult } from '../execute/execute.js'

/**
 * A run as the step reports it: the executor's result, plus what the verdict made of it once it
 * ended (its check run on the commit, its gates' judgement). The executor never sees these.
 */
export interface ReportedRun extends RunResult {
  /** The run's check run on the commit, where the verdict made one. */
  checkRunId?: number
  /** Its gates' verdict against the baseline. */
  judgement?: Judgement
}
