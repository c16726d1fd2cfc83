/**
 * What a run's verdict says on the commit, decided once and pure: the check run's name, title,
 * summary and conclusion, the commit status's state and description, and the external id that
 * finds the run on its target again. Nothing secret goes in: parameters are shown as the summary
 * shows them (values the action masks are masked by the runner, not here), ids and links only.
 */
import type { RunStatus } from '../core/run-state.js'
import { readMetrics, type Metrics } from '../core/metrics.js'
import { formatDuration } from '../clock.js'
import { forDisplay } from '../report/display.js'
import { escapeMarkdown, markdownLink } from '../report/markdown.js'
import type { TriggerRequest } from '../plan/trigger-request.js'

/** GitHub's ceilings: a check run's summary and text, a status's description. */
export const LIMITS = { summary: 65_535, title: 255, name: 255, description: 140, externalId: 255 } as const

/** The conclusion a check run ends with, from our status vocabulary; undefined while the run goes on. */
export function checkConclusion(
  status: RunStatus
): 'success' | 'failure' | 'timed_out' | 'cancelled' | 'skipped' | undefined {
  switch (status) {
    case 'completed':
      return 'success'
    case 'failed':
      return 'failure'
    case 'timed_out':
      return 'timed_out'
    case 'cancelled':
      return 'cancelled'
    case 'not_started':
      return 'skipped'
    case 'running':
      return undefined
  }
}

/** A commit status's state: pending while it goes on; a run that did not succeed is a failure or an error. */
export function statusState(status: RunStatus, conclusion?: string): 'pending' | 'success' | 'failure' | 'error' {
  // A gate decided it: failed is a failure; neutral (a gate that could not be decided) has no
  // status of its own and is shown as success with "neutral" in its description, as a neutral check run passes.
  if (conclusion === 'failure') return 'failure'
  switch (status) {
    case 'running':
      return 'pending'
    case 'completed':
      return 'success'
    case 'failed':
    case 'timed_out':
      return 'failure'
    case 'cancelled':
    case 'not_started':
      return 'error'
  }
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/**
 * `pipeline: training_pipeline (data/iris/2026-11.csv)`: the pipeline, and what tells this run
 * from its siblings (its first file, or its place in the plan). Stable across re-runs of the job,
 * so a later pass finds the same check run.
 */
export function checkRunName(request: TriggerRequest, siblings: number): string {
  const files = request.files ?? []
  const which =
    files.length === 1
      ? ` (${files[0]})`
      : files.length > 1
        ? ` (${files[0]} and ${files.length - 1} more)`
        : siblings > 1
          ? ` (#${request.index})`
          : ''
  return cut(`pipeline: ${request.pipelineName}${which}`, LIMITS.name)
}

/** The commit status context: the same each time for the same run, so updates replace it. */
export function statusContext(request: TriggerRequest, siblings: number): string {
  return checkRunName(request, siblings)
}

/**
 * `pt1|<target type>|<target name>|<run id>`: enough to ask the target about the run again (a
 * reconcile pass, a callback), nothing secret. Parts are URI-encoded, so `|` never appears inside.
 */
export function externalId(request: TriggerRequest, runId: string | undefined): string {
  const parts = ['pt1', request.targetConfig.type, request.target, runId ?? ''].map((part) => encodeURIComponent(part))
  // A part too long to keep is left out: the check run still completes in this step; a later pass cannot follow it.
  for (const kept of [4, 3, 2]) {
    const id = [...parts.slice(0, kept), ...Array<string>(4 - kept).fill('')].join('|')
    if (id.length <= LIMITS.externalId) return id
  }
  return ''
}

export interface ExternalRef {
  targetType: string
  target: string
  runId: string
}

/** The run an external id names; undefined when it is not one of ours. */
export function readExternalId(value: string | null | undefined): ExternalRef | undefined {
  const parts = (value ?? '').split('|')
  if (parts.length !== 4 || parts[0] !== 'pt1') return undefined
  try {
    const [targetType, target, runId] = parts.slice(1).map((part) => decodeURIComponent(part)) as [
      string,
      string,
      string
    ]
    return targetType && target && runId ? { targetType, target, runId } : undefined
  } catch {
    return undefined
  }
}

export interface RunOutcome {
  status: RunStatus
  runId?: string
  runUrl?: string
  message?: string
  durationMs?: number
  /** Set where the gates decided the conclusion (a completed run that failed one is a failure). */
  conclusion?: 'success' | 'failure' | 'neutral' | 'timed_out' | 'cancelled' | 'skipped'
  /** What decided it: the failed gate with both values, or why a gate could not be decided. */
  verdictReason?: string
  /** The check run's text: the metrics table and the hidden record a later baseline reads. */
  text?: string
}

/** One line for the title: the status, and the message or the duration. */
export function checkTitle(request: TriggerRequest, outcome: RunOutcome): string {
  if (outcome.verdictReason && outcome.conclusion && outcome.conclusion !== 'success')
    return cut(
      `${request.pipelineName} ${outcome.conclusion}: ${outcome.verdictReason}`.replace(/\s+/g, ' '),
      LIMITS.title
    )
  const tail = outcome.message
    ? `: ${outcome.message}`
    : outcome.durationMs !== undefined && outcome.status !== 'running'
      ? ` after ${formatDuration(outcome.durationMs)}`
      : ''
  return cut(`${request.pipelineName} ${outcome.status.replace('_', ' ')}${tail}`.replace(/\s+/g, ' '), LIMITS.title)
}

/** The status description: at most 140 characters, as GitHub requires. */
export function statusDescription(request: TriggerRequest, outcome: RunOutcome): string {
  return cut(checkTitle(request, outcome), LIMITS.description)
}

/** The summary: the run and its link, the rule that fired, the parameters, the chain. */
export function checkSummary(request: TriggerRequest, outcome: RunOutcome): string {
  const rows = [
    ['Status', escapeMarkdown(outcome.status)],
    ['Run', markdownLink(outcome.runId ?? request.runName, outcome.runUrl)],
    ['Target', escapeMarkdown(`${request.target} (${request.targetConfig.type})`)],
    ['Why', escapeMarkdown(request.reason)],
    ['Chain', escapeMarkdown(request.chain.chain.join(' → '))]
  ]
  const parameters = Object.entries(request.parameters).map(
    ([name, value]) => `| \`${name.replace(/`/g, '')}\` | ${escapeMarkdown(JSON.stringify(forDisplay(value)))} |`
  )
  const text = [
    '| | |',
    '|---|---|',
    ...rows.map(([key, value]) => `| ${key} | ${value} |`),
    ...(outcome.message ? ['', escapeMarkdown(outcome.message)] : []),
    ...(parameters.length ? ['', '| Parameter | Value |', '|---|---|', ...parameters] : [])
  ].join('\n')
  return text.length > LIMITS.summary
    ? `${text.slice(0, LIMITS.summary - 80)}\n\n(cut: the summary holds at most ${LIMITS.summary} characters)`
    : text
}

