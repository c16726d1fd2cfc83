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
  readStatusRun,
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

test("property: an external id names the run again within 255 characters: the target's run id where it fits, else the request's key", () => {
  const key = fc.oneof(
    fc.stringMatching(/^pt-[0-9a-f]{32}$/),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })
  )
  fc.assert(
    fc.property(
      fc.constantFrom('zenml', 'http', 'workflow', 'command'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }),
      fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 120 }), { nil: undefined }),
      key,
      (type, target, runId, idempotencyKey) => {
        const made = request({ target, targetConfig: { type } as TriggerRequest['targetConfig'], idempotencyKey })
        const id = externalId(made, runId)
        assert.ok(id.length <= LIMITS.externalId, id)
        const read = readExternalId(id)
        assert.ok(read, `every run of ours is found again: ${id}`)
        assert.equal(read.targetType, type)
        assert.ok(read.target === target || read.target === '', 'the target, or nothing where it is too long')
        // Exactly one of the two names the run: the target's id (followable), or the request's key.
        if (read.runId !== undefined) {
          assert.equal(read.runId, runId)
          assert.equal(read.requestKey, undefined)
        } else assert.equal(read.requestKey, idempotencyKey)
        // The run id is given up only when it cannot fit beside the type and the target.
        const fits =
          runId !== undefined && `pt1|${type}|${encodeURIComponent(target)}|${encodeURIComponent(runId)}`.length <= 255
        if (fits) assert.deepEqual(read, { targetType: type, target, runId })
      }
    )
  )
})

test('external ids: a command run without a run id is named by its key; an older id without a run is still ours; others are not', () => {
  const command = request({ target: 'command', targetConfig: { type: 'command' } as TriggerRequest['targetConfig'] })
  assert.equal(externalId(command, undefined), 'pt1|command|command|key:pt-0123456789abcdef')
  assert.deepEqual(readExternalId('pt1|command|command|key:pt-0123456789abcdef'), {
    targetType: 'command',
    target: 'command',
    requestKey: 'pt-0123456789abcdef'
  })
  // A run id with a colon is encoded, so it is never read as a key.
  assert.equal(externalId(request(), 'key:1'), 'pt1|zenml|prod|key%3A1')
  assert.deepEqual(readExternalId('pt1|zenml|prod|key%3A1'), { targetType: 'zenml', target: 'prod', runId: 'key:1' })
  // What earlier versions wrote for a run without an id: ours (a baseline), but nothing to follow.
  assert.deepEqual(readExternalId('pt1|command|command|'), { targetType: 'command', target: 'command' })
  for (const foreign of [
    undefined,
    null,
    '',
    'abc',
    'pt1|zenml|prod',
    'pt2|zenml|prod|1',
    'pt1||prod|1',
    'pt1|zenml|prod|key:',
    'pt1|zenml|%E0%A4%A|1'
  ])
    assert.equal(readExternalId(foreign), undefined, String(foreign))
})

test('property: a commit status names its run at the end of its description, within 140 characters, and reads back', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('zenml', 'http', 'workflow', 'command'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
      fc.option(fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }), { nil: undefined }),
      fc.string({ maxLength: 300 }),
      (type, target, runId, message) => {
        const made = request({ target, targetConfig: { type } as TriggerRequest['targetConfig'] })
        const description = statusDescription(made, { status: 'running', message, ...(runId ? { runId } : {}) })
        assert.ok(description.length <= LIMITS.description, description)
        const read = readStatusRun(description)
        // Named where the tail leaves the title 40 characters; then by the run id where that fits, else by the key.
        const tail = (run: string) =>
          ` · run ${run} on ${encodeURIComponent(target)} (${type})`.length <= LIMITS.description - 40
        const byId = runId !== undefined && tail(encodeURIComponent(runId))
        if (byId) assert.deepEqual(read?.ref, { targetType: type, target, runId })
        else if (tail(`key:${made.idempotencyKey}`))
          assert.deepEqual(read?.ref, { targetType: type, target, requestKey: made.idempotencyKey })
        else assert.equal(read, undefined, description)
      }
    )
  )
  assert.equal(
    statusDescription(request(), { status: 'completed', runId: '0b4c2f1e-1111-2222-3333-444455556666' }),
    'training_pipeline completed · run 0b4c2f1e-1111-2222-3333-444455556666 on prod (zenml)'
  )
  for (const foreign of [null, '', 'Build passed', 'run 1 on prod (zenml)', 'x · run  on prod (zenml)'])
    assert.equal(readStatusRun(foreign), undefined, String(foreign))
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
