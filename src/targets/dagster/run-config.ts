/**
 * What a launch sends besides the job: the run config with the parameters placed where the target
 * says (`op`, or "{parameters}" in `run-config`), and the run's tags: our idempotency key, which
 * find() looks a run up by, the run name, where the run came from and its chain.
 */
import { renderTemplate } from '../../core/placeholders.js'
import type { RunRequest } from '../../core/run-request.js'
import { UserError } from '../../errors.js'
import { chainTags } from '../../zenml/run-tags.js'
import type { ResolvedDagster } from './resolve.js'

/** The tag find() looks a run up by. */
export const KEY_TAG = 'pipeline-trigger/key'

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

export function runConfigData(config: ResolvedDagster, request: RunRequest): Record<string, unknown> {
  const values = { pipeline: request.pipelineName, run_name: request.runName, idempotency_key: request.idempotencyKey }
  let placed = false
  const render = (value: unknown): unknown => {
    if (value === '{parameters}') {
      placed = true
      return request.parameters
    }
    if (typeof value === 'string') return renderTemplate(value, values, `Target ${config.name} run-config`)
    if (Array.isArray(value)) return value.map(render)
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v)]))
    return value
  }
  const data = render(config.runConfig ?? {}) as Record<string, unknown>
  if (config.op) {
    const ops = isObject(data.ops) ? data.ops : {}
    const named = ops[config.op]
    const op = isObject(named) ? named : {}
    const given = op.config ?? {}
    if (!isObject(given))
      throw new UserError(
        `Target ${config.name}: run-config gives ops.${config.op}.config as something else than a mapping, so the parameters cannot go in it (op: ${config.op}). Fix: make it a mapping, or drop op and place "{parameters}" yourself.`
      )
    data.ops = { ...ops, [config.op]: { ...op, config: { ...given, ...request.parameters } } }
  } else if (!placed && Object.keys(request.parameters).length > 0) {
    throw new UserError(
      `Target ${config.name}: pipeline ${request.pipeline} has parameters (${Object.keys(request.parameters).join(', ')}) but nothing says where they go in the job's run config. Fix: set op: <the op whose config takes them> on the target, or run-config with "{parameters}" where they go, e.g. run-config: {ops: {train: {config: "{parameters}"}}}.`
    )
  }
  return data
}

/** A run tag is a key and a value: "repo:owner/name" becomes pipeline-trigger/repo = owner/name. */
function asTag(tag: string): { key: string; value: string } {
  const colon = tag.indexOf(':')
  return colon > 0
    ? { key: `pipeline-trigger/${tag.slice(0, colon)}`, value: tag.slice(colon + 1) }
    : { key: `pipeline-trigger/${tag}`, value: 'true' }
}

export function runTags(request: RunRequest, provenance: string[]): { key: string; value: string }[] {
  return [
    { key: KEY_TAG, value: request.idempotencyKey },
    { key: 'pipeline-trigger/run-name', value: request.runName },
    ...[...provenance, ...chainTags(request.chain)].map(asTag)
  ]
}
