import type { PathRule, TargetConfig } from '../config/schema.js'
import type { ChainContext } from '../core/chain.js'
import type { RunRequest } from '../core/run-request.js'

/** One pipeline run to trigger: the output of planning, the input of execution. */
export interface TriggerRequest extends RunRequest {
  /** The target's config as the config file (or the inline inputs) gave it. */
  targetConfig: TargetConfig
  /** The pipeline's gates, as the config wrote them (checked when the run completes). */
  gates?: string[]
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
