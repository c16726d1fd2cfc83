/**
 * A run's verdict from its gates (src/gates/judge.ts), the record a check run keeps for the next
 * baseline (check-run-fields.ts), and the report every place shows (src/report/metrics-report.ts):
 * bounded by GitHub's comment limit with 100 runs, escaped, charts only where they say something.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { renderReport, renderRunMetrics, type ReportRun } from '../../src/report/metrics-report.js'
import {
  checkTitle,
  metricsRecord,
  readMetricsRecord,
  statusDescription,
  statusState
} from '../../src/checks/check-run-fields.js'
import { runRequest } from '../helpers/run-request.js'
import { judge } from '../../src/gates/judge.js'

const base = { sha: 'a'.repeat(40), metrics: { accuracy: 0.9 } }

describe('judge', () => {
  test('a run that did not complete keeps its status; its gates are not asked', () => {
    assert.deepEqual(judge({ status: 'failed' }, ['accuracy >= 0.9'], base), { conclusion: 'failure', gates: [] })
    assert.deepEqual(judge({ status: 'running' }, ['accuracy >= 0.9'], base), { conclusion: undefined, gates: [] })
  })

  test('every gate passes: success; one fails: failure naming the gate and both values', () => {
    assert.equal(
      judge({ status: 'completed', metrics: { accuracy: 0.95 } }, ['accuracy >= baseline - 0.01'], base).conclusion,
      'success'
    )
    const failed = judge(
      { status: 'completed', metrics: { accuracy: 0.85 } },
      ['accuracy >= baseline - 0.01', 'accuracy > 0.99'],
      base
    )
    assert.equal(failed.conclusion, 'failure')
    assert.equal(failed.reason, 'accuracy >= baseline - 0.01 failed: 0.85 < 0.89 (baseline 0.9) (and 1 more)')
  })

  test('never silently green: a missing metric, baseline or unreadable metrics are neutral with the reason', () => {
    const missing = judge({ status: 'completed', metrics: {} }, ['accuracy >= 0.9'], base)
    assert.equal(missing.conclusion, 'neutral')
    assert.match(missing.reason!, /accuracy was not reported by the run/)
    const noBaseline = judge(
      { status: 'completed', metrics: { accuracy: 1 } },
      ['accuracy >= baseline'],
      undefined,
      'the token may not read it'
    )
    assert.equal(noBaseline.conclusion, 'neutral')
    assert.match(noBaseline.reason!, /no baseline: the token may not read it/)
    const unread = judge(
      { status: 'completed', metricsProblem: 'its metrics could not be read: HTTP 500' },
      ['accuracy >= 0.9'],
      base
    )
    assert.equal(unread.conclusion, 'neutral')
    assert.match(unread.reason!, /HTTP 500/)
  })

  test('a completed run without gates succeeds', () => {
    assert.deepEqual(judge({ status: 'completed' }, [], undefined), { conclusion: 'success', gates: [] })
  })
})

describe('what the gates change on the commit', () => {
  const request = {
    ...runRequest({ pipelineName: 'training', target: 'zenml' }),
    targetConfig: { type: 'zenml' as const }
  }
  test('a failed gate: the check run title names the gate and values; the commit status fails', () => {
    const outcome = {
      status: 'completed' as const,
      conclusion: 'failure' as const,
      verdictReason: 'accuracy >= 0.9 failed: 0.85 < 0.9'
    }
    assert.equal(checkTitle(request, outcome), 'training failure: accuracy >= 0.9 failed: 0.85 < 0.9')
    assert.equal(statusState('completed', 'failure'), 'failure')
  })

  test('neutral: a commit status has none, so success with "neutral" and the reason in its description', () => {
    const outcome = {
      status: 'completed' as const,
      conclusion: 'neutral' as const,
      verdictReason: 'accuracy >= baseline: unknown, no baseline'
    }
    assert.equal(statusState('completed', 'neutral'), 'success')
    assert.match(
      statusDescription(request, outcome),
      /^training neutral: accuracy >= baseline: unknown, no baseline · run \S+ on \S+ \(\S+\)$/
    )
  })
})

describe('the record a check run keeps', () => {
  test('round-trips any metrics, and no value can close the hidden comment early', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 20 }).filter((k) => /^[\w.:-]+$/.test(k)),
          fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 50 }))
        ),
        (metrics) => {
          const record = metricsRecord({ pipeline: 'p-->', status: 'completed', metrics })
          assert.equal(record.indexOf('-->'), record.length - 3, 'one comment end, at the end')
          const read = readMetricsRecord(`text before\n${record}\ntext after`)
          assert.equal(read?.pipeline, 'p-->')
          assert.deepEqual({ ...read!.metrics }, JSON.parse(JSON.stringify(metrics)))
        }
      ),
      { numRuns: 300 }
    )
  })

  test("an open check run's record names the pull request whose report shows it; anything but a positive whole number is no pull request", () => {
    const open = (pull: unknown) =>
      readMetricsRecord(metricsRecord({ pipeline: 'p', status: 'running', metrics: {}, pull: pull as number }))
    assert.equal(open(12)?.pull, 12)
    for (const pull of [0, -3, 1.5, '12', null, 2 ** 60]) assert.equal(open(pull)?.pull, undefined, String(pull))
    assert.equal(open(undefined)?.pipeline, 'p')
  })

  test('text that is not our record reads as none', () => {
    for (const text of [
      null,
      '',
      '<!-- pipeline-trigger:metrics {"v":2} -->',
      '<!-- pipeline-trigger:metrics {nope} -->'
    ])
      assert.equal(readMetricsRecord(text), undefined)
  })
})

function run(i: number, overrides: Partial<ReportRun> = {}): ReportRun {
  const metrics = Object.fromEntries(
    Array.from({ length: 20 }, (_, m) => [`metric_with_a_long_name_${m}`, 0.5 + m / 100])
  )
  return {
    pipeline: `pipeline_${i % 3}`,
    name: `pipeline: pipeline_${i % 3} (data/some/long/path/to/a/file-${i}.csv)`,
    status: 'completed',
    verdict: i % 2 ? 'success' : 'failure',
    runId: `3f2c6e0a-8d1b-4c2e-9a7f-0b1c2d3e4f${String(i).padStart(2, '0')}`,
    runUrl: `https://zenml.example.com/projects/default/runs/${i}`,
    checkRunUrl: `https://github.com/o/r/runs/${1000 + i}`,
    metrics,
    baseline: { sha: 'b'.repeat(40), metrics },
    gates: Array.from({ length: 5 }, (_, g) => ({
      gate: `metric_with_a_long_name_${g} >= baseline - 0.01`,
      metric: `metric_with_a_long_name_${g}`,
      outcome: 'pass' as const,
      value: 0.5,
      threshold: 0.49,
      baseline: 0.5
    })),
    ...overrides
  }
}

describe('the report', () => {
  test("100 runs × 20 metrics × 5 gates stay under GitHub's 65,536 characters, with the table whole and fences closed", () => {
    const history = Object.fromEntries(
      [0, 1, 2].map((p) => [
        `pipeline_${p}`,
        Array.from({ length: 10 }, (_, i) => ({
          sha: `${i}`.repeat(40),
          metrics: { metric_with_a_long_name_0: i / 10 }
        }))
      ])
    )
    const text = renderReport({ runs: Array.from({ length: 100 }, (_, i) => run(i)), history, sha: 'c'.repeat(40) })
    assert.ok(text.length <= 65_536, `${text.length}`)
    assert.match(text, /\| Verdict \| Run \|/)
    assert.equal((text.match(/```/g) ?? []).length % 2, 0, 'every fence closed')
    assert.match(text, /more runs|chart/, 'what was left out is said')
  })

  test('a cut never breaks the table: with a small limit the rows are cut whole, with a line saying so', () => {
    const text = renderReport({ runs: Array.from({ length: 30 }, (_, i) => run(i)), history: {} }, 8_000)
    assert.ok(text.length <= 8_000)
    assert.match(text, /…and \d+ more runs/)
  })

  test('names and values are escaped; a chart label cannot leave its quotes', () => {
    const hostile = run(0, {
      pipeline: 'a|b"]\n```',
      name: 'pipeline: a|b<script>',
      metrics: { 'x`y': 'v|<img>', acc: 0.9 },
      gates: [{ gate: 'acc >= 0.5', metric: 'acc', outcome: 'pass', value: 0.9 }]
    })
    const text = renderReport({
      runs: [hostile],
      history: { 'a|b"]\n```': [{ sha: 'd'.repeat(40), metrics: { acc: 0.8 } }] }
    })
    assert.doesNotMatch(text, /<script>|<img>/)
    const chart = /```mermaid\n([\s\S]*?)\n```/.exec(text)![1]!
    assert.doesNotMatch(chart, /```/)
    assert.match(chart, /^ {2}title "ab: acc"$/m, 'quotes, brackets and newlines are gone from the label')
    assert.match(chart, /line \[0\.8, 0\.9\]/)
  })

  test('charts only for gated numbers with two points or more; deltas signed', () => {
    const lone = renderReport({ runs: [run(0)], history: {} })
    assert.doesNotMatch(lone, /mermaid/)
    const table = renderRunMetrics(
      run(0, { metrics: { acc: 0.93 }, baseline: { sha: 'e'.repeat(40), metrics: { acc: 0.918 } } })
    )
    assert.match(table, /\| acc \| 0\.93 \| 0\.918 \| \+0\.012 \|/)
  })
})
