/**
 * The target registry is complete, and the compiler keeps it so: the @ts-expect-error lines below
 * fail `npm run typecheck` the day a broken registry or module would compile.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { configSchema } from '../../src/config/schema.js'
import { actionInputs } from '../../src/targets/action-inputs.js'
import type { TargetModule } from '../../src/targets/module.js'
import { TARGETS, TARGET_TYPES, type Registry } from '../../src/targets/registry.js'
import { TARGET_INPUTS } from '../../src/targets/target-types.js'

test('every target type has its module, keyed by its own type, with every part', () => {
  assert.deepEqual(Object.keys(TARGETS).sort(), [...TARGET_TYPES].sort())
  for (const type of TARGET_TYPES) {
    const module = TARGETS[type]
    assert.equal(module.type, type)
    assert.equal(typeof module.resolve, 'function')
    assert.equal(typeof module.connect, 'function')
    // The module reads the inputs its type declares, the ones every step reads at its start.
    assert.equal(module.inputs, TARGET_INPUTS[type])
    assert.ok(module.defaultMaxParallel >= 1)
    // The module's schema is the one the config file is checked with.
    const parsed = configSchema.safeParse({ version: 1, targets: { t: { type, bogus: 1 } }, pipelines: {} })
    assert.equal(parsed.success, false, `${type}: an unknown key is refused`)
  }
})

test('the registry is complete at compile time (the @ts-expect-error lines are the test)', () => {
  const { command, zenml, http, workflow } = TARGETS
  // @ts-expect-error a type without a module does not compile
  const missing: Registry = { command, zenml, http }
  // @ts-expect-error a module under another type's key does not compile
  const swapped: Registry = { command, zenml, http: workflow, workflow }
  // @ts-expect-error a module with another type's inputs does not compile
  const borrowed: Registry = { command, zenml, http: { ...http, inputs: zenml.inputs }, workflow }
  const inputs = actionInputs({ names: { 'x-url': {} }, read: (input) => ({ url: input.text('x-url') }) })
  // @ts-expect-error a module without connect does not compile
  const partial: TargetModule<'x', { type: 'x' }, { type: 'x'; name: string; maxParallel: number }, { url: string }> = {
    type: 'x',
    schema: z.strictObject({ type: z.literal('x') }),
    inputs,
    defaultMaxParallel: 1,
    resolve: (name: string) => ({ type: 'x', name, maxParallel: 1 })
  }
  // @ts-expect-error reading an input the type did not declare (and action.yml may not have) does not compile
  actionInputs({ names: { 'x-url': {} }, read: (input) => ({ url: input.text('x-token') }) })
  assert.ok(missing && swapped && borrowed && partial)
})
