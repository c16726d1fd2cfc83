/**
 * One login per ZenML server, project and key for the whole step, however many targets use it
 * (zenml targets, and command targets that report to a server), tried again under the one retry
 * policy. The step's cache is keyed by the key's digest, never the key.
 */
import { createHash } from 'node:crypto'
import type { Clock, Deadline } from '../clock.js'
import { retry } from '../retry.js'
import { connectZenml, type ZenmlConnection, type ZenmlServerConfig } from './connection.js'

/** What a login needs from the step (the ConnectContext of src/targets/ has each of these). */
export interface LoginContext {
  clock: Clock
  deadline: Deadline
  mask(secret: string): void
  log(message: string): void
  shared<T>(key: string, open: () => Promise<T>): Promise<T>
}

export function sharedLogin(server: ZenmlServerConfig, context: LoginContext): Promise<ZenmlConnection> {
  const digest = createHash('sha256').update(server.apiKey).digest('hex')
  return context.shared(JSON.stringify(['zenml-login', server.url, server.project, digest]), () =>
    retry(() => connectZenml(server, context.deadline.signal, context.mask, context.log), {
      clock: context.clock,
      deadline: context.deadline,
      onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
    })
  )
}
