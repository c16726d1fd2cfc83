import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  )
}

export interface IdempotencyScope {
  repository: string
  runId: string
  runAttempt: number
  pipeline: string
  target: string
  parameters: Record<string, unknown>
}

/**
 * A hash of (repository, workflow run, attempt, pipeline, target, parameters). A retry inside
 * one attempt reuses the key, so a target that dedupes runs it once; re-running the job
 * (a new attempt) is the user asking for a new run and gets a new key.
 */
export function idempotencyKey(scope: IdempotencyScope): string {
  const hash = createHash('sha256')
    .update(
      canonicalJson([scope.repository, scope.runId, scope.runAttempt, scope.pipeline, scope.target, scope.parameters])
    )
    .digest('hex')
  return `pt-${hash.slice(0, 32)}`
}
