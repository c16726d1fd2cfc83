/**
 * The release check the release workflow runs before it moves a tag: the tag is a version, it
 * matches package.json, CHANGELOG.md has its section, and the line tag is v0.MINOR before 1.0.
 * It runs the real script on copies of package.json and CHANGELOG.md in a temporary folder.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'

const ROOT = join(import.meta.dirname, '..', '..')
const version: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version

function check(tag: string, edit: { version?: string; changelog?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-release-'))
  mkdirSync(join(dir, 'scripts'))
  copyFileSync(join(ROOT, 'scripts', 'check-release.mjs'), join(dir, 'scripts', 'check-release.mjs'))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: edit.version ?? version }))
  writeFileSync(join(dir, 'CHANGELOG.md'), edit.changelog ?? readFileSync(join(ROOT, 'CHANGELOG.md'), 'utf8'))
  const result = spawnSync(process.execPath, [join(dir, 'scripts', 'check-release.mjs'), tag], { encoding: 'utf8' })
  return { status: result.status, stdout: result.stdout.trim(), stderr: result.stderr.trim() }
}

describe('release check', () => {
  test(`this tree can be released as v${version}: package.json and CHANGELOG.md agree`, () => {
    const result = check(`v${version}`)
    assert.equal(result.status, 0, result.stderr)
    assert.match(result.stdout, /^v\d+(\.\d+)?$/)
  })

  test('the line tag is v0.MINOR before 1.0 and vMAJOR after', () => {
    assert.equal(check('v0.3.2', { version: '0.3.2', changelog: '## [0.3.2] - 2027-01-01\n' }).stdout, 'v0.3')
    assert.equal(check('v2.0.1', { version: '2.0.1', changelog: '## [2.0.1]\n' }).stdout, 'v2')
  })

  test('a tag that is not a version, or disagrees with package.json or CHANGELOG.md, moves nothing and says why', () => {
    for (const [tag, edit, message] of [
      ['v1', {}, /is not a release version such as v0\.1\.0/],
      ['v0.1.0; rm -rf /', {}, /is not a release version/],
      ['v9.9.9', {}, new RegExp(`does not match package.json's version ${version.replace(/\./g, '\\.')}`)],
      ['v0.2.0', { version: '0.2.0', changelog: '## [Unreleased]\n' }, /CHANGELOG\.md has no "## \[0\.2\.0\]" section/]
    ] as const) {
      const result = check(tag, edit)
      assert.equal(result.status, 1, tag)
      assert.equal(result.stdout, '', tag)
      assert.match(result.stderr, message)
    }
  })
})
