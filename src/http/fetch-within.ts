/**
 * One HTTP exchange inside the step's deadline: each request gets min(30 s, time left), the reply
 * is read whole but capped, and failures are sorted into the three kinds callers act on: the
 * deadline ran out (final), the answer was lost (transient: no answer, reset, 30 s passed), or a
 * reply came (returned, whatever its status).
 */
import { DeadlineExceeded } from '../clock.js'
import { UserError } from '../errors.js'
import { TransientError } from '../retry.js'
import { hostOf, transportMessage } from './transport.js'

export const REQUEST_LIMIT_MS = 30_000

export interface Reply {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown
  url: string
}

/** What a request is for, so every error names the action's step, the host and the fix. */
export interface RequestPurpose {
  /** The action's step, e.g. "logging in to the ZenML server". */
  what: string
  /** What the user should check when no answer comes, e.g. "that zenml-url is reachable from the runner". */
  check: string
}

/**
 * @param init.limitMs this request's own limit (default 30 s); Infinity leaves only the deadline,
 *   for a call that does the whole work before it answers.
 */
export async function fetchWithin(
  url: URL | string,
  init: RequestInit & RequestPurpose & { maxBytes?: number; limitMs?: number | undefined },
  deadline: AbortSignal
): Promise<Reply> {
  const { what, check, maxBytes, limitMs: ownLimit, ...request } = init
  const limitMs = ownLimit ?? REQUEST_LIMIT_MS
  const perRequest = Number.isFinite(limitMs) ? AbortSignal.timeout(limitMs) : new AbortController().signal
  const href = String(url)
  try {
    const response = await fetch(url, { ...request, signal: AbortSignal.any([deadline, perRequest]) })
    const text = await readCapped(response, what, href, maxBytes ?? 1024 * 1024)
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json, url: href }
  } catch (error) {
    // First: an aborted fetch rejects with the signal's own reason, which names neither the step nor the host.
    if (deadline.aborted) throw deadlineError(what, url, deadline)
    if (perRequest.aborted)
      throw new TransientError(`${what}: ${hostOf(url)} did not answer within ${limitMs / 1000}s. Check ${check}.`)
    if (error instanceof UserError) throw error
    const cause = (error as { cause?: Error }).cause?.message
    // A request fetch cannot even build (an invalid header, a blocked port) is final: another try builds the same.
    if (cause === undefined || cause === 'bad port') throw new UserError(transportMessage(what, url, error, check))
    // redirect: 'error' refused to follow: final, so a key never goes anywhere but the configured host.
    if (cause === 'unexpected redirect') {
      throw new UserError(
        `${what}: ${href} answered with a redirect, which the action does not follow here, so the key stays on the host you configured. Fix: point the URL at the final address.`
      )
    }
    throw new TransientError(transportMessage(what, url, error, check))
  }
}

/** The step's deadline passed while a request waited: says which request, and of whom. */
export function deadlineError(what: string, url: URL | string, deadline: AbortSignal): DeadlineExceeded {
  const reason = (deadline.reason as Error | undefined)?.message ?? 'timeout ran out'
  return new DeadlineExceeded(`${what}: ${reason} while waiting for ${hostOf(url)} to answer`)
}

async function readCapped(response: Response, what: string, url: string, maxBytes: number): Promise<string> {
  const bytes = await readUpTo(response, maxBytes)
  if (bytes === undefined)
    throw new UserError(
      `${what}: the reply from ${hostPath(url)} (HTTP ${response.status}) is larger than ${Math.round(maxBytes / 1024)} KiB, the most the action reads. Fix: check that the URL is the service's API, not a page or a proxy answering for it; a receiver of yours should return a short JSON reply.`
    )
  return bytes.toString('utf8')
}

/** A reply's body, read until it ends or passes maxBytes: then the rest is not read, and undefined says so. */
export async function readUpTo(response: Response, maxBytes: number): Promise<Buffer | undefined> {
  if (!response.body) return Buffer.alloc(0)
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined)
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

/** Where a reply came from, without its query (which may carry an audience or a state). */
function hostPath(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.host}${parsed.pathname}`
  } catch {
    return hostOf(url)
  }
}
