import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { contextFor, schedulePayload, webhookExample } from '../helpers/events.js'

describe('normalizeEvent with real payloads', () => {
  test('push to a branch', () => {
    const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master')
    const event = normalizeEvent(contextFor('push', payload))
    assert.equal(event.kind, 'push')
    assert.equal(event.refName, 'master')
    assert.equal(event.isTag, false)
    assert.deepEqual(event.push, {
      before: payload.before,
      after: payload.after,
      created: payload.created,
      deleted: payload.deleted,
      forced: payload.forced
    })
    assert.equal(event.defaultBranch, payload.repository.default_branch)
  })

  test('tag push', () => {
    const payload = webhookExample('push', (p) => p.ref.startsWith('refs/tags/') && !p.deleted)
    const event = normalizeEvent(contextFor('push', payload))
    assert.equal(event.isTag, true)
    assert.equal(event.refName, 'simple-tag')
  })

  test('a deleted ref is a push with deleted: true and no after sha', () => {
    const payload = webhookExample('push', (p) => p.deleted === true)
    const event = normalizeEvent(contextFor('push', payload, { sha: 'b'.repeat(40) }))
    assert.equal(event.push?.deleted, true)
  })

  test('pull_request carries base and head', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'opened')
    const event = normalizeEvent(contextFor('pull_request', payload, { ref: `refs/pull/${payload.number}/merge` }))
    assert.equal(event.kind, 'pull_request')
    assert.equal(event.pullRequest?.baseSha, payload.pull_request.base.sha)
    assert.equal(event.pullRequest?.headSha, payload.pull_request.head.sha)
    assert.equal(event.pullRequest?.number, payload.number)
    assert.equal(event.refName, payload.pull_request.head.ref)
  })

  test('pull_request_target is planned with pull_request rules', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'opened')
    assert.equal(normalizeEvent(contextFor('pull_request_target', payload)).kind, 'pull_request')
  })

  test('merge_group', () => {
    const payload = webhookExample('merge_group')
    const event = normalizeEvent(contextFor('merge_group', payload))
    assert.deepEqual(event.mergeGroup, {
      baseSha: payload.merge_group.base_sha,
      headSha: payload.merge_group.head_sha,
      headRef: payload.merge_group.head_ref
    })
  })

  test('workflow_dispatch inputs come from the payload, as strings', () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: 's3://x', full: 'true' }
    const event = normalizeEvent(contextFor('workflow_dispatch', payload))
    assert.deepEqual(event.inputs, { data_url: 's3://x', full: 'true' })
  })

  test('workflow-inputs (toJSON(inputs)) gives typed dispatch values', () => {
    const payload = webhookExample('workflow_dispatch')
    const event = normalizeEvent(contextFor('workflow_dispatch', payload), { full: true, epochs: 3 })
    assert.equal(event.kind, 'workflow_dispatch')
    assert.deepEqual(event.inputs, { full: true, epochs: 3 })
  })

  test('inside a reusable workflow the caller event is kept but workflow_call rules apply', () => {
    const payload = webhookExample('push', (p) => p.ref === 'refs/heads/master')
    const event = normalizeEvent(contextFor('push', payload), { data_url: 's3://y' })
    assert.equal(event.kind, 'workflow_call')
    assert.equal(event.name, 'push')
    assert.deepEqual(event.inputs, { data_url: 's3://y' })
  })

  test('repository_dispatch maps client_payload and the type', () => {
    const payload = webhookExample('repository_dispatch')
    const event = normalizeEvent(contextFor('repository_dispatch', payload))
    assert.equal(event.kind, 'repository_dispatch')
    assert.equal(event.dispatchType, payload.action)
    assert.deepEqual(event.inputs, payload.client_payload)
  })

  test('schedule keeps the firing cron line', () => {
    const event = normalizeEvent(contextFor('schedule', schedulePayload('17 4 * * *')))
    assert.equal(event.kind, 'schedule')
    assert.equal(event.cron, '17 4 * * *')
  })

  test('other events have no kind', () => {
    const event = normalizeEvent(contextFor('issues', { action: 'opened', repository: { full_name: 'o/r' } }))
    assert.equal(event.kind, undefined)
    assert.equal(event.name, 'issues')
  })

  test('a push payload without shas is refused with a hint', () => {
    assert.throws(
      () => normalizeEvent(contextFor('push', { ref: 'refs/heads/main' })),
      /push event payload has no valid before/
    )
  })
})
