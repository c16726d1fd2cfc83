/**
 * The target-config input: one inline target described by a YAML or JSON mapping of its type's own
 * config-file keys (src/targets/<type>/schema.ts), so a type needs no action input of its own.
 * Loaded only when the input is set: it brings the YAML parser and the schemas (zod).
 */
import type { z } from 'zod'
import { UserError, preview } from '../errors.js'
import { parseMappingWithLines, type MappingWithLines } from './mapping-input.js'
import { TARGETS, type TargetConfig, type TargetType } from '../targets/registry.js'
import { formatPath } from './format-path.js'
import { unknownKeyFix } from './parse-config.js'

const INPUT = 'target-config'

/**
 * The target the mapping describes, as a config file's `targets.<name>` would hold it.
 * `fromInputs` is what the type's own inputs describe (its inline mode), if they were given: the
 * mapping's keys win over it, as a config file's keys win over the inputs.
 */
export function targetFromConfigInput(type: TargetType, text: string, fromInputs?: TargetConfig): TargetConfig {
  const mapping = parseMappingWithLines(INPUT, text)
  const where = (path: readonly PropertyKey[]) => {
    const line = mapping.lineOf(path)
    return `Input ${INPUT}${line === undefined ? '' : ` (line ${line})`}`
  }
  const named = mapping.value.type
  if (named !== undefined && named !== type)
    throw new UserError(
      `${where(['type'])}: type: ${preview(named)}, but the target input is ${JSON.stringify(type)}. Fix: remove type from the mapping (the target input names it), or make the two agree.`
    )
  const schema = TARGETS[type].schema as z.ZodType<TargetConfig>
  const result = schema.safeParse({ ...fromInputs, ...mapping.value, type })
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  const key = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path
  throw new UserError(`${where(key)}: ${formatPath(key)}: ${describe(type, issue, mapping)}`)
}

/** What was wrong with one key, what was expected, and the fix; a secret's value is never shown. */
function describe(type: TargetType, issue: z.core.$ZodIssue, mapping: MappingWithLines): string {
  const value = issue.path.reduce<unknown>((node, key) => (node as Record<PropertyKey, unknown>)?.[key], mapping.value)
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys((TARGETS[type].schema as unknown as { shape: object }).shape).filter(
      (k) => k !== 'type'
    )
    return `not a key of a ${type} target. ${unknownKeyFix(issue.keys[0]!, allowed)}`
  }
  // A secret's key given any other way (a YAML number, a list…): its value may be the secret itself.
  if (
    (issue.code === 'invalid_format' && issue.format === 'regex' && String(issue.pattern).includes('^env:')) ||
    isEnvReference(TARGETS[type].schema, issue.path)
  ) {
    const name = `${type}_${String(issue.path.at(-1))}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_')
    return `expected env:NAME, the environment variable that holds the secret, not the secret itself (its value is not shown here). Fix: pass the secret to the step as an environment variable (env: {${name}: \${{ secrets.${name} }}}) and write ${formatPath(issue.path)}: env:${name}.`
  }
  if (issue.code === 'invalid_type' && value === undefined)
    return `missing: a ${type} target needs it (${issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}). Fix: add ${formatPath(issue.path)} to the mapping (docs/config-reference.md lists the ${type} target's keys).`
  return `${issue.message}, got ${preview(value)}. Fix: see the ${type} target's keys in docs/config-reference.md.`
}

/** Whether the schema wants env:NAME at `path` (a top-level key whose string check is the ^env: pattern). */
function isEnvReference(schema: unknown, path: readonly PropertyKey[]): boolean {
  if (path.length !== 1) return false
  type Node = { _zod?: { def?: { innerType?: Node; checks?: { _zod?: { def?: { pattern?: unknown } } }[] } } }
  let node = (schema as { shape?: Record<PropertyKey, Node> }).shape?.[path[0]!]
  while (node?._zod?.def?.innerType) node = node._zod.def.innerType
  return (node?._zod?.def?.checks ?? []).some((check) => String(check._zod?.def?.pattern).startsWith('/^env:'))
}
