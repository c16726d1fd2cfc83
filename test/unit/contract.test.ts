/** action.yml is the contract: every output set is declared, every input documented, defaults agree. */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseDocument, isMap, isScalar, type Scalar } from 'yaml'
import { INPUT_DEFAULTS } from '../../src/inputs/settings.js'
import { buildOutputs } from '../../src/report/outputs.js'
import { TARGET_INPUTS } from '../../src/targets/target-types.js'
import { ROOT } from '../helpers/run-action.js'

const text = readFileSync(join(ROOT, 'action.yml'), 'utf8')
const doc = parseDocument(text)
const action = doc.toJS() as {
  runs: { using: string; main: string }
  branding: object
  inputs: Record<string, { description?: string; default?: unknown }>
  outputs: Record<string, { description?: string }>
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []
  )
}

describe('action.yml', () => {
  test('runs on node24 from the bundle, with branding', () => {
    assert.deepEqual(action.runs, { using: 'node24', main: 'dist/index.js' })
    assert.ok(action.branding)
  })

  test('inputs and outputs are kebab-case and described; every default is a quoted string', () => {
    const inputs = doc.get('inputs')
    assert.ok(isMap(inputs))
    for (const pair of inputs.items) {
      const name = (pair.key as Scalar).value as string
      assert.match(name, /^[a-z]+(-[a-z]+)*$/)
      const spec = action.inputs[name]!
      assert.ok(spec.description && spec.description.length > 20, `${name} has a description`)
      const node = (pair.value as { get(key: string, keep: true): unknown }).get('default', true)
      assert.ok(
        isScalar(node) && (node.type === 'QUOTE_SINGLE' || node.type === 'QUOTE_DOUBLE'),
        `${name} has a quoted default`
      )
    }
    for (const [name, spec] of Object.entries(action.outputs)) {
      assert.match(name, /^[a-z]+(-[a-z]+)*$/)
      assert.ok(spec.description, `${name} has a description`)
    }
    assert.equal(action.inputs.token!.default, '${{ github.token }}')
  })

  test('the defaults the code falls back on are the defaults of action.yml', () => {
    for (const [name, value] of Object.entries(INPUT_DEFAULTS)) assert.equal(action.inputs[name]?.default, value, name)
  })

  test("every input a target type declares (its inputs.ts) is in action.yml, with action.yml's default", () => {
    for (const [type, inputs] of Object.entries(TARGET_INPUTS))
      for (const [name, spec] of Object.entries<{ default?: string }>(inputs.names)) {
        assert.ok(name in action.inputs, `${type} reads input ${name}, which action.yml declares`)
        const declared = action.inputs[name]!.default
        // An expression default (the token's github.token) is the runner's to fill in.
        if (typeof declared === 'string' && !declared.startsWith('${{'))
          assert.equal(spec.default ?? '', declared, `${type}: the default of ${name}`)
      }
  })

  test('every output the code sets is declared, and every declared output is set', () => {
    const literalCalls = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/setOutput\('([^']+)'/g)].map((m) => m[1]!)
    )
    // A trigger step sets buildOutputs' keys; the reconcile and report modes set theirs by name.
    const set = [
      ...new Set([
        ...Object.keys(buildOutputs({ requests: [], skipped: [], warnings: [] }, [], undefined)),
        ...literalCalls
      ])
    ].sort()
    assert.deepEqual(set, Object.keys(action.outputs).sort())
    for (const name of literalCalls) assert.ok(name in action.outputs, `setOutput('${name}') is declared`)
  })

  test('every input the code reads is declared', () => {
    const read = sourceFiles(join(ROOT, 'src')).flatMap((file) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /(?:getInput|getMultilineInput|getBooleanInput|booleanInput|input)\('([a-z-]+)'/g
        )
      ].map((m) => m[1]!)
    )
    assert.ok(read.length >= 10)
    for (const name of read) assert.ok(name in action.inputs, `input ${name} is declared`)
  })
})
