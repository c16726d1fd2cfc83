/**
 * The GitHub API fallback, through the bundled action, when the workspace has no .git. The API
 * is a local fake whose every response is checked against GitHub's published OpenAPI
 * description (see test/helpers/fake-github.ts); its limits are GitHub's documented ones.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startFakeGitHub, type FakeFile, type FakeGitHub } from '../helpers/fake-github.js'
import { webhookExample } from '../helpers/events.js'
import { FAKE_TOKEN, runAction } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushPayload } from '../helpers/scenario.js'

const sha = (n: number) => createHash('sha1').update(`commit ${n}`).digest('hex')
const files = (prefix: string, count: number, status: FakeFile['status'] = 'modified'): FakeFile[] =>
  Array.from({ length: count }, (_, i) => ({ filename: `${prefix}/f${i}.csv`, status }))

/** A real pull_request payload, renumbered, with GitHub's own count of its changed files. */
function pullRequest(number: number, changedFiles: number): Record<string, any> {
  const payload = webhookExample('pull_request', (p) => p.action === 'opened')
  payload.number = number
  payload.pull_request.number = number
  payload.pull_request.changed_files = changedFiles
  return payload
}

const BEFORE = sha(1)
const AFTER = sha(2)
const BIG_AFTER = sha(3)
const HUGE_AFTER = sha(4)
const walkCommits = [sha(10), sha(11), sha(12)]

