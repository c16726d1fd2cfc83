/** User-given names that are Object.prototype keys are names like any other, and __proto__ is refused where it stands. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseConfig } from '../../src/config/parse-config.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { parseMappingInput } from '../../src/config/mapping-input.js'
import { planTriggers } from '../../src/plan/plan.js'
import { renderTemplate } from '../../src/core/placeholders.js'
import { contextFor, schedulePayload } from '../helpers/events.js'

const schedule = normalizeEvent(contextFor('schedule', schedulePayload('1 * * * *')))

describe('Object.prototype names', () => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
    test(`a target and a pipeline named ${name} plan like any other`, () => {
      const config = parseConfig(
        `version: 1\ntargets:\n  ${name}: {type: command, run: ['true']}\npipelines:\n  ${name}:\n    target: ${name}\n    on: {schedule: [{}]}\n`,
        'c.yml'
      )
      const plan = planTriggers(schedule, undefined, config, { maxRuns: 20 })
      assert.deepEqual(
        plan.requests.map((r) => [r.pipeline, r.target, r.targetConfig.type]),
        [[name, name, 'command']]
      )
    })
    test(`a pipeline whose target ${name} is not defined is refused, with the targets that are`, () => {
      assert.throws(
        () =>
          parseConfig(
            `version: 1\ntargets:\n  t: {type: command, run: ['true']}\npipelines:\n  p:\n    target: ${name}\n    on: {schedule: [{}]}\n`,
            'c.yml'
          ),
        new RegExp(`c\\.yml:6:13: pipelines\\.p\\.target: no target named "${name}"\\. Fix: use one of "t"`)
      )
    })
    test(`the placeholder {${name}} is unknown, not a function's text`, () => {
      assert.throws(
        () => renderTemplate(`x{${name}}`, { sha: 'a' }, 'p'),
        new RegExp(`unknown placeholder \\{${name}\\}`)
      )
    })
  }
  test('__proto__ is refused at its line and column, in the config file and in a mapping input', () => {
    assert.throws(
      () => parseConfig(`version: 1\ntargets:\n  __proto__: {type: command, run: ['true']}\npipelines: {}\n`, 'c.yml'),
      /^Error: c\.yml:3:3: __proto__ cannot be a key here|c\.yml:3:3: __proto__ cannot be a key here/
    )
    assert.throws(
      () => parseMappingInput('parameters', 'a: 1\n__proto__: {polluted: true}\n'),
      /Input parameters:2:1: __proto__ cannot be a key here/
    )
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })
  test('alias bombs and undefined aliases name the file', () => {
    const bomb = `version: 1\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`
    assert.throws(() => parseConfig(bomb, 'c.yml'), /^.*c\.yml: Excessive alias count.*Fix: write the values out/)
    assert.throws(() => parseConfig('version: 1\nx: *nothing\n', 'c.yml'), /c\.yml(:\d+:\d+)?: .*nothing/)
  })
})

describe('config errors stay readable', () => {
  test('a 2 MB unknown key is named by its line and column and quoted short, with its size', () => {
    const key = 'x'.repeat(2 * 1024 * 1024)
    const started = Date.now()
    let message = ''
    try {
      parseConfig(`version: 1\ntargets: {}\npipelines: {}\n? ${key}\n: 1\n`, 'c.yml')
    } catch (error) {
      message = (error as Error).message
    }
    assert.match(message, /c\.yml:4:3: \(top level\): unknown key "x+… \(2097154 characters\)\. Fix: allowed here:/)
    assert.ok(message.length < 400, `${message.length} characters`)
    assert.ok(Date.now() - started < 10_000)
  })
})
