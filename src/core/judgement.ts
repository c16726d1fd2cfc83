/**
 * A run's verdict once its gates have spoken: the words every stage above shares (the check run,
 * the outputs, the summary, the pull-request report). Decided in src/gates/judge.ts.
 */
import type { GateResult } from './gate.js'
import type { Metrics } from './metrics.js'

export type Conclusion = 'success' | 'failure' | 'neutral' | 'timed_out' | 'cancelled' | 'skipped'

/** One completed run of the pipeline on the default branch, as its check run recorded it. */
export interface BaselinePoint {
  sha: string
  /** The check run's page. */
  url?: string
  metrics: Metrics
}

export interface Judgement {
  /** Undefined while the run goes on. */
  conclusion: Conclusion | undefined
  gates: GateResult[]
  /** One line on what decided it, when the gates did. */
  reason?: string
  /** The baseline the run was compared with: the default branch's latest completed run of the pipeline. */
  baseline?: BaselinePoint
  /** The default branch's completed runs of the pipeline, newest first, for the chart. */
  history: BaselinePoint[]
}
