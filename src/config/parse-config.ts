/**
 * Parses and validates a config file. Every error names the file, the line and column, the
 * key path, what was found and how to fix it, and nothing is triggered when any is found.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml'
import type { z } from 'zod'
import { compilePathMatcher } from '../core/glob-pattern.js'
import { UserError, preview } from '../errors.js'
import { configSchema, type Config, type PathRule } from './schema.js'
import { formatPath } from './format-path.js'
import { refuseProtoKeys } from './proto-keys.js'

type Path = readonly PropertyKey[]

class Locator {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    private readonly file: string
  ) {}

  /** `file:line:col` of the deepest node that exists on the path (or of an unknown key). */
  at(path: Path, key?: string): string {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.doc.getIn(path.slice(0, depth) as unknown[], true) as Node | undefined
      if (!node?.range) continue
      let offset = node.range[0]
      if (key !== undefined && depth === path.length && isMap(node)) {
        const pair = node.items.find((item) => isScalar(item.key) && item.key.value === key)
        if (pair && isScalar(pair.key) && pair.key.range) offset = pair.key.range[0]
      }
      const { line, col } = this.lines.linePos(offset)
      return `${this.file}:${line}:${col}`
    }
    return this.file
  }
}

/** The keys the schema allows for the object at `path` (for "did you mean"). */
function allowedKeys(schema: z.core.$ZodType, path: Path): string[] {
  const unwrap = (s: z.core.$ZodType): z.core.$ZodType[] => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string }
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')
      return unwrap(def.innerType as z.core.$ZodType)
    if (def.type === 'union') return (def.options as z.core.$ZodType[]).flatMap(unwrap)
    return [s]
  }
  let current = unwrap(schema)
  for (const key of path) {
    current = current.flatMap((s) => {
      const def = s._zod.def as unknown as Record<string, unknown> & { type: string }
      if (def.type === 'object') {
        const child = (def.shape as Record<string, z.core.$ZodType>)[String(key)]
        return child ? unwrap(child) : []
      }
      if (def.type === 'record') return unwrap(def.valueType as z.core.$ZodType)
      if (def.type === 'array') return unwrap(def.element as z.core.$ZodType)
      return []
    })
  }
  return [
    ...new Set(
      current.flatMap((s) =>
        s._zod.def.type === 'object' ? Object.keys((s._zod.def as unknown as { shape: object }).shape) : []
      )
    )
  ]
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

export function unknownKeyFix(key: string, allowed: string[]): string {
  // A key much longer than any allowed one is no typo of them (and would cost a long comparison).
  const closest =
    key.length > 100
      ? undefined
      : allowed
          .map((candidate) => ({ candidate, distance: editDistance(key, candidate) }))
          .sort((x, y) => x.distance - y.distance)[0]
  const suggestion =
    closest && closest.distance <= Math.max(2, key.length / 3)
      ? `did you mean ${JSON.stringify(closest.candidate)}? `
      : ''
  return `Fix: ${suggestion}allowed here: ${allowed.filter((k) => k !== '$schema').join(', ')}.`
}

function describeIssue(issue: z.core.$ZodIssue, data: unknown): string {
  const value = issue.path.reduce<unknown>(
    (node, key) => (node as Record<PropertyKey, unknown> | undefined)?.[key],
    data
  )
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys
        .slice(0, 5)
        .map((k) => preview(k))
        .join(
          ', '
        )}${issue.keys.length > 5 ? ` and ${issue.keys.length - 5} more` : ''}. ${unknownKeyFix(issue.keys[0]!, allowedKeys(configSchema, issue.path))}`
    case 'invalid_type':
      if (value === undefined)
        return `missing. Fix: add it (${issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`}).`
      return `${issue.message}, got ${preview(value)}.`
    default:
      return `${issue.message}, got ${preview(value)}.`
  }
}

export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true })
  if (doc.errors.length > 0) {
    const error = doc.errors[0]!
    const pos = error.linePos?.[0]
    throw new UserError(
      `${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`
    )
  }
  refuseProtoKeys(doc, lineCounter, file)
  let data: unknown
  try {
    data = doc.toJS({ maxAliasCount: 100 })
  } catch (error) {
    // An alias bomb or an alias to nothing: the YAML library's message names no file.
    throw new UserError(
      `${file}: ${(error as Error).message.split('\n')[0]} Fix: write the values out instead of YAML aliases (at most 100).`
    )
  }
  const locate = new Locator(doc, lineCounter, file)
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`${file}: expected a mapping with version, targets and pipelines, got ${preview(data)}.`)
  }

  const result = configSchema.safeParse(data)
  if (!result.success) {
    const messages = result.error.issues.slice(0, 10).map((issue) => {
      const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined
      return `${locate.at(issue.path, key)}: ${formatPath(issue.path) || '(top level)'}: ${describeIssue(issue, data)}`
    })
    const more = result.error.issues.length > 10 ? `\n(and ${result.error.issues.length - 10} more)` : ''
    throw new UserError(`Invalid config file:\n${messages.join('\n')}${more}`)
  }
  checkReferences(
    result.data,
    (path, message) => new UserError(`Invalid config file:\n${locate.at(path)}: ${formatPath(path)}: ${message}`)
  )
  return result.data
}

/** Checks what the schema cannot: target names and glob syntax. */
export function checkReferences(config: Config, fail: (path: Path, message: string) => Error): void {
  const targetNames = Object.keys(config.targets)
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    // Own names only: a target called "constructor" must be defined, not found on Object.prototype.
    if (!Object.hasOwn(config.targets, pipeline.target)) {
      throw fail(
        ['pipelines', name, 'target'],
        `no target named ${JSON.stringify(pipeline.target)}. Fix: use one of ${targetNames.map((t) => JSON.stringify(t)).join(', ') || '(none defined: add one under targets)'}.`
      )
    }
    const ruleLists: [Path, PathRule[] | undefined][] = [
      ...(
        ['push', 'pull_request', 'merge_group', 'workflow_dispatch', 'workflow_call', 'repository_dispatch'] as const
      ).map((event): [Path, PathRule[] | undefined] => [
        ['pipelines', name, 'on', event, 'paths'],
        pipeline.on[event]?.paths
      ]),
      ...(pipeline.on.schedule ?? []).map((entry, i): [Path, PathRule[] | undefined] => [
        ['pipelines', name, 'on', 'schedule', i, 'paths'],
        entry.paths
      ])
    ]
    for (const [path, rules] of ruleLists) {
      rules?.forEach((rule, i) => {
        try {
          compilePathMatcher(typeof rule.glob === 'string' ? [rule.glob] : rule.glob, rule.ignore)
        } catch (error) {
          throw fail([...path, i, 'glob'], (error as Error).message)
        }
      })
    }
  }
}
