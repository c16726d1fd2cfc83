/**
 * The action's outputs, computed as plain strings (set by main.ts). GitHub keeps at most 1 MB of
 * outputs per job, so long lists are cut here, with their full count; the whole changed-file list
 * goes to the file named by `changed-files-path`.
 */
import type { ChangeSet } from '../changes/change-set.js'
import type { BaselinePoint, Judgement } from '../core/judgement.js'
import type { ReportedRun } from './reported-run.js'
import type { Collected, RunOutput } from './fan-in.js'
import type { Plan } from '../plan/trigger-request.js'

export type OutputName =
  | 'triggered'
  | 'runs'
  | 'plan'
  | 'changed-files'
  | 'changed-files-count'
  | 'changed-files-path'
  | 'run-id'
  | 'run-url'
  | 'status'
  | 'matrix'
  | 'pipeline-context'

/** Changed files kept in the `changed-files` output; `changed-files-path` has them all. */
export const OUTPUT_FILE_LIMIT = 1000
/** Files listed per request in the `plan` output. */
export const PLAN_FILE_LIMIT = 100

/**
 * GitHub allows 1 MB of outputs per job and counts them in UTF-16 (two bytes a code unit, ASCII
 * included). All outputs together stay within this many UTF-16 bytes, a margin under 1 MiB left
 * for the other steps of the job.
 */
export const OUTPUT_BUDGET_UTF16_BYTES = 800_000
/** The outputs that can be moved to a file when they do not fit, largest first. */
const SPILLABLE: OutputName[] = ['changed-files', 'plan', 'runs', 'matrix']

const utf16Bytes = (name: string, value: string): number => 2 * (name.length + value.length)

/**
 * Fits all outputs together into OUTPUT_BUDGET_UTF16_BYTES: while they are over it, the largest
 * spillable output is written whole to a file and holds `{"truncated": true, "bytes", "path"}`
 * instead (bytes: its UTF-8 size on disk).
 */
export function fitOutputs(
  outputs: Record<OutputName, string>,
  writeWhole: (name: OutputName, value: string) => string,
  budget = OUTPUT_BUDGET_UTF16_BYTES
): { outputs: Record<OutputName, string>; cut: string[] } {
  const fitted = { ...outputs }
  const cut: string[] = []
  const total = () => Object.entries(fitted).reduce((sum, [name, value]) => sum + utf16Bytes(name, value), 0)
  for (;;) {
    const size = total()
    if (size <= budget) break
    const largest = SPILLABLE.filter((name) => !fitted[name].startsWith('{"truncated":true')).sort(
      (a, b) => fitted[b].length - fitted[a].length
    )[0]
    if (!largest || fitted[largest].length < 100) break
    const path = writeWhole(largest, outputs[largest])
    const bytes = Buffer.byteLength(outputs[largest])
    fitted[largest] = JSON.stringify({ truncated: true, bytes, path })
    cut.push(
      `Output ${largest} is ${bytes} bytes (${utf16Bytes(largest, outputs[largest])} as GitHub counts them, in UTF-16), and all outputs together came to ${size} of the ${budget} this action keeps under GitHub's 1 MB per job; it points to ${path}, which has it whole.`
    )
  }
  return { outputs: fitted, cut }
}

/** The gated metrics of the default branch's runs, oldest first: what the report's charts need, no more. */
function chartHistory(judgement: Judgement): BaselinePoint[] {
  const gated = new Set(judgement.gates.map((gate) => gate.metric))
  return [...judgement.history].reverse().map(({ sha, metrics }) => ({
    sha,
    metrics: Object.fromEntries(Object.entries(metrics).filter(([name]) => gated.has(name)))
  }))
}

export function changedFilesJson(changes: ChangeSet | undefined, limit = Infinity): unknown[] {
  return (changes?.files ?? []).slice(0, limit).map((f) => ({
    path: f.path,
    status: f.status,
    ...(f.previousPath !== undefined ? { 'previous-path': f.previousPath } : {})
  }))
}

/** Doubles `{` and `}` in every string, so placeholder rendering gives the same value back. */
function escapeBraces(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(/[{}]/g, (brace) => brace + brace)
  if (Array.isArray(value)) return value.map(escapeBraces)
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeBraces(v)]))
  return value
}

