/**
 * A run's verdict, from its status and its gates, decided once and pure:
 * - a run that did not complete keeps the conclusion of its status; its gates are not asked;
 * - a completed run passes when every gate passes;
 * - one failed gate fails it, with the gate and both values in the title;
 * - a gate that cannot be decided (a metric or the baseline missing, a string where a number was
 *   needed, metrics that could not be read) makes it neutral, with the reason: never silently green.
 */
import { describeGateResult, evaluateGate, parseGate, type GateResult } from '../core/gate.js'
import type { RunState } from '../core/run-state.js'
import type { BaselinePoint, Judgement } from '../core/judgement.js'
import { checkConclusion } from '../checks/check-run-fields.js'

export function judge(
  state: Pick<RunState, 'status' | 'metrics' | 'metricsProblem'>,
  gates: readonly string[],
  baseline: BaselinePoint | undefined,
  baselineProblem?: string
): Omit<Judgement, 'history' | 'baseline'> {
  const byStatus = checkConclusion(state.status)
  if (state.status !== 'completed' || gates.length === 0) return { conclusion: byStatus, gates: [] }
  const metrics = state.metrics ?? (Object.create(null) as Record<string, never>)
  const results = gates.map((text) => {
    const result = evaluateGate(parseGate(text), metrics, baseline?.metrics)
    if (result.outcome !== 'unknown') return result
    // The reason a whole source is missing says more than "x was not reported".
    if (state.metricsProblem) return { ...result, reason: state.metricsProblem }
    if (!baseline && baselineProblem && result.reason?.startsWith('no baseline'))
      return { ...result, reason: `no baseline: ${baselineProblem}` }
    return result
  })
  const failed = results.filter((result) => result.outcome === 'fail')
  const unknown = results.filter((result) => result.outcome === 'unknown')
  const more = (list: GateResult[]) => (list.length > 1 ? ` (and ${list.length - 1} more)` : '')
  if (failed.length)
    return { conclusion: 'failure', gates: results, reason: `${describeGateResult(failed[0]!)}${more(failed)}` }
  if (unknown.length)
    return { conclusion: 'neutral', gates: results, reason: `${describeGateResult(unknown[0]!)}${more(unknown)}` }
  return { conclusion: 'success', gates: results, reason: `${results.length} gate(s) passed` }
}
