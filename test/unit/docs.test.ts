import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'node:test'
import { readAction, renderConfigReference, renderReadme, renderSchema } from '../../scripts/generate-docs.js'
import { ROOT } from '../helpers/run-action.js'

test('README inputs and outputs tables match action.yml (npm run docs regenerates them)', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  assert.equal(renderReadme(readme, readAction()), readme)
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

test('every input and every config key is documented in the README with an example', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const usage = readme.slice(readme.indexOf('## Config file'))
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
