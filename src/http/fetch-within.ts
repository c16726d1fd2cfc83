/**
 * One HTTP exchange inside the step's deadline: each request gets min(30 s, time left), the reply
 * is read whole but capped, and failures are sorted into the three kinds callers act on: the
 * deadline ran out (final), the answer was lost (transient: no answer, reset, 30 s passed), or a
 * reply came (returned, whatever its status).
 */
import { DeadlineExceeded } from '../clock.js'
import { UserError } from '../errors.js'
import { TransientError } from '../retry.js'

export const REQUEST_LIMIT_MS = 30_000

export interface Reply {
  status: number
  headers: Headers
  text: string
  /** The body parsed as JSON; undefined when it is not JSON. */
  json: unknown
  url: string
}

/**
 * @param init.limitMs this request's own limit (default 30 s); Infinity leaves only the deadline,
 *   for a call that does the whole work before it answers.
 */
export async function fetchWithin(
  url: URL | string,
  init: RequestInit & { maxBytes?: number; limitMs?: number | undefined },
  deadline: AbortSignal
): Promise<Reply> {
  const limitMs = init.limitMs ?? REQUEST_LIMIT_MS
  const perRequest = Number.isFinite(limitMs) ? AbortSignal.timeout(limitMs) : new AbortController().signal
  const href = String(url)
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.any([deadline, perRequest]) })
    const text = await readCapped(response, href, init.maxBytes ?? 1024 * 1024)
    let json: unknown
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {
      json = undefined
    }
    return { status: response.status, headers: response.headers, text, json, url: href }
  } catch (error) {
    if (error instanceof UserError) throw error
    if (deadline.aborted)
      throw new DeadlineExceeded(
        `${init.method ?? 'GET'} ${href}: ${(deadline.reason as Error)?.message ?? 'timeout ran out'} before it was answered`
      )
    if (perRequest.aborted)
      throw new TransientError(`${init.method ?? 'GET'} ${href}: no answer within ${limitMs / 1000}s`)
    const cause = (error as { cause?: Error }).cause?.message
    // A network failure (fetch failed: reset, refused, DNS) has a cause; a request fetch cannot even build does not, and is final.
    if (cause === undefined) throw new UserError(`${init.method ?? 'GET'} ${href}: ${(error as Error).message}`)
    // redirect: 'error' refused to follow: final, so a key never goes anywhere but the configured host.
    if (cause === 'unexpected redirect') {
      throw new UserError(
        `${init.method ?? 'GET'} ${href} answered with a redirect, which the action does not follow here, so the key stays on the host you configured. Fix: point the URL at the final address.`
      )
    }
    throw new TransientError(`${init.method ?? 'GET'} ${href}: ${(error as Error).message} (${cause})`)
  }
}

async function readCapped(response: Response, url: string, maxBytes: number): Promise<string> {
  if (!response.body) return ''
  const reader = response.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      throw new UserError(
        `The reply from ${url} is larger than ${Math.round(maxBytes / 1024)} KiB, the most the action reads. Return a short JSON reply.`
      )
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}
