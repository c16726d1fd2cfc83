/** Secrets leave every text quoted from a server, in every encoding a server might echo them in. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { preview, redact } from '../../src/errors.js'

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