/** What a completed check run records for a later baseline: the pipeline, its status and metrics. */
export interface MetricsRecord {
  pipeline: string
  status: RunStatus
  metrics: Metrics
  /**
   * The pipeline's gates when the run was triggered, on an open check run: a later pass (reconcile,
   * a callback) judges the run by the gates in force when it started, whatever config it has itself.
   */
  gates?: string[]
  /**
   * The pull request whose report comment shows the run, on an open check run of a pull request's
   * job: a later pass brings that comment's row up to date (report-catch-up.ts). Only a pointer: the
   * pass edits only a trusted comment's section of this check run's commit, and only while that
   * commit is the pull request's head.
   */
  pull?: number
}

const RECORD = /<!-- pipeline-trigger:metrics (\{.*?\}) -->/s

/**
 * The record as a hidden line of the check run's text. `<` and `>` are escaped inside the JSON
 * (still valid JSON), so no value can close the comment early.
 */
export function metricsRecord(record: MetricsRecord): string {
  const json = JSON.stringify({ v: 1, ...record }).replace(/[<>]/g, (c) => (c === '<' ? '\\u003c' : '\\u003e'))
  return `<!-- pipeline-trigger:metrics ${json} -->`
}

/** The record in a check run's text, bounded like any metrics; undefined when there is none or it is not ours. */
export function readMetricsRecord(text: string | null | undefined): MetricsRecord | undefined {
  const match = RECORD.exec(text ?? '')
  if (!match) return undefined
  try {
    const data = JSON.parse(match[1]!) as Record<string, unknown>
    if (data.v !== 1 || typeof data.pipeline !== 'string' || typeof data.status !== 'string') return undefined
    const gates = Array.isArray(data.gates) ? data.gates.filter((gate): gate is string => typeof gate === 'string') : []
    return {
      pipeline: data.pipeline,
      status: data.status as RunStatus,
      metrics: readMetrics(data.metrics, 'a check run').metrics,
      ...(gates.length ? { gates } : {}),
      ...(Number.isSafeInteger(data.pull) && (data.pull as number) > 0 ? { pull: data.pull as number } : {})
    }
  } catch {
    return undefined
  }
}
