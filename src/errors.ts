/**
 * An error the user can fix. Its message names the field, the value and the fix, so
 * main.ts can print it as is; any other error is a bug and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError'
}

/** A short, single-line, safely quoted preview of a value for error messages. */
export function preview(value: unknown, max = 80): string {
  let text: string
  try {
    text = value === undefined ? 'nothing' : JSON.stringify(value)
  } catch {
    text = String(value)
  }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** A server's own words for a message: one line, at most `max` characters, without a closing period (the message adds its own). */
export function quoteServer(text: string, max = 300): string {
  const line = (text.split('\n')[0] ?? '').trim().replace(/[.\s]+$/, '')
  return line.length > max ? `${line.slice(0, max - 1)}…` : line
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
