/**
 * Triggers the planned requests one after another and records what happened to each.
 * A target that throws fails its own run, not the others: every request gets a result.
 */
import { errorMessage } from '../errors.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import type { RunState, Target } from '../targets/target.js'

export interface RunResult {
  request: TriggerRequest
  state: RunState
  durationMs: number
}

export interface ExecutionLog {
  attempt(request: TriggerRequest): void
  finished(result: RunResult): void
}

export async function executePlan(
  requests: TriggerRequest[],
  targetFor: (request: TriggerRequest) => Target,
  log: ExecutionLog,
  now: () => number = Date.now
): Promise<RunResult[]> {
  const results: RunResult[] = []
  for (const request of requests) {
    log.attempt(request)
    const started = now()
    let state: RunState
    try {
      state = await targetFor(request).trigger(request)
    } catch (error) {
      state = { status: 'failed', message: errorMessage(error) }
    }
    const result = { request, state, durationMs: now() - started }
    log.finished(result)
    results.push(result)
  }
  return results
}

export const succeeded = (result: RunResult): boolean => result.state.status === 'completed' || result.state.status === 'running'
