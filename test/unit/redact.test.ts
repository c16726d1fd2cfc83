/** Secrets leave every text quoted from a server, in every encoding a server might echo them in. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { z } from 'zod'
import { realClock } from '../../src/clock.js'
import { preview, redact } from '../../src/errors.js'
import { GitHubClient } from '../../src/github/client.js'
import { ZenmlClient } from '../../src/zenml/zenml-client.js'
import { listen } from '../helpers/loopback-server.js'

describe('redact', () => {
  const secret = 'sk_live/Key+with=odd&chars?é'
  test('plain, JSON-escaped, URL-encoded, base64, base64url and hex echoes are all gone', () => {
    const bytes = Buffer.from(secret, 'utf8')
    const echoes = [
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase()
    ]
    for (const echo of echoes) assert.equal(redact(`bad key: ${echo}!`, [secret]), 'bad key: ***!', echo)
  })
  test('a reply cut short mid-secret loses the start of the secret it ends with, in every encoding, before closing quotes or dots', () => {
    const token = 'dapi0123456789abcdef0123456789abcdef'
    const base64 = Buffer.from(token).toString('base64')
    for (const [text, expected] of [
      [`{"message":"bad token ${token.slice(0, 20)}`, '{"message":"bad token ***'],
      [`bad token ${token.slice(0, 12)}..."}`, 'bad token ***..."}'],
      [`header was ${base64.slice(0, 30)}`, 'header was ***'],
      [`bad token ${token} and ${token.slice(0, 9)}`, 'bad token *** and ***'],
      // Fewer than 8 characters, or not the end of the text: too little to be taken for the secret.
      [`prefix dapi012`, 'prefix dapi012'],
      [`${token.slice(0, 20)} is not at the end`, `${token.slice(0, 20)} is not at the end`]
    ] as [string, string][])
      assert.equal(redact(text, [token]), expected, text)
  })
  test('property: no encoding of any secret survives in any surrounding text', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 4, maxLength: 40 }), fc.string(), fc.string(), (key, before, after) => {
        const bytes = Buffer.from(key, 'utf8')
        for (const echo of [key, encodeURIComponent(key), bytes.toString('base64'), bytes.toString('hex')]) {
          const out = redact(`${before}${echo}${after}`, [key])
          assert.ok(!out.includes(echo), `${JSON.stringify(echo)} in ${JSON.stringify(out)}`)
        }
      }),
      { numRuns: 1000 }
    )
  })
})

describe('preview', () => {
  test('a huge value is cut to a readable length and says how long it was', () => {
    const huge = 'k'.repeat(2 * 1024 * 1024)
    const text = preview(huge)
    assert.ok(text.length < 120, text)
    assert.match(text, /… \(2097154 characters\)$/)
  })
})

describe('secrets in replies the clients quote', () => {
  const forms = (secret: string) => {
    const bytes = Buffer.from(secret, 'utf8')
    return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), bytes.toString('base64')]
  }
  const leaks = (message: string, secret: string) => forms(secret).filter((form) => message.includes(form))
  const failure = async (call: () => Promise<unknown>): Promise<string> => {
    try {
      await call()
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('expected a failure')
  }

  test('a reply of the wrong shape is quoted without the key (ZenML login answered 200 with an echo)', async () => {
    const key = 'ZENKEY_abc+def/ghi=='
    const server = await listen((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.end(`echo password=${encodeURIComponent(key)} and ${key}`)
    })
    try {
      const message = await failure(() => new ZenmlClient(server.url, key).login(AbortSignal.timeout(5000)))
      assert.match(message, /not what it should be/)
      assert.deepEqual(leaks(message, key), [], message)
    } finally {
      server.close()
    }
  })

  test("a refusal quotes the server's raw text without the key, even JSON-escaped inside a string", async () => {
    const key = 'key"with\\quote-and-more'
    const server = await listen((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      // The key as is, and JSON-escaped inside the string (escaped twice in the reply's text).
      res.end(JSON.stringify({ detail: `you sent ${key}; as JSON: ${JSON.stringify(key).slice(1, -1)}` }))
    })
    try {
      const message = await failure(() => new ZenmlClient(server.url, key).login(AbortSignal.timeout(5000)))
      assert.match(message, /HTTP 401/)
      assert.deepEqual(leaks(message, key), [], message)
      assert.match(message, /you sent \*\*\*; as JSON: \*\*\*/)
    } finally {
      server.close()
    }
  })

  test('a GitHub reply of the wrong shape is quoted without the token', () => {
    const token = 'ghs_0123456789abcdefTOKENforTests'
    const client = new GitHubClient({
      token,
      apiUrl: 'http://127.0.0.1:9',
      deadline: { signal: new AbortController().signal, expired: false, remaining: () => 1000 } as never,
      clock: realClock,
      log: () => {}
    })
    const message = (() => {
      try {
        client.read(z.object({ id: z.number() }), `proxy saw token ${token}`, 'reading run 1')
      } catch (error) {
        return (error as Error).message
      }
      throw new Error('expected a failure')
    })()
    assert.match(message, /reading run 1/)
    assert.deepEqual(leaks(message, token), [], message)
  })
})
