/** The job summary: runs with links and parameters, why each fired, changed files, skipped rules. */
import type { ChangeSet } from '../changes/change-set.js'
import type { ReportedRun } from './reported-run.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import type { Plan } from '../plan/trigger-request.js'
import type { Collected } from './fan-in.js'
import { isSuccess } from '../core/run-state.js'
import { forDisplay } from './display.js'
import { escapeMarkdown as md, markdownLink } from './markdown.js'

/** Changed files listed before the rest is only counted. */
export const SUMMARY_FILE_LIMIT = 50
/** Requests given a table row before the rest is only counted. */
export const SUMMARY_REQUEST_LIMIT = 100
/**
 * The most a summary may be, in bytes: GitHub takes 1 MiB per step, but a page of runs should
 * stay readable whatever the push. What does not fit is counted, and the outputs have it whole.
 */
export const SUMMARY_BUDGET_BYTES = 60_000

/** The lines, cut at whole lines to the budget, with a last line that says so (`what` is our own Markdown). */
function withinBudget(lines: string[], what: string): string {
  const text = lines.join('\n')
  if (Buffer.byteLength(text) <= SUMMARY_BUDGET_BYTES) return text
  const kept: string[] = []
  let size = 0
  for (const line of lines) {
    size += Buffer.byteLength(line) + 1
    if (size > SUMMARY_BUDGET_BYTES - 500) break
    kept.push(line)
  }
  kept.push(
    '',
    `> [!NOTE]`,
    `> This summary is cut to ${SUMMARY_BUDGET_BYTES / 1000} KB after ${kept.length} of ${lines.length} lines. ${what}`,
    ''
  )
  return kept.join('\n')
}

const code = (text: string): string => `<code>${md(text)}</code>`

export function buildSummary(
  event: TriggerEvent,
  plan: Plan,
  results: ReportedRun[] | undefined,
  changes: ChangeSet | undefined,
  waited = true,
  /** The metrics and gates report of the runs (src/report/metrics-report.ts), when they reported any. */
  metricsReport?: string
): string {
  const lines: string[] = ['## Pipeline Trigger', '']
  const mode =
    results === undefined
      ? 'dry run: nothing was triggered'
      : `${results.length} run${results.length === 1 ? '' : 's'} triggered`
  lines.push(
    `**Event:** ${md(event.name)} on ${code(event.refName || event.ref)} at ${code(event.sha.slice(0, 12))} · **${md(mode)}**`,
    ''
  )

  if (event.chain) {
    lines.push(
      `**Chain:** ${event.chain.chain.map(code).join(' → ')} → this step (depth ${event.chain.depth + 1}, started at ${markdownLink('the first run', event.chain.root)})`,
      ''
    )
  }
  for (const warning of plan.warnings) lines.push(`> [!WARNING]`, `> ${md(warning)}`, '')
  if (results && !waited && results.some((r) => r.state.status === 'running')) {
    // The seed's "downstream failure in async mode": say it, rather than let "running" read as success.
    lines.push(
      '> [!NOTE]',
      '> wait is false: this step started the runs and did not follow them, so their outcomes are unknown here. Follow each run by its link.',
      ''
    )
  }
  if (plan.requests.length > 0) {
    lines.push('| # | Pipeline | Target | Run | Status | Parameters | Why |', '|---|---|---|---|---|---|---|')
    const states = new Map(results?.map((r) => [r.request.index, r.state]))
    for (const request of plan.requests.slice(0, SUMMARY_REQUEST_LIMIT)) {
      const state = states.get(request.index)
      const run = state?.runId ? markdownLink(state.runId, state.runUrl) : md(request.runName)
      const status = state ? md(state.status + (state.message ? `: ${state.message}` : '')) : 'planned'
      lines.push(
        `| ${request.index} | ${md(request.pipelineName)} | ${md(request.target)} | ${run} | ${status} | ${code(JSON.stringify(forDisplay(request.parameters)))} | ${md(request.reason)} |`
      )
    }
    if (plan.requests.length > SUMMARY_REQUEST_LIMIT) {
      const rest = plan.requests.slice(SUMMARY_REQUEST_LIMIT)
      const failed = rest.filter((r) => {
        const status = states.get(r.index)?.status
        return status !== undefined && !isSuccess(status)
      }).length
      lines.push(
        '',
        `… and ${rest.length} more run${rest.length === 1 ? '' : 's'}${results ? `, ${failed} of them not successful` : ''}: the \`runs\` and \`plan\` outputs list every one.`
      )
    }
    lines.push('')
  } else {
    lines.push('No run matched this event.', '')
  }

  if (metricsReport) lines.push('### Metrics and gates', '', metricsReport, '')

  if (changes) {
    const partial = changes.complete ? '' : ' — may be incomplete'
    lines.push(`### Changed files (${changes.files.length}${partial})`, '', md(changes.description), '')
    for (const file of changes.files.slice(0, SUMMARY_FILE_LIMIT)) {
      const from = file.previousPath !== undefined ? ` (from ${code(file.previousPath)})` : ''
      lines.push(`- ${md(file.status)} ${code(file.path)}${from}`)
    }
    if (changes.files.length > SUMMARY_FILE_LIMIT)
      lines.push(`- … and ${changes.files.length - SUMMARY_FILE_LIMIT} more (see the changed-files output)`)
    lines.push('')
  }

  if (plan.skipped.length > 0) {
    lines.push('### Skipped', '')
    for (const skip of plan.skipped) lines.push(`- ${code(skip.pipeline)}: ${md(skip.reason)}`)
    lines.push('')
  }
  return withinBudget(
    lines,
    'The `runs`, `plan` and `changed-files` outputs (and the file changed-files-path names) have everything.'
  )
}

/** The fan-in job's summary: one table for every request of a fan-out. */
export function buildFanInSummary(collected: Collected[], failures: string[]): string {
  const runs = collected.reduce((sum, entry) => sum + (entry.runs?.length ?? 0), 0)
  const lines = [
    '## Pipeline Trigger: fan-in',
    '',
    `**${collected.length} request${collected.length === 1 ? '' : 's'}, ${runs} run${runs === 1 ? '' : 's'} triggered, ${failures.length} problem${failures.length === 1 ? '' : 's'}**`,
    ''
  ]
  if (collected.length === 0) return [...lines, 'The plan had no requests.', ''].join('\n')
  lines.push('| # | Pipeline | Target | Run | Status | Parameters |', '|---|---|---|---|---|---|')
  for (const entry of collected) {
    if (!entry.runs || entry.runs.length === 0) {
      lines.push(
        `| ${entry.index} | ${md(entry.pipeline)} | ${md(entry.target)} | ${md(entry.runName)} | ${entry.runs ? 'not triggered' : 'no result'} | |`
      )
      continue
    }
    for (const run of entry.runs) {
      const link = run['run-id'] ? markdownLink(run['run-id'], run['run-url'] ?? undefined) : md(entry.runName)
      lines.push(
        `| ${entry.index} | ${md(run.pipeline)} | ${md(run.target)} | ${link} | ${md(run.status + (run['verdict-reason'] ? ` (${run.verdict ?? ''}: ${run['verdict-reason']})` : ''))} | ${code(JSON.stringify(forDisplay(run.parameters)))} |`
      )
    }
  }
  lines.push('')
  return withinBudget(lines, 'The `runs` output has every run.')
}
