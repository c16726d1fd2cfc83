/**
 * The labels on every pipeline job: where it came from (repository, commit, ref, workflow run), the
 * chain it belongs to, and the idempotency key. Google's label rules: keys and values at most 63
 * characters of lowercase letters, digits, _ and - (a key starts with a letter). Every value is
 * sanitized to fit: lowercased, any other character as _, and a value too long is cut, ending in
 * a digest of the whole so two long values stay apart. A workflow run is labelled by its id.
 */
import { createHash } from 'node:crypto'
import type { ChainContext } from '../../core/chain.js'

const MAX = 63

export function labelValue(value: string): string {
  const clean = value.toLowerCase().replace(/[^a-z0-9_-]/g, '_')
  if (clean.length <= MAX) return clean
  return `${clean.slice(0, MAX - 13)}-${createHash('sha256').update(value).digest('hex').slice(0, 12)}`
}

const labelKey = (name: string) => labelValue(/^[a-z]/.test(name) ? name : `gh-${name}`)

/** A workflow run's id from its URL (…/actions/runs/<id>), else the whole value. */
const runIdOf = (url: string) => /\/actions\/runs\/(\d+)/.exec(url)?.[1] ?? url

/** @param provenance the ZenML-style tags (`repo:o/r`, `sha:…`, `ref:…`, `gh-run:<url>`, `github-actions`). */
export function jobLabels(idempotencyKey: string, provenance: string[], chain: ChainContext): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const tag of provenance) {
    const colon = tag.indexOf(':')
    if (colon < 0) labels.source = labelValue(tag)
    else {
      const name = tag.slice(0, colon)
      const value = tag.slice(colon + 1)
      labels[labelKey(name.startsWith('gh-') ? name : `gh-${name}`)] = labelValue(
        name === 'gh-run' ? runIdOf(value) : value
      )
    }
  }
  labels['chain-root'] = labelValue(runIdOf(chain.root))
  labels['chain-depth'] = String(chain.depth)
  labels['pipeline-trigger-key'] = labelValue(idempotencyKey)
  return labels
}
