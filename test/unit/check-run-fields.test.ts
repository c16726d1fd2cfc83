/** What a run's verdict says on the commit: pure, so every case is checked here, limits included. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RUN_STATUSES } from '../../src/core/run-state.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import {
  LIMITS,
  checkConclusion,
  checkRunName,
  checkSummary,
  checkTitle,
  externalId,
  readExternalId,
  statusDescription,
  statusState
} from '../../src/checks/check-run-fields.js'

function request(overrides: Partial<TriggerRequest> = {}): TriggerRequest {
  return {
    index: 0,
    pipeline: 'training',
    pipelineName: 'training_pipeline',
    target: 'prod',
    targetConfig: { type: 'zenml' },
    parameters: { data_url: 'data/iris/2026-11.csv' },
    reason: 'push: data/iris/2026-11.csv matches data/**',
    files: ['data/iris/2026-11.csv'],
    runName: 'training_pipeline-gh-1-1-0',
    idempotencyKey: 'pt-0123456789abcdef',
    chain: { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['training_pipeline'] },
    ...overrides
  }
}

test('every status has its conclusion and its commit state; only a running run stays open', () => {
  const conclusions = Object.fromEntries(RUN_STATUSES.map((status) => [status, checkConclusion(status)]))
  assert.deepEqual(conclusions, {
    completed: 'success',
    failed: 'failure',
    running: undefined,
    timed_out: 'timed_out',
    cancelled: 'cancelled',
    not_started: 'skipped'
  })
  const states = Object.fromEntries(RUN_STATUSES.map((status) => [status, statusState(status)]))
  assert.deepEqual(states, {
    completed: 'success',
    failed: 'failure',
    running: 'pending',
    timed_out: 'failure',
    cancelled: 'error',
    not_started: 'error'
  })
})

test('the name says the pipeline and what tells the run from its siblings', () => {
  assert.equal(checkRunName(request(), 1), 'pipeline: training_pipeline (data/iris/2026-11.csv)')
  assert.equal(
    checkRunName(request({ files: ['data/a.csv', 'data/b.csv', 'data/c.csv'] }), 1),
    'pipeline: training_pipeline (data/a.csv and 2 more)'
  )
  assert.equal(checkRunName(request({ files: [], index: 3 }), 2), 'pipeline: training_pipeline (#3)')
  assert.equal(checkRunName(request({ files: [] }), 1), 'pipeline: training_pipeline')
  assert.ok(checkRunName(request({ files: ['x'.repeat(1000)] }), 1).length <= LIMITS.name)
})

test('property: an external id names the target and run again, within 255 characters, whatever the names', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('zenml', 'http', 'workflow', 'command'),
      fc.string({ minLength: 1, maxLength: 120 }),
      fc.string({ minLength: 1, maxLength: 120 }),
      (type, target, runId) => {
        const id = externalId(request({ target, targetConfig: { type } as TriggerRequest['targetConfig'] }), runId)
        assert.ok(id.length <= LIMITS.externalId, id)
        const read = readExternalId(id)
        if (read) assert.deepEqual(read, { targetType: type, target, runId })
        // Only an id too long to keep is dropped, and then the external id says no run.
        else assert.ok(encodeURIComponent(runId).length + encodeURIComponent(target).length > 200, id)
      }
    )
  )
  for (const foreign of [undefined, null, '', 'abc', 'pt1|zenml|prod', 'pt2|zenml|prod|1', 'pt1|zenml|%E0%A4%A|1'])
    assert.equal(readExternalId(foreign), undefined, String(foreign))
})

test('title and description stay within GitHub limits; the summary is cut with a note at 65,535', () => {
  const message = 'x'.repeat(5000)
  assert.ok(checkTitle(request(), { status: 'failed', message }).length <= LIMITS.title)
  assert.ok(statusDescription(request(), { status: 'failed', message }).length <= LIMITS.description)
  assert.equal(
    checkTitle(request(), { status: 'timed_out', durationMs: 90_000 }),
    'training_pipeline timed out after 1m 30s'
  )
  const huge = request({
    parameters: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, 'v'.repeat(100)]))
  })
  const summary = checkSummary(huge, { status: 'completed' })
  assert.ok(summary.length <= LIMITS.summary, String(summary.length))
  assert.match(summary, /cut: the summary holds at most 65535 characters/)
})

test('the summary escapes what came from outside: a file name cannot inject a link or break the table', () => {
  const hostile = request({
    reason: 'push: [click](https://evil.example) | </table>',
    parameters: { data_url: '](https://evil.example)<img src=x>' }
  })
  const summary = checkSummary(hostile, { status: 'running', runId: 'r1', runUrl: 'javascript:alert(1)' })
  assert.doesNotMatch(summary, /\]\(https:\/\/evil/)
  assert.doesNotMatch(summary, /<img|<\/table>|javascript:/)
  assert.match(summary, /\| Run \| r1 \|/)
})
