/** The action's outputs, computed as plain strings (set by main.ts). */
import type { ChangeSet } from '../changes/changed-file.js'
import type { RunResult } from '../execute/execute.js'
import type { Plan } from '../plan/trigger-request.js'

export type OutputName = 'triggered' | 'runs' | 'plan' | 'changed-files' | 'run-id' | 'run-url' | 'status' | 'matrix'

export function planJson(plan: Plan): unknown {
  return {
    requests: plan.requests.map((r) => ({
      index: r.index,
      pipeline: r.pipeline,
      'pipeline-name': r.pipelineName,
      target: r.target,
      parameters: r.parameters,
      reason: r.reason,
      ...(r.files ? { files: r.files } : {}),
      'run-name': r.runName,
      'idempotency-key': r.idempotencyKey
    })),
    skipped: plan.skipped
  }
}

export function buildOutputs(plan: Plan, results: RunResult[] | undefined, changes: ChangeSet | undefined): Record<OutputName, string> {
  const runs = (results ?? []).map(({ request, state }) => ({
    pipeline: request.pipelineName,
    target: request.target,
    'run-id': state.runId ?? null,
    'run-url': state.runUrl ?? null,
    status: state.status,
    parameters: request.parameters
  }))
  const first = results?.[0]?.state
  return {
    triggered: String(runs.length > 0),
    runs: JSON.stringify(runs),
    plan: JSON.stringify(planJson(plan)),
    'changed-files': JSON.stringify(
      (changes?.files ?? []).map((f) => ({ path: f.path, status: f.status, ...(f.previousPath !== undefined ? { 'previous-path': f.previousPath } : {}) }))
    ),
    'run-id': first?.runId ?? '',
    'run-url': first?.runUrl ?? '',
    status: results === undefined ? (plan.requests.length > 0 ? 'dry_run' : '') : (first?.status ?? ''),
    matrix: JSON.stringify({
      include: plan.requests.map((r) => ({
        index: r.index,
        pipeline: r.pipeline,
        target: r.target,
        'run-name': r.runName,
        'idempotency-key': r.idempotencyKey,
        // A JSON string, ready for the `parameters` input of the fan-out job.
        parameters: JSON.stringify(r.parameters)
      }))
    })
  }
}
