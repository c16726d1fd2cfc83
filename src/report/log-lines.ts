/**
 * Machine-readable log lines, one JSON object each, after a fixed word:
 * `TRIGGER_ATTEMPT {...}`, `TRIGGER_SUCCESS {...}`, `TRIGGER_FAILURE {...}`. JSON keeps a file
 * name's newline inside the line, so no value can start a new line (or a workflow command).
 */
import type { RunResult } from '../execute/execute.js'
import { succeeded } from '../execute/execute.js'
import type { TriggerRequest } from '../plan/trigger-request.js'

const base = (request: TriggerRequest) => ({
  pipeline: request.pipelineName,
  target: request.target,
  index: request.index,
  run_name: request.runName,
  idempotency_key: request.idempotencyKey
})

export function attemptLine(request: TriggerRequest): string {
  return `TRIGGER_ATTEMPT ${JSON.stringify({ ...base(request), reason: request.reason })}`
}

export function resultLine(result: RunResult): string {
  const { state } = result
  const fields = {
    ...base(result.request),
    status: state.status,
    run_id: state.runId ?? null,
    run_url: state.runUrl ?? null,
    duration_ms: result.durationMs,
    ...(state.message ? { message: state.message } : {})
  }
  return `${succeeded(result) ? 'TRIGGER_SUCCESS' : 'TRIGGER_FAILURE'} ${JSON.stringify(fields)}`
}