export function planJson(plan: Plan, changes?: ChangeSet): unknown {
  return {
    ...(changes
      ? {
          changes: {
            complete: changes.complete,
            base: changes.base,
            head: changes.head,
            description: changes.description,
            count: changes.files.length
          }
        }
      : {}),
    requests: plan.requests.map((r) => ({
      index: r.index,
      pipeline: r.pipeline,
      'pipeline-name': r.pipelineName,
      target: r.target,
      parameters: r.parameters,
      reason: r.reason,
      ...(r.files ? { files: r.files.slice(0, PLAN_FILE_LIMIT), 'files-count': r.files.length } : {}),
      'run-name': r.runName,
      'idempotency-key': r.idempotencyKey,
      'pipeline-context': r.chain
    })),
    skipped: plan.skipped,
    warnings: plan.warnings
  }
}

export function buildOutputs(
  plan: Plan,
  results: ReportedRun[] | undefined,
  changes: ChangeSet | undefined,
  changedFilesPath = ''
): Record<OutputName, string> {
  const charted = new Set<string>()
  const runs: RunOutput[] = (results ?? []).map(({ request, state, checkRunId, judgement }) => ({
    pipeline: request.pipelineName,
    target: request.target,
    'run-id': state.runId ?? null,
    'run-url': state.runUrl ?? null,
    status: state.status,
    parameters: request.parameters,
    ...(checkRunId !== undefined ? { 'check-run-id': checkRunId } : {}),
    ...(state.metrics ? { metrics: state.metrics } : {}),
    ...(judgement?.conclusion ? { verdict: judgement.conclusion } : {}),
    ...(judgement?.reason && judgement.gates.length ? { 'verdict-reason': judgement.reason } : {}),
    ...(judgement?.gates.length ? { gates: judgement.gates } : {}),
    ...(judgement?.baseline ? { baseline: judgement.baseline } : {}),
    ...(judgement?.history.length && !charted.has(request.pipeline) && charted.add(request.pipeline)
      ? { history: chartHistory(judgement) }
      : {})
  }))
  const first = results?.[0]?.state
  return {
    triggered: String(runs.length > 0),
    runs: JSON.stringify(runs),
    plan: JSON.stringify(planJson(plan, changes)),
    'changed-files': JSON.stringify(changedFilesJson(changes, OUTPUT_FILE_LIMIT)),
    'changed-files-count': String(changes?.files.length ?? 0),
    'changed-files-path': changedFilesPath,
    'run-id': first?.runId ?? '',
    'run-url': first?.runUrl ?? '',
    'pipeline-context': plan.context ? JSON.stringify(plan.context) : '',
    status: results === undefined ? (plan.requests.length > 0 ? 'dry_run' : '') : (first?.status ?? ''),
    matrix: JSON.stringify({
      include: plan.requests.map((r) => ({
        index: r.index,
        pipeline: r.pipeline,
        target: r.target,
        'run-name': r.runName,
        'idempotency-key': r.idempotencyKey,
        // A JSON string, ready for the `parameters` input of the fan-out job. Braces in values are
        // doubled because that input renders placeholders: a file named `{sha}.csv` must stay one.
        parameters: JSON.stringify(escapeBraces(r.parameters))
      }))
    })
  }
}

/** The fan-in job's outputs: every run of the fan-out, in plan order, each with its request index. */
export function fanInOutputs(collected: Collected[], failures: string[]): Record<OutputName, string> {
  const runs = collected.flatMap((entry) => (entry.runs ?? []).map((run) => ({ index: entry.index, ...run })))
  const first = runs[0]
  return {
    triggered: String(runs.length > 0),
    runs: JSON.stringify(runs),
    plan: '',
    'changed-files': '[]',
    'changed-files-count': '0',
    'changed-files-path': '',
    'run-id': first?.['run-id'] ?? '',
    'run-url': first?.['run-url'] ?? '',
    status:
      failures.length > 0
        ? 'failed'
        : runs.some((run) => run.status === 'running')
          ? 'running'
          : runs.length > 0
            ? 'completed'
            : '',
    matrix: '',
    'pipeline-context': ''
  }
}
