/** Mapping inputs (parameters, dispatch-inputs, http-body) as YAML or JSON; loaded only when one is given. */
import { LineCounter, parseDocument } from 'yaml'
import { refuseProtoKeys } from '../config/proto-keys.js'
import { UserError, preview } from '../errors.js'

/** Parses a YAML/JSON mapping input; the error names the input and the line. */
export function parseMappingInput(name: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { prettyErrors: true, lineCounter })
  const error = doc.errors[0]
  if (error) {
    throw new UserError(
      `Input ${name} is not valid YAML or JSON: ${error.message.split('\n')[0]} Write a mapping, one "name: value" per line, e.g. "model_type: random_forest".`
    )
  }
  refuseProtoKeys(doc, lineCounter, `Input ${name}`)
  let value: unknown
  try {
    value = doc.toJS({ maxAliasCount: 100 })
  } catch (failure) {
    throw new UserError(
      `Input ${name}: ${(failure as Error).message.split('\n')[0]} Write a plain mapping, without YAML aliases.`
    )
  }
  if (value === null || value === undefined) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`Input ${name} must be a mapping such as "model_type: random_forest", got ${preview(value)}.`)
  }
  return value as Record<string, unknown>
}
