/**
 * The target registry is complete, and the compiler keeps it so: the @ts-expect-error lines below
 * fail `npm run typecheck` the day a broken registry or module would compile.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { z } from 'zod'
import { configSchema } from '../../src/config/schema.js'
import type { TargetModule } from '../../src/targets/module.js'
import { TARGETS, TARGET_TYPES, type Registry } from '../../src/targets/registry.js'

test('every target type has its module, keyed by its own type, with every part', () => {
  assert.deepEqual(Object.keys(TARGETS).sort(), [...TARGET_TYPES].sort())
  for (const type of TARGET_TYPES) {
    const module = TARGETS[type]
    assert.equal(module.type, type)
    assert.equal(typeof module.resolve, 'function')
    assert.equal(typeof module.connect, 'function')
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
  // @ts-expect-error a module without connect does not compile
  const partial: TargetModule<'x', { type: 'x' }, { type: 'x'; name: string; maxParallel: number }> = {
    type: 'x',
    schema: z.strictObject({ type: z.literal('x') }),
    defaultMaxParallel: 1,
    resolve: (name: string) => ({ type: 'x', name, maxParallel: 1 })
  }
  assert.ok(missing && swapped && partial)
})
