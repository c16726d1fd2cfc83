/** What a dispatch may send, checked against the target workflow file; and a run's status in our words. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { UserError } from '../../src/errors.js'
import { clientPayload, declaredInputs, dispatchInputs } from '../../src/targets/workflow/workflow-inputs.js'
import { runState } from '../../src/targets/workflow/workflow-target.js'

const WORKFLOW = `on:
  push:
  workflow_dispatch:
    inputs:
      run_id: {type: string, required: true}
      epochs: {type: number, default: 3}
      fast: {type: boolean}
      mode: {type: choice, options: [a, b]}
      env: {type: environment}
      pipeline-context: {type: string}
`
const declared = declaredInputs(WORKFLOW, 'o/r/.github/workflows/w.yml@main')
const options = { chain: '{"root":"r","depth":1,"chain":["p"]}', correlation: 'pt-1', maxInputs: 25 }

describe('declaredInputs', () => {
  test('reads every input with its type, and refuses a workflow that cannot be dispatched', () => {
    assert.deepEqual([...declared.keys()], ['run_id', 'epochs', 'fast', 'mode', 'env', 'pipeline-context'])
    assert.deepEqual(declared.get('mode'), { type: 'choice', required: false, hasDefault: false, options: ['a', 'b'] })
    assert.equal(declared.get('epochs')!.hasDefault, true)
    assert.equal(declaredInputs('on: workflow_dispatch\njobs: {}', 'w').size, 0)
    assert.equal(declaredInputs('on: [push, workflow_dispatch]\n', 'w').size, 0)
    assert.throws(
      () => declaredInputs('on: push\n', 'o/r/w.yml@main'),
      /o\/r\/w\.yml@main has no workflow_dispatch trigger, so it cannot be dispatched\. Fix: add "workflow_dispatch:"/
    )
    assert.throws(() => declaredInputs('on: [unclosed\n', 'w.yml'), /w\.yml is not valid YAML/)
  })
})

describe('dispatchInputs', () => {
  test("converts each value to its input's type, and adds the chain context", () => {
    const inputs = dispatchInputs(
      { run_id: 'r1', epochs: '5', fast: 'true', mode: 'b', env: 'prod' },
      declared,
      'w',
      options
    )
    assert.deepEqual(inputs, {
      run_id: 'r1',
      epochs: 5,
      fast: true,
      mode: 'b',
      env: 'prod',
      'pipeline-context': options.chain
    })
  })
  test('a list travels as JSON text to a string input', () => {
    assert.equal(
      dispatchInputs({ run_id: ['data/a.csv', 'data/b.csv'] }, declared, 'w', options).run_id,
      '["data/a.csv","data/b.csv"]'
    )
  })
  test('names that are Object.prototype keys are inputs like any other: undeclared here', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const parameters = JSON.parse(`{"run_id": "r", ${JSON.stringify(name)}: 1}`) as Record<string, unknown>
      assert.throws(
        () => dispatchInputs(parameters, declared, 'w', options),
        new RegExp(`Parameter "${name}" is not an input of w`)
      )
    }
  })
  test('property: any parameters give inputs the workflow declares, within the limit, or a UserError naming the parameter', () => {
    const value = fc.oneof(
      fc.string(),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 })
    )
    const name = fc.oneof(
      fc.constantFrom('run_id', 'epochs', 'fast', 'mode', 'env', 'constructor', '__proto__'),
      fc.string({ minLength: 1, maxLength: 12 })
    )
    fc.assert(
      fc.property(fc.dictionary(name, value, { maxKeys: 8 }), (parameters) => {
        try {
          const inputs = dispatchInputs(parameters, declared, 'w', options)
          for (const key of Object.keys(inputs)) assert.ok(declared.has(key), key)
          for (const v of Object.values(inputs)) assert.ok(['string', 'number', 'boolean'].includes(typeof v))
          assert.ok(Object.keys(inputs).length <= options.maxInputs)
        } catch (error) {
          assert.ok(error instanceof UserError, String(error))
          assert.doesNotMatch(error.message, /undefined|\[object Object\]/)
          assert.match(error.message, /Nothing was dispatched|requires the input/)
        }
      }),
      { numRuns: 2000 }
    )
  })
})

describe('clientPayload', () => {
  test('at most 10 top-level keys, the chain context and correlation id among them', () => {
    assert.deepEqual(Object.keys(clientPayload({ a: 1 }, 'o/r', options)), [
      'a',
      'pipeline-context',
      'pipeline-trigger-id'
    ])
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`p${i}`, i]))
    assert.throws(
      () => clientPayload(nine, 'o/r', options),
      /would carry 11 client_payload keys .*GitHub accepts at most 10/
    )
  })
})

describe('runState', () => {
  test("status and conclusion in the action's vocabulary", () => {
    const run = (status: string, conclusion: string | null) =>
      runState({ id: 7, status, conclusion, htmlUrl: 'https://github.com/o/r/actions/runs/7', title: '' }).status
    for (const status of ['queued', 'in_progress', 'waiting', 'requested', 'pending'])
      assert.equal(run(status, null), 'running')
    assert.equal(run('completed', 'success'), 'completed')
    assert.equal(run('completed', 'neutral'), 'completed')
    assert.equal(run('completed', 'cancelled'), 'cancelled')
    for (const conclusion of ['failure', 'timed_out', 'startup_failure', 'action_required', 'stale', 'skipped'])
      assert.equal(run('completed', conclusion), 'failed', conclusion)
  })
})
