/**
 * The http target's start and status, driven directly against scripted servers on 127.0.0.1:
 * the request it sends (key, Idempotency-Key, chain context, HMAC signature), what each reply
 * means, every status word, ETag and Retry-After, redirects (never to another origin), lost
 * answers, refusals with their fix, and the key and signing secret kept out of every message.
 * Time is a fake clock's, so the signature's timestamp and Retry-After dates are exact. And
 * status-url: checked when resolved, and how a later pass follows a run by its id alone.
 */
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { afterEach, before, describe, test } from 'node:test'
import { resolveHttp, type ResolvedHttp } from '../../src/targets/http/resolve.js'
import type { HttpInputs } from '../../src/targets/http/inputs.js'
import type { RunStatus } from '../../src/core/run-state.js'
import { UserError } from '../../src/errors.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { isTransient } from '../../src/retry.js'
import { HttpTarget, renderBody } from '../../src/targets/http/http-target.js'
import type { Target } from '../../src/targets/target.js'
import { USER_AGENT } from '../../src/user-agent.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

const KEY = 'sk/"live"+key=42'
const SIGNING_SECRET = 'hmac/"sign"+secret=7'
/** 2023-11-14T22:13:20Z on the fake clock. */
const NOW = 1_700_000_000_000

const clock = new FakeClock()
before(async () => {
  // The fake clock starts at 0; one sleep moves it to NOW.
  await clock.sleep(NOW)
  assert.equal(clock.now(), NOW)
})

const servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(script: (request: SeenRequest, index: number) => Answer) {
  const server = await scriptedServer(script)
  servers.push(server)
  return server
}

function config(url: string, overrides: Partial<ResolvedHttp> = {}): ResolvedHttp {
  return {
    type: 'http',
    name: 'trigger-api',
    maxParallel: 4,
    url: new URL(url),
    apiKey: KEY,
    apiKeyHeader: 'X-API-Key',
    signingSecret: SIGNING_SECRET,
    body: { pipeline_name: '{pipeline}', parameters: '{parameters}' },
    allowInsecureHttp: false,
    statusUrlField: 'status_url',
    metricsField: 'metrics',
    ...overrides
  }
}

const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({ target: 'trigger-api', parameters: { data_url: 's3://bucket/data.csv', epochs: 3 }, ...overrides })

const signal = () => AbortSignal.timeout(15_000)

/** A target whose start was accepted (202) with the status URL /runs/1, and its handle. */
async function accepted(poll: (request: SeenRequest, poll: number) => Answer, overrides: Partial<ResolvedHttp> = {}) {
  let polls = 0
  const server = await serve((req) =>
    req.method === 'POST'
      ? { status: 202, headers: { location: '/runs/1' }, body: { run_id: 'run-1' } }
      : poll(req, polls++)
  )
  const target = new HttpTarget(config(`${server.url}/trigger`, overrides), clock)
  const handle = await target.start(request(), signal())
  assert.equal(handle.settled, undefined, 'a 202 with a Location is followed')
  return { server, target, handle }
}

