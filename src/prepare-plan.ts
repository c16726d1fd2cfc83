/**
 * The stages both the action and the CLI share: event → config → changed files → plan.
 * Everything here is decided before anything is triggered.
 */
import type { ChangeSet } from './changes/changed-file.js'
import { GitChanges, type Log } from './changes/changed-files.js'
import { createGit } from './changes/git.js'
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
  if (!event.kind) return { event, plan: { requests: [], skipped: [] } }

  const { config, file } = loadConfig(settings, workspace)
  const configMode = file !== undefined
  const changes =
    options.changes ?? (needsChanges(event, config) ? await new GitChanges(createGit(workspace), log).forEvent(event) : undefined)
  const plan = planTriggers(event, changes, config, {
    maxRuns: settings.maxRuns,
    ...(configMode && settings.pipeline ? { only: settings.pipeline } : {}),
    // With a config file the parameters input overrides each pipeline's defaults; inline it *is* the defaults.
    ...(configMode ? { overrides: settings.parameters } : {})
  })
  return { event, config, ...(file ? { configFile: file } : {}), ...(changes ? { changes } : {}), plan }
}
