/**
 * The reference Lambda handler (examples/trigger-api/lambda_handler.py) behind a stand-in for
 * API Gateway (test/fixtures/apigateway_local.py), which builds the REST proxy event and calls the
 * handler exactly as API Gateway would. Only ZenML Pro, which the handler calls to start and read
 * runs, is replaced there, because it cannot run here.
 */
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { freePort } from '../helpers/python-server.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'

const KEY = 'lambda-api-key-0123456789'
const SECRET = 'lambda-signing-secret'
const record = join(mkdtempSync(join(tmpdir(), 'pt-lambda-')), 'starts.jsonl')
const started = () =>
  existsSync(record)
    ? readFileSync(record, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { parameters: object; idempotency_key: string })
    : []

describe('http target against the reference Lambda handler', () => {
  let gateway: ChildProcess
  let url: string
  before(async () => {
    const port = await freePort()
    url = `http://127.0.0.1:${port}/trigger`
    gateway = spawn(
      VENV_PYTHON,
      [join(ROOT, 'test/fixtures/apigateway_local.py'), String(port), record, join(ROOT, 'examples/trigger-api')],
      {
        env: { PATH: process.env.PATH, TRIGGER_API_KEY: KEY, TRIGGER_SIGNING_SECRET: SECRET },
        stdio: ['ignore', 'pipe', 'inherit']
      }
    )
    await new Promise<void>((resolve, reject) => {
      gateway.stdout!.once('data', () => resolve())
      gateway.once('exit', (code) => reject(new Error(`the gateway exited with ${code}`)))
    })
  })
  after(() => gateway?.kill())

  const dispatch = (inputs: Record<string, string> = {}, runId = '9200') => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: 's3://bucket/lambda.csv' }
    return runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: tmpdir(),
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      runId,
      inputs: { pipeline: 'training_pipeline', 'http-url': url, 'api-key': KEY, 'signing-secret': SECRET, ...inputs }
    })
  }

  test('202 with a status URL, polled to completed; the run id comes back', async () => {
    const result = await dispatch()
    assert.equal(result.exitCode, 0, result.stdout)
    const starts = started()
    assert.equal(starts.length, 1)
    assert.deepEqual(starts[0]!.parameters, { data_url: 's3://bucket/lambda.csv' })
    assert.equal(result.outputs.status, 'completed')
    assert.match(result.outputs['run-id']!, /^[0-9a-f-]{36}$/)
  })

  test('the same request again (same Idempotency-Key) starts nothing new', async () => {
    const result = await dispatch()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(started().length, 1)
  })

  test('a wrong signature is refused by the handler', async () => {
    const result = await dispatch({ 'signing-secret': 'wrong' }, '9201')
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /HTTP 401 from .*bad signature/)
  })
})
