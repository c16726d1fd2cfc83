import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import {
  infoReply,
  pageOf,
  pipelineReply,
  polledRunReply,
  readZenmlReply,
  runReply,
  runnableReply
} from '../../src/zenml/replies.js'
import { runStatus, stateOf } from '../../src/zenml/run-status.js'
import { checkServerUrl } from '../../src/zenml/zenml-client.js'
import { serverMessage, zenmlError } from '../../src/zenml/zenml-errors.js'

describe('ZenML errors', () => {
  test('every body shape ZenML uses becomes one line', () => {
    assert.equal(
      serverMessage({ detail: ['CredentialsNotValid', 'Authentication error: bad key'] }),
      'CredentialsNotValid: Authentication error: bad key'
    )
    assert.equal(serverMessage({ detail: 'Not authenticated' }), 'Not authenticated')
    assert.equal(serverMessage(['ValueError', 'line one\nline two']), 'ValueError: line one')
    assert.equal(serverMessage({ detail: [{ loc: ['query', 'size'], msg: 'too big' }] }), 'too big')
  })
  test('each status says what to do', () => {
    assert.match(
      zenmlError(403, { detail: ['IllegalOperationError', 'not allowed: create pipeline_run'] }, 'triggering').message,
      /HTTP 403 while triggering: IllegalOperationError: not allowed: create pipeline_run\. Fix: the service account lacks a permission/
    )
    assert.match(
      zenmlError(405, { detail: 'Method Not Allowed' }, 'x').message,
      /ZenML Pro or a workload manager is needed; use the command target/
    )
    assert.match(zenmlError(502, 'Bad Gateway', 'x').message, /the server failed/)
  })
})

describe('checkServerUrl', () => {
  test('https anywhere, http only on loopback', () => {
    assert.equal(checkServerUrl('https://zenml.example.com/'), 'https://zenml.example.com')
    assert.equal(checkServerUrl('http://127.0.0.1:8237'), 'http://127.0.0.1:8237')
    assert.throws(
      () => checkServerUrl('http://zenml.example.com'),
      /Input zenml-url: "http:\/\/zenml\.example\.com" must use https \(http is allowed only on loopback/
    )
    assert.throws(() => checkServerUrl('zenml.example.com'), /is not a URL/)
  })
})

describe("ZenML run status in the action's vocabulary", () => {
  const state = (status: string, statusReason?: string) =>
    stateOf({ id: 'r', name: 'run', status, ...(statusReason ? { statusReason } : {}) }, { runId: 'r' })
  test('the status alone decides: a run that failed before its steps (in_progress stays true) is failed', () => {
    // The server keeps in_progress: true for good after an on_init hook raises; the client never reads it.
    assert.deepEqual(state('failed', 'on_init hook raised'), {
      status: 'failed',
      runId: 'r',
      detail: 'failed',
      message: 'the run run ended failed: on_init hook raised'
    })
  })
  test('every ExecutionStatus maps; unknown and future ones keep the run going', () => {
    const expected: Record<string, string> = {
      initializing: 'running',
      provisioning: 'running',
      queued: 'running',
      running: 'running',
      retrying: 'running',
      paused: 'running',
      resuming: 'running',
      stopping: 'running',
      cancelling: 'running',
      some_future_status: 'running',
      completed: 'completed',
      cached: 'completed',
      skipped: 'completed',
      failed: 'failed',
      retried: 'failed',
      stopped: 'cancelled',
      cancelled: 'cancelled'
    }
    for (const [status, ours] of Object.entries(expected))
      assert.equal(runStatus({ id: 'r', name: '', status }), ours, status)
    // Object.prototype names are statuses like any other unknown word.
    for (const status of ['constructor', '__proto__', 'toString'])
      assert.equal(runStatus({ id: 'r', name: '', status }), 'running')
  })
})

describe('ZenML errors and the retry policy', () => {
  test('429 and gateway errors are transient, with Retry-After; a 4xx is final', () => {
    const limited = zenmlError(429, { detail: 'slow down' }, 'reading run r', 7000)
    assert.equal(isTransient(limited), true)
    assert.equal(limited.retryAfterMs, 7000)
    assert.equal(isTransient(zenmlError(503, 'Service Unavailable', 'x')), true)
    assert.equal(isTransient(zenmlError(404, { detail: 'no such run' }, 'x')), false)
    assert.equal(isTransient(zenmlError(409, { detail: 'exists' }, 'x')), false)
  })
})

const RUN_ID = '0b9f6c2e-3d4a-4e5f-8a6b-7c8d9e0f1a2b'
const SNAPSHOT_ID = '5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9'

describe('ZenML replies are checked where they arrive', () => {
  // Each of these crashed with a TypeError or read "[object Object]"/"undefined" before the replies were checked.
  test('a reply of the wrong shape names the field, what came and what to check', () => {
    assert.throws(
      () => readZenmlReply(infoReply, { version: { major: 0 } }, 'reading /api/v1/info'),
      (error: Error) => {
        assert.ok(error instanceof UserError && !isTransient(error))
        assert.match(
          error.message,
          /^ZenML server: the reply to reading \/api\/v1\/info is not what it should be: version should be string, not \{"major":0\}\. Fix: check that zenml-url points at the ZenML server itself/
        )
        return true
      }
    )
    assert.throws(
      () => readZenmlReply(pageOf(pipelineReply), { items: [{ name: 'p' }] }, 'listing pipelines'),
      /items\.0\.id should be string, but is missing/
    )
    assert.throws(
      () => readZenmlReply(pageOf(pipelineReply), '<html>Sign in</html>', 'listing pipelines'),
      /it is not JSON: "<html>Sign in<\/html>"/
    )
    assert.throws(
      () => readZenmlReply(polledRunReply, undefined, 'reading run r'),
      /the reply to reading run r is not what it should be: it was empty/
    )
    assert.throws(
      () =>
        readZenmlReply(
          runnableReply,
          { id: SNAPSHOT_ID, metadata: { config_template: { steps: 'all' } } },
          'reading snapshot s'
        ),
      /metadata\.config_template\.steps should be record, not "all"/
    )
    // An id that is no UUID never reaches a URL or a message whole (found by the reply fuzz: a 5,000-character id).
    assert.throws(
      () => readZenmlReply(runReply, { id: 'x'.repeat(5000), name: 'n' }, 'running snapshot "s"'),
      (error: Error) => {
        assert.match(error.message, /id should be a UUID such as 3f2c6e0a-/)
        assert.ok(error.message.length < 600, `${error.message.length} characters`)
        return true
      }
    )
  })
  test('what a real server sends passes, nulls and unknown fields included', () => {
    assert.deepEqual(
      readZenmlReply(
        infoReply,
        {
          version: '0.98.0',
          deployment_type: 'other',
          auth_scheme: 'OAUTH2_PASSWORD_BEARER',
          pro_dashboard_url: null,
          new_field: 1
        },
        'x'
      ),
      { version: '0.98.0', deployment_type: 'other', auth_scheme: 'OAUTH2_PASSWORD_BEARER', pro_dashboard_url: null }
    )
    assert.equal(readZenmlReply(runReply, { id: RUN_ID, name: 'n', body: null }, 'x').id, RUN_ID)
    assert.equal(
      readZenmlReply(
        runnableReply,
        { id: SNAPSHOT_ID, name: null, body: { runnable: true, is_dynamic: false, pipeline_id: null }, metadata: null },
        'x'
      ).body?.runnable,
      true
    )
  })
})
