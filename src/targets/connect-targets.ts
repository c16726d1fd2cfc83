/**
 * Resolves and connects every target the plan uses, each through its module in the registry:
 * what several targets share (a login per server and key) is opened once. A wrong URL or key
 * therefore fails the step before anything is triggered.
 */
import type { AnyTargetModule, ConnectContext } from './module.js'
import { TARGETS, type ResolvedTarget, type TargetConfig } from './registry.js'
import type { ResolveContext, SecretSource } from './resolve-context.js'
import type { TargetInputs } from './target-types.js'
import type { Target } from './target.js'

function moduleOf(type: TargetConfig['type']): AnyTargetModule {
  return TARGETS[type]
}

/** What the step's inputs say for its targets: each type's own inputs, and the max-parallel input. */
export interface StepInputs {
  targets: TargetInputs
  /** The max-parallel input; undefined = each type's own default. */
  maxParallel?: number
}

/** Resolves every target the plan uses, once each, before anything starts. */
export function resolveTargets(
  used: Iterable<[string, TargetConfig]>,
  inputs: StepInputs,
  secrets: SecretSource
): Map<string, ResolvedTarget> {
  const resolved = new Map<string, ResolvedTarget>()
  for (const [name, config] of used) {
    if (resolved.has(name)) continue
    const module = moduleOf(config.type)
    const context: ResolveContext<unknown> = {
      inputs: inputs.targets[config.type],
      secrets,
      maxParallel: config['max-parallel'] ?? inputs.maxParallel ?? module.defaultMaxParallel
    }
    resolved.set(name, module.resolve(name, config, context) as ResolvedTarget)
  }
  return resolved
}

export async function connectTargets(
  resolved: Map<string, ResolvedTarget>,
  context: Omit<ConnectContext, 'shared'>
): Promise<Map<string, Target>> {
  // One per step: every target opening the same key gets the same promise.
  const opened = new Map<string, Promise<unknown>>()
  const shared = <T>(key: string, open: () => Promise<T>): Promise<T> => {
    if (!opened.has(key)) opened.set(key, open())
    return opened.get(key) as Promise<T>
  }
  const targets = new Map<string, Target>()
  for (const [name, config] of resolved)
    targets.set(name, await moduleOf(config.type).connect(config, { ...context, shared }))
  return targets
}