describe('http target: the start request', () => {
  test('one POST to the configured path: the key, the Idempotency-Key, the chain context as ASCII JSON and the HMAC over "<timestamp>.<body>"', async () => {
    const server = await serve(() => ({
      status: 200,
      body: { run_id: 'run-7', run_url: 'https://runs.example.com/7' }
    }))
    const target = new HttpTarget(config(`${server.url}/trigger`), clock)
    const chain = { root: 'https://github.com/o/r/actions/runs/1', depth: 2, chain: ['prépare_données', 'training'] }
    const handle = await target.start(request({ chain }), signal())

    assert.equal(server.requests.length, 1)
    const [sent] = server.requests
    assert.equal(sent!.method, 'POST')
    assert.equal(sent!.path, '/trigger')
    const headers = sent!.headers
    assert.equal(headers['content-type'], 'application/json')
    assert.equal(headers.accept, 'application/json')
    assert.equal(headers['user-agent'], USER_AGENT)
    assert.equal(headers['x-api-key'], KEY)
    assert.equal(headers.authorization, undefined, 'the key goes only in api-key-header')
    assert.equal(headers['idempotency-key'], 'pt-0123456789abcdef')
    assert.match(
      String(headers['x-request-id']),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    )
    const context = String(headers['x-pipeline-context'])
    assert.match(context, /^[\x20-\x7e]+$/, 'a header value in ASCII, non-ASCII names escaped')
    assert.deepEqual(JSON.parse(context), chain)
    assert.equal(headers['x-signature-timestamp'], String(NOW / 1000))
    const expected = createHmac('sha256', SIGNING_SECRET)
      .update(`${NOW / 1000}.${sent!.body}`)
      .digest('hex')
    assert.equal(headers['x-signature-256'], `sha256=${expected}`)
    assert.deepEqual(sent!.json, {
      pipeline_name: 'training_pipeline',
      parameters: { data_url: 's3://bucket/data.csv', epochs: 3 }
    })

    const done = { status: 'completed', runId: 'run-7', runUrl: 'https://runs.example.com/7' }
    assert.deepEqual(handle, { runId: 'run-7', runUrl: 'https://runs.example.com/7', settled: done })
    assert.deepEqual(await target.status(handle, signal()), done, 'a settled start needs no poll')
    assert.equal(server.requests.length, 1)
  })

  test('api-key-header Authorization sends a Bearer key; without a key or a secret, neither is sent', async () => {
    const server = await serve(() => ({ status: 200, body: {} }))
    await new HttpTarget(config(server.url, { apiKeyHeader: 'Authorization' }), clock).start(request(), signal())
    const bare = config(server.url)
    delete bare.apiKey
    delete bare.signingSecret
    await new HttpTarget(bare, clock).start(request(), signal())

    const [bearer, plain] = server.requests
    assert.equal(bearer!.headers.authorization, `Bearer ${KEY}`)
    assert.equal(bearer!.headers['x-api-key'], undefined)
    for (const name of ['authorization', 'x-api-key', 'x-signature-256', 'x-signature-timestamp'])
      assert.equal(plain!.headers[name], undefined, name)
    assert.equal(plain!.headers['idempotency-key'], 'pt-0123456789abcdef', 'the Idempotency-Key goes on every start')
  })

  test('the body template: placeholders in every string, "{parameters}" alone is the object, parameter values are never rendered', async () => {
    const template = {
      pipeline: '{pipeline}',
      run: 'run {run_name}',
      key: '{idempotency_key}',
      literal: '{{not a placeholder}}',
      nested: { list: ['{pipeline}', 3, true, null], params: '{parameters}' }
    }
    const parameters = { note: 'keeps {pipeline} and {{ as they are' }
    const server = await serve(() => ({ status: 200, body: {} }))
    await new HttpTarget(config(server.url, { body: template }), clock).start(request({ parameters }), signal())
    const expected = {
      pipeline: 'training_pipeline',
      run: 'run training_pipeline-gh-1-1-0',
      key: 'pt-0123456789abcdef',
      literal: '{not a placeholder}',
      nested: { list: ['training_pipeline', 3, true, null], params: parameters }
    }
    assert.deepEqual(server.requests[0]!.json, expected)
    assert.deepEqual(renderBody(template, request({ parameters })), expected)
    assert.throws(
      () => renderBody({ x: '{branch}' }, request()),
      (error: Error) =>
        error instanceof UserError &&
        /unknown placeholder \{branch\}/.test(error.message) &&
        /\{idempotency_key\} \{pipeline\} \{run_name\}/.test(error.message)
    )
  })

  test('the zenml-deployment preset: a Bearer key, no retry of a lost answer, success true completes with metadata.run_id, success false fails with its error', async () => {
    const server = await serve((req) =>
      (req.json as { parameters: { ok: boolean } }).parameters.ok
        ? { status: 200, body: { success: true, metadata: { run_id: 'd-1' }, outputs: {} } }
        : { status: 200, body: { success: false, error: 'step train raised ValueError', metadata: { run_id: 'd-2' } } }
    )
    const target = new HttpTarget(
      config(`${server.url}/invoke`, {
        preset: 'zenml-deployment',
        apiKeyHeader: 'Authorization',
        body: { parameters: '{parameters}', run_name: '{run_name}' }
      }),
      clock
    )
    assert.equal(target.dedupesStarts, false, 'a deployment ignores the Idempotency-Key')
    assert.equal(target.inRunner, false)
    assert.equal(target.cancelOnTimeout, false)

    const ok = await target.start(request({ parameters: { ok: true } }), signal())
    assert.deepEqual(ok.settled, { status: 'completed', runId: 'd-1' })
    const failed = await target.start(request({ parameters: { ok: false } }), signal())
    assert.deepEqual(failed.settled, {
      status: 'failed',
      runId: 'd-2',
      message: 'the deployment answered success: false: step train raised ValueError'
    })
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${KEY}`)
    assert.equal(server.requests[0]!.path, '/invoke')
    assert.deepEqual(server.requests[0]!.json, {
      parameters: { ok: true },
      run_name: 'training_pipeline-gh-1-1-0'
    })
  })

  test('a trigger API dedupes by Idempotency-Key, so its lost answers may be retried; it has no prepare, cancel or find', () => {
    const target: Target = new HttpTarget(config('https://api.example.com/trigger'), clock)
    assert.equal(target.dedupesStarts, true)
    assert.equal(target.name, 'trigger-api')
    assert.equal(target.maxParallel, 4)
    assert.equal(target.prepare, undefined)
    assert.equal(target.cancel, undefined)
    assert.equal(target.find, undefined)
  })
})

describe('http target: what the start reply means', () => {
  test('200 and 201 without a status are done; the run id falls back to id; a run URL that is not http(s) is dropped', async () => {
    const replies: Answer[] = [
      { status: 200 },
      { status: 201, body: { id: 42, run_url: 'javascript:alert(1)' } },
      { status: 200, body: { run_id: 'r-1', id: 'ignored', run_url: 'http://runs.example.com/r-1' } }
    ]
    const server = await serve((_, i) => replies[i]!)
    const target = new HttpTarget(config(server.url), clock)
    const settled = []
    for (let i = 0; i < replies.length; i++) settled.push((await target.start(request(), signal())).settled)
    assert.deepEqual(settled, [
      { status: 'completed' },
      { status: 'completed', runId: '42' },
      { status: 'completed', runId: 'r-1', runUrl: 'http://runs.example.com/r-1' }
    ])
  })

  test('a 200 whose status says it ended badly settles the run with that word', async () => {
    const words = ['failed', 'error', 'rejected', 'cancelled', 'stopped']
    const server = await serve((_, i) => ({ status: 200, body: { status: words[i], run_id: `r-${i}` } }))
    const target = new HttpTarget(config(server.url), clock)
    for (const [i, word] of words.entries()) {
      const { settled } = await target.start(request(), signal())
      assert.deepEqual(settled, {
        status: ['cancelled', 'stopped'].includes(word) ? 'cancelled' : 'failed',
        runId: `r-${i}`,
        message: `the trigger API answered status ${JSON.stringify(word)}`
      })
    }
  })

  test('202: the Location header wins, else the status URL field (a custom one too), read against the URL that answered', async () => {
    const replies: Answer[] = [
      { status: 202, headers: { location: '/runs/a?x=1' }, body: { status_url: '/ignored' } },
      { status: 202, body: { status_url: 'runs/b' } },
      { status: 202, body: { links: { self: `/runs/c` }, data: { id: 'c' }, web: 'https://ui.example.com/c' } },
      // A repeated Idempotency-Key: the first run is still going, so it is followed like a 202.
      { status: 200, headers: { location: '/runs/d' }, body: { status: 'running', run_id: 'd' } }
    ]
    const server = await serve((_, i) => replies[i]!)
    const base = `${server.url}/api/trigger`
    const plain = new HttpTarget(config(base), clock)
    const custom = new HttpTarget(
      config(base, { statusUrlField: 'links.self', runIdField: 'data.id', runUrlField: 'web' }),
      clock
    )
    const a = await plain.start(request(), signal())
    const b = await plain.start(request(), signal())
    const c = await custom.start(request(), signal())
    const d = await plain.start(request(), signal())
    assert.equal(a.statusUrl?.href, `${server.url}/runs/a?x=1`)
    assert.equal(b.statusUrl?.href, `${server.url}/api/runs/b`)
    assert.deepEqual(c, { runId: 'c', runUrl: 'https://ui.example.com/c', statusUrl: new URL(`${server.url}/runs/c`) })
    assert.deepEqual(d, { runId: 'd', statusUrl: new URL(`${server.url}/runs/d`) })
  })

  test('202 without a status URL: the run counts as started, with a message that it cannot be followed', async () => {
    const server = await serve(() => ({ status: 202, body: { run_id: 'r-9' } }))
    const handle = await new HttpTarget(config(server.url), clock).start(request(), signal())
    assert.deepEqual(handle.settled, {
      status: 'running',
      runId: 'r-9',
      message:
        'accepted (HTTP 202) without a status URL (Location header or status_url), so the action cannot follow it'
    })
  })

  test('a Location or status URL that is not a URL fails, naming it', async () => {
    const server = await serve(() => ({ status: 202, body: { status_url: 'http://[not-a-host' } }))
    const error = await rejection(new HttpTarget(config(server.url), clock).start(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /answered with a status URL \(status_url\) "http:\/\/\[not-a-host", which is not a URL\. Fix: make the receiver return an absolute or path-relative URL there/
    )
  })
})

describe('http target: status', () => {
  const WORDS: [string, RunStatus][] = [
    ['completed', 'completed'],
    ['succeeded', 'completed'],
    ['success', 'completed'],
    ['successful', 'completed'],
    ['done', 'completed'],
    ['cached', 'completed'],
    ['skipped', 'completed'],
    ['failed', 'failed'],
    ['failure', 'failed'],
    ['error', 'failed'],
    ['errored', 'failed'],
    ['rejected', 'failed'],
    ['cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['stopped', 'cancelled'],
    ['  SUCCEEDED ', 'completed'],
    ['Failed', 'failed'],
    ['queued', 'running'],
    ['pending', 'running'],
    ['running', 'running'],
    ['in_progress', 'running'],
    ['something-new', 'running'],
    ['__proto__', 'running'],
    ['toString', 'running']
  ]

  test('every status word in our vocabulary: its detail kept, and a message for a failed or cancelled run', async () => {
    const { server, target, handle } = await accepted((_, i) => ({
      status: 200,
      body: { status: WORDS[i]![0], error: 'disk full' }
    }))
    for (const [word, status] of WORDS) {
      const state = await target.status(handle, signal())
      const bad = status === 'failed' || status === 'cancelled'
      assert.deepEqual(
        state,
        {
          status,
          runId: 'run-1',
          detail: word,
          ...(bad ? { message: `the trigger API reports ${word}: disk full` } : {})
        },
        word
      )
    }
    const polls = server.requests.filter((r) => r.method === 'GET')
    assert.equal(polls.length, WORDS.length)
    assert.ok(polls.every((r) => r.path === '/runs/1' && r.headers['x-api-key'] === KEY && r.body === ''))
  })

  test('a poll answered 202 is still running; ids in a later reply are kept', async () => {
    const { target, handle } = await accepted((_, i) =>
      i === 0 ? { status: 202 } : { status: 200, body: { status: 'succeeded', run_url: 'https://ui.example.com/1' } }
    )
    assert.deepEqual(await target.status(handle, signal()), { status: 'running', runId: 'run-1' })
    assert.deepEqual(await target.status(handle, signal()), {
      status: 'completed',
      runId: 'run-1',
      runUrl: 'https://ui.example.com/1',
      detail: 'succeeded'
    })
  })

  test('an ETag is sent back as If-None-Match, and a 304 repeats the state it described', async () => {
    const { server, target, handle } = await accepted((_, i) =>
      i === 0 ? { status: 200, headers: { etag: '"v1"' }, body: { status: 'queued' } } : { status: 304 }
    )
    const first = await target.status(handle, signal())
    assert.deepEqual(first, { status: 'running', runId: 'run-1', detail: 'queued' })
    assert.deepEqual(await target.status(handle, signal()), first)
    const polls = server.requests.filter((r) => r.method === 'GET')
    assert.equal(polls[0]!.headers['if-none-match'], undefined)
    assert.equal(polls[1]!.headers['if-none-match'], '"v1"')
  })

  test('Retry-After on a poll, in seconds or as a date, sets when to poll next', async () => {
    const at = new Date(NOW + 45_000).toUTCString()
    const { target, handle } = await accepted((_, i) => ({
      status: 200,
      headers: { 'retry-after': i === 0 ? '30' : at },
      body: { status: 'running' }
    }))
    assert.equal((await target.status(handle, signal())).pollAfterMs, 30_000)
    assert.equal((await target.status(handle, signal())).pollAfterMs, 45_000)
  })

  test('a status URL on another origin is refused before anything is sent there', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const server = await serve(() => ({ status: 202, headers: { location: `${elsewhere.url}/runs/1` } }))
    const target = new HttpTarget(config(`${server.url}/trigger`), clock)
    const handle = await target.start(request(), signal())
    const error = await rejection(target.status(handle, signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.ok(error.message.includes(`its status URL ${elsewhere.url}/runs/1 is on another origin than ${server.url}`))
    assert.match(error.message, /sends the API key only to the origin you configured/)
    assert.match(error.message, /or set wait: false\.$/)
    assert.equal(elsewhere.requests.length, 0, 'the key never went to the other origin')
  })
})

describe('http target: redirects', () => {
  test('307 and 308 within the origin repeat the POST with its body, key and signature', async () => {
    const server = await serve((req) => {
      if (req.path === '/trigger') return { status: 307, headers: { location: '/v2/trigger' } }
      if (req.path === '/v2/trigger') return { status: 308, headers: { location: `${server.url}/v3/trigger` } }
      return { status: 200, body: { run_id: 'r-3' } }
    })
    const handle = await new HttpTarget(config(`${server.url}/trigger`), clock).start(request(), signal())
    assert.deepEqual(handle.settled, { status: 'completed', runId: 'r-3' })
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      ['POST /trigger', 'POST /v2/trigger', 'POST /v3/trigger']
    )
    const [first, , last] = server.requests
    assert.equal(last!.body, first!.body)
    for (const name of ['x-api-key', 'idempotency-key', 'x-signature-256', 'x-signature-timestamp'])
      assert.equal(last!.headers[name], first!.headers[name], name)
  })

  for (const status of [301, 302, 303]) {
    test(`${status} after the POST: the receiver has acted, so its Location is read with a GET without a body`, async () => {
      const server = await serve((req) =>
        req.method === 'POST'
          ? { status, headers: { location: '/runs/5' } }
          : { status: 200, body: { status: 'running', run_id: 'r-5' } }
      )
      const handle = await new HttpTarget(config(`${server.url}/trigger`), clock).start(request(), signal())
      assert.deepEqual(
        server.requests.map((r) => `${r.method} ${r.path}`),
        ['POST /trigger', 'GET /runs/5']
      )
      assert.ok(server.requests[0]!.body.length > 0)
      assert.equal(server.requests[1]!.body, '', 'the GET carries no body')
      assert.equal(server.requests[1]!.headers['x-api-key'], KEY, 'the same origin gets the key')
      // The GET answered 200 "running" without a Location of its own: started, but not followable.
      assert.equal(handle.settled?.status, 'running')
      assert.equal(handle.runId, 'r-5')
    })
  }

  test('a redirect to another origin is refused, and the key never goes there, for the start and for a poll', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const server = await serve((req) =>
      req.method === 'POST'
        ? req.path === '/trigger'
          ? { status: 307, headers: { location: `${elsewhere.url}/trigger` } }
          : { status: 202, headers: { location: '/runs/1' } }
        : { status: 302, headers: { location: `${elsewhere.url}/runs/1` } }
    )
    const target = new HttpTarget(config(`${server.url}/trigger`), clock)
    const error = await rejection(target.start(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.equal(
      error.message,
      `${server.url}/trigger redirected to ${elsewhere.url}, another origin; the action follows redirects only within ${server.url}, so keys never leave it. Point the URL at the final address.`
    )

    const handle = await new HttpTarget(config(`${server.url}/accept`), clock).start(request(), signal())
    const polled = await rejection(target.status(handle, signal()))
    assert.match(polled.message, new RegExp(`${server.url}/runs/1 redirected to ${elsewhere.url}, another origin`))
    assert.equal(elsewhere.requests.length, 0)
  })

  test('more than three redirects is refused, naming the URL', async () => {
    const server = await serve((_, i) => ({ status: 307, headers: { location: `/hop/${i + 1}` } }))
    const error = await rejection(new HttpTarget(config(`${server.url}/trigger`), clock).start(request(), signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      `${server.url}/trigger redirected more than 3 times; point the URL at the final address.`
    )
    assert.equal(server.requests.length, 4)
  })
})

describe('http target: lost answers and refusals', () => {
  test('a connection reset during the start or a poll is a lost answer: transient, naming the host and what to check', async () => {
    const server = await serve(() => 'reset')
    const target = new HttpTarget(config(`${server.url}/trigger`), clock)
    const host = new URL(server.url).host
    const start = await rejection(target.start(request(), signal()))
    assert.ok(isTransient(start), start.message)
    assert.equal(
      start.message,
      `trigger-api: starting training_pipeline (POST): ${host} closed the connection before answering (ECONNRESET). Check that the URL is right and the receiver is reachable from the runner.`
    )
    const poll = await rejection(target.status({ statusUrl: new URL(`${server.url}/runs/1`) }, signal()))
    assert.ok(isTransient(poll))
    assert.match(poll.message, /^trigger-api: reading the run's status: .* closed the connection before answering/)
  })

  for (const status of [408, 425, 429, 500, 502, 503, 504]) {
    test(`HTTP ${status} is transient, with the server's Retry-After`, async () => {
      const server = await serve(() => ({ status, headers: { 'retry-after': '7' }, body: 'try later' }))
      const error = await rejection(new HttpTarget(config(`${server.url}/trigger`), clock).start(request(), signal()))
      assert.ok(isTransient(error))
      assert.equal((error as { retryAfterMs?: number }).retryAfterMs, 7000)
      assert.equal(error.message, `HTTP ${status} from ${server.url}/trigger: try later`)
    })
  }

  const REFUSALS: [number, RegExp][] = [
    [400, /Fix: the receiver rejected the body; check http-body and the parameters\.$/],
    [401, /Fix: the API key is wrong or missing; check api-key and api-key-header\.$/],
    [403, /Fix: the receiver refused this key or signature; check api-key and signing-secret\.$/],
    [404, /Fix: nothing at that URL; check http-url \(and the path, e\.g\. \/trigger\)\.$/],
    [405, /Fix: that URL does not take this method; check http-url\.$/],
    [413, /Fix: the body is too large for the receiver; send fewer parameters/],
    [422, /Fix: the receiver could not read the body; check http-body\.$/],
    [501, /Fix: the receiver failed; check its logs\.$/]
  ]
  for (const [status, fix] of REFUSALS) {
    test(`HTTP ${status} is final, quoting the receiver and naming the fix`, async () => {
      const server = await serve(() => ({ status, body: { detail: `refused with ${status}` } }))
      const target = new HttpTarget(config(`${server.url}/trigger`), clock)
      for (const call of [
        () => target.start(request(), signal()),
        () => target.status({ statusUrl: new URL(`${server.url}/runs/1`) }, signal())
      ]) {
        const error = await rejection(call())
        assert.ok(error instanceof UserError && !isTransient(error), error.message)
        assert.ok(error.message.startsWith(`HTTP ${status} from ${server.url}/`), error.message)
        assert.ok(error.message.includes(`{"detail":"refused with ${status}"}`), error.message)
        assert.match(error.message, fix)
      }
    })
  }

  test("a receiver's long, multi-line message is cut to one line", async () => {
    const server = await serve(() => ({ status: 400, body: `first line\nsecond line ${'x'.repeat(50)}` }))
    const error = await rejection(new HttpTarget(config(`${server.url}/t`), clock).start(request(), signal()))
    assert.ok(error.message.includes(': first line. Fix:'))
    assert.ok(!error.message.includes('second line'))
  })
})

