/**
 * The chain guard. Every trigger carries a chain context {root, depth, chain}: where the
 * chain started, how many triggers deep it is, and which pipelines it has triggered. A
 * pipeline that triggers pipelines that trigger pipelines can loop or fan out without end;
 * refusing a pipeline already in the chain, or a depth at max-depth, stops that before any
 * call is made.
 */
import { UserError, preview } from '../errors.js'

export interface ChainContext {
  /** Where the chain started: the first workflow run's URL. */
  root: string
  /** How many triggers led here: 0 at the start, 1 for a pipeline the first step triggered. */
  depth: number
  /** The pipelines triggered so far, oldest first. */
  chain: string[]
}

/** The name of the workflow input / client_payload key that carries the context between workflows. */
export const CHAIN_INPUT = 'pipeline-context'
export const DEFAULT_MAX_DEPTH = 4
const MAX_ENTRY_LENGTH = 256

/**
 * Reads a context sent by an upstream trigger. `where` names its source in errors. An invalid
 * context is an error, not a fresh start: ignoring it would switch the guard off.
 */
export function parseChainContext(value: unknown, where: string): ChainContext | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const fix = `Pass it on unchanged from the upstream step's pipeline-context output, or leave it empty at the start of a chain.`
  let data = value
  if (typeof value === 'string') {
    try {
      data = JSON.parse(value)
    } catch {
      throw new UserError(`${where}: ${preview(value)} is not JSON. ${fix}`)
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new UserError(`${where}: ${preview(value)} is not a JSON object {root, depth, chain}. ${fix}`)
  }
  const { root, depth, chain } = data as Record<string, unknown>
  if (typeof root !== 'string' || root === '' || root.length > MAX_ENTRY_LENGTH) {
    throw new UserError(
      `${where}: root is ${preview(root)}; it must be a non-empty string of at most ${MAX_ENTRY_LENGTH} characters. ${fix}`
    )
  }
  if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0) {
    throw new UserError(`${where}: depth is ${preview(depth)}; it must be a whole number of at least 0. ${fix}`)
  }
  if (!Array.isArray(chain) || chain.some((entry) => typeof entry !== 'string' || entry.length > MAX_ENTRY_LENGTH)) {
    throw new UserError(`${where}: chain is ${preview(chain)}; it must be a list of pipeline names. ${fix}`)
  }
  return { root, depth, chain: chain as string[] }
}

/** The context a triggered run receives: one level deeper, with its pipeline appended. */
export function extendChain(incoming: ChainContext, pipelines: string[]): ChainContext {
  const chain = [...incoming.chain]
  for (const pipeline of pipelines) if (!chain.includes(pipeline)) chain.push(pipeline)
  return { root: incoming.root, depth: incoming.depth + 1, chain }
}

/** Refuses a pipeline already in the chain (a cycle) or a chain already max-depth deep. */
export function guardChain(incoming: ChainContext, pipeline: string, maxDepth: number): void {
  if (incoming.chain.includes(pipeline)) {
    throw new UserError(
      `Chain guard: ${JSON.stringify(pipeline)} is already in this chain (${[...incoming.chain, pipeline].join(' → ')}), so triggering it again would loop. Nothing was triggered. Fix: remove the trigger that leads back to ${JSON.stringify(pipeline)}, or start a new chain by leaving pipeline-context empty.`
    )
  }
  if (incoming.depth >= maxDepth) {
    throw new UserError(
      `Chain guard: this chain is already ${incoming.depth} triggers deep (${incoming.chain.join(' → ')}), and max-depth is ${maxDepth}. Nothing was triggered. Fix: raise max-depth if the chain is meant to be this long.`
    )
  }
}
