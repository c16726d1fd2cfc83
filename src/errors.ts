/**
 * An error the user can fix. Its message names the field, the value and the fix, so
 * main.ts can print it as is; any other error is a bug and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** A short, single-line, safely quoted preview of a value for error messages; a cut one says how long it was. */
export function preview(value: unknown, max = 80): string {
  let text: string
  try {
    text = value === undefined ? 'nothing' : (JSON.stringify(value) ?? String(value))
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max - 1)}… (${text.length} characters)` : text
}

/** Every form a server may echo a secret in: as is, JSON-escaped, URL-encoded, base64 (both alphabets), hex. */
function encodings(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const base64 = bytes.toString('base64')
  return [
    secret,
    JSON.stringify(secret).slice(1, -1),
    encodeURIComponent(secret),
    base64,
    base64.replace(/=+$/, ''),
    bytes.toString('base64url'),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase()
  ]
}

/** The shortest start of a secret taken for one when a text ends with it. */
const CUT_MIN = 8

/**
 * The text without a start of `form` that it ends with (before closing quotes, dots or brackets):
 * a server whose reply was cut short mid-secret, or that cut its own echo, still gave part of it.
 */
function withoutCutShort(text: string, form: string): string {
  if (form.length <= CUT_MIN) return text
  const end = text.replace(/[\s"'.…\]})]*$/, '').length
  const tail = text.slice(Math.max(0, end - form.length + 1), end)
  const head = form.slice(0, CUT_MIN)
  for (let at = tail.indexOf(head); at >= 0; at = tail.indexOf(head, at + 1))
    if (form.startsWith(tail.slice(at))) return `${text.slice(0, end - tail.length + at)}***${text.slice(end)}`
  return text
}

/** Replaces every secret, in every encoding, with ***, and a start of one that ends the text. Apply before cutting a text, so no part of one survives. */
export function redact(text: string, secrets: (string | undefined)[]): string {
  let result = text
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue
    for (const form of new Set(encodings(secret))) result = withoutCutShort(result.split(form).join('***'), form)
  }
  return result
}

/**
 * A parsed reply with every secret gone from each of its strings (keys included): a secret the
 * server echoed JSON-escaped inside a string would survive a redaction of the re-encoded JSON.
 */
export function redactDeep(value: unknown, secrets: (string | undefined)[]): unknown {
  if (typeof value === 'string') return redact(value, secrets)
  if (Array.isArray(value)) return value.map((item) => redactDeep(item, secrets))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [redact(key, secrets), redactDeep(item, secrets)])
    )
  return value
}

/**
 * A token reply's text without the value of any of `fields` ("access_token": "…"), even one cut
 * short mid-token or answered with an unexpected status: the server minted it, so no list of known
 * secrets holds it yet, and a prefix of a credential is still one.
 */
export function withoutTokenFields(text: string, fields: readonly string[]): string {
  let result = text
  for (const field of fields)
    result = result.replace(new RegExp(`("${field}"\\s*:\\s*")(?:[^"\\\\]|\\\\.)*"?`, 'g'), '$1***"')
  return result
}

/** A server's own words for a message: one line, at most `max` characters, without a closing period (the message adds its own). */
export function quoteServer(text: string, max = 300): string {
  const line = (text.split('\n')[0] ?? '').trim().replace(/[.\s]+$/, '')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