describe('changed files from the GitHub API (no .git in the workspace)', () => {
  let github: FakeGitHub
  const workspace = mkdtempSync(join(tmpdir(), 'pt-nogit-'))

  before(async () => {
    const first = files('data/a', 200, 'added')
    const second = [
      ...files('data/a', 50),
      ...files('data/b', 200, 'added'),
      { filename: 'data/a/f199.csv', status: 'removed' as const }
    ]
    const third = [
      { filename: 'data/b/renamed.csv', previous_filename: 'data/b/f0.csv', status: 'renamed' as const },
      { filename: 'docs/x.md', status: 'added' as const }
    ]
    github = await startFakeGitHub(
      {
        owner: 'octo-org',
        repo: 'ml-repo',
        pulls: { 5: files('data/pr', 250, 'added'), 6: files('data/huge', 3001, 'added') },
        compares: {
          [`${BEFORE}...${AFTER}`]: {
            files: [
              ...files('data', 120),
              { filename: 'data/new name.csv', previous_filename: 'data/old.csv', status: 'renamed' }
            ],
            commits: [AFTER]
          },
          [`${BEFORE}...${BIG_AFTER}`]: {
            files: [...first, ...files('data/b', 199, 'added'), { filename: 'docs/x.md', status: 'added' }],
            commits: walkCommits
          },
          [`${BEFORE}...${HUGE_AFTER}`]: {
            files: files('data/z', 400),
            commits: Array.from({ length: 260 }, (_, i) => sha(100 + i))
          }
        },
        commits: {
          [walkCommits[0]!]: first,
          [walkCommits[1]!]: second,
          [walkCommits[2]!]: third,
          ...Object.fromEntries(Array.from({ length: 260 }, (_, i) => [sha(100 + i), files('data/z', 2)]))
        }
      },
      FAKE_TOKEN
    )
  })
  after(() => github.close())

  const run = (eventName: string, payload: Record<string, unknown>, inputs: Record<string, string> = {}) =>
    runAction({
      eventName,
      payload,
      workspace,
      sha: String(payload.after ?? AFTER),
      ref: 'refs/heads/main',
      env: { GITHUB_API_URL: github.url },
      inputs: {
        pipeline: 'p',
        command: RECORD_COMMAND,
        paths: 'data/**',
        each: 'all',
        'path-parameter': 'files',
        'dry-run': 'true',
        ...inputs
      }
    })
  const fullList = (result: { outputs: Record<string, string> }) =>
    JSON.parse(readFileSync(result.outputs['changed-files-path']!, 'utf8')) as {
      complete: boolean
      files: { path: string; status: string; 'previous-path'?: string }[]
    }

  test('15. a push with no .git: compare, complete under 300 files', async () => {
    const result = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: AFTER }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.match(result.stdout, /git cannot list the changed files \(The workspace is not a git repository/)
    const list = fullList(result)
    assert.equal(list.complete, true)
    assert.equal(list.files.length, 121)
    assert.deepEqual(
      list.files.find((f) => f.status === 'renamed'),
      { path: 'data/new name.csv', status: 'renamed', 'previous-path': 'data/old.csv' }
    )
    assert.ok(!result.stdout.replace(`::add-mask::${FAKE_TOKEN}`, '').includes(FAKE_TOKEN))
  })

  test('a compare at the 300-file ceiling is completed by walking the commits', async () => {
    const result = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: BIG_AFTER }))
    assert.equal(result.exitCode, 0, result.stdout)
    const list = fullList(result)
    assert.equal(list.complete, true)
    const byPath = new Map(list.files.map((f) => [f.path, f]))
    assert.equal(byPath.get('data/a/f0.csv')?.status, 'added', 'added then modified is added')
    assert.equal(byPath.has('data/a/f199.csv'), false, 'added then removed is gone')
    assert.equal(byPath.has('data/b/f0.csv'), false)
    assert.equal(byPath.get('data/b/renamed.csv')?.status, 'added', 'added then renamed is added under the new name')
    assert.equal(list.files.length, 199 + 200 + 1)
    assert.ok(
      walkCommits.every((c) => github.requests.some((r) => r.startsWith(`GET /repos/octo-org/ml-repo/commits/${c}`)))
    )
  })

  test('more than 250 commits cannot be walked: incomplete, and the step fails before triggering', async () => {
    const result = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: HUGE_AFTER }), {
      'dry-run': 'false'
    })
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /::error::The list of changed files may be incomplete \(push: .*260 commits, the API lists 250.*nothing was triggered\. Fix: check out the repository/
    )
    assert.equal(result.outputs.triggered, undefined)
  })

  test('on-incomplete: warn plans with the files known; all runs every rule once', async () => {
    const warn = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: HUGE_AFTER }), {
      'on-incomplete': 'warn'
    })
    assert.equal(warn.exitCode, 0, warn.stdout)
    assert.match(warn.stdout, /::warning::The list of changed files may be incomplete/)
    assert.equal(fullList(warn).complete, false)
    const all = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: HUGE_AFTER }), {
      'on-incomplete': 'all'
    })
    const plan = JSON.parse(all.outputs.plan!) as { requests: { parameters: object; reason: string }[] }
    assert.equal(plan.requests.length, 1)
    assert.deepEqual(plan.requests[0]!.parameters, {})
    assert.match(plan.requests[0]!.reason, /incomplete, and on-incomplete: all runs/)
  })

  test('a pull request: the PR files, paginated, checked against changed_files', async () => {
    const payload = pullRequest(5, 250)
    const result = await run('pull_request', payload)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(fullList(result).files.length, 250)
    assert.equal(github.requests.filter((r) => r.startsWith('GET /repos/octo-org/ml-repo/pulls/5/files')).length, 3)
  })

  test('11. a pull request of 3,001 files: the API stops at 3,000, so it is flagged incomplete', async () => {
    const payload = pullRequest(6, 3001)
    const failed = await run('pull_request', payload)
    assert.equal(failed.exitCode, 1)
    assert.match(failed.stdout, /may be incomplete \(pull request #6 from the API: 3000 of 3001 files/)
    const warned = await run('pull_request', payload, { 'on-incomplete': 'warn' })
    assert.equal(warned.exitCode, 0)
    assert.equal(warned.outputs['changed-files-count'], '3000')
    assert.equal(JSON.parse(warned.outputs['changed-files']!).length, 1000, 'the output is cut; the file has them all')
  })

  test('a transient 503 is retried', async () => {
    github.failNext(1)
    const result = await run('push', pushPayload({ ref: 'refs/heads/main', before: BEFORE, after: AFTER }))
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(fullList(result).files.length, 121)
  })

  test('every fake response matched the published OpenAPI schema', () => {
    assert.ok(github.requests.length > 10)
    assert.deepEqual(github.schemaErrors, [])
  })
})
