/**
 * The targets of this step: resolved from the config and the inputs (secrets masked as they are
 * read) and connected with the runner's workspace, temp dir, clock and deadline. One way for the
 * trigger step and for the reconcile and report modes alike.
 */
import { tmpdir } from 'node:os'
import { realClock, type Deadline } from './clock.js'
import type { TargetConfig } from './config/schema.js'
import type { Settings } from './inputs/settings.js'
import * as core from './runner/commands.js'
import { connectTargets, resolveTargets } from './targets/connect-targets.js'
import type { Target } from './targets/target.js'

export function connectStepTargets(
  used: Iterable<[string, TargetConfig]>,
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string>; provenance: string[] }
): Promise<Map<string, Target>> {
  const mask = (secret: string) => core.setSecret(secret)
  // The one resolved configuration: after this, nothing reads settings for the targets.
  const resolved = resolveTargets(used, settings, { env: process.env, mask })
  return connectTargets(resolved, {
    workspace: context.workspace,
    tempDir: process.env.RUNNER_TEMP || tmpdir(),
    env: context.env,
    clock: realClock,
    deadline: context.deadline,
    mask,
    log: (message) => core.info(message),
    provenance: context.provenance
  })
}
