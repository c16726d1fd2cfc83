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

export function inputsTable(action: ActionYml): string {
  const rows = Object.entries(action.inputs).map(([name, spec]) => {
    const fallback = spec.default === undefined || spec.default === '' ? '' : `\`${spec.default}\``
    return `| \`${name}\` | ${cell(spec.description)} | ${fallback} |`
  })
  return ['| Input | Description | Default |', '|---|---|---|', ...rows].join('\n')
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
