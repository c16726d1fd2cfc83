/** The job summary: runs with links and parameters, why each fired, changed files, skipped rules. */
import type { ChangeSet } from '../changes/changed-file.js'
import type { RunResult } from '../execute/execute.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import type { Plan } from '../plan/trigger-request.js'
import { escapeMarkdown as md, markdownLink } from './markdown.js'

/** Changed files listed before the rest is only counted. */
export const SUMMARY_FILE_LIMIT = 50

const code = (text: string): string => `<code>${md(text)}</code>`

export function buildSummary(event: TriggerEvent, plan: Plan, results: RunResult[] | undefined, changes: ChangeSet | undefined): string {
  const lines: string[] = ['## Pipeline Trigger', '']
  const mode = results === undefined ? 'dry run: nothing was triggered' : `${results.length} run${results.length === 1 ? '' : 's'} triggered`
  lines.push(`**Event:** ${md(event.name)} on ${code(event.refName || event.ref)} at ${code(event.sha.slice(0, 12))} · **${md(mode)}**`, '')

  if (event.chain) {
    lines.push(`**Chain:** ${event.chain.chain.map(code).join(' → ')} → this step (depth ${event.chain.depth + 1}, started at ${markdownLink('the first run', event.chain.root)})`, '')
  }
  for (const warning of plan.warnings) lines.push(`> [!WARNING]`, `> ${md(warning)}`, '')
  if (plan.requests.length > 0) {
    lines.push('| # | Pipeline | Target | Run | Status | Parameters | Why |', '|---|---|---|---|---|---|---|')
    for (const request of plan.requests) {
      const state = results?.find((r) => r.request.index === request.index)?.state
      const run = state?.runId ? markdownLink(state.runId, state.runUrl) : md(request.runName)
      const status = state ? md(state.status + (state.message ? `: ${state.message}` : '')) : 'planned'
      lines.push(
        `| ${request.index} | ${md(request.pipelineName)} | ${md(request.target)} | ${run} | ${status} | ${code(JSON.stringify(request.parameters))} | ${md(request.reason)} |`
      )
    }
    lines.push('')
  } else {
    lines.push('No run matched this event.', '')
  }

  if (changes) {
    const partial = changes.complete ? '' : ' — may be incomplete'
    lines.push(`### Changed files (${changes.files.length}${partial})`, '', md(changes.description), '')
    for (const file of changes.files.slice(0, SUMMARY_FILE_LIMIT)) {
      const from = file.previousPath !== undefined ? ` (from ${code(file.previousPath)})` : ''
      lines.push(`- ${md(file.status)} ${code(file.path)}${from}`)
    }
    if (changes.files.length > SUMMARY_FILE_LIMIT) lines.push(`- … and ${changes.files.length - SUMMARY_FILE_LIMIT} more (see the changed-files output)`)
    lines.push('')
  }

  if (plan.skipped.length > 0) {
    lines.push('### Skipped', '')
    for (const skip of plan.skipped) lines.push(`- ${code(skip.pipeline)}: ${md(skip.reason)}`)
    lines.push('')
  }
  return lines.join('\n')
}