describe('http target: secrets stay out of every message', () => {
  const leaks = (message: string) =>
    [...secretForms(KEY), ...secretForms(SIGNING_SECRET)].filter((form) => message.includes(form))

  test('the key and the signing secret echoed in every encoding are redacted from refusals, transient errors and run messages', async () => {
    const echo = `${echoing(KEY)} ${echoing(SIGNING_SECRET)}`
    const replies: Record<string, Answer> = {
      '/refused': { status: 401, body: { detail: echo } },
      '/busy': { status: 503, body: echo },
      '/runs/1': { status: 200, body: { status: 'error', error: echo } },
      '/deployment': { status: 200, body: { success: false, error: echo } }
    }
    const server = await serve((req) =>
      req.path === '/accept' ? { status: 202, headers: { location: '/runs/1' } } : replies[req.path]!
    )
    const target = (path: string, overrides: Partial<ResolvedHttp> = {}) =>
      new HttpTarget(config(`${server.url}${path}`, overrides), clock)

    const messages = [
      (await rejection(target('/refused').start(request(), signal()))).message,
      (await rejection(target('/busy').start(request(), signal()))).message,
      (await target('/deployment', { preset: 'zenml-deployment' }).start(request(), signal())).settled!.message!
    ]
    const polled = target('/accept')
    messages.push((await polled.status(await polled.start(request(), signal()), signal())).message!)

    for (const message of messages) {
      assert.deepEqual(leaks(message), [], message)
      assert.ok(message.includes('form0=***'), `the server's words are quoted, redacted: ${message}`)
    }
  })
  test('a key in a URL the server gave (status URL, another origin, not a URL) is redacted from the error', async () => {
    const inQuery = encodeURIComponent(KEY)
    const locations: Record<string, string> = {
      '/same-origin': `/status?key=${inQuery}`,
      '/other-origin': `https://elsewhere.example/status?key=${inQuery}`,
      '/not-a-url': `http://[${KEY}`
    }
    const server = await serve((req) =>
      req.method === 'POST' ? { status: 202, headers: { location: locations[req.path]! } } : { status: 404 }
    )
    for (const path of Object.keys(locations)) {
      const target = new HttpTarget(config(`${server.url}${path}`), clock)
      const error = await rejection((async () => target.status(await target.start(request(), signal()), signal()))())
      assert.deepEqual(leaks(error.message), [], `${path}: ${error.message}`)
      assert.ok(error.message.includes('***'), `${path}: the URL is still quoted, redacted: ${error.message}`)
    }
  })
})

