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
  // A gate decided it: failed is a failure; neutral (a gate that could not be decided, or a run a
  // later pass gave up on) has no status of its own and is shown as success with "neutral" in its
  // description, as a neutral check run passes.
  if (conclusion === 'failure') return 'failure'
  if (conclusion === 'neutral') return 'success'
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

/** A run named by the request's idempotency key, not by its target: ours, never followed on a target. */
const REQUEST_KEY = 'key:'

/**
 * `pt1|<target type>|<target name>|<run>`: every completed run of ours can be found again (a
 * baseline) and, where its target gave a run id, asked about again (a reconcile pass, a callback).
 * `<run>` is the target's run id, or, where the target gave none (a `command` run without a ZenML
 * server) or it is too long to keep, `key:<idempotency key>`: the request's own key, which only
 * says which run of ours it was. Parts are URI-encoded, so `|` and `:` never appear inside one,
 * and `key:` cannot be a run id. A target name too long to keep is left empty. Nothing secret.
 */
export function externalId(request: TriggerRequest, runId: string | undefined): string {
  const type = encodeURIComponent(request.targetConfig.type)
  for (const target of [encodeURIComponent(request.target), ''])
    for (const run of runParts(request, runId)) {
      const id = ['pt1', type, target, run].join('|')
      if (id.length <= LIMITS.externalId) return id
    }
  return ['pt1', type, '', runParts(request, undefined)[0]!].join('|').slice(0, LIMITS.externalId)
}

/** The ways `<run>` may name the run, best first: the target's run id, then the request's key. */
function runParts(request: TriggerRequest, runId: string | undefined): string[] {
  const byKey = `${REQUEST_KEY}${encodeURIComponent(request.idempotencyKey)}`
  return runId ? [encodeURIComponent(runId), byKey] : [byKey]
}

/** A run of ours: `runId` where the target gave one (it can be followed), else `requestKey`; neither on an older check run that named none. */
export interface ExternalRef {
  targetType: string
  /** '' where the name was too long to keep. */
  target: string
  runId?: string
  requestKey?: string
}

/** The run an external id names; undefined when it is not one of ours. */
export function readExternalId(value: string | null | undefined): ExternalRef | undefined {
  const parts = (value ?? '').split('|')
  if (parts.length !== 4 || parts[0] !== 'pt1') return undefined
  return runRef(parts[1]!, parts[2]!, parts[3]!)
}

/** The parts as encoded in an external id (or a status's description); undefined when one is not ours. */
function runRef(type: string, target: string, run: string): ExternalRef | undefined {
  try {
    const targetType = decodeURIComponent(type)
    if (!targetType) return undefined
    const ref: ExternalRef = { targetType, target: decodeURIComponent(target) }
    if (run.startsWith(REQUEST_KEY)) {
      const requestKey = decodeURIComponent(run.slice(REQUEST_KEY.length))
      return requestKey ? { ...ref, requestKey } : undefined
    }
    // An empty run: a check run an earlier version left for a run its target named no id for. Still ours.
    return run ? { ...ref, runId: decodeURIComponent(run) } : ref
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

/** The room a status description keeps for its own words, before the run it names. */
const DESCRIPTION_WORDS = 40

/**
 * A commit status's description, at most 140 characters as GitHub requires: the title, then the
 * run it is for, `<title> · run <run> on <target> (<target type>)`, with `<run>` and `<target>`
 * encoded as in the external id (the target's run id, else `key:<idempotency key>`). A later pass
 * reads the run from it (readStatusRun): a status has no external id. The title is cut to make
 * room; where even the key leaves too little, the title alone.
 */
export function statusDescription(request: TriggerRequest, outcome: RunOutcome): string {
  const title = checkTitle(request, outcome)
  const target = encodeURIComponent(request.target)
  const type = encodeURIComponent(request.targetConfig.type)
  for (const run of runParts(request, outcome.runId)) {
    const described = withRunTail(title, ` · run ${run} on ${target} (${type})`)
    if (described) return described
  }
  return cut(title, LIMITS.description)
}

/** `<words><tail>` within 140 characters, the words cut to fit; undefined where the tail leaves them too little room. */
export function withRunTail(words: string, tail: string): string | undefined {
  if (tail.length > LIMITS.description - DESCRIPTION_WORDS) return undefined
  return `${cut(words.replace(/\s+/g, ' '), LIMITS.description - tail.length)}${tail}`
}

const STATUS_RUN = / · run (\S+) on (\S+) \((\S+)\)$/

/** The run a commit status's description names (statusDescription), and that part of it; undefined when it names none. */
export function readStatusRun(description: string | null | undefined): { ref: ExternalRef; tail: string } | undefined {
  const match = STATUS_RUN.exec(description ?? '')
  const ref = match ? runRef(match[3]!, match[2]!, match[1]!) : undefined
  return ref ? { ref, tail: match![0] } : undefined
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
