/**
 * Triggering: the plan's targets resolved from config and inputs, connected (logins first, so a
 * wrong URL or key fails before anything starts), and every request run by the executor.
 * Loaded by main.ts only when something is triggered: a dry run never loads a target.
 */
import { tmpdir } from 'node:os'
import { realClock, type Deadline } from './clock.js'
import type { TriggerEvent } from './event/trigger-event.js'
import { executePlan, type RunResult } from './execute/execute.js'
import { targetDefaults, type Settings } from './inputs/settings.js'
import type { Plan } from './plan/trigger-request.js'
import { attemptLine, resultLine } from './report/log-lines.js'
import * as core from './runner/commands.js'
import { connectTargets, resolveTargets } from './targets/connect-targets.js'
import { provenanceTags } from './zenml/run-tags.js'

export async function trigger(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<RunResult[]> {
  const { workspace, deadline } = context
  // The one resolved configuration: after this, nothing reads settings for the targets.
  const mask = (secret: string) => core.setSecret(secret)
  const resolved = resolveTargets(
    plan.requests.map((request) => [request.target, request.targetConfig]),
    targetDefaults(settings),
    { env: process.env, mask }
  )
  const targets = await connectTargets(resolved, {
    workspace,
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    env: context.env,
    clock: realClock,
    deadline,
    mask,
    log: (message) => core.info(message),
    provenance: provenanceTags(event)
  })
  if (!settings.wait && plan.requests.some((r) => r.targetConfig.type === 'command')) {
    core.notice('wait is false, but the command target runs the pipeline inside this job, so it always waits for it.')
  }
  const results = await executePlan(plan.requests, (request) => targets.get(request.target)!, {
    wait: settings.wait,
    failFast: settings.failFast,
    cancelOnFailFast: settings.cancelOnFailFast,
    deadline,
    clock: realClock,
    log: {
      attempt: (request) => core.info(attemptLine(request)),
      finished: (result) => core.info(resultLine(result)),
      info: (message) => core.info(message)
    }
  })
  return results
}
