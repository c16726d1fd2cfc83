/**
 * The stages both the action and the CLI share: event → config → changed files → plan.
 * Everything here is decided before anything is triggered.
 */
import { ChangesUnavailable, type ChangeSet } from './changes/change-set.js'
import { ApiChanges } from './changes/from-api.js'
import type { ChangesApi } from './github/changes-contract.js'
import { GitChanges, GitUnavailable, type Log } from './changes/from-git.js'
import { createGit } from './changes/git.js'
import { DeadlineExceeded, type Deadline } from './clock.js'
import { loadConfig } from './config/load-config.js'
import type { Config } from './config/schema.js'
import { normalizeEvent, type EventContext } from './event/normalize-event.js'
import type { TriggerEvent } from './event/trigger-event.js'
import type { Settings } from './inputs/settings.js'
import { needsChanges, planTriggers } from './plan/plan.js'
import type { Plan } from './plan/trigger-request.js'
import { UserError } from './errors.js'

export interface Prepared {
  event: TriggerEvent
  config?: Config
  configFile?: string
  changes?: ChangeSet
  plan: Plan
}

/**
 * Git first; the GitHub API only when git cannot answer. A push, pull request or merge group
 * compares its own commits; a schedule or dispatch compares with the commit of the workflow's
 * last successful run on the same branch, found through the API.
 */
async function changedFiles(
  event: TriggerEvent,
  settings: Settings,
  workspace: string,
  log: Log,
  deadline: Deadline
): Promise<ChangeSet | undefined> {
  const git = new GitChanges(
    createGit(
      workspace,
      settings.token ? { token: settings.token, serverUrl: event.run.serverUrl || 'https://github.com' } : undefined,
      deadline
    ),
    log
  )
  // The API client (Octokit, zod) loads only when git cannot answer: most steps never need it.
  const api = async (): Promise<ChangesApi> => {
    if (!settings.token)
      throw new ChangesUnavailable(
        'The GitHub API is needed to list the changed files, but the token input is empty.',
        'Leave token at its default (github.token).'
      )
    const [{ jobClient }, { createChangesApi }] = await Promise.all([
      import('./github/client.js'),
      import('./github/changes-api.js')
    ])
    return createChangesApi(jobClient(settings.token, deadline, log), event.repository)
  }
  const withFallback = async (
    viaGit: () => Promise<ChangeSet | undefined>,
    viaApi: (changes: ApiChanges) => Promise<ChangeSet | undefined>
  ) => {
    try {
      return await viaGit()
    } catch (error) {
      if (!(error instanceof GitUnavailable) || !settings.token) throw error
      log(`git cannot list the changed files (${error.message}) Asking the GitHub API instead.`)
      return viaApi(new ApiChanges(await api(), log))
    }
  }
  if (event.kind === 'push' || event.kind === 'pull_request' || event.kind === 'merge_group') {
    return withFallback(
      () => git.forEvent(event),
      (viaApi) => viaApi.forEvent(event)
    )
  }

  const workflowFile = /\/\.github\/workflows\/([^@/]+)@/.exec(event.run.workflowRef ?? '')?.[1]
  if (!workflowFile) {
    throw new ChangesUnavailable(
      'Changed-file rules on a schedule or dispatch compare with the last successful run of this workflow, but GITHUB_WORKFLOW_REF does not name the workflow file.',
      'Run the action in a GitHub Actions workflow.'
    )
  }
  const last = await (await api()).lastSuccessfulRun(workflowFile, event.refName, event.run.id)
  const what = `since the last successful run of ${workflowFile} on ${event.refName}`
  if (!last) {
    log(`Changed files: none (no earlier successful run of ${workflowFile} on ${event.refName}, so no base).`)
    return {
      files: [],
      complete: true,
      base: event.sha,
      head: event.sha,
      description: `no earlier successful run of ${workflowFile} on ${event.refName} (no base)`
    }
  }
  return withFallback(
    () => git.between(last.headSha, event.sha, `${what} (run ${last.id})`),
    (viaApi) => viaApi.between(last.headSha, event.sha, `${what} (run ${last.id})`)
  )
}

export async function preparePlan(options: {
  settings: Settings
  context: EventContext
  workspace: string
  log: Log
  /** The step's one deadline: git and every API call of planning end with it. */
  deadline: Deadline
  /** Changed files given by the caller (CLI); otherwise git is asked. */
  changes?: ChangeSet
}): Promise<Prepared> {
  const { settings, workspace, log, deadline } = options
  const event = normalizeEvent(options.context, settings.workflowInputs, settings.pipelineContext)
  if (!event.kind) return { event, plan: { requests: [], skipped: [], warnings: [] } }

  const { config, file, notice } = await loadConfig(settings, workspace)
  if (notice) log(notice)
  const configMode = file !== undefined
  const changes =
    options.changes ??
    (needsChanges(event, config)
      ? await changedFiles(event, settings, workspace, log, deadline).catch((error: unknown) => {
          if (error instanceof DeadlineExceeded)
            throw new DeadlineExceeded(
              `Listing the changed files: ${error.message}. Nothing was triggered. Raise timeout, or check that the runner reaches the git remote and the GitHub API.`
            )
          throw error
        })
      : undefined)
  const plan = planTriggers(event, changes, config, {
    maxRuns: settings.maxRuns,
    maxDepth: settings.maxDepth,
    onIncomplete: settings.onIncomplete,
    ...(settings.runName ? { runNameTemplate: settings.runName } : {}),
    ...(configMode && settings.pipeline ? { only: settings.pipeline } : {}),
    ...(configMode ? {} : { inline: true }),
    // With a config file the parameters input overrides each pipeline's defaults; inline it *is* the defaults.
    ...(configMode ? { overrides: settings.parameters } : {})
  })
  const selected = settings.requestIndex === undefined ? plan : selectRequest(plan, settings.requestIndex)
  return { event, config, ...(file ? { configFile: file } : {}), ...(changes ? { changes } : {}), plan: selected }
}

/** A fan-out job keeps its one request; the plan is deterministic, so the index names the same run the plan job saw. */
function selectRequest(plan: Plan, index: number): Plan {
  const request = plan.requests.find((r) => r.index === index)
  if (!request) {
    throw new UserError(
      `Input request-index: ${index}, but this job's plan has ${plan.requests.length} request(s)${plan.requests.length ? ` (0–${plan.requests.length - 1})` : ''}. Nothing was triggered. The plan job must see the same event, config and inputs as the trigger jobs; pass both the same inputs.`
    )
  }
  // The pipeline-context output then names this job's run only, not its siblings in the fan-out.
  return { ...plan, requests: [request], context: request.chain }
}
