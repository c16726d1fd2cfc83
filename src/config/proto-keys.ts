import { isScalar, visit, type Document, type LineCounter } from 'yaml'
import { UserError } from '../errors.js'

/**
 * A `__proto__` key would become the object's prototype and vanish without a word; it is refused
 * where it stands. `where` names the file or input in the message.
 */
export function refuseProtoKeys(doc: Document, lineCounter: LineCounter, where: string): void {
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        const pos = pair.key.range ? lineCounter.linePos(pair.key.range[0]) : undefined
        throw new UserError(
          `${where}${pos ? `:${pos.line}:${pos.col}` : ''}: __proto__ cannot be a key here (JavaScript would take it for the object's prototype). Fix: rename it.`
        )
      }
    }
  })
}
