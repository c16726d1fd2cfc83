/**
 * The stages both the action and the CLI share: event → config → changed files → plan.
 * Everything here is decided before anything is triggered.
 */
import type { ChangeSet } from './changes/changed-file.js'
import { ApiChanges } from './changes/api-changes.js'
import { GitChanges, GitUnavailable, type Log } from './changes/changed-files.js'
import { createGit } from './changes/git.js'
import { createChangesApi } from './changes/github-api.js'
import { loadConfig } from './config/load-config.js'
import type { Config } from './config/schema.js'
import { normalizeEvent, type EventContext } from './event/normalize-event.js'
import type { TriggerEvent } from './event/trigger-event.js'
import type { Settings } from './inputs/settings.js'
import { needsChanges, planTriggers } from './plan/plan.js'
import type { Plan } from './plan/trigger-request.js'

export interface Prepared {
  event: TriggerEvent
  config?: Config
  configFile?: string
  changes?: ChangeSet
  plan: Plan
}

/** Git first; the GitHub API only when git cannot answer. */
async function changedFiles(event: TriggerEvent, settings: Settings, workspace: string, log: Log): Promise<ChangeSet | undefined> {
  try {
    return await new GitChanges(createGit(workspace), log).forEvent(event)
  } catch (error) {
    if (!(error instanceof GitUnavailable) || !settings.token) throw error
    log(`git cannot list the changed files (${error.message}) Asking the GitHub API instead.`)
    return new ApiChanges(createChangesApi(settings.token, event.repository, log), log).forEvent(event)
  }
}

export async function preparePlan(options: {
  settings: Settings
  context: EventContext
  workspace: string
  log: Log
  /** Changed files given by the caller (CLI); otherwise git is asked. */
  changes?: ChangeSet
}): Promise<Prepared> {
  const { settings, workspace, log } = options
  const event = normalizeEvent(options.context, settings.workflowInputs)
  if (!event.kind) return { event, plan: { requests: [], skipped: [], warnings: [] } }

  const { config, file } = loadConfig(settings, workspace)
  const configMode = file !== undefined
  const changes = options.changes ?? (needsChanges(event, config) ? await changedFiles(event, settings, workspace, log) : undefined)
  const plan = planTriggers(event, changes, config, {
    maxRuns: settings.maxRuns,
    onIncomplete: settings.onIncomplete,
    ...(configMode && settings.pipeline ? { only: settings.pipeline } : {}),
    // With a config file the parameters input overrides each pipeline's defaults; inline it *is* the defaults.
    ...(configMode ? { overrides: settings.parameters } : {})
  })
  return { event, config, ...(file ? { configFile: file } : {}), ...(changes ? { changes } : {}), plan }
}
