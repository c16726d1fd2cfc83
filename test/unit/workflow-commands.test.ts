/**
 * The runner's workflow commands in the formats GitHub documents: the `::name::message` lines on
 * stdout, the GITHUB_OUTPUT blocks, and the job summary file, byte for byte as the runner reads them.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { writeSummary } from '../../src/report/write-summary.js'
import * as core from '../../src/runner/commands.js'
import { commandLine, keyValueBlock } from '../../src/runner/workflow-commands.js'

/** What `body` writes to stdout as text; the test runner's own reports (bytes, written meanwhile) go through. */
async function stdoutOf(body: () => unknown): Promise<string> {
  const write = process.stdout.write
  let out = ''
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    if (typeof chunk !== 'string') return write.call(process.stdout, chunk, ...rest)
    out += chunk
    return true
  }) as typeof process.stdout.write
  try {
    await body()
  } finally {
    process.stdout.write = write
  }
  return out
}

const saved = { ...process.env }
afterEach(() => {
  for (const name of ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY']) {
    if (saved[name] === undefined) delete process.env[name]
    else process.env[name] = saved[name]
  }
})

describe('workflow command lines', () => {
  test('the message is percent-encoded where the runner decodes it: %, CR and LF, nothing else', () => {
    assert.equal(commandLine('error', {}, 'a%b\r\nc: d, e'), '::error::a%25b%0D%0Ac: d, e')
    assert.equal(commandLine('warning', {}, undefined), '::warning::')
    assert.equal(commandLine('notice', {}, { n: 1 }), '::notice::{"n":1}')
  })

  test('a property value also encodes : and ,; properties without a value are left out', () => {
    assert.equal(commandLine('set-output', { name: 'a:b,c' }, 'v'), '::set-output name=a%3Ab%2Cc::v')
    assert.equal(commandLine('error', { title: '' }, 'm'), '::error::m')
  })

  test('error, warning, notice and add-mask write one line each; setFailed also sets exit code 1', async () => {
    const before = process.exitCode
    try {
      const out = await stdoutOf(() => {
        core.error('broken\nline')
        core.warning('w')
        core.notice('n')
        core.setSecret('s3cret%')
        core.info('plain: text')
        core.setFailed('failed')
      })
      assert.equal(
        out,
        '::error::broken%0Aline\n::warning::w\n::notice::n\n::add-mask::s3cret%25\nplain: text\n::error::failed\n'
      )
      assert.equal(process.exitCode, 1)
    } finally {
      process.exitCode = before
    }
  })
})

describe('outputs', () => {
  test('a GITHUB_OUTPUT block: name<<delimiter, the value, the delimiter; the delimiter random each time', () => {
    const block = keyValueBlock('runs', '[1]\n2')
    const match = /^runs<<(ghadelimiter_[0-9a-f-]{36})\n\[1\]\n2\n\1$/.exec(block)
    assert.ok(match, block)
    assert.notEqual(keyValueBlock('runs', '').split('\n')[0], block.split('\n')[0])
    assert.match(keyValueBlock('n', 3), /^n<<(\S+)\n3\n\1$/)
  })

  test('setOutput appends to the GITHUB_OUTPUT file, and refuses a file the runner did not make', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-commands-'))
    const file = join(dir, 'output')
    writeFileSync(file, '')
    process.env.GITHUB_OUTPUT = file
    core.setOutput('a', 'one\ntwo')
    core.setOutput('b', ['x'])
    assert.match(readFileSync(file, 'utf8'), /^a<<(\S+)\none\ntwo\n\1\nb<<(\S+)\n\["x"\]\n\2\n$/)
    process.env.GITHUB_OUTPUT = join(dir, 'missing')
    assert.throws(() => core.setOutput('a', 'v'), /GITHUB_OUTPUT names .*missing, which does not exist/)
  })

  test('without GITHUB_OUTPUT, the set-output command', async () => {
    delete process.env.GITHUB_OUTPUT
    assert.equal(await stdoutOf(() => core.setOutput('a,b', 'v\n')), '\n::set-output name=a%2Cb::v%0A\n')
  })
})

describe('job summary', () => {
  test('appended to the file GITHUB_STEP_SUMMARY names', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pt-summary-')), 'summary')
    writeFileSync(file, '# before\n')
    process.env.GITHUB_STEP_SUMMARY = file
    assert.equal(await stdoutOf(() => writeSummary('## one\n')), '')
    await writeSummary('## two\n')
    assert.equal(readFileSync(file, 'utf8'), '# before\n## one\n## two\n')
  })

  test('no GITHUB_STEP_SUMMARY, or a file the runner did not make: a warning, and no file is made', async () => {
    delete process.env.GITHUB_STEP_SUMMARY
    assert.match(
      await stdoutOf(() => writeSummary('x')),
      /^::warning::The job summary could not be written \(.*GITHUB_STEP_SUMMARY.*\); the outputs and the log have the results\.\n$/
    )
    const missing = join(mkdtempSync(join(tmpdir(), 'pt-summary-')), 'missing')
    process.env.GITHUB_STEP_SUMMARY = missing
    assert.match(await stdoutOf(() => writeSummary('x')), /^::warning::The job summary could not be written/)
    assert.equal(existsSync(missing), false)
  })
})
