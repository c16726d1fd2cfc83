import assert from 'node:assert/strict'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { collectFanIn, fanInFailures } from '../../src/report/fan-in.js'
import { fanInOutputs } from '../../src/report/outputs.js'
import { buildFanInSummary } from '../../src/report/summary.js'

const matrix = JSON.stringify({
  include: [0, 1, 2].map((index) => ({
    index,
    pipeline: 'training',
    target: 'prod',
    'run-name': `training_pipeline-gh-1-1-${index}`,
    parameters: '{}'
  }))
})
const run = (status: string, id: string) => ({
  pipeline: 'training_pipeline',
  target: 'prod',
  'run-id': id,
  'run-url': `https://zenml.example.com/runs/${id}`,
  status,
  parameters: { data_url: `data/${id}.csv` }
})

function resultsDir(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-fan-in-'))
  for (const [name, content] of Object.entries(files))
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content))
  return dir
}

describe('fan-in', () => {
  test("gathers every job's runs in plan order; a job that saved nothing is missing, not forgotten", () => {
    const collected = collectFanIn(
      resultsDir({ '2.json': [run('completed', 'c')], '0.json': [run('completed', 'a')] }),
      matrix
    )
    assert.deepEqual(
      collected.map((c) => [c.index, c.runs?.map((r) => r['run-id'])]),
      [
        [0, ['a']],
        [1, undefined],
        [2, ['c']]
      ]
    )
    const failures = fanInFailures(collected)
    assert.deepEqual(failures, ['#1 training: no result (its job failed before triggering, or was cancelled)'])
    const outputs = fanInOutputs(collected, failures)
    assert.equal(outputs.status, 'failed')
    assert.deepEqual(
      JSON.parse(outputs.runs).map((r: { index: number }) => r.index),
      [0, 2]
    )
    const summary = buildFanInSummary(collected, failures)
    assert.match(summary, /\*\*3 requests, 2 runs triggered, 1 problem\*\*/)
    assert.match(summary, /\| 1 \| training \| prod \| training\\_pipeline\\-gh\\-1\\-1\\-1 \| no result \| \|/)
    assert.match(summary, /\[a\]\(https:\/\/zenml\.example\.com\/runs\/a\)/)
  })

  test('a failed, timed-out, cancelled or never started run fails the fan-in; all completed passes', () => {
    const failed = collectFanIn(
      resultsDir({
        '0.json': [run('completed', 'a')],
        '1.json': [run('timed_out', 'b')],
        '2.json': [run('failed', 'c')]
      }),
      matrix
    )
    assert.deepEqual(fanInFailures(failed), ['#1 training_pipeline: timed_out', '#2 training_pipeline: failed'])
    const stopped = collectFanIn(
      resultsDir({
        '0.json': [run('cancelled', 'a')],
        '1.json': [run('not_started', 'b')],
        '2.json': [run('completed', 'c')]
      }),
      matrix
    )
    assert.deepEqual(fanInFailures(stopped), ['#0 training_pipeline: cancelled', '#1 training_pipeline: not_started'])
    const ok = collectFanIn(
      resultsDir({
        '0.json': [run('completed', 'a')],
        '1.json': [run('completed', 'b')],
        '2.json': [run('running', 'c')]
      }),
      matrix
    )
    assert.deepEqual(fanInFailures(ok), [])
    assert.equal(fanInOutputs(ok, []).status, 'running')
  })

  test('a run that completed but failed a gate fails the fan-in, and the summary says which gate', () => {
    const gated = collectFanIn(
      resultsDir({
        '0.json': [run('completed', 'a')],
        '1.json': [
          {
            ...run('completed', 'b'),
            verdict: 'failure',
            'verdict-reason': 'accuracy >= baseline - 0.01 failed: 0.85 < 0.89 (baseline 0.9)'
          }
        ],
        '2.json': [{ ...run('completed', 'c'), verdict: 'neutral', 'verdict-reason': 'accuracy was not reported' }]
      }),
      matrix
    )
    const failures = fanInFailures(gated)
    assert.deepEqual(failures, [
      '#1 training_pipeline: completed, but a gate failed: accuracy >= baseline - 0.01 failed: 0.85 < 0.89 (baseline 0.9)'
    ])
    const summary = buildFanInSummary(gated, failures)
    assert.match(summary, /completed \\\(failure: accuracy &gt;= baseline/)
    assert.match(summary, /completed \\\(neutral: accuracy was not reported\\\)/)
  })

  test('no results directory at all: every request is missing', () => {
    assert.equal(fanInFailures(collectFanIn(join(tmpdir(), 'pt-no-such-dir'), matrix)).length, 3)
  })

  test('bad input names the input, the value and the fix', () => {
    assert.throws(
      () => collectFanIn(resultsDir({}), 'nope'),
      /Input fan-in-matrix: "nope" is not JSON\. Set fan-in-matrix to the plan job's matrix output/
    )
    assert.throws(() => collectFanIn(resultsDir({}), '{"truncated": true}'), /has no include list/)
    assert.throws(
      () => collectFanIn(resultsDir({}), '{"include": [{"pipeline": "x"}]}'),
      /include\[0\] is .* without a numeric index/
    )
    assert.throws(
      () => collectFanIn(resultsDir({ '7.json': [] }), matrix),
      /"7\.json" in .* match no request of fan-in-matrix/
    )
    assert.throws(
      () => collectFanIn(resultsDir({ '0.json': '{oops' }), matrix),
      /0\.json is not JSON .* must hold a trigger job's runs output unchanged/
    )
    assert.throws(() => collectFanIn(resultsDir({ '0.json': { runs: 1 } }), matrix), /is \{"runs":1\}, not a runs list/)
  })
})