describe('http target: metrics', () => {
  test('the metrics field of a synchronous answer, and of the last status reply; a value carrying the key loses it', async () => {
    const sync = await serve(() => ({ status: 200, body: { run_id: 'r', metrics: { accuracy: 0.93, note: KEY } } }))
    const target = new HttpTarget(config(`${sync.url}/trigger`), clock)
    const handle = await target.start(request(), signal())
    const reading = await target.metrics(handle)
    assert.equal(reading.metrics.accuracy, 0.93)
    assert.equal(reading.metrics.note, '***')

    const { target: polled, handle: followed } = await accepted(
      () => ({
        status: 200,
        body: { status: 'succeeded', results: { eval: { f1: 0.8, list: [1] } } }
      }),
      { metricsField: 'results' }
    )
    assert.equal((await polled.status(followed, signal())).status, 'completed')
    const read = await polled.metrics(followed)
    assert.deepEqual({ ...read.metrics }, { 'eval.f1': 0.8 })
    assert.match(read.ignored.join('\n'), /"eval.list": a list: only numbers and short strings are metrics/)
  })

  test('a reply without the field has no metrics and no note; a field that is not an object is said', async () => {
    const { target, handle } = await accepted(() => ({ status: 200, body: { status: 'succeeded', metrics: 7 } }))
    await target.status(handle, signal())
    const reading = await target.metrics(handle)
    assert.deepEqual({ ...reading.metrics }, {})
    assert.match(reading.ignored[0]!, /the field metrics of trigger-api's reply is a number, not an object/)
  })
})

describe('http target: status-url, a run asked about later by its id', () => {
  const inputs: HttpInputs = {
    url: '',
    apiKey: '',
    apiKeyHeader: 'X-API-Key',
    signingSecret: '',
    allowInsecureHttp: false,
    statusUrlField: 'status_url'
  }
  const resolve = (keys: Record<string, unknown>) =>
    resolveHttp('trigger-api', { type: 'http', url: 'https://api.example.com/trigger', ...keys } as never, {
      inputs,
      secrets: { env: {}, mask: () => {} },
      maxParallel: 4
    })
  const refused = (keys: Record<string, unknown>): string => {
    try {
      resolve(keys)
    } catch (error) {
      assert.ok(error instanceof UserError, String(error))
      return error.message
    }
    return assert.fail('expected the config to be refused')
  }

  test('resolved as written from the config key, the only place it is set; absent, nothing follows a run', () => {
    assert.equal(
      resolve({ 'status-url': 'https://api.example.com/runs/{run_id}?view={{full}}' }).statusUrl,
      'https://api.example.com/runs/{run_id}?view={{full}}'
    )
    assert.equal(
      resolve({ 'status-url': 'https://api.example.com/status?id={run_id}' }).statusUrl,
      'https://api.example.com/status?id={run_id}'
    )
    assert.equal(resolve({}).statusUrl, undefined)
    assert.equal(new HttpTarget(resolve({}), clock).follow, undefined, 'no follow: a later pass says it cannot')
    // Loopback may use http, as the trigger URL may.
    assert.equal(
      resolve({ url: 'http://127.0.0.1:8080/trigger', 'status-url': 'http://127.0.0.1:8080/runs/{run_id}' }).statusUrl,
      'http://127.0.0.1:8080/runs/{run_id}'
    )
  })

  test('refused when resolved, naming the target, the key and the fix: no {run_id}, another placeholder, {run_id} in the host, http, not a URL', () => {
    assert.match(
      refused({ 'status-url': 'https://api.example.com/runs/latest' }),
      /^Target trigger-api status-url: "https:\/\/api\.example\.com\/runs\/latest" has no \{run_id\}, so it cannot name a run\. Fix: put \{run_id\} where the run's id goes, e\.g\. https:\/\/api\.example\.com\/runs\/\{run_id\}\.$/
    )
    assert.match(
      refused({ 'status-url': 'https://api.example.com/runs/{{run_id}}' }),
      /has no \{run_id\}/,
      '{{run_id}} is a literal brace, not the placeholder'
    )
    assert.match(
      refused({ 'status-url': 'https://api.example.com/{pipeline}/{run_id}' }),
      /^Target trigger-api status-url: unknown placeholder \{pipeline\} in .*\. Available here: \{run_id\}\./
    )
    assert.match(
      refused({ 'status-url': 'https://{run_id}.runs.example.com/status' }),
      /^Target trigger-api status-url: .* puts \{run_id\} in the host; the run's id may choose the path or the query, never where the key goes\. Fix:/
    )
    assert.match(
      refused({ 'status-url': 'http://api.example.com/runs/{run_id}' }),
      /^Target trigger-api status-url: "http:\/\/api\.example\.com\/runs\/\{run_id\}" must use https/
    )
    assert.match(
      refused({ 'status-url': 'runs/{run_id}' }),
      /^Target trigger-api status-url: "runs\/\{run_id\}" is not a URL/
    )
    assert.match(
      refused({ 'status-url': 'https://user:pw@api.example.com/runs/{run_id}' }),
      /carries a user name or password/
    )
  })

  test("another origin than the trigger URL (host, port or scheme) is refused: the key goes only to the trigger URL's origin", () => {
    for (const other of [
      'https://status.example.com/runs/{run_id}',
      'https://api.example.com:8443/runs/{run_id}',
      'http://127.0.0.1/runs/{run_id}'
    ]) {
      assert.match(
        refused({ 'status-url': other }),
        /^Target trigger-api status-url: .* is on .*, another origin than the trigger URL \(https:\/\/api\.example\.com\)\. The action sends the key only to the trigger URL's origin, so it would not ask there\. Fix: serve the run's status on https:\/\/api\.example\.com, e\.g\. https:\/\/api\.example\.com\/runs\/\{run_id\}\.$/
      )
    }
  })

  test("follow(runId): the status URL from the template, the id URI-encoded; status and metrics from its reply, with the key; the check run's id alone is enough", async () => {
    const server = await serve((req) =>
      req.path.startsWith('/runs/')
        ? {
            status: 200,
            body: { status: 'succeeded', run_url: 'https://ui.example.com/r', metrics: { accuracy: 0.91 } }
          }
        : { status: 404, body: { detail: 'no such route' } }
    )
    const target = new HttpTarget(
      config(`${server.url}/trigger`, { statusUrl: `${server.url}/runs/{run_id}?full=1` }),
      clock
    )
    const handle = target.follow!('2026/11 run#1?x')
    assert.equal(handle.statusUrl?.href, `${server.url}/runs/2026%2F11%20run%231%3Fx?full=1`)
    const state = await target.status(handle, signal())
    assert.deepEqual(
      [state.status, state.runId, state.runUrl, state.detail],
      ['completed', '2026/11 run#1?x', 'https://ui.example.com/r', 'succeeded']
    )
    assert.equal((await target.metrics(handle)).metrics.accuracy, 0.91)
    assert.equal(server.requests.length, 1)
    assert.equal(server.requests[0]!.method, 'GET')
    assert.equal(server.requests[0]!.headers['x-api-key'], KEY, "the key, to the trigger URL's origin")
    // A dot segment would name another path than the run's.
    for (const id of ['.', '..'])
      assert.throws(() => target.follow!(id), /is not a run id status-url can name, so the run cannot be followed/)
  })

  test('a run the receiver does not know: 404 names status-url and the run, not http-url', async () => {
    const server = await serve(() => ({ status: 404, body: { detail: 'no such run' } }))
    const target = new HttpTarget(config(`${server.url}/trigger`, { statusUrl: `${server.url}/runs/{run_id}` }), clock)
    const error = await rejection(target.status(target.follow!('r-404'), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /^HTTP 404 from http:\/\/127\.0\.0\.1:\d+\/runs\/r-404: .*no such run.*\. Fix: nothing at that URL; check status-url \(http:\/\/127\.0\.0\.1:\d+\/runs\/\{run_id\}\) and that the receiver knows run r-404\.$/
    )
  })

  test('a 202 without a status URL but with a run id is followed through status-url; without a run id, said once for the target', async () => {
    const replies: Answer[] = [
      { status: 202, body: { run_id: 'r-1' } },
      { status: 202, headers: { location: '/elsewhere/r-2' }, body: { run_id: 'r-2' } },
      { status: 202, body: {} },
      { status: 202, headers: { location: '/runs/x' }, body: {} },
      { status: 200, body: {} }
    ]
    const server = await serve((_, i) => replies[i]!)
    const logs: string[] = []
    const target = new HttpTarget(
      config(`${server.url}/trigger`, { statusUrl: `${server.url}/runs/{run_id}` }),
      clock,
      (message) => logs.push(message)
    )
    assert.deepEqual(await target.start(request(), signal()), {
      runId: 'r-1',
      statusUrl: new URL(`${server.url}/runs/r-1`),
      fromTemplate: true
    })
    assert.equal(
      (await target.start(request(), signal())).statusUrl?.href,
      `${server.url}/elsewhere/r-2`,
      "the server's own status URL wins"
    )
    assert.match(
      (await target.start(request(), signal())).settled?.message ?? '',
      /without a status URL \(Location header or status_url\) or a run id for status-url, so the action cannot follow it/
    )
    await target.start(request(), signal())
    await target.start(request(), signal()) // done at once: nothing to follow later, nothing to say
    assert.deepEqual(logs, [
      "trigger-api: the trigger API accepted training_pipeline without a run id (run_id, then id in its reply), so status-url cannot name the run: a later pass (reconcile, a callback, a re-run of the job) cannot ask about it. Fix: make the reply carry the run's id, or set run-id-field."
    ])
  })
})
