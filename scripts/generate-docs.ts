/**
 * Generates the docs that must never drift from the code:
 * - the inputs and outputs tables in TABLES_FILE (the README), from action.yml;
 * - schema/pipeline-triggers.schema.json, from the zod config schema;
 * - docs/config-reference.md, every config key, from that JSON Schema.
 * `npm run docs` writes them; test/unit/docs.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, posix, resolve } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { configSchema } from '../src/config/schema.js'
import type { InputSpec } from '../src/targets/action-inputs.js'
import { TARGET_INPUTS, TARGET_TYPES } from '../src/targets/target-types.js'

const ROOT = resolve(import.meta.dirname, '..')

/** The file that holds the generated inputs and outputs tables, between their markers. */
export const TABLES_FILE = 'README.md'

/** The guide whose "Config file" section shows every config key in use (test/unit/docs.test.ts checks it). */
export const CONFIG_GUIDE = 'docs/events-and-rules.md'

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

const cell = (text: string): string =>
  text
    .trim()
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\|/g, '\\|')

export function readAction(): ActionYml {
  return parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml
}

/**
 * The target types that read each input (their inputs.ts declarations), in the registry's order;
 * an input every step reads (declared `common`, or by no type) has none.
 */
export function inputTargets(): Map<string, string[]> {
  const readers = new Map<string, string[]>()
  const common = new Set<string>()
  for (const type of TARGET_TYPES)
    for (const [name, spec] of Object.entries<InputSpec>(TARGET_INPUTS[type].names)) {
      if (spec.common) common.add(name)
      readers.set(name, [...(readers.get(name) ?? []), type])
    }
  for (const name of common) readers.delete(name)
  return readers
}

/** The common inputs first, then each target type's (by the first type that reads it), each with the types that read it. */
export function inputsTable(action: ActionYml): string {
  const readers = inputTargets()
  const group = (name: string) => {
    const first = readers.get(name)?.[0]
    return first === undefined ? -1 : TARGET_TYPES.indexOf(first as (typeof TARGET_TYPES)[number])
  }
  const names = Object.keys(action.inputs)
  const ordered = names
    .map((name, index) => ({ name, index, group: group(name) }))
    .sort((a, b) => a.group - b.group || a.index - b.index)
  const rows = ordered.map(({ name }) => {
    const spec = action.inputs[name]!
    const fallback = spec.default === undefined || spec.default === '' ? '' : `\`${spec.default}\``
    const targets = (readers.get(name) ?? []).map((type) => `\`${type}\``).join(', ')
    return `| \`${name}\` | ${targets} | ${cell(spec.description)} | ${fallback} |`
  })
  return [
    'Common inputs first (no target named), then the inputs each target type reads; any type can instead be given all its keys in `target-config`.',
    '',
    '| Input | Target | Description | Default |',
    '|---|---|---|---|',
    ...rows
  ].join('\n')
}

export function outputsTable(action: ActionYml): string {
  const rows = Object.entries(action.outputs).map(([name, spec]) => `| \`${name}\` | ${cell(spec.description)} |`)
  return ['| Output | Description |', '|---|---|', ...rows].join('\n')
}

