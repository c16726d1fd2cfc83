/**
 * `dry-run: check`: the plan's targets connected and every request checked as a real run would be
 * (the deployment, DAG, job, snapshot or workflow exists, is ready, and takes these parameters),
 * with nothing started or changed. Loaded only then, like the triggering it stands in for.
 */
import { realClock, type Deadline } from '../clock.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import { checkPlan } from '../execute/execute.js'
import type { Settings } from '../inputs/settings.js'
import type { Plan } from '../plan/trigger-request.js'
import * as core from '../runner/commands.js'
import { connectStepTargets } from '../step-targets.js'
import { provenanceTags } from '../zenml/run-tags.js'

export async function checkTargets(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<void> {
  const targets = await connectStepTargets(
    plan.requests.map((request) => [request.target, request.targetConfig]),
    settings,
    { ...context, provenance: provenanceTags(event) }
  )
  await checkPlan(plan.requests, (request) => targets.get(request.target)!, {
    deadline: context.deadline,
    clock: realClock,
    log: (message) => core.info(message)
  })
  for (const [name, target] of targets)
    core.info(
      target.prepare
        ? `Checked on target ${name}: ${plan.requests.filter((r) => r.target === name).length} run(s) would start; nothing was started.`
        : `Target ${name} learns of a bad request only by starting it, so the plan is all a dry run can check for it.`
    )
}
