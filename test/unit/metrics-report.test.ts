/**
 * The metrics report as Markdown (src/report/metrics-report.ts): what GitHub and Mermaid will make
 * of it. Whatever the names, values and sizes, the text stays within its limit, the table keeps its
 * header and its columns, every fence closes, and a chart is one Mermaid can parse.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { GateResult } from '../../src/core/gate.js'
import type { Metrics } from '../../src/core/metrics.js'
import { renderReport, renderRunMetrics, type ReportInput, type ReportRun } from '../../src/report/metrics-report.js'

const sha = (c: string) => c.repeat(40)

function run(overrides: Partial<ReportRun> = {}): ReportRun {
  return {
    pipeline: 'training',
    name: 'pipeline: training (data/a.csv)',
    status: 'completed',
    verdict: 'success',
    runId: 'run-1',
    runUrl: 'https://zenml.example.com/runs/1',
    checkRunUrl: 'https://github.com/o/r/runs/1',
    metrics: { accuracy: 0.93, loss: 0.2 },
    baseline: { sha: sha('b'), metrics: { accuracy: 0.918, loss: 0.25 } },
    gates: [gate('accuracy', 0.93)],
    ...overrides
  }
}

function gate(metric: string, value: number | string | undefined, outcome: GateResult['outcome'] = 'pass'): GateResult {
  return {
    gate: `${metric} >= 0.9`,
    metric,
    outcome,
    ...(value !== undefined ? { value } : {}),
    threshold: 0.9,
    ...(outcome === 'unknown' ? { reason: `${metric} was not reported by the run` } : {})
  }
}

const history = (pipeline: string, ...points: [string, Metrics][]): ReportInput['history'] => ({
  [pipeline]: points.map(([c, metrics]) => ({ sha: sha(c), metrics }))
})

/** The Mermaid blocks of a report. */
const charts = (text: string) => [...text.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((m) => m[1]!)

/**
 * A chart as Mermaid's xychart grammar reads it (packages/mermaid/src/diagrams/xychart/parser/
 * xychart.jison): quoted strings hold no `"`, and plotted numbers are `[+-]?(\d+(\.\d+)?|\.\d+)`.
 */
function assertParsableChart(chart: string): void {
  const lines = chart.split('\n')
  assert.equal(lines[0], 'xychart-beta')
  for (const line of lines.slice(1)) {
    assert.match(line, /^ {2}(title|x-axis|y-axis|line) /, line)
    assert.doesNotMatch(line, /%%|`/, line)
    if (line.startsWith('  line '))
      assert.match(line, /^ {2}line \[[+-]?(\d+(\.\d+)?|\.\d+)(, [+-]?(\d+(\.\d+)?|\.\d+))*\]$/)
    if (line.startsWith('  x-axis ')) assert.match(line, /^ {2}x-axis \["[^"\n]*"(, "[^"\n]*")*\]$/)
    if (/^ {2}(title|y-axis) /.test(line)) assert.match(line, /^ {2}(title|y-axis) "[^"\n]*"$/)
  }
}

/** The table's rows: each with as many cells as the header, none broken by a `|` or a newline. */
function assertTable(text: string): void {
  const lines = text.split('\n')
  const header = lines.findIndex((line) => line.startsWith('| Verdict |'))
  assert.ok(header >= 0, 'the table header is there')
  const columns = cells(lines[header]!).length
  assert.match(lines[header + 1]!, /^\|(\s*-+\s*\|)+$/)
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break
    assert.equal(cells(line).length, columns, line)
  }
}

/** Cells of a table row, split at the `|` that are not escaped. */
const cells = (line: string) => line.slice(1, -1).split(/(?<!\\)\|/)

describe('the metrics report: what GitHub and Mermaid make of it', () => {
  test('a pipeline named a|b<script> and a metric named with backticks are text, in the table and the check run', () => {
    const hostile = run({
      pipeline: 'a|b<script>',
      name: 'pipeline: a|b<script>alert(1)</script>',
      reason: 'failed: see [here](javascript:alert(1)) | <img src=x>',
      metrics: { '`rm -rf`': 0.5, 'acc|x': 'v|<b>bold</b>' },
      baseline: { sha: sha('b'), metrics: { '`rm -rf`': 0.25 } },
      gates: [{ ...gate('`rm -rf`', 0.5), gate: '`rm -rf` >= 0.4' }]
    })
    const text = renderReport({ runs: [hostile], history: {} })
    assertTable(text)
    assert.doesNotMatch(text, /<script>|<img|<b>|\]\(javascript:/)
    assert.match(text, /a\\\|b&lt;script&gt;/)
    // A backquoted name cannot open inline code that swallows the rest of the row.
    const rows = text.split('\n').filter((line) => line.startsWith('| ✅'))
    assert.equal(rows.length, 1)
    assert.doesNotMatch(rows[0]!.replace(/\\`/g, ''), /`/)
    assert.match(rows[0]!, /\\`rm \\-rf\\`/)
    const own = renderRunMetrics(hostile)
    assert.doesNotMatch(own, /<script>|<b>/)
    assert.doesNotMatch(own.replace(/\\`/g, ''), /`/)
    // Each table's rows have its header's columns.
    for (const table of own.split(/\n(?!\|)/).filter((block) => block.startsWith('|'))) {
      const [head, ...rows] = table.split('\n')
      for (const line of rows) assert.equal(cells(line).length, cells(head!).length, line)
    }
  })

  test('deltas are signed, for numbers in both, to at most 6 significant digits', () => {
    const text = renderReport({
      runs: [
        run({
          metrics: { accuracy: 0.93, loss: 0.2, f1: 0.123456789, label: 'cat', fresh: 1 },
          baseline: { sha: sha('b'), metrics: { accuracy: 0.918, loss: 0.25, f1: 0.1, label: 'dog', fresh: 1 } }
        })
      ],
      history: {}
    })
    assert.match(text, /accuracy 0\\\.93 \(\\\+0\\\.012\)|accuracy 0\.93 \(\+0\.012\)/)
    assert.match(text, /loss 0\\?\.2 \(\\?-0\\?\.05\)/)
    assert.match(text, /f1 0\\?\.123457 \(\\?\+0\\?\.0234568\)/)
    assert.match(text, /label cat(<br>|\s*\|)/, 'a string has no delta')
    assert.match(text, /fresh 1 \(±0\)/)
  })

  test('charts only for gated numbers with two points or more; labels are 7-character SHAs; missing points are left out', () => {
    const text = renderReport({
      runs: [
        run({
          metrics: { accuracy: 0.93, loss: 0.2, label: 'cat' },
          gates: [gate('accuracy', 0.93), gate('label', 'cat'), gate('recall', undefined, 'unknown')]
        })
      ],
      history: history('training', ['1', { accuracy: 0.91 }], ['2', { loss: 0.3 }], ['3', { accuracy: 0.92 }])
    })
    const drawn = charts(text)
    assert.equal(drawn.length, 1, 'loss is not gated, label is a string, recall has no value')
    assertParsableChart(drawn[0]!)
    assert.match(drawn[0]!, /x-axis \["1111111", "3333333", "[^"]+"\]/)
    assert.match(drawn[0]!, /line \[0\.91, 0\.92, 0\.93\]/)

    // One point (no history) is no chart.
    assert.equal(charts(renderReport({ runs: [run()], history: {} })).length, 0)
  })

  test('a number Mermaid cannot read as written (1e-7, 1e21) is never plotted as such', () => {
    const text = renderReport({
      runs: [run({ metrics: { lr: 1e-7, big: 2e21 }, gates: [gate('lr', 1e-7), gate('big', 2e21)] })],
      history: history('training', ['1', { lr: 2.5e-7, big: 1e21 }], ['2', { lr: 3e-7, big: 3e21 }])
    })
    for (const chart of charts(text)) assertParsableChart(chart)
  })

  test('a chart label cannot leave its quotes, the fence or the line, whatever the names', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (pipeline, metric) => {
        const text = renderReport({
          runs: [run({ pipeline, metrics: { [metric]: 0.5 }, gates: [{ ...gate(metric, 0.5), gate: 'g' }] })],
          history: { [pipeline]: [{ sha: sha('1'), metrics: { [metric]: 0.4 } }] }
        })
        const drawn = charts(text)
        assert.equal(drawn.length, 1)
        assertParsableChart(drawn[0]!)
        assert.equal((text.match(/^```/gm) ?? []).length % 2, 0)
      }),
      { numRuns: 300 }
    )
  })

  test('100 runs × 20 metrics × 5 gates with long names: within the limit, the table whole, fences closed', () => {
    const long = (s: string) => `${s}_${'x'.repeat(80)}`
    const runs = Array.from({ length: 100 }, (_, i) => {
      const metrics: Metrics = Object.fromEntries(
        Array.from({ length: 20 }, (_, m) => [long(`metric_${m}`), m / 7 + i])
      )
      return run({
        pipeline: long(`pipeline_${i % 7}`),
        name: `pipeline: ${long(`pipeline_${i % 7}`)} (${'data/'.repeat(30)}${i}.csv)`,
        verdict: i % 3 ? 'success' : 'failure',
        reason: 'r'.repeat(500),
        metrics,
        baseline: { sha: sha('b'), metrics },
        gates: Array.from({ length: 5 }, (_, g) => ({
          ...gate(long(`metric_${g}`), g / 7 + i),
          gate: `${long(`metric_${g}`)} >= baseline - 0.01`
        }))
      })
    })
    const past = Object.fromEntries(
      Array.from({ length: 7 }, (_, p) => [
        long(`pipeline_${p}`),
        Array.from({ length: 10 }, (_, i) => ({ sha: sha(String(i)), metrics: { [long('metric_0')]: i } }))
      ])
    )
    for (const limit of [60_000, 65_536, 20_000, 3_000]) {
      const text = renderReport({ runs, history: past, sha: sha('c') }, limit)
      assert.ok(text.length <= limit, `${text.length} > ${limit}`)
      assertTable(text)
      assert.equal((text.match(/^```/gm) ?? []).length % 2, 0, 'every fence closed')
      assert.match(text, /…and \d+ more runs/)
      for (const chart of charts(text)) assertParsableChart(chart)
    }
    const own = renderRunMetrics(runs[0]!)
    assert.ok(own.length <= 60_000)
  })

  test('any runs and any limit: never over the limit, the table whole or absent, fences closed', () => {
    const anyRun = fc.record({
      pipeline: fc.string({ maxLength: 40 }),
      name: fc.string({ maxLength: 300 }),
      reason: fc.string({ maxLength: 300 }),
      verdict: fc.constantFrom('success', 'failure', 'neutral', 'timed_out', 'cancelled', 'skipped', 'pending'),
      value: fc.double({ noNaN: true, noDefaultInfinity: true })
    })
    fc.assert(
      fc.property(fc.array(anyRun, { maxLength: 30 }), fc.integer({ min: 1_000, max: 20_000 }), (seeds, limit) => {
        const runs = seeds.map((s) =>
          run({
            pipeline: s.pipeline,
            name: s.name,
            reason: s.reason,
            verdict: s.verdict as ReportRun['verdict'],
            metrics: { accuracy: s.value },
            gates: [gate('accuracy', s.value)]
          })
        )
        const past = Object.fromEntries(seeds.map((s) => [s.pipeline, [{ sha: sha('1'), metrics: { accuracy: 0.5 } }]]))
        const text = renderReport({ runs, history: past }, limit)
        assert.ok(text.length <= limit)
        assert.equal((text.match(/^```/gm) ?? []).length % 2, 0)
        if (text.includes('| Verdict |')) assertTable(text)
      }),
      { numRuns: 200 }
    )
  })
})
