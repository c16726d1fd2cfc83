/**
 * Generates the docs that must never drift from the code:
 * - the README's inputs and outputs tables, from action.yml;
 * - schema/pipeline-triggers.schema.json, from the zod config schema.
 * `npm run docs` writes them; test/unit/docs.test.ts fails when they are stale.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'
import { z } from 'zod'
import { configSchema } from '../src/config/schema.js'

const ROOT = resolve(import.meta.dirname, '..')

interface ActionYml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>
  outputs: Record<string, { description: string }>
}

const cell = (text: string): string => text.trim().replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|')

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
  if (from === -1 || to === -1) throw new Error(`README.md has no ${start} … ${end} block`)
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

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const readmePath = join(ROOT, 'README.md')
  writeFileSync(readmePath, renderReadme(readFileSync(readmePath, 'utf8'), readAction()))
  mkdirSync(join(ROOT, 'schema'), { recursive: true })
  writeFileSync(join(ROOT, 'schema/pipeline-triggers.schema.json'), renderSchema())
  console.log('README.md tables and schema/pipeline-triggers.schema.json are up to date.')
}
