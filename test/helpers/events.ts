/** Real webhook payloads from @octokit/webhooks-examples, plus the hand-built schedule one (none is published). */
import { createRequire } from 'node:module'
import type { EventContext } from '../../src/event/normalize-event.js'

const require = createRequire(import.meta.url)
const examples = require('@octokit/webhooks-examples/api.github.com/index.json') as {
  name: string
  examples: Record<string, unknown>[]
}[]

export function webhookExample(
  name: string,
  pick: (payload: Record<string, any>) => boolean = () => true
): Record<string, any> {
  const found = examples.find((e) => e.name === name)?.examples.find(pick)
  if (!found) throw new Error(`no ${name} example matches`)
  return structuredClone(found)
}

export function contextFor(
  eventName: string,
  payload: Record<string, any>,
  overrides: Partial<EventContext> = {}
): EventContext {
  return {
    eventName,
    payload,
    sha: payload.after ?? payload.pull_request?.head?.sha ?? 'a'.repeat(40),
    ref: payload.ref ?? 'refs/heads/main',
    repository: payload.repository?.full_name ?? 'octo-org/ml-repo',
    runId: '9100',
    runAttempt: 1,
    serverUrl: 'https://github.com',
    workflow: 'train',
    ...overrides
  }
}

/** A schedule payload as GitHub delivers it: the firing cron line plus the repository. */
export function schedulePayload(cron: string): Record<string, any> {
  return {
    schedule: cron,
    repository: { full_name: 'octo-org/ml-repo', default_branch: 'main' },
    workflow: '.github/workflows/train.yml'
  }
}
