/**
 * The run config the command target writes, read back by the real PyYAML in .venv (what ZenML
 * reads it with): any string, as a dispatch input or as a file name through path-parameter, comes
 * back exactly. Thousands of generated strings per run, full Unicode and lone surrogates included.
 * With the end-to-end tests because it needs Python (bash scripts/setup-python.sh): the unit tests
 * need nothing but Node.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { buildRunConfig } from '../../src/targets/command/run-config.js'
import { VENV_PYTHON } from '../helpers/run-action.js'

/** Loads each YAML text with yaml.safe_load and answers the list as JSON (ASCII, so lone surrogates survive). */
const READ_BACK = `
import json, sys, yaml
texts = json.load(sys.stdin)
out = []
for text in texts:
    try:
        out.append({"ok": yaml.safe_load(text)})
    except Exception as error:
        out.append({"error": str(error).splitlines()[0]})
sys.stdout.write(json.dumps(out))
`

function readBack(texts: string[]): {
  ok?: { parameters?: Record<string, unknown>; steps?: Record<string, { parameters: Record<string, unknown> }> }
  error?: string
}[] {
  return JSON.parse(
    execFileSync(VENV_PYTHON, ['-c', READ_BACK], {
      input: JSON.stringify(texts),
      encoding: 'utf8',
      maxBuffer: 256 << 20
    })
  )
}

describe('run config read back by PyYAML', () => {
  test('the project .venv with PyYAML is there (bash scripts/setup-python.sh makes it; test:all runs it first)', () => {
    assert.ok(existsSync(VENV_PYTHON), `no ${VENV_PYTHON}: run bash scripts/setup-python.sh`)
  })

  test('the characters PyYAML refuses or folds, one by one', () => {
    const hard = [
      '\x7f',
      '\x80',
      '\x85',
      '\x9f',
      '\ufffe',
      '\uffff',
      '\u2028',
      '\u2029',
      '\ud800',
      '\udfff',
      '\x00',
      '\x1b',
      '\t',
      '\r\n',
      '\ufeff',
      '\u{1f600}',
      '"\\',
      "'",
      '{sha}',
      '- [x]: y',
      ' lead',
      'trail '
    ]
    const values = hard.map((c) => `a${c}b`)
    const results = readBack(values.map((v) => buildRunConfig({ data_url: v, 'load_data.path': v }, 'run')))
    results.forEach((result, i) => {
      assert.equal(result.error, undefined, `${JSON.stringify(values[i])}: ${result.error}`)
      assert.equal(result.ok!.parameters!.data_url, values[i], JSON.stringify(values[i]))
      assert.equal(result.ok!.steps!.load_data!.parameters.path, values[i])
    })
  })

  test('property: any string, as a dispatch input or a file name, comes back exactly', () => {
    // Full Unicode (fc.fullUnicodeString) and raw UTF-16 code units, so lone surrogates occur too.
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 })
    )
    const samples = fc.sample(
      fc.tuple(
        value,
        value,
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 6 }).filter((k) => k !== '__proto__'),
          value,
          { maxKeys: 3 }
        )
      ),
      { numRuns: 1500, seed: 20261130 }
    )
    const results = readBack(
      samples.map(([input, file, nested]) =>
        buildRunConfig({ data_url: input, 'load_data.path': file, extra: nested }, 'run')
      )
    )
    results.forEach((result, i) => {
      const [input, file, nested] = samples[i]!
      assert.equal(result.error, undefined, `${JSON.stringify(samples[i])}: ${result.error}`)
      assert.equal(result.ok!.parameters!.data_url, input, JSON.stringify(input))
      assert.equal(result.ok!.steps!.load_data!.parameters.path, file, JSON.stringify(file))
      assert.deepEqual(result.ok!.parameters!.extra, { ...nested })
    })
  })
})
