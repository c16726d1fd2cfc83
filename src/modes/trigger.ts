/**
 * The trigger mode: the event and its changed files planned into requests; a dry run stops there;
 * otherwise the requests are run (modes/trigger-runs.ts, loaded only then), and the outputs, the
 * job summary and the step's exit say how they went.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ChangeSet } from '../changes/change-set.js'
import type { Deadline } from '../clock.js'
import { readEvent } from '../event/read-event.js'
import { SUPPORTED_EVENTS } from '../event/trigger-event.js'
import { succeeded } from '../execute/execute.js'
import type { Settings } from '../inputs/settings.js'
import { preparePlan } from '../prepare-plan.js'
import { dryRunLine } from '../report/log-lines.js'
import { buildOutputs, changedFilesJson } from '../report/outputs.js'
import { setOutputs, stepDirectory } from '../report/set-outputs.js'
import { buildSummary } from '../report/summary.js'
import { writeSummary } from '../report/write-summary.js'
import * as core from '../runner/commands.js'

/** Writes the whole changed-file list to RUNNER_TEMP; the outputs carry only its head. */
function writeChangedFiles(changes: ChangeSet | undefined, dir: string): string {
  if (!changes) return ''
  const path = join(dir, 'changed-files.json')
  writeFileSync(
    path,
    JSON.stringify({
      complete: changes.complete,
      base: changes.base,
      head: changes.head,
      files: changedFilesJson(changes)
    })
  )
  return path
}

export async function triggerMode(
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<void> {
  const { workspace, deadline } = context
  const { event, changes, plan } = await preparePlan({
    settings,
    context: readEvent(process.env),
    workspace,
    log: (m) => core.info(m),
    deadline
  })
  const dir = stepDirectory()
  const changedFilesPath = writeChangedFiles(changes, dir)

  if (!event.kind) {
    core.notice(
      `Event ${JSON.stringify(event.name)} is not handled, so nothing was triggered. Handled events: ${SUPPORTED_EVENTS.join(', ')}.`
    )
    setOutputs(buildOutputs(plan, [], undefined), () => dir)
    return
  }

  for (const warning of plan.warnings) core.warning(warning)
  core.info(`Plan: ${plan.requests.length} run(s), ${plan.skipped.length} skipped.`)
  for (const skip of plan.skipped) core.info(`Skipped ${skip.pipeline}: ${JSON.stringify(skip.reason)}`)

  if (settings.dryRun) {
    for (const request of plan.requests) core.info(dryRunLine(request))
    // `check`: ask each target whether the run would start, still starting nothing.
    if (settings.checkTargets && plan.requests.length > 0) {
      const { checkTargets } = await import('./check-plan.js')
      await checkTargets(plan, event, settings, context)
    }
    setOutputs(buildOutputs(plan, undefined, changes, changedFilesPath), () => dir)
    await writeSummary(buildSummary(event, plan, undefined, changes))
    return
  }

  // The targets' code (and the libraries it needs) loads only when something is triggered.
  const { trigger } = await import('./trigger-runs.js')
  const { runs: results, report } = await trigger(plan, event, settings, context)
  setOutputs(buildOutputs(plan, results, changes, changedFilesPath), () => dir)
  // Metrics and gates: the report the pull-request comment shows, where any run has them.
  const metricsReport = results.some((result) => result.state.metrics || result.judgement?.gates.length)
    ? report
    : undefined
  await writeSummary(buildSummary(event, plan, results, changes, settings.wait, metricsReport))
  for (const { request, judgement } of results)
    if (judgement?.conclusion === 'neutral')
      core.warning(`${request.pipelineName} #${request.index}: its gates could not decide: ${judgement.reason ?? ''}`)
  // A run that completed but failed a gate is a failed verdict: the step says so as the check run does.
  const failed = results.filter((result) => !succeeded(result) || result.judgement?.conclusion === 'failure')
  if (failed.length > 0) {
    core.setFailed(
      `${failed.length} of ${results.length} run(s) did not succeed: ${failed.map((r) => `${r.request.pipelineName} #${r.request.index} (${r.judgement?.conclusion === 'failure' && r.state.status === 'completed' ? `completed, but a gate failed: ${r.judgement.reason ?? ''}` : `${r.state.status}${r.state.message ? `: ${r.state.message}` : ''}`})`).join('; ')}`
    )
  }
}
