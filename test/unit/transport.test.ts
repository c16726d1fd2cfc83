/** A request that got no answer is one sentence: the step, the host, the cause in words, what to check. */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { transportCause, transportMessage } from '../../src/http/transport.js'

/** The shape fetch rejects with: TypeError('fetch failed') whose cause carries the system error's code. */
const fetchFailed = (code: string | undefined, message = `${code} something`) =>
  new TypeError('fetch failed', { cause: Object.assign(new Error(message), code ? { code } : {}) })

test('each transport failure is named in words, with its code', () => {
  const cases: [Error, RegExp][] = [
    [fetchFailed('ECONNREFUSED'), /refused the connection .*\(ECONNREFUSED\)/],
    [fetchFailed('ECONNRESET'), /closed the connection before answering \(ECONNRESET\)/],
    [fetchFailed('UND_ERR_SOCKET'), /closed the connection before answering/],
    [fetchFailed('ENOTFOUND'), /could not be found: its name did not resolve \(DNS\) \(ENOTFOUND\)/],
    [fetchFailed('EAI_AGAIN'), /name did not resolve/],
    [fetchFailed('UND_ERR_CONNECT_TIMEOUT'), /did not accept a connection in time/],
    [fetchFailed('EHOSTUNREACH'), /unreachable from the runner/],
    [fetchFailed('CERT_HAS_EXPIRED'), /TLS certificate the runner does not trust \(CERT_HAS_EXPIRED\)/],
    [fetchFailed('DEPTH_ZERO_SELF_SIGNED_CERT'), /TLS certificate/],
    [fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID'), /TLS certificate/],
    [fetchFailed(undefined, 'bad port'), /port that fetch refuses to connect to/],
    [fetchFailed('EWHATEVER'), /gave no answer \(EWHATEVER\)/]
  ]
  for (const [error, words] of cases) assert.match(transportCause(error), words)
})

test('the sentence names the step, the host and what to check; never the bare words alone', () => {
  const message = transportMessage(
    'logging in to the ZenML server',
    'http://127.0.0.1:8237/api/v1/login',
    fetchFailed('ECONNREFUSED'),
    'that zenml-url is right'
  )
  assert.equal(
    message,
    'logging in to the ZenML server: 127.0.0.1:8237 refused the connection (nothing listens on that port) (ECONNREFUSED). Check that zenml-url is right.'
  )
})

test('property: whatever the error, the sentence starts with the step and names the host and the check', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }),
      fc.option(fc.string({ minLength: 1, maxLength: 30 }), { nil: undefined }),
      fc.string(),
      fc.integer({ min: 1, max: 65535 }),
      (what, code, text, port) => {
        const url = `https://example.test:${port}/x`
        const message = transportMessage(what, url, fetchFailed(code, text), 'the URL')
        // The host as the user wrote it in the URL (the default port 443 is not repeated).
        assert.ok(message.startsWith(`${what}: ${new URL(url).host} `), message)
        assert.ok(message.endsWith('. Check the URL.'), message)
        assert.ok(!/^fetch failed/.test(message))
      }
    )
  )
})
