import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import {
  CONFIG_GUIDE,
  inputTargets,
  inputsTable,
  readAction,
  renderConfigReference,
  renderReadme,
  renderSchema,
  TABLES_FILE
} from '../../scripts/generate-docs.js'
import { TARGET_INPUTS, TARGET_TYPES, type TargetType } from '../../src/targets/target-types.js'
import { ROOT } from '../helpers/run-action.js'

test(`${TABLES_FILE} inputs and outputs tables match action.yml (npm run docs regenerates them)`, () => {
  const text = readFileSync(join(ROOT, TABLES_FILE), 'utf8')
  assert.equal(renderReadme(text, readAction()), text)
})

test(`${TABLES_FILE} inputs table: the common inputs first, then each target type's, each naming the types that read it`, () => {
  const rows = inputsTable(readAction())
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split(' | ').map((cell) => cell.replace(/^\| /, '')))
  const readers = inputTargets()
  const groups = rows.map(([input, targets]) => {
    const name = input!.replaceAll('`', '')
    assert.equal(targets, (readers.get(name) ?? []).map((type) => `\`${type}\``).join(', '), name)
    return readers.has(name) ? TARGET_TYPES.indexOf(readers.get(name)![0] as TargetType) : -1
  })
  assert.deepEqual(
    groups,
    [...groups].sort((a, b) => a - b),
    'grouped: common (-1), then by type in the registry order'
  )
  assert.ok(groups.includes(-1) && new Set(groups).size > 2)
  // Every input a type declares has its row under that type; the token every step reads is common.
  for (const type of TARGET_TYPES)
    for (const name of Object.keys(TARGET_INPUTS[type].names))
      if (name !== 'token') assert.ok(readers.get(name)?.includes(type), `${name} (${type})`)
  assert.equal(readers.has('token'), false)
  assert.equal(readers.has('target-config'), false)
})

test('schema/pipeline-triggers.schema.json matches the zod schema (npm run docs regenerates it)', () => {
  assert.equal(readFileSync(join(ROOT, 'schema/pipeline-triggers.schema.json'), 'utf8'), renderSchema())
})

test('docs/config-reference.md lists every key of the JSON Schema (npm run docs regenerates it)', () => {
  const reference = readFileSync(join(ROOT, 'docs/config-reference.md'), 'utf8')
  assert.equal(reference, renderConfigReference())
  for (const key of [
    '`version`',
    '`targets.<name> (type: zenml).api-key`',
    '`pipelines.<name>.on.push.paths[]',
    '`pipelines.<name>.on.schedule[].cron`'
  ])
    assert.ok(reference.includes(key), key)
})

test(`every input and every config key is documented in ${CONFIG_GUIDE} with an example`, () => {
  const guide = readFileSync(join(ROOT, CONFIG_GUIDE), 'utf8')
  const from = guide.indexOf('## Config file')
  assert.ok(from !== -1, `${CONFIG_GUIDE} has no "## Config file" section`)
  const usage = guide.slice(from)
  for (const key of [
    'version',
    'targets',
    'pipelines',
    'target',
    'pipeline',
    'parameters',
    'on',
    'schedule',
    'cron',
    'workflow_dispatch',
    'workflow_call',
    'repository_dispatch',
    'types',
    'inputs',
    'push',
    'pull_request',
    'merge_group',
    'branches',
    'branches-ignore',
    'tags',
    'paths',
    'glob',
    'ignore',
    'each',
    'path-parameter',
    'statuses',
    'run',
    'config-arg',
    'working-directory',
    'snapshot',
    'template',
    'stack',
    'url',
    'project',
    'api-key',
    'enable-cache',
    'cancel-on-timeout'
  ]) {
    assert.match(usage, new RegExp(`\\b${key.replace('-', '\\-')}:`), `config key ${key} appears in an example`)
  }
})

test("the README's examples table has a row for every file in examples/workflows/ and examples/pipelines/", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const from = readme.indexOf('\n## Examples\n')
  assert.ok(from !== -1, 'README.md has no "## Examples" section')
  const section = readme.slice(from, readme.indexOf('\n## ', from + 1))
  for (const folder of ['workflows', 'pipelines'])
    for (const entry of readdirSync(join(ROOT, 'examples', folder), { withFileTypes: true })) {
      if (!entry.isFile()) continue // __pycache__ after a local run
      const name = entry.name
      const path = `${folder}/${name}`.replace(/\./g, '\\.')
      assert.match(
        section,
        new RegExp(`^\\| \\[\`${path}\`\\]\\(examples/${path}\\) \\| \\S`, 'm'),
        `examples/${folder}/${name}`
      )
    }
})
