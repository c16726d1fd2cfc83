/**
 * A job's section of the pull request's report and the hidden record of its rows
 * (src/pr-comment/report-section.ts): the record gives back exactly the rows it was made from, whatever
 * they hold, no value can end the hidden comment early, it stays within its bound, and a later pass
 * replaces only the rows of the check runs it completed.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { BaselinePoint } from '../../src/core/judgement.js'
import type { Metrics } from '../../src/core/metrics.js'
import { RUN_STATUSES } from '../../src/core/run-state.js'
import {
  awaitsLaterPass,
  RECORD_LIMIT,
  readSectionRecord,
  renderSection,
  sectionRecord,
  withCompletedRows,
  type ReportSection,
  type SectionRun
} from '../../src/pr-comment/report-section.js'

/** Strings a value could use to break out: comment ends and starts, markers, newlines, escapes. */
const hostile = fc.constantFrom(
  '-->',
  '--!>',
  '<!--',
  '<!-- pipeline-trigger:end x -->',
  '\n',
  '\r\n',
  '\u2028',
  '\\u003e',
  '</script>',
  '&gt;',
  '"}',
  '`',
  '|',
  '\u0000',
  '🙂'
)
const anyText = (max: number) =>
  fc
    .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), hostile), { maxLength: 6 })
    .map((parts) => parts.join('').slice(0, max))
/** A finite number that JSON keeps as it is (not -0). */
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0))
const metricName = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,30}$/)
const metrics: fc.Arbitrary<Metrics> = fc
  .dictionary(metricName, fc.oneof(number, anyText(200)), { maxKeys: 5 })
  .map((entries) => Object.assign(Object.create(null) as Metrics, entries))
const point: fc.Arbitrary<BaselinePoint> = fc.record(
  { sha: fc.stringMatching(/^[0-9a-f]{40}$/), url: anyText(100), metrics },
  { requiredKeys: ['sha', 'metrics'] }
)
const gate = fc.record(
  {
    gate: anyText(60),
    metric: anyText(30),
    outcome: fc.constantFrom('pass' as const, 'fail' as const, 'unknown' as const),
    value: fc.oneof(number, anyText(40)),
    threshold: fc.oneof(number, anyText(40)),
    baseline: fc.oneof(number, anyText(40)),
    reason: anyText(80)
  },
  { requiredKeys: ['gate', 'metric', 'outcome'] }
)
const row: fc.Arbitrary<SectionRun> = fc.record(
  {
    checkRunId: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
    pipeline: anyText(40),
    name: anyText(80),
    status: fc.constantFrom(...RUN_STATUSES),
    verdict: fc.constantFrom(
      'success' as const,
      'failure' as const,
      'neutral' as const,
      'timed_out' as const,
      'cancelled' as const,
      'skipped' as const,
      'pending' as const
    ),
    reason: anyText(80),
    runId: anyText(40),
    runUrl: anyText(80),
    checkRunUrl: anyText(80),
    metrics,
    baseline: point,
    gates: fc.array(gate, { maxLength: 3 })
  },
  { requiredKeys: ['pipeline', 'name', 'status', 'verdict', 'metrics', 'gates'] }
)
const section: fc.Arbitrary<ReportSection> = fc.record({
  title: anyText(60),
  sha: fc.stringMatching(/^[0-9a-f]{40}$/),
  runs: fc.array(row, { maxLength: 4 }),
  history: fc
    .dictionary(anyText(20), fc.array(point, { maxLength: 2 }), { maxKeys: 2 })
    .map((entries) => Object.assign(Object.create(null) as Record<string, BaselinePoint[]>, entries))
})

/** JSON's view, so a null-prototype map and a plain one compare alike. */
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value))

const SHA = 'a1b2c3d'.padEnd(40, '0')
const pendingRow = (checkRunId: number, pipeline = 'training'): SectionRun => ({
  checkRunId,
  pipeline,
  name: `pipeline: ${pipeline} (#${checkRunId})`,
  status: 'running',
  verdict: 'pending',
  runId: `run-${checkRunId}`,
  runUrl: `https://zenml.example/runs/${checkRunId}`,
  checkRunUrl: `https://github.com/o/r/runs/${checkRunId}`,
  metrics: {},
  gates: []
})

