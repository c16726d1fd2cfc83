import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { followRun } from '../../src/zenml/follow-run.js'
import { isFinished, type ZenmlRun } from '../../src/zenml/run-status.js'
import { checkServerUrl } from '../../src/zenml/zenml-client.js'
import { ZenmlError, serverMessage, zenmlError } from '../../src/zenml/zenml-errors.js'

describe('ZenML errors', () => {
  test('every body shape ZenML uses becomes one line', () => {
    assert.equal(serverMessage({ detail: ['CredentialsNotValid', 'Authentication error: bad key'] }), 'CredentialsNotValid: Authentication error: bad key')
    assert.equal(serverMessage({ detail: 'Not authenticated' }), 'Not authenticated')
    assert.equal(serverMessage(['ValueError', 'line one\nline two']), 'ValueError: line one')
    assert.equal(serverMessage({ detail: [{ loc: ['query', 'size'], msg: 'too big' }] }), 'too big')
  })
  test('each status says what to do', () => {
    assert.match(zenmlError(403, { detail: ['IllegalOperationError', 'not allowed: create pipeline_run'] }, 'triggering').message, /HTTP 403 while triggering: IllegalOperationError: not allowed: create pipeline_run\. Fix: the service account lacks a permission/)
    assert.match(zenmlError(405, { detail: 'Method Not Allowed' }, 'x').message, /ZenML Pro or a workload manager is needed; use the command target/)
    assert.match(zenmlError(502, 'Bad Gateway', 'x').message, /the server failed/)
  })
})

describe('checkServerUrl', () => {
  test('https anywhere, http only on loopback', () => {
    assert.equal(checkServerUrl('https://zenml.example.com/'), 'https://zenml.example.com')
    assert.equal(checkServerUrl('http://127.0.0.1:8237'), 'http://127.0.0.1:8237')
    assert.throws(() => checkServerUrl('http://zenml.example.com'), /Input zenml-url: "http:\/\/zenml\.example\.com" must use https \(http is allowed only on loopback/)
    assert.throws(() => checkServerUrl('zenml.example.com'), /is not a URL/)
  })
})

describe('followRun', () => {
  const runs = (statuses: (string | [string, boolean])[]) => {
    let i = 0
    return {
      getRun: async (): Promise<ZenmlRun> => {
        const entry = statuses[Math.min(i++, statuses.length - 1)]!
        const [status, inProgress] = typeof entry === 'string' ? [entry, undefined] : entry
        return { id: 'r', name: 'run', status, ...(inProgress !== undefined ? { inProgress } : {}) }
      }
    }
  }
  const clock = () => {
    let t = 0
    return { now: () => t, sleep: async (ms: number) => void (t += ms) }
  }

  test('polls with backoff until a final status; unknown statuses keep it waiting', async () => {
    const time = clock()
    const run = await followRun(runs(['initializing', 'provisioning', 'some_future_status', 'running', 'completed']), 'r', { timeoutMs: 60_000, log: () => {}, ...time })
    assert.equal(run.status, 'completed')
    assert.equal(run.timedOut, false)
    assert.equal(time.now(), 1_000 + 2_000 + 4_000 + 8_000)
  })
  test('in_progress wins over the status name', async () => {
    const run = await followRun(runs([['completed', true], ['completed', false]]), 'r', { timeoutMs: 60_000, log: () => {}, ...clock() })
    assert.equal(run.timedOut, false)
    assert.equal(isFinished({ id: 'r', name: '', status: 'failed', inProgress: true }), false)
  })
  test('a transient error while polling is retried; a lasting one ends the wait with the error', async () => {
    let calls = 0
    const flaky = {
      getRun: async (): Promise<ZenmlRun> => {
        calls++
        if (calls === 2) throw new ZenmlError('ZenML server: HTTP 502 while reading run r', 502)
        return { id: 'r', name: 'run', status: calls < 3 ? 'running' : 'completed' }
      }
    }
    const run = await followRun(flaky, 'r', { timeoutMs: 60_000, log: () => {}, ...clock() })
    assert.equal(run.status, 'completed')
    const broken = { getRun: async (): Promise<ZenmlRun> => Promise.reject(new ZenmlError('ZenML server: HTTP 404 while reading run r', 404)) }
    await assert.rejects(followRun(broken, 'r', { timeoutMs: 60_000, log: () => {}, ...clock() }), /HTTP 404/)
  })

  test('the timeout ends the wait with the last status', async () => {
    const run = await followRun(runs(['running']), 'r', { timeoutMs: 10_000, log: () => {}, ...clock() })
    assert.deepEqual([run.status, run.timedOut], ['running', true])
  })
})
