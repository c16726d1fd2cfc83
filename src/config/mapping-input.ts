/** Mapping inputs (parameters, dispatch-inputs, http-body, target-config) as YAML or JSON; loaded only when one is given. */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml'
import { refuseProtoKeys } from './proto-keys.js'
import { UserError, preview } from '../errors.js'

/** A parsed mapping input, and where each of its keys stands in the text. */
export interface MappingWithLines {
  value: Record<string, unknown>
  /** The line (1-based) of the deepest key of `path` the text has; undefined when none has one. */
  lineOf(path: readonly PropertyKey[]): number | undefined
}

/** Parses a YAML/JSON mapping input, keeping the lines of its keys for messages; errors name the input and the line. */
export function parseMappingWithLines(name: string, text: string): MappingWithLines {
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
  if (value === null || value === undefined) value = {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`Input ${name} must be a mapping such as "model_type: random_forest", got ${preview(value)}.`)
  }
  return {
    value: value as Record<string, unknown>,
    lineOf(path) {
      for (let depth = path.length; depth > 0; depth--) {
        const parent = (depth === 1 ? doc.contents : doc.getIn(path.slice(0, depth - 1) as unknown[], true)) as
          Node | undefined
        const key = path[depth - 1]
        // The key itself where it is a mapping's: its value may stand on the next lines, or be missing.
        const at = isMap(parent)
          ? parent.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === String(key))?.key
          : isSeq(parent) && typeof key === 'number'
            ? parent.items[key]
            : undefined
        const range = (at as Node | undefined)?.range
        if (range) return lineCounter.linePos(range[0]).line
      }
      return undefined
    }
  }
}

/** Parses a YAML/JSON mapping input; the error names the input and the line. */
export function parseMappingInput(name: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {}
  return parseMappingWithLines(name, text).value
}
