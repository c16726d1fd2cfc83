/**
 * Machine-readable log lines, one JSON object each, after a fixed word:
 * `TRIGGER_ATTEMPT {...}`, `TRIGGER_SUCCESS {...}`, `TRIGGER_FAILURE {...}`. JSON keeps a file
 * name's newline inside the line, so no value can start a new line (or a workflow command).
 */
import type { RunResult } from '../execute/execute.js'
import { succeeded } from '../execute/execute.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { forDisplay } from './display.js'

const base = (request: TriggerRequest) => ({
  pipeline: request.pipelineName,
  target: request.target,
  index: request.index,
  run_name: request.runName,
  idempotency_key: request.idempotencyKey
})

/**
 * What a dry run would trigger, one line per request: its parameters and files as people read
 * them (long lists cut, with their counts); the `plan` output has them whole.
 */
export function dryRunLine(request: TriggerRequest): string {
  return `DRY_RUN ${JSON.stringify({
    ...base(request),
    parameters: forDisplay(request.parameters),
    reason: request.reason,
    ...(request.files ? { files: forDisplay(request.files), files_count: request.files.length } : {}),
    pipeline_context: request.chain
  })}`
}

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
