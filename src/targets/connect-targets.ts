/**
 * Builds the Target for every resolved target of the plan, logged in where it needs a server:
 * one login per server and key, however many targets share them. A wrong URL or key therefore
 * fails the step before anything is triggered.
 */
import type { Clock, Deadline } from '../clock.js'
import type { ResolvedTarget, ZenmlServerConfig } from '../config/resolve-targets.js'
import { ActionsApi } from '../github/actions-api.js'
import { GitHubClient } from '../github/client.js'
import { retry } from '../retry.js'
import { connectZenml, type ZenmlConnection } from '../zenml/connection.js'
import { CommandTarget, type RunnerContext } from './command-target.js'
import { HttpTarget } from './http-target.js'
import type { Target } from './target.js'
import { WorkflowTarget } from './workflow-target.js'
import { ZenmlTarget } from './zenml-target.js'

export interface ConnectContext extends RunnerContext {
  clock: Clock
  deadline: Deadline
  mask(secret: string): void
  log(message: string): void
  /** ZenML tags naming where runs come from (repository, commit, workflow run). */
  provenance: string[]
}

export async function connectTargets(
  resolved: Map<string, ResolvedTarget>,
  context: ConnectContext
): Promise<Map<string, Target>> {
  const servers = new Map<string, Promise<ZenmlConnection>>()
  const connect = (server: ZenmlServerConfig): Promise<ZenmlConnection> => {
    const key = JSON.stringify([server.url, server.apiKey, server.project])
    if (!servers.has(key)) {
      servers.set(
        key,
        retry(() => connectZenml(server, context.deadline.signal, context.mask, context.log), {
          clock: context.clock,
          deadline: context.deadline,
          onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
        })
      )
    }
    return servers.get(key)!
  }

  const targets = new Map<string, Target>()
  for (const [name, config] of resolved) {
    switch (config.type) {
      case 'command':
        targets.set(name, new CommandTarget(config, context, config.server ? await connect(config.server) : undefined))
        break
      case 'zenml':
        targets.set(name, new ZenmlTarget(config, await connect(config.server), context.provenance))
        break
      case 'http':
        targets.set(name, new HttpTarget(config, context.clock))
        break
      case 'workflow':
        context.mask(config.token)
        targets.set(
          name,
          new WorkflowTarget(
            config,
            new ActionsApi(
              new GitHubClient({
                token: config.token,
                apiUrl: config.apiUrl,
                deadline: context.deadline,
                clock: context.clock,
                log: context.log
              }),
              context.log
            ),
            context.clock
          )
        )
        break
    }
  }
  return targets
}
