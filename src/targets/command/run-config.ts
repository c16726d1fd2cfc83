/**
 * The ZenML YAML run config for a request: pipeline-level names under `parameters:`,
 * step-qualified ones (`load_data.data_url`) under `steps.<step>.parameters`. Written with
 * the yaml package, so any value, newline or `$()` included, stays a plain string.
 */
import { Document, isScalar, visit } from 'yaml'

/**
 * What PyYAML's reader refuses anywhere in a stream (and so ZenML with "unacceptable character"):
 * C0 controls but tab, LF and CR; DEL and the C1 controls but NEL; U+FFFE and U+FFFF; and lone
 * surrogates, which UTF-8 cannot even carry. Also NEL, U+2028 and U+2029, which PyYAML reads as line
 * breaks and would fold into a space. Inside a double-quoted scalar each is written as an escape
 * instead, which every YAML reader turns back into the same character.
 */
const UNREADABLE =
  // eslint-disable-next-line no-control-regex -- control characters are exactly what PyYAML refuses
  /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_.-]*$/

/** @param tags run tags (where the run came from, its chain), so a later pass and a hook can find it. */
export function buildRunConfig(parameters: Record<string, unknown>, runName: string, tags: string[] = []): string {
  const pipelineParameters: Record<string, unknown> = {}
  const steps: Record<string, { parameters: Record<string, unknown> }> = {}
  for (const [name, value] of Object.entries(parameters)) {
    const dot = name.indexOf('.')
    if (dot === -1) pipelineParameters[name] = value
    else {
      const step = name.slice(0, dot)
      steps[step] ??= { parameters: {} }
      steps[step].parameters[name.slice(dot + 1)] = value
    }
  }
  const doc = new Document({
    run_name: runName,
    ...(Object.keys(pipelineParameters).length > 0 ? { parameters: pipelineParameters } : {}),
    ...(Object.keys(steps).length > 0 ? { steps } : {}),
    ...(tags.length > 0 ? { tags } : {})
  })
  // Every string value double-quoted, so each character can be escaped; keys stay plain where
  // they are identifiers (readable) and are double-quoted where a parameter value brings others.
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key))
        pair.key.type = typeof pair.key.value === 'string' && IDENTIFIER.test(pair.key.value) ? 'PLAIN' : 'QUOTE_DOUBLE'
    },
    Scalar(key, node) {
      if (key !== 'key' && typeof node.value === 'string') node.type = 'QUOTE_DOUBLE'
    }
  })
  // Only double-quoted scalars can hold these characters here, so escaping them in place is exact.
  return doc
    .toString({ lineWidth: 0 })
    .replace(UNREADABLE, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`)
}
