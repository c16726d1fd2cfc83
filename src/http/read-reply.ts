/**
 * A server's reply, checked where it arrives against what the action reads from it (a zod schema
 * naming only those fields; the rest is ignored, as APIs grow). A proxy's HTML page, a truncated
 * body or a server of another kind then fails naming the field it got wrong, instead of a
 * TypeError calls later. The error is final: the server answered, another try would read the same.
 */
import type { z } from 'zod'
import { UserError, preview, redactDeep } from '../errors.js'

export interface ReplySource {
  /** Who answered, e.g. "ZenML server". */
  server: string
  /** The call, e.g. "reading run 1234". */
  what: string
  /** What to check, e.g. "check that zenml-url points at the ZenML server itself". */
  fix: string
  /** Keys and tokens the reply may echo: gone, in every encoding, before any of it is quoted. */
  secrets?: (string | undefined)[]
}

export function readReply<T>(schema: z.ZodType<T>, raw: unknown, source: ReplySource): T {
  const result = schema.safeParse(raw)
  if (result.success) return result.data
  // Quoted below: so first without the secrets (before any cut, so no part of one survives).
  const body = source.secrets ? redactDeep(raw, source.secrets) : raw
  const issue = result.error.issues[0]!
  const got = issue.path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    body
  )
  const wrong =
    body === undefined || body === ''
      ? 'it was empty'
      : typeof body === 'string'
        ? `it is not JSON: ${preview(body)}`
        : `${issue.path.length ? issue.path.join('.') : 'the reply'} should be ${issue.code === 'invalid_type' ? issue.expected : issue.message}, ${got === undefined ? 'but is missing' : `not ${preview(got)}`}`
  throw new UserError(
    `${source.server}: the reply to ${source.what} is not what it should be: ${wrong}. Fix: ${source.fix}.`
  )
}
