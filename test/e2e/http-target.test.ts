/**
 * The http target through the bundled action, against the reference FastAPI receiver
 * (examples/trigger-api/app.py) run for real from .venv: it checks the key in constant time,
 * the HMAC and its timestamp, dedupes by Idempotency-Key, and runs the tutorial pipeline with ZenML.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { startUvicorn } from '../helpers/python-server.js'
import { ROOT, runAction } from '../helpers/run-action.js'

const KEY = 'trigger-api-key-0123456789'
const SECRET = 'hmac-signing-secret-abcdef'
const workspace = mkdtempSync(join(tmpdir(), 'pt-http-'))
type Receiver = Awaited<ReturnType<typeof startUvicorn>>

function receiverEnv(asynchronous: boolean): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'pt-receiver-'))
  return {
    TRIGGER_API_KEY: KEY,
    TRIGGER_SIGNING_SECRET: SECRET,
    ...(asynchronous ? { TRIGGER_API_ASYNC: '1' } : {}),
    ZENML_CONFIG_PATH: join(home, 'config'),
    ZENML_LOCAL_STORES_PATH: join(home, 'stores'),
    ZENML_ANALYTICS_OPT_IN: 'false'
  }
}

async function runs(receiver: Receiver): Promise<{ run_id: string; status: string; idempotency_key: string }[]> {
  return ((await (await fetch(`${receiver.url}/runs`, { headers: { 'x-api-key': KEY } })).json()) as { runs: never[] })
    .runs
}

function dispatch(url: string, inputs: Record<string, string> = {}, runId = '9100') {
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = { data_url: 's3://bucket/x.csv', model_type: 'random_forest' }
  return runAction({
    eventName: 'workflow_dispatch',
    payload,
    workspace,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    runId,
    timeoutMs: 300_000,
    inputs: { pipeline: 'training_pipeline', 'http-url': url, 'api-key': KEY, 'signing-secret': SECRET, ...inputs }
  })
}

describe('http target against the reference FastAPI receiver', () => {
  let sync: Receiver
  let accepted: Receiver
  before(async () => {
    ;[sync, accepted] = await Promise.all([
      startUvicorn('app:app', join(ROOT, 'examples/trigger-api'), receiverEnv(false)),
      startUvicorn('app:app', join(ROOT, 'examples/trigger-api'), receiverEnv(true))
    ])
  })
  after(async () => {
    await Promise.all([sync?.stop(), accepted?.stop()])
  })

  test('a good key and signature: the pipeline runs and its run id comes back', async () => {
    const result = await dispatch(`${sync.url}/trigger`)
    assert.equal(result.exitCode, 0, result.stdout + sync.log())
    const [only] = await runs(sync)
    assert.equal(only!.status, 'completed')
    assert.equal(result.outputs['run-id'], only!.run_id)
    assert.equal(result.outputs.status, 'completed')
    assert.ok(
      !result.stdout.replace(/::add-mask::.*/g, '').includes(KEY) &&
        !result.stdout.replace(/::add-mask::.*/g, '').includes(SECRET)
    )
  })

  test('a wrong key: the receiver says 401 and the message says what to fix', async () => {
    const result = await dispatch(`${sync.url}/trigger`, { 'api-key': 'wrong-key' }, '9101')
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/trigger: \{"detail":"invalid or missing X-API-Key"\}\. Fix: the API key is wrong or missing/
    )
  })

  test('the receiver verifies the HMAC: a wrong signing secret is refused', async () => {
    const result = await dispatch(`${sync.url}/trigger`, { 'signing-secret': 'not-the-secret' }, '9102')
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /HTTP 401 .*bad signature/)
  })

  test('an answer lost as 503 is retried with the same Idempotency-Key: exactly one run', async () => {
    // Like a load balancer that drops the first answer: the request reaches the receiver, the caller gets 503.
    const keys: string[] = []
    const contexts: string[] = []
    let first = true
    const proxy: Server = createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        keys.push(String(req.headers['idempotency-key']))
        contexts.push(String(req.headers['x-pipeline-context']))
        const target = new URL(req.url!, sync.url)
        const forward = httpRequest(
          target,
          { method: req.method, headers: { ...req.headers, host: target.host } },
          (answer) => {
            const body: Buffer[] = []
            answer.on('data', (c: Buffer) => body.push(c))
            answer.on('end', () => {
              if (first) {
                first = false
                res.writeHead(503).end('upstream timeout')
              } else res.writeHead(answer.statusCode!, answer.headers).end(Buffer.concat(body))
            })
          }
        )
        forward.end(Buffer.concat(chunks))
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const before = (await runs(sync)).length
    const result = await dispatch(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}/trigger`, {}, '9103')
    proxy.close()
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(keys.length, 2)
    assert.equal(keys[0], keys[1])
    assert.equal((await runs(sync)).length, before + 1, 'one run on the receiver')
    assert.match(
      result.stdout,
      /Starting #0 training_pipeline \(the same Idempotency-Key, so at most one run\): HTTP 503 from .*; trying again in /
    )
    // The chain context travels as a header, for a receiver that triggers further pipelines.
    assert.deepEqual(JSON.parse(contexts[0]!), {
      root: 'https://github.com/octo-org/ml-repo/actions/runs/9103',
      depth: 1,
      chain: ['training_pipeline']
    })
  })

  test('202 Accepted: the status URL is polled until the run completes', async () => {
    const result = await dispatch(`${accepted.url}/trigger`, {}, '9104')
    assert.equal(result.exitCode, 0, result.stdout + accepted.log())
    assert.equal(result.outputs.status, 'completed')
    assert.match(result.stdout, /#0 training_pipeline: running\n/)
    assert.equal((await runs(accepted))[0]!.status, 'completed')
  })
})

describe('http target refusals', () => {
  test('http:// to a host that is not loopback is refused before anything is sent', async () => {
    const result = await dispatch('http://trigger.example.com/trigger')
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /::error::http-url: "http:\/\/trigger\.example\.com\/trigger" must use https/)
  })

  test('a redirect to another host is not followed', async () => {
    const other = createServer((_req, res) => res.writeHead(200).end('{}'))
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
    const port = (other.address() as AddressInfo).port
    const redirecting = createServer((_req, res) =>
      res.writeHead(307, { location: `http://localhost:${port}/trigger` }).end()
    )
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve))
    const result = await dispatch(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/trigger`)
    redirecting.close()
    other.close()
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /redirected to http:\/\/localhost:\d+, another origin; the action follows redirects only within http:\/\/127\.0\.0\.1:\d+, so keys never leave it/
    )
  })

  test('a Location or status URL that is not a URL fails naming it, without a crash', async () => {
    // Before: TypeError: Invalid URL, reported as a bug.
    for (const [headers, body, said] of [
      [
        { location: 'http://[' },
        '{}',
        /answered with a Location header "http:\/\/\[", which is not a URL\. Fix: make the receiver return an absolute or path-relative URL there/
      ],
      [{}, '{"status_url": "http://["}', /answered with a status URL \(status_url\) "http:\/\/\[", which is not a URL/],
      [{ location: 'http://[' }, '', /answered with a redirect \(HTTP 307\) to "http:\/\/\[", which is not a URL/]
    ] as const) {
      const status = body === '' ? 307 : 202
      const broken = createServer((_req, res) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body)
      )
      await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve))
      const result = await dispatch(`http://127.0.0.1:${(broken.address() as AddressInfo).port}/trigger`)
      broken.close()
      assert.equal(result.exitCode, 1)
      assert.match(result.stdout, said)
      assert.doesNotMatch(result.stdout + result.stderr, /TypeError|Invalid URL|bug/)
    }
  })
})
