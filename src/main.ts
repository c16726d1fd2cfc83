/** The action: inputs → plan → targets → report. Any error fails the step with its message. */
import * as core from './runner/commands.js'
import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ChangeSet } from './changes/changed-file.js'
import { errorMessage } from './errors.js'
import { readEvent } from './event/read-event.js'
import { SUPPORTED_EVENTS } from './event/trigger-event.js'
import { Deadline, realClock } from './clock.js'
import { succeeded } from './execute/execute.js'
import { collectFanIn, fanInFailures } from './report/fan-in.js'
import { readSettings } from './inputs/settings.js'
import { preparePlan } from './prepare-plan.js'
import { dryRunLine } from './report/log-lines.js'
import { buildOutputs, changedFilesJson, fanInOutputs } from './report/outputs.js'
import { setOutputs, stepDirectory } from './report/set-outputs.js'
import { writeSummary } from './report/write-summary.js'
import { buildFanInSummary, buildSummary } from './report/summary.js'

/** The environment a pipeline command inherits: the runner's, minus this action's inputs (the token among them). */
function childEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value
  }
  return env
}

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

/** Fan-in mode: one summary and one `runs` output for every job of a fan-out. */
async function fanIn(dir: string, matrix: string, workspace: string): Promise<void> {
  const collected = collectFanIn(resolve(workspace, dir), matrix)
  const failures = fanInFailures(collected)
  setOutputs(fanInOutputs(collected, failures), stepDirectory)
  await writeSummary(buildFanInSummary(collected, failures))
  if (failures.length > 0)
    core.setFailed(
      `${failures.length} of ${collected.length} fan-out request(s) did not succeed: ${failures.join('; ')}`
    )
}

export async function run(): Promise<void> {
  let deadline: Deadline | undefined
  try {
    const settings = await readSettings()
    // One deadline for the whole step: logins, starts, polls and every request fit inside it.
    deadline = new Deadline(realClock, settings.timeoutMs)
    // Cancelling the job: the runner sends SIGINT, SIGTERM 7.5 s later, and kills the process tree
    // 2.5 s after that. Ending at once would leave a command's pipeline running (its own process
    // group) and check runs open; instead the step ends as at its deadline, now.
    const stepDeadline = deadline
    const cancel = (signal: NodeJS.Signals) => {
      if (!stepDeadline.expired) core.info(`${signal}: the job is being cancelled; stopping what this step started.`)
      stepDeadline.cancel(`the job was cancelled (${signal})`)
    }
    process.on('SIGINT', cancel)
    process.on('SIGTERM', cancel)
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    if (settings.fanIn) return await fanIn(settings.fanIn.dir, settings.fanIn.matrix, workspace)
    if (settings.mode !== 'trigger') {
      // Completing check runs left open: loaded only in these modes.
      const { followUpStep } = await import('./verdict/follow-up-step.js')
      return await followUpStep(settings, { workspace, deadline, env: childEnvironment() })
    }
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
      setOutputs(buildOutputs(plan, undefined, changes, changedFilesPath), () => dir)
      await writeSummary(buildSummary(event, plan, undefined, changes))
      return
    }

    // The targets' code (and the libraries it needs) loads only when something is triggered.
    const { trigger } = await import('./trigger.js')
    const results = await trigger(plan, event, settings, { workspace, deadline, env: childEnvironment() })
    setOutputs(buildOutputs(plan, results, changes, changedFilesPath), () => dir)
    // Metrics and gates: the same table as the check runs and the pull-request report.
    const metricsReport = results.some((result) => result.state.metrics || result.judgement?.gates.length)
      ? (await import('./verdict/report-runs.js')).runsReport(
          results,
          event.repository,
          event.pullRequest?.headSha || event.sha
        )
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
  } catch (error) {
    core.setFailed(errorMessage(error))
  } finally {
    deadline?.dispose()
  }
}
