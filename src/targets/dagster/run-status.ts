/** Dagster's RunStatus words (GraphQL enum, 1.13) in the action's one vocabulary; any other word is still going. */
import type { RunStatus } from '../../core/run-state.js'

const FINAL: Record<string, RunStatus> = {
  SUCCESS: 'completed',
  FAILURE: 'failed',
  CANCELED: 'cancelled'
}

/** QUEUED, NOT_STARTED, MANAGED, STARTING, STARTED, SUSPENDED and CANCELING: the run goes on. */
export function statusOf(word: string): RunStatus {
  return Object.hasOwn(FINAL, word) ? FINAL[word]! : 'running'
}
