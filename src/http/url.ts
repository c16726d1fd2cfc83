/** https only, except loopback (or when explicitly allowed), so a key never crosses a network in clear text. */
import { UserError, preview } from '../errors.js'

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])

export function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname)
}

export function checkUrl(url: string, field: string, allowInsecure = false): URL {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new UserError(
      `${field}: ${JSON.stringify(url)} is not a URL. Give a full URL, e.g. https://api.example.com/trigger.`
    )
  }
  if (parsed.username || parsed.password) {
    throw new UserError(
      `${field}: the URL carries a user name or password; keys go in their own inputs (api-key, zenml-api-key), from secrets, never in a URL that logs may show.`
    )
  }
  if (parsed.protocol === 'https:' || (parsed.protocol === 'http:' && (isLoopback(parsed) || allowInsecure)))
    return parsed
  throw new UserError(
    `${field}: ${JSON.stringify(url)} must use https (http is allowed only on loopback, or with allow-insecure-http), so keys are never sent in clear text.`
  )
}

/** A URL a server gave (a Location header, a status URL field), read against the URL it answered for. */
export function serverGivenUrl(value: string, base: string | URL, what: string): URL {
  try {
    return new URL(value, base)
  } catch {
    throw new UserError(
      `${String(base)} answered with ${what} ${preview(value)}, which is not a URL. Fix: make the receiver return an absolute or path-relative URL there.`
    )
  }
}
