/**
 * A broken event file (GITHUB_EVENT_PATH) through the bundle: empty, truncated, UTF-16, `null`,
 * a list, or missing. Each gives one clear error naming the file, never a stack trace, and
 * nothing is triggered.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { runAction } from '../helpers/run-action.js'

const workspace = mkdtempSync(join(tmpdir(), 'pt-event-file-'))
const inputs = { pipeline: 'p', command: 'true' }

describe('an unreadable event file', () => {
  const cases: [string, Buffer | string, RegExp][] = [
    [
      'empty',
      '',
      /The event file \S+event\.json is empty\. It must hold the event JSON exactly as GitHub delivered it \(UTF-8\)\./
    ],
    [
      'truncated',
      '{"inputs": {"data_url": "s3://b',
      /The event file \S+event\.json is not valid JSON \(.*; 31 bytes\)/
    ],
    [
      'UTF-16',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"inputs": {}}', 'utf16le')]),
      /The event file \S+event\.json is UTF-16 \(30 bytes\)/
    ],
    ['null', 'null', /The event file \S+event\.json holds null, not a JSON object/],
    ['a list', '[1, 2]', /The event file \S+event\.json holds \[1,2\], not a JSON object/]
  ]
  for (const [name, bytes, message] of cases) {
    test(`${name}: one error that names the file, no stack trace`, async () => {
      const result = await runAction({
        eventName: 'workflow_dispatch',
        payload: {},
        rawEvent: bytes,
        workspace,
        inputs
      })
      assert.equal(result.exitCode, 1)
      const errors = result.commands.filter((c) => c.startsWith('::error::'))
      assert.equal(errors.length, 1, result.stdout)
      assert.match(errors[0]!, message)
      assert.doesNotMatch(result.stdout + result.stderr, /\n\s+at |TypeError|SyntaxError: Unexpected|TRIGGER_ATTEMPT/)
    })
  }

  test('missing: the error names the path', async () => {
    const result = await runAction({ eventName: 'workflow_dispatch', payload: {}, rawEvent: null, workspace, inputs })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /::error::The event file GITHUB_EVENT_PATH="\S+event\.json" cannot be read \(ENOENT\)/)
  })
})
