/**
 * Triggering: the plan's targets resolved from config and inputs, connected (logins first, so a
 * wrong URL or key fails before anything starts), and every request run by the executor.
 * Loaded by main.ts only when something is triggered: a dry run never loads a target.
 */
import { Deadline, realClock } from './clock.js'
import type { TriggerEvent } from './event/trigger-event.js'
import { executePlan, type RunResult } from './execute/execute.js'
import { GitHubClient } from './github/client.js'
import type { Settings } from './inputs/settings.js'
import type { Plan } from './plan/trigger-request.js'
import { attemptLine, resultLine } from './report/log-lines.js'
import * as core from './runner/commands.js'
import { CommitVerdict } from './verdict/commit-verdict.js'
import { reattaching } from './verdict/reattach.js'
import { provenanceTags } from './zenml/run-tags.js'
import { connectStepTargets } from './step-targets.js'

export async function trigger(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<RunResult[]> {
  const { workspace, deadline } = context
  const targets = await connectStepTargets(
    plan.requests.map((request) => [request.target, request.targetConfig]),
    settings,
    { workspace, deadline, env: context.env, provenance: provenanceTags(event) }
  )
  if (!settings.wait && plan.requests.some((r) => r.targetConfig.type === 'command')) {
    core.notice('wait is false, but the command target runs the pipeline inside this job, so it always waits for it.')
  }
  const verdict = openVerdict(plan, event, settings, deadline)
  // A re-run of the job follows what an earlier attempt started, found through its check runs.
  const reattach = verdict && event.run.attempt > 1 && settings.rerun === 'reattach'
  const targetFor = new Map(
    [...targets].map(([name, target]) => [
      name,
      reattach
        ? reattaching(target, {
            earlier: (request) => verdict.reporter.earlier(request),
            adopt: (request, id) => verdict.reporter.adopt(request, id),
            log: (message) => core.info(message)
          })
        : target
    ])
  )
  let results: RunResult[]
  try {
    results = await executePlan(plan.requests, (request) => targetFor.get(request.target)!, {
      wait: settings.wait,
      failFast: settings.failFast,
      cancelOnFailFast: settings.cancelOnFailFast,
      deadline,
      clock: realClock,
      log: {
        attempt: (request) => core.info(attemptLine(request)),
        finished: (result) => core.info(resultLine(result)),
        info: (message) => core.info(message),
        ...(verdict
          ? {
              started: (request, ids) => verdict.reporter.started(request, ids),
              settled: (request, state, durationMs) => verdict.reporter.settled(request, state, durationMs)
            }
          : {})
      }
    })
  } finally {
    // Whatever happened, the check runs get their last word before the step ends.
    await verdict?.reporter.flush()
    verdict?.deadline.dispose()
  }
  return results.map((result) => {
    const checkRunId = verdict?.reporter.checkRunId(result.request)
    return checkRunId === undefined ? result : { ...result, checkRunId }
  })
}

/** Completing the check runs may take this long past the step's deadline: a timed-out run still gets its verdict. */
export const VERDICT_GRACE_MS = 15_000

/** The verdict on the commit, unless it is off or there is no token to post it with. */
function openVerdict(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  stepDeadline: Deadline
): { reporter: CommitVerdict; deadline: Deadline } | undefined {
  if (settings.verdict === 'off' || plan.requests.length === 0) return undefined
  if (!settings.token) {
    core.info('No verdict on the commit: the token input is empty (leave it at its default, github.token).')
    return undefined
  }
  const deadline = new Deadline(realClock, stepDeadline.remaining() + VERDICT_GRACE_MS)
  const client = new GitHubClient({
    token: settings.token,
    apiUrl: process.env.GITHUB_API_URL || 'https://api.github.com',
    deadline,
    clock: realClock,
    log: (message) => core.info(message)
  })
  const reporter = new CommitVerdict({
    client,
    repository: event.repository,
    // A pull request shows the checks of its head commit, not of the merge commit the job ran on.
    sha: event.pullRequest?.headSha || event.sha,
    mode: settings.verdict,
    wait: settings.wait,
    requests: plan.requests,
    log: (message) => core.info(message),
    warn: (message) => core.warning(message)
  })
  return { reporter, deadline }
}
