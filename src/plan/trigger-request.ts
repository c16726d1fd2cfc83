import type { PathRule, TargetConfig } from '../config/schema.js'
import type { ChainContext } from '../core/chain.js'

/** One pipeline run to trigger: the output of planning, the input of execution. */
export interface TriggerRequest {
  /** Position in the plan (0-based); part of the default run name. */
  index: number
  /** The key under `pipelines` in the config. */
  pipeline: string
  /** The pipeline's name on the target. */
  pipelineName: string
  /** The key under `targets` in the config. */
  target: string
  targetConfig: TargetConfig
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

export interface SkippedRule {
  pipeline: string
  reason: string
}

/** A changed-file rule this event consulted: what `explain` tests each file against. */
export interface ConsultedPathRule {
  pipeline: string
  /** Where it is in the config, e.g. pipelines.training.on.push.paths[0]. */
  where: string
  rule: PathRule
}

export interface Plan {
  requests: TriggerRequest[]
  skipped: SkippedRule[]
  /** The changed-file rules consulted, in config order (absent when there were none). */
  pathRules?: ConsultedPathRule[]
  /** Things the user should know, e.g. that the plan rests on an incomplete file list. */
  warnings: string[]
  /** The chain context for a downstream trigger (the `pipeline-context` output); absent when nothing is planned. */
  context?: ChainContext
}
