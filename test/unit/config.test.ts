import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { z } from 'zod'
import { parseConfig } from '../../src/config/parse-config.js'
import { configSchema } from '../../src/config/schema.js'
import { ROOT } from '../helpers/run-action.js'

const FILE = '.github/pipeline-triggers.yml'
const HEAD = `version: 1
targets:
  local: {type: command, run: [python, run.py]}
pipelines:
`

function error(text: string): string {
  try {
    parseConfig(text, FILE)
  } catch (e) {
    return (e as Error).message
  }
  assert.fail('expected the config to be refused')
}

describe('parseConfig', () => {
  test('the fixture and every published example config are valid', () => {
    const examples = readdirSync(join(ROOT, 'examples')).filter((name) => name.endsWith('.yml'))
    assert.ok(examples.length >= 7, examples.join(', '))
    for (const file of ['test/fixtures/configs/pipeline-triggers.yml', ...examples.map((name) => `examples/${name}`)]) {
      const config = parseConfig(readFileSync(join(ROOT, file), 'utf8'), file)
      assert.ok(Object.keys(config.pipelines).length > 0)
    }
  })

  test('an unknown key names the line, the key path and the closest allowed key', () => {
    const message = error(`${HEAD}  training:
    target: local
    on:
      push:
        paths:
          - glob: 'data/**'
            eachh: file
`)
    assert.match(
      message,
      /\.github\/pipeline-triggers\.yml:11:13: pipelines\.training\.on\.push\.paths\[0\]: unknown key "eachh"\. Fix: did you mean "each"\? allowed here: glob, ignore, each/
    )
  })

  test('a wrong enum value names the line, the value and the choices', () => {
    const message = error(`${HEAD}  training:
    target: local
    on: {push: {paths: [{glob: 'data/**', each: files}]}}
`)
    assert.match(
      message,
      /:7:49: pipelines\.training\.on\.push\.paths\[0\]\.each: Invalid option: expected one of "file"\|"directory"\|"all", got "files"/
    )
  })

  test('a missing key says to add it', () => {
    assert.match(error(`${HEAD}  training:\n    on: {}\n`), /:6:5: pipelines\.training\.target: missing\. Fix: add it/)
  })

  test('an unknown target lists the defined ones', () => {
    assert.match(
      error(`${HEAD}  training:\n    target: prod\n    on: {}\n`),
      /:6:13: pipelines\.training\.target: no target named "prod"\. Fix: use one of "local"/
    )
  })

  test('a bad glob is reported at its line with the fix', () => {
    assert.match(
      error(`${HEAD}  t:\n    target: local\n    on:\n      push:\n        paths: [{glob: 'data/{a,b}/*.csv'}]\n`),
      /:9:24: pipelines\.t\.on\.push\.paths\[0\]\.glob: glob "data\/\{a,b\}\/\*\.csv": \{a,b\} is not a capture.*one glob per alternative/
    )
  })

  test('YAML syntax errors and duplicate keys give the position', () => {
    assert.match(error('version: 1\n targets: ['), /pipeline-triggers\.yml:1:10: not valid YAML/)
    assert.match(
      error(`${HEAD}  a: {target: local, on: {}}\n  a: {target: local, on: {}}\n`),
      /:6:3: not valid YAML: Map keys must be unique/
    )
  })

  test('a document that is not a mapping is refused', () => {
    assert.match(error('- a\n- b\n'), /expected a mapping with version, targets and pipelines/)
  })

  test('the published JSON Schema is generated from the zod schema and up to date', () => {
    const published = JSON.parse(readFileSync(join(ROOT, 'schema/pipeline-triggers.schema.json'), 'utf8'))
    const { $id: _id, title: _title, ...rest } = published
    assert.deepEqual(
      rest,
      JSON.parse(JSON.stringify(z.toJSONSchema(configSchema))),
      'run npm run docs to regenerate schema/'
    )
  })
})

describe('gates in the config', () => {
  test('a gate that does not parse refuses the config, naming the pipeline, the gate and the place', () => {
    const message = error(
      `${HEAD}  training:\n    target: local\n    gates: ['accuracy >= 0.9', 'accuracy => baseline']\n`
    )
    assert.match(message, /pipelines\.training\.gates\[1\]/)
    assert.match(message, /Gate "accuracy => baseline"/)
  })

  test('valid gates are kept as written, for the run to be judged by', () => {
    const config = parseConfig(
      `${HEAD}  training:\n    target: local\n    gates: ['loss <= baseline * 1.05']\n    on: {push: {}}\n`,
      FILE
    )
    assert.deepEqual(config.pipelines.training!.gates, ['loss <= baseline * 1.05'])
  })
})
