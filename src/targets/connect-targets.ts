/**
 * Resolves and connects every target the plan uses, each through its module in the registry:
 * one login per ZenML server and key, however many targets share them. A wrong URL or key
 * therefore fails the step before anything is triggered.
 */
import { retry } from '../retry.js'
import { connectZenml as logIn, type ZenmlConnection, type ZenmlServerConfig } from '../zenml/connection.js'
import type { AnyTargetModule, ConnectContext } from './module.js'
import { TARGETS, type ResolvedTarget, type TargetConfig } from './registry.js'
import type { ResolveContext, SecretSource, TargetDefaults } from './resolve-context.js'
import type { Target } from './target.js'

function moduleOf(type: TargetConfig['type']): AnyTargetModule {
  return TARGETS[type]
}

/** Resolves every target the plan uses, once each, before anything starts. */
export function resolveTargets(
  used: Iterable<[string, TargetConfig]>,
  defaults: TargetDefaults,
  secrets: SecretSource
): Map<string, ResolvedTarget> {
  const resolved = new Map<string, ResolvedTarget>()
  for (const [name, config] of used) {
    if (resolved.has(name)) continue
    const module = moduleOf(config.type)
    const context: ResolveContext = {
      defaults,
      secrets,
      maxParallel: config['max-parallel'] ?? defaults.maxParallel ?? module.defaultMaxParallel
    }
    resolved.set(name, module.resolve(name, config, context) as ResolvedTarget)
  }
  return resolved
}

export async function connectTargets(
  resolved: Map<string, ResolvedTarget>,
  context: Omit<ConnectContext, 'zenml'>
): Promise<Map<string, Target>> {
  const servers = new Map<string, Promise<ZenmlConnection>>()
  const zenml = (server: ZenmlServerConfig): Promise<ZenmlConnection> => {
    const key = JSON.stringify([server.url, server.apiKey, server.project])
    if (!servers.has(key)) {
      servers.set(
        key,
        retry(() => logIn(server, context.deadline.signal, context.mask, context.log), {
          clock: context.clock,
          deadline: context.deadline,
          onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
        })
      )
    }
    return servers.get(key)!
  }
  const targets = new Map<string, Target>()
  for (const [name, config] of resolved)
    targets.set(name, await moduleOf(config.type).connect(config, { ...context, zenml }))
  return targets
}
