/**
 * The words trigger APIs and pipeline commands use for a run's outcome, mapped onto the action's
 * status vocabulary. ZenML's own ExecutionStatus has its mapping in src/zenml/run-status.ts.
 */
import type { RunStatus } from '../core/run-state.js'

const WORDS: Record<string, RunStatus> = {
  completed: 'completed',
  succeeded: 'completed',
  success: 'completed',
  successful: 'completed',
  done: 'completed',
  cached: 'completed',
  skipped: 'completed',
  failed: 'failed',
  failure: 'failed',
  error: 'failed',
  errored: 'failed',
  rejected: 'failed',
  crashed: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  stopped: 'cancelled'
}

/** A run's status from a free-form word; anything unknown (queued, running, pending, …) means still going. */
export function statusFromWord(word: string | undefined): RunStatus {
  const key = (word ?? '').trim().toLowerCase()
  return Object.hasOwn(WORDS, key) ? WORDS[key]! : 'running'
}
