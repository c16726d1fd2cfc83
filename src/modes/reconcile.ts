/**
 * The step in `mode: reconcile` (every open check run of ours) or `mode: report` (the one a
 * callback names): each run's target is connected as the config (or the inline inputs) describes
 * it, asked how the run stands, and the check runs of runs that ended are completed.
 */
import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { realClock, type Deadline } from '../clock.js'
import { inlineFollowUpTarget, inlineTarget } from '../config/inline-config.js'
import { loadConfig } from '../config/load-config.js'
import type { TargetConfig } from '../config/schema.js'
import { readEvent } from '../event/read-event.js'
import { UserError } from '../errors.js'
import { jobClient } from '../github/client.js'
import type { Settings } from '../inputs/settings.js'
import * as core from '../runner/commands.js'
import type { Target } from '../targets/target.js'
import type { ExternalRef } from '../checks/check-run-fields.js'
import { FollowUp, type OpenVerdict } from '../checks/complete-open.js'
import { Gatekeeper } from '../gates/gatekeeper.js'
import { ReportCatchUp } from '../pr-comment/report-catch-up.js'
import { connectStepTargets } from '../step-targets.js'

export async function followUpStep(
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<void> {
  const { workspace, deadline } = context
  const what = settings.mode === 'report' ? 'Mode report' : 'Mode reconcile'
  if (!settings.token)
    throw new UserError(
      `${what} completes check runs with the token input, which is empty. Leave it at its default (github.token) and grant checks: write and actions: read.`
    )
  if (settings.mode === 'report' && settings.checkRunId === undefined && !settings.callbackRun)
    throw new UserError(
      'Mode report needs the check run to complete: callback (the client_payload as JSON, with check-run-id, or commit and run-id) or check-run-id.'
    )
  const targetConfigs = await configuredTargets(settings, workspace)
  const connected = new Map<string, Promise<Target | undefined>>()
  const targetFor = async (ref: ExternalRef): Promise<Target | undefined> => {
    const config = targetConfigs(ref)
    if (!config) return undefined
    if (!connected.has(ref.target)) {
      connected.set(
        ref.target,
        connectStepTargets([[ref.target, config]], settings, {
          workspace,
          deadline,
          env: context.env,
          provenance: []
        }).then((targets) => targets.get(ref.target))
      )
    }
    return connected.get(ref.target)!
  }
  const client = jobClient(settings.token, deadline, (message) => core.info(message))
  const repository = process.env.GITHUB_REPOSITORY ?? ''
  let gatekeeper: Gatekeeper | undefined
  const report = new ReportCatchUp({ client, repository, clock: realClock, log: (message) => core.info(message) })
  const followUp = new FollowUp({
    client,
    repository,
    targetFor,
    // The gates the trigger step recorded on each check run, against the default branch's baseline (one search per pass).
    judge: (pipeline, gates, state) => {
      gatekeeper ??= new Gatekeeper({
        client,
        repository,
        defaultBranch: defaultBranchOf(readEvent(process.env).payload),
        sha: '',
        pipelines: [
          ...new Set(
            open.flatMap((run) =>
              typeof run === 'string' || run.kind !== 'check-run' || !run.record ? [] : [run.record.pipeline]
            )
          )
        ],
        // A pull request's report shows the deltas to the baseline, gates or not.
        wantBaseline: ReportCatchUp.wanted(open.filter((run) => typeof run !== 'string')),
        log: (message) => core.info(message)
      })
      return gatekeeper.judgeRun(pipeline, gates, state)
    },
    completed: (run, outcome) => report.completed(run, outcome),
    now: () => realClock.now(),
    signal: deadline.signal,
    log: (message) => core.info(message)
  })
  const open: (OpenVerdict | string)[] =
    settings.mode !== 'report'
      ? await followUp.findOpen()
      : settings.checkRunId !== undefined
        ? [await followUp.readOne(settings.checkRunId)]
        : [await followUp.findByRun(settings.callbackRun!.commit, settings.callbackRun!.runId)]
  const skipped = open.filter((run) => typeof run === 'string')
  for (const reason of skipped) core.notice(`Nothing completed: ${reason}.`)
  const result = await followUp.complete(open.filter((run) => typeof run !== 'string'))
  // Once per pull request, after every completion: the rows of the check runs completed in its report comment.
  await report.post()
  core.info(
    `${what}: ${result.open} open check run(s) or pending status(es) of ours, ${result.completed} completed, ${result.stillRunning} still running, ${result.left} left as they are; ${result.githubCalls} GitHub API call(s).`
  )
  core.setOutput('reconciled', JSON.stringify(result))
}

/** The default branch as the event names it (a schedule or dispatch payload's repository); else GitHub is asked. */
function defaultBranchOf(payload: Record<string, unknown>): string | undefined {
  const repository = payload.repository as { default_branch?: unknown } | undefined
  return typeof repository?.default_branch === 'string' && repository.default_branch
    ? repository.default_branch
    : undefined
}

/**
 * The target a check run names, as this workspace's config file describes it; without a config
 * file, an inline step's target (named by its type) from the inputs, as the trigger step had it.
 */
async function configuredTargets(
  settings: Settings,
  workspace: string
): Promise<(ref: ExternalRef) => TargetConfig | undefined> {
  // An inline step's target is named by its type and described by the inputs, as the trigger step had it:
  // target-config describes it as a config file's target would (a later pass can then ask it as such).
  const described = settings.targetConfig ? await inlineTarget(settings) : undefined
  const inline = (ref: ExternalRef): TargetConfig | undefined =>
    ref.target !== ref.targetType
      ? undefined
      : described?.type === ref.targetType
        ? described
        : inlineFollowUpTarget(ref.targetType, settings.targets, settings.config)
  const path = isAbsolute(settings.config) ? settings.config : join(workspace, settings.config)
  if (!existsSync(path)) return inline
  // The file, even where the step also has inline inputs: every target it names may have runs open.
  const { target: _inline, targetConfig: _described, ...rest } = settings
  const { config } = await loadConfig({ ...rest, paths: [], inlineOnlyInputs: [], pathParameter: '' }, workspace)
  const fromFile = (ref: ExternalRef): TargetConfig | undefined =>
    Object.hasOwn(config.targets, ref.target) && config.targets[ref.target]!.type === ref.targetType
      ? config.targets[ref.target]
      : undefined
  // A repository may have both: steps with the config file, and inline steps beside them.
  return (ref) => fromFile(ref) ?? inline(ref)
}

/** Why a later pass leaves an inline http step's check run open, and the config file that lets it follow such runs. */
