/**
 * The tags the zenml and command targets put on every run they start: where the run came from (repository,
 * commit, workflow run) and the chain it belongs to.
 */
import { createHash } from 'node:crypto'
import type { ChainContext } from '../core/chain.js'
import type { TriggerEvent } from '../event/trigger-event.js'

/** ZenML tag names are at most 255 characters; a longer chain root is named by its hash. */
export function chainTags(chain: ChainContext): string[] {
  const root = `pipeline-chain-root:${chain.root}`
  return [
    root.length <= 255 ? root : `pipeline-chain-root:sha256-${createHash('sha256').update(chain.root).digest('hex')}`,
    `pipeline-chain-depth:${chain.depth}`
  ]
}

/** Tags on every ZenML run naming where it came from: repository, commit, ref, workflow run. */
export function provenanceTags(event: TriggerEvent): string[] {
  return [
    'github-actions',
    `repo:${event.repository}`,
    `sha:${event.sha.slice(0, 12)}`,
    // The ref the event ran on (refs/heads/main, refs/pull/7/merge): a baseline query asks for the default branch's runs.
    ...(event.ref && event.ref.length <= 250 ? [`ref:${event.ref}`] : []),
    ...(event.run.id ? [`gh-run:${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}`] : [])
  ]
}
