/**
 * What a target is given for one run: the pipeline, its parameters and names, and the chain it
 * carries. Planning makes it (src/plan/ adds the target's config to it); targets read it.
 */
import type { ChainContext } from './chain.js'

/** One pipeline run, as its target sees it. */
export interface RunRequest {
  /** Position in the plan (0-based); part of the default run name. */
  index: number
  /** The key under `pipelines` in the config. */
  pipeline: string
  /** The pipeline's name on the target. */
  pipelineName: string
  /** The key under `targets` in the config. */
  target: string
  parameters: Record<string, unknown>
  /** Why this run fires, for humans. */
  reason: string
  /** The changed files behind this run, if any. */
  files?: string[]
  runName: string
  /** zenml targets: the pipeline's own snapshot or run template, if it names one. */
  snapshot?: string
  template?: string
  /** Deterministic per logical trigger: the same event, attempt and parameters give the same key. */
  idempotencyKey: string
  /** The chain context this run carries: the incoming chain, one deeper, with this pipeline. */
  chain: ChainContext
}