describe('the record of a section’s rows', () => {
  test('round-trips any rows, and no value can close the hidden comment early or open another', () => {
    fc.assert(
      fc.property(section, (made) => {
        const line = sectionRecord(made)
        assert.ok(line !== undefined, 'small sections always have a record')
        assert.ok(line.length <= RECORD_LIMIT)
        assert.ok(!/[\n\r\u2028\u2029]/.test(line), 'one line')
        assert.equal(line.indexOf('-->'), line.length - 3, 'the only `-->` is its end')
        assert.equal(line.lastIndexOf('<!--'), 0, 'the only `<!--` is its start')
        assert.ok(!/[<>&]/.test(line.slice(4, -3)), 'no <, > or & inside at all')
        assert.deepEqual(plain(readSectionRecord(line)), plain(made))
      }),
      { numRuns: 300 }
    )
  })

  test('bounded: the charts’ history goes first, then the record; a longer line is not read', () => {
    const manyPoints = Array.from({ length: 50 }, (_, i) => ({
      sha: String(i).padStart(40, '0'),
      metrics: Object.fromEntries(Array.from({ length: 10 }, (_, m) => [`metric_${m}`, i / 100 + m]))
    }))
    const withHistory: ReportSection = {
      title: 'ci / train',
      sha: SHA,
      runs: [pendingRow(1)],
      history: { training: manyPoints, evaluation: manyPoints }
    }
    const line = sectionRecord(withHistory)!
    assert.deepEqual(
      plain(readSectionRecord(line)),
      plain({ ...withHistory, history: {} }),
      'the rows kept, not the chart'
    )
    const tooMany: ReportSection = {
      ...withHistory,
      runs: Array.from({ length: 60 }, (_, i) => pendingRow(i + 1))
    }
    assert.equal(sectionRecord(tooMany), undefined)
    const long = `<!-- pipeline-trigger:rows ${JSON.stringify({ v: 1, title: 'x'.repeat(RECORD_LIMIT), sha: SHA, runs: [], history: {} })} -->`
    assert.equal(readSectionRecord(long), undefined)
  })

  test('what is not a record of ours is not read', () => {
    const good = sectionRecord({ title: 't', sha: SHA, runs: [pendingRow(7)], history: {} })!
    assert.ok(readSectionRecord(good))
    for (const bad of [
      undefined,
      '',
      good.replace('pipeline-trigger:rows', 'pipeline-trigger:metrics'),
      good.replace('"v":1', '"v":2'),
      good.replace('"verdict":"pending"', '"verdict":"passed"'),
      good.replace('"checkRunId":7', '"checkRunId":-7'),
      good.replace('"checkRunId":7', '"checkRunId":"7"'),
      good.replace('"gates":[]', '"gates":{}'),
      good.slice(0, -4),
      `${good.slice(0, -4)}{ -->`
    ])
      assert.equal(readSectionRecord(bad), undefined, String(bad))
  })
})

describe('a later pass’s rows', () => {
  const made: ReportSection = {
    title: 'ci / train / 0',
    sha: SHA,
    runs: [pendingRow(101), pendingRow(102), { ...pendingRow(0), checkRunId: undefined } as SectionRun],
    history: {}
  }
  const done: SectionRun & { checkRunId: number } = {
    ...pendingRow(101),
    checkRunId: 101,
    status: 'completed',
    verdict: 'success',
    runUrl: '',
    metrics: { accuracy: 0.95 },
    baseline: { sha: 'b'.repeat(40), metrics: { accuracy: 0.9 } },
    gates: [{ gate: 'accuracy >= 0.9', metric: 'accuracy', outcome: 'pass', value: 0.95, threshold: 0.9 }]
  }
  delete (done as Partial<SectionRun>).runUrl

  test('replace only the rows of their check runs, and re-render with the one renderer', () => {
    const history = [{ sha: 'b'.repeat(40), metrics: { accuracy: 0.9 } }]
    const next = withCompletedRows(made, new Map([[101, { run: done, history }]]))!
    assert.deepEqual(next.runs[1], made.runs[1], 'another check run’s row is as it was')
    assert.deepEqual(next.runs[2], made.runs[2], 'a row without a check run is as it was')
    assert.equal(next.runs[0]!.verdict, 'success')
    assert.equal(next.runs[0]!.runUrl, 'https://zenml.example/runs/101', 'a link the pass did not learn is kept')
    assert.deepEqual(next.history.training, history)
    const markdown = renderSection(next)
    assert.match(markdown, /^\*\*ci \/ train \/ 0\*\*\n\n\*\*3 runs\*\* on `a1b2c3d00000`: 1 success, 2 pending/)
    assert.match(markdown, /\| ✅ success \| \[pipeline: training \\\(\\#101\\\)\]/)
    assert.match(markdown, /\| ⏳ pending \| \[pipeline: training \\\(\\#102\\\)\]/)
    assert.match(markdown, /accuracy 0\.95 \(\+0\.05\)/)
    assert.match(markdown, /xychart-beta/, 'the chart of the gated metric')
  })

  test('keep a record only while a row waits on an open check run', () => {
    assert.ok(awaitsLaterPass(made))
    const both = new Map([
      [101, { run: done, history: [] }],
      [102, { run: { ...done, checkRunId: 102 }, history: [] }]
    ])
    const next = withCompletedRows(made, both)!
    assert.equal(next.runs[2]!.verdict, 'pending', 'a pending row without a check run: no pass can fill it in')
    assert.equal(awaitsLaterPass(next), false)
  })

  test('leave a section with none of their check runs alone', () => {
    assert.equal(
      withCompletedRows(made, new Map([[999, { run: { ...done, checkRunId: 999 }, history: [] }]])),
      undefined
    )
  })
})
