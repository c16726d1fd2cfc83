/** What a run's metrics may be: numbers and short strings, bounded, whatever the target sent. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { METRIC_LIMITS, formatMetric, readMetrics } from '../../src/core/metrics.js'

describe('readMetrics', () => {
  test('keeps numbers and short strings, flattens nested objects, says what it left out', () => {
    const { metrics, ignored } = readMetrics(
      {
        accuracy: 0.93,
        'train::loss': 0.2,
        stage: 'production',
        eval: { f1: 0.8, deeper: { deepest: { tooDeep: 1 } } },
        flag: true,
        nothing: null,
        curve: [1, 2],
        long: 'x'.repeat(METRIC_LIMITS.string + 1),
        'bad name': 1
      },
      'the metadata of run 1'
    )
    assert.deepEqual({ ...metrics }, { accuracy: 0.93, 'train::loss': 0.2, stage: 'production', 'eval.f1': 0.8 })
    const said = ignored.join('\n')
    for (const name of ['flag', 'nothing', 'curve', 'long', 'bad name', 'eval.deeper.deepest'])
      assert.ok(said.includes(JSON.stringify(name)), `${name} is said: ${said}`)
  })

  test('not an object: nothing read, and said where', () => {
    assert.match(readMetrics([1], 'the metrics file f').ignored[0]!, /the metrics file f is a list/)
    const none = readMetrics(undefined, 'x')
    assert.deepEqual({ ...none.metrics }, {})
    assert.deepEqual(none.ignored, [])
  })

  test('`__proto__` and `constructor` are names like any other; nothing reaches a prototype', () => {
    const { metrics } = readMetrics(JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}'), 'x')
    assert.equal(metrics['__proto__.polluted'], 1)
    assert.equal(metrics.constructor, 2)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  test('any JSON gives a bounded reading and never throws', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), (value) => {
        const { metrics } = readMetrics(value, 'x')
        const entries = Object.entries(metrics)
        assert.ok(entries.length <= METRIC_LIMITS.count)
        for (const [name, v] of entries) {
          assert.ok(name.length <= METRIC_LIMITS.name)
          assert.ok(typeof v === 'string' ? v.length <= METRIC_LIMITS.string : Number.isFinite(v))
        }
      }),
      { numRuns: 500 }
    )
  })

  test('more than the count: the first are kept and the rest counted', () => {
    const many = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`m${i}`, i]))
    const { metrics, ignored } = readMetrics(many, 'x')
    assert.equal(Object.keys(metrics).length, METRIC_LIMITS.count)
    assert.deepEqual(ignored, [`50 more past the first ${METRIC_LIMITS.count} metrics`])
  })

  test('formatMetric drops float noise', () => {
    assert.equal(formatMetric(0.1 + 0.2), '0.3')
    assert.equal(formatMetric(12), '12')
    assert.equal(formatMetric(undefined), '—')
  })
})