function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- ${name}:start (generated from action.yml by npm run docs) -->`
  const end = `<!-- ${name}:end -->`
  const from = text.indexOf(start)
  const to = text.indexOf(end)
  if (from === -1 || to === -1) throw new Error(`${TABLES_FILE} has no ${start} … ${end} block`)
  return `${text.slice(0, from + start.length)}\n${content}\n${text.slice(to)}`
}

export function renderReadme(readme: string, action: ActionYml): string {
  return replaceBlock(replaceBlock(readme, 'inputs', inputsTable(action)), 'outputs', outputsTable(action))
}

export function renderSchema(): string {
  const schema = {
    $id: 'https://github.com/pipeline-trigger/pipeline-trigger/schema/pipeline-triggers.schema.json',
    title: 'pipeline-trigger config (.github/pipeline-triggers.yml)',
    ...z.toJSONSchema(configSchema)
  }
  return `${JSON.stringify(schema, null, 2)}\n`
}

type JsonSchema = {
  type?: string | string[]
  const?: unknown
  enum?: unknown[]
  description?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: JsonSchema | boolean
  items?: JsonSchema
  oneOf?: JsonSchema[]
  anyOf?: JsonSchema[]
  default?: unknown
}

function typeName(schema: JsonSchema): string {
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' | ')
  const variants = schema.oneOf ?? schema.anyOf
  if (variants) return [...new Set(variants.map(typeName))].join(' or ')
  if (schema.type === 'array') return `list of ${schema.items ? typeName(schema.items) : 'values'}`
  if (schema.type === 'object') return schema.properties ? 'mapping' : 'mapping of name → value'
  return String(schema.type ?? 'any')
}

/** One row per key path, walking nested mappings, lists, per-name maps and target variants. */
function referenceRows(schema: JsonSchema, path: string, rows: string[]): void {
  const variants = schema.oneOf ?? schema.anyOf
  if (variants) {
    for (const variant of variants) {
      const kind = variant.properties?.type?.const
      referenceRows(variant, kind !== undefined ? `${path} (type: ${String(kind)})` : path, rows)
    }
    return
  }
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (key === '$schema') continue
    const keyPath = path ? `${path}.${key}` : key
    const required = schema.required?.includes(key) ? 'yes' : ''
    rows.push(`| \`${keyPath}\` | ${cell(typeName(property))} | ${required} | ${cell(property.description ?? '')} |`)
    referenceRows(property, keyPath, rows)
  }
  if (
    (typeof schema.additionalProperties === 'object' && schema.additionalProperties.type !== undefined) ||
    (typeof schema.additionalProperties === 'object' &&
      (schema.additionalProperties.oneOf || schema.additionalProperties.anyOf))
  ) {
    referenceRows(schema.additionalProperties as JsonSchema, `${path}.<name>`, rows)
  }
  if (schema.type === 'array' && schema.items) referenceRows(schema.items, `${path}[]`, rows)
}

export function renderConfigReference(): string {
  const schema = JSON.parse(renderSchema()) as JsonSchema
  const rows: string[] = []
  referenceRows(schema, '', rows)
  const example = readFileSync(join(ROOT, 'examples/pipeline-triggers.yml'), 'utf8')
  return [
    '# Config file reference',
    '',
    '<!-- Generated from schema/pipeline-triggers.schema.json by npm run docs; do not edit. -->',
    '',
    'The config file (default `.github/pipeline-triggers.yml`) describes pipelines, where they run and which events start them.',
    'Editors that read `# yaml-language-server: $schema=…` validate it against [the JSON Schema](../schema/pipeline-triggers.schema.json) as you type;',
    'the action validates it again and names the file, line, column and key of any mistake. Secrets never go in it: a target names',
    'the environment variable that holds each one (`env:NAME`).',
    '',
    "A target's keys (`targets.<name>`, by its `type`) are also what the `target-config` input takes in inline mode, without a config",
    'file: `target: http` with `target-config: {url: https://api.example.com/trigger, api-key: env:TRIGGER_API_KEY}` is the target',
    '`targets.http` would be, checked by the same schema (the error then names the input, the key and its line).',
    '',
    '## Example',
    '',
    'The config of the example workflows ([examples/pipeline-triggers.yml](../examples/pipeline-triggers.yml));',
    `[Events and rules](${posix.relative('docs', CONFIG_GUIDE)}#config-file) shows every key in use.`,
    '',
    '```yaml',
    example.trimEnd(),
    '```',
    '',
    '## Every key',
    '',
    "`<name>` is a name you choose. A target's keys depend on its `type`.",
    '',
    '| Key | Type | Required | Description |',
    '|---|---|---|---|',
    ...rows,
    ''
  ].join('\n')
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const tablesPath = join(ROOT, TABLES_FILE)
  writeFileSync(tablesPath, renderReadme(readFileSync(tablesPath, 'utf8'), readAction()))
  mkdirSync(join(ROOT, 'schema'), { recursive: true })
  writeFileSync(join(ROOT, 'schema/pipeline-triggers.schema.json'), renderSchema())
  mkdirSync(join(ROOT, 'docs'), { recursive: true })
  writeFileSync(join(ROOT, 'docs/config-reference.md'), renderConfigReference())
  console.log(
    `${TABLES_FILE} tables, schema/pipeline-triggers.schema.json and docs/config-reference.md are up to date.`
  )
}
