/**
 * The changed-files scenario matrix, through the bundled action. Each case is built by real
 * pushes to a bare origin; the workspace is a depth-1 checkout as actions/checkout leaves it;
 * the expected list is a full-history `git diff` of the same range in the author clone.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { after, describe, test } from 'node:test'
import { GitFixture, ZEROS } from '../helpers/git-fixture.js'
import { runAction, type ActionRun } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushPayload } from '../helpers/scenario.js'
import { webhookExample } from '../helpers/events.js'

interface Seen {
  result: ActionRun
  paths: string[]
  complete: boolean
  description: string
}

/** Runs the action in dry-run on every file and reads the full list back from changed-files-path. */
async function changedFiles(options: {
  eventName: string
  payload: Record<string, unknown>
  workspace: string
  sha: string
  ref: string
}): Promise<Seen> {
  const result = await runAction({
    ...options,
    inputs: { pipeline: 'p', command: RECORD_COMMAND, paths: '**', each: 'all', 'dry-run': 'true' }
  })
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  const file = JSON.parse(readFileSync(result.outputs['changed-files-path']!, 'utf8')) as {
    complete: boolean
    files: { path: string }[]
  }
  const plan = JSON.parse(result.outputs.plan!) as { changes: { description: string } }
  assert.equal(Number(result.outputs['changed-files-count']), file.files.length)
  return {
    result,
    paths: file.files.map((f) => f.path).sort(),
    complete: file.complete,
    description: plan.changes.description
  }
}

/** The truth: git with full history, in the author clone. */
function expected(git: GitFixture, ...range: string[]): string[] {
  return git
    .git(git.author, 'diff', '--name-only', '-z', '-M', '-C', ...range)
    .split('\0')
    .filter(Boolean)
    .sort()
}

function push(git: GitFixture, ref: string, before: string, after: string, forced = false) {
  return {
    eventName: 'push',
    payload: pushPayload({ ref, before, after, forced }),
    workspace: git.workspace(ref),
    sha: after,
    ref
  }
}

describe('changed files: every case GitHub can produce', () => {
  const fixtures: GitFixture[] = []
  const fresh = () => {
    const git = new GitFixture()
    fixtures.push(git)
    return git
  }
  after(() => fixtures.forEach((git) => git.remove()))

  test('1. an ordinary push', async () => {
    const git = fresh()
    const before = git.commit({ 'a.txt': '1', 'data/x.csv': '1' })
    git.push('refs/heads/main')
    const tip = git.commit({ 'data/x.csv': '2', 'data/y.csv': '1' })
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.deepEqual(seen.paths, expected(git, before, tip))
    assert.equal(seen.complete, true)
  })

  test('2. a new branch: from its merge-base with the default branch', async () => {
    const git = fresh()
    git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.checkout('-b', 'topic')
    git.commit({ 'topic/1.txt': '1' })
    const tip = git.commit({ 'topic/2.txt': '2' })
    git.push('refs/heads/topic')
    git.checkout('main')
    git.commit({ 'main-only.txt': 'm' })
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/topic', ZEROS, tip))
    assert.deepEqual(seen.paths, expected(git, `main...${tip}`))
    assert.deepEqual(seen.paths, ['topic/1.txt', 'topic/2.txt'])
    assert.match(seen.description, /new branch: main\.\.\./)
  })

  test('3. a force push after a rebase: from the merge-base of the old and new tips', async () => {
    const git = fresh()
    const root = git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.checkout('-b', 'topic')
    git.commit({ 'topic.txt': '1' })
    const oldTip = git.commit({ 'topic.txt': '2' })
    git.push('refs/heads/topic')
    git.checkout('main')
    git.commit({ 'upstream.txt': 'u' })
    git.push('refs/heads/main')
    git.checkout('topic')
    git.git(git.author, 'rebase', '--quiet', 'main')
    const newTip = git.commit({ 'topic2.txt': 'x' })
    git.push('refs/heads/topic', { force: true })
    const seen = await changedFiles(push(git, 'refs/heads/topic', oldTip, newTip, true))
    const mergeBase = git.git(git.author, 'merge-base', oldTip, newTip)
    assert.equal(mergeBase, root)
    assert.deepEqual(seen.paths, expected(git, mergeBase, newTip))
    assert.match(seen.description, /forced push: merge-base of old tip/)
  })

  test('4. 500 commits pushed at once to a depth-1 checkout', async () => {
    const git = fresh()
    const before = git.commit({ 'seed.txt': '0' })
    git.push('refs/heads/main')
    // fast-import writes the 500 commits in one process.
    const lines: string[] = []
    for (let i = 1; i <= 500; i++) {
      const content = `commit ${i}\n`
      lines.push(
        'commit refs/heads/main',
        `mark :${i}`,
        `committer T <t@example.com> ${1_700_000_000 + i} +0000`,
        'data 3',
        `c${String(i % 10)}`
      )
      lines.push(i === 1 ? `from ${before}` : `from :${i - 1}`)
      lines.push(
        `M 100644 inline data/batch-${i % 137}/file-${i}.csv`,
        `data ${Buffer.byteLength(content)}`,
        content.slice(0, -1)
      )
    }
    git.gitInput(git.author, lines.join('\n') + '\n', 'fast-import', '--quiet', '--force')
    git.git(git.author, 'reset', '--quiet', '--hard', 'main')
    const tip = git.head()
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.equal(seen.paths.length, 500)
    assert.deepEqual(seen.paths, expected(git, before, tip))
  })

  test('5. a push whose tip is a merge commit', async () => {
    const git = fresh()
    const before = git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.checkout('-b', 'side')
    git.commit({ 'side.txt': 's' })
    git.checkout('main')
    git.commit({ 'main.txt': 'm' })
    git.git(git.author, 'merge', '--quiet', '--no-ff', '-m', 'merge side', 'side')
    const tip = git.head()
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.deepEqual(seen.paths, ['main.txt', 'side.txt'])
    assert.deepEqual(seen.paths, expected(git, before, tip))
  })

  test('6–9. rename, delete, Unicode, newline, quotes, leading dash, backslash, tab', async () => {
    const git = fresh()
    const names = [
      'data/ünïcødé 名前.csv',
      'data/new\nline.csv',
      'data/"double" \'single\'.csv',
      '-leading-dash.csv',
      'data/--also',
      'data/back\\slash',
      'data/tab\there',
      'data/$(touch pwned)'
    ]
    const before = git.commit({
      'data/old-name.csv': 'same content long enough to be a rename\n'.repeat(5),
      'data/doomed.csv': 'bye'
    })
    git.push('refs/heads/main')
    git.git(git.author, 'mv', 'data/old-name.csv', 'data/new-name.csv')
    const tip = git.commit({ 'data/doomed.csv': null, ...Object.fromEntries(names.map((n) => [n, n])) })
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.deepEqual(seen.paths, expected(git, before, tip))
    const changed = JSON.parse(seen.result.outputs['changed-files']!) as {
      path: string
      status: string
      'previous-path'?: string
    }[]
    assert.deepEqual(
      changed.find((f) => f.status === 'renamed'),
      { path: 'data/new-name.csv', status: 'renamed', 'previous-path': 'data/old-name.csv' }
    )
    assert.deepEqual(
      changed.find((f) => f.status === 'deleted'),
      { path: 'data/doomed.csv', status: 'deleted' }
    )
    for (const name of names) assert.ok(seen.paths.includes(name), JSON.stringify(name))
  })

  test('10. 301 changed files (past the compare API and on.push.paths limit of 300)', async () => {
    const git = fresh()
    const before = git.commit({ 'seed.txt': '0' })
    git.push('refs/heads/main')
    const tip = git.commit(Object.fromEntries(Array.from({ length: 301 }, (_, i) => [`data/f${i}.csv`, String(i)])))
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.equal(seen.paths.length, 301)
    assert.deepEqual(seen.paths, expected(git, before, tip))
  })

  test('12. a tag push: since the previous tag; the first tag has no base', async () => {
    const git = fresh()
    const first = git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.git(git.author, 'tag', '-a', '-m', 'first', 'v1.0.0')
    git.git(git.author, 'push', '--quiet', 'origin', 'v1.0.0')
    const none = await changedFiles({
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/tags/v1.0.0', before: ZEROS, after: first }),
      workspace: git.workspace('refs/tags/v1.0.0'),
      sha: first,
      ref: 'refs/tags/v1.0.0'
    })
    assert.deepEqual(none.paths, [])
    assert.match(none.description, /tag v1\.0\.0: no earlier tag .*\(no base\)/)

    git.commit({ 'b.txt': '1' })
    const tip = git.commit({ 'data/c.csv': '1' })
    git.push('refs/heads/main')
    git.git(git.author, 'tag', 'v1.1.0')
    git.git(git.author, 'push', '--quiet', 'origin', 'v1.1.0')
    const seen = await changedFiles({
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/tags/v1.1.0', before: ZEROS, after: tip }),
      workspace: git.workspace('refs/tags/v1.1.0'),
      sha: tip,
      ref: 'refs/tags/v1.1.0'
    })
    assert.deepEqual(seen.paths, expected(git, 'v1.0.0', 'v1.1.0'))
    assert.match(seen.description, /since the previous tag v1\.0\.0/)
  })

  test('a moved tag on the same commit is not the previous tag', async () => {
    const git = fresh()
    git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.git(git.author, 'tag', 'v1.0.0')
    const tip = git.commit({ 'data/new.csv': '1' })
    git.push('refs/heads/main')
    git.git(git.author, 'tag', 'v1')
    git.git(git.author, 'tag', 'v1.1.0')
    git.git(git.author, 'push', '--quiet', 'origin', 'v1.0.0', 'v1', 'v1.1.0')
    const seen = await changedFiles({
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/tags/v1.1.0', before: ZEROS, after: tip }),
      workspace: git.workspace('refs/tags/v1.1.0'),
      sha: tip,
      ref: 'refs/tags/v1.1.0'
    })
    assert.deepEqual(seen.paths, ['data/new.csv'])
    assert.match(seen.description, /previous tag v1\.0\.0/)
  })

  test('a full clone stays full and gains no refs when a new branch is compared', async () => {
    const git = fresh()
    for (let i = 0; i < 30; i++) git.commit({ [`history/${i}.txt`]: String(i) })
    git.push('refs/heads/main')
    git.checkout('-b', 'topic')
    const tip = git.commit({ 'topic.txt': 't' })
    git.push('refs/heads/topic')
    const full = `${git.root}/full-clone`
    git.git(git.root, 'clone', '--quiet', '--no-tags', '--branch', 'topic', git.url, full)
    const refs = git.git(full, 'for-each-ref')
    const seen = await changedFiles({
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/heads/topic', before: ZEROS, after: tip }),
      workspace: full,
      sha: tip,
      ref: 'refs/heads/topic'
    })
    assert.deepEqual(seen.paths, ['topic.txt'])
    assert.equal(git.git(full, 'rev-parse', '--is-shallow-repository'), 'false')
    assert.equal(git.git(full, 'for-each-ref'), refs)
  })

  test('13. merge_group: base_sha..head_sha', async () => {
    const git = fresh()
    const base = git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.commit({ 'pr1.txt': '1' })
    const head = git.commit({ 'pr2.txt': '2' })
    const queueRef = `refs/heads/gh-readonly-queue/main/pr-2-${head}`
    git.push(queueRef)
    const payload = webhookExample('merge_group')
    payload.merge_group = {
      ...payload.merge_group,
      base_sha: base,
      head_sha: head,
      head_ref: queueRef,
      base_ref: 'refs/heads/main'
    }
    const seen = await changedFiles({
      eventName: 'merge_group',
      payload,
      workspace: git.workspace(queueRef),
      sha: head,
      ref: queueRef
    })
    assert.deepEqual(seen.paths, expected(git, base, head))
  })

  test('14. a pull request from a fork-like second remote, three-dot against the base', async () => {
    const git = fresh()
    git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    // The fork: its own bare repository; GitHub mirrors the PR head into the base repository as refs/pull/N/head.
    const fork = `${git.root}/fork.git`
    git.git(git.root, 'clone', '--quiet', '--bare', git.origin, fork)
    git.checkout('-b', 'fork-feature')
    const head = git.commit({ 'data/from-fork.csv': 'f', 'a.txt': 'fork edit' })
    git.git(git.author, 'push', '--quiet', `file://${fork}`, 'HEAD:refs/heads/fork-feature')
    git.push('refs/pull/3/head')
    git.checkout('main')
    git.commit({ 'base-moves.txt': 'b' })
    git.push('refs/heads/main')
    const baseTip = git.head()
    git.git(git.author, 'merge', '--quiet', '--no-ff', '-m', 'merge', head)
    git.push('refs/pull/3/merge')
    const merge = git.head()
    git.git(git.author, 'reset', '--quiet', '--hard', baseTip)
    const payload = webhookExample('pull_request', (p) => p.action === 'opened')
    payload.number = 3
    payload.pull_request = {
      ...payload.pull_request,
      number: 3,
      base: { ...payload.pull_request.base, sha: baseTip, ref: 'main' },
      head: { ...payload.pull_request.head, sha: head, ref: 'fork-feature', repo: { full_name: 'someone/fork' } }
    }
    const seen = await changedFiles({
      eventName: 'pull_request',
      payload,
      workspace: git.workspace('refs/pull/3/merge'),
      sha: merge,
      ref: 'refs/pull/3/merge'
    })
    assert.deepEqual(seen.paths, expected(git, `${baseTip}...${head}`))
    assert.deepEqual(seen.paths, ['a.txt', 'data/from-fork.csv'])
  })

  test('a changed submodule counts as one changed path', async () => {
    const git = fresh()
    const before = git.commit({ 'a.txt': '1' })
    git.push('refs/heads/main')
    git.git(git.author, 'update-index', '--add', '--cacheinfo', `160000,${before},vendor/lib`)
    git.git(git.author, 'commit', '--quiet', '-m', 'add submodule')
    git.git(git.author, 'update-index', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`)
    git.git(git.author, 'commit', '--quiet', '-m', 'bump submodule')
    const tip = git.head()
    git.push('refs/heads/main')
    const seen = await changedFiles(push(git, 'refs/heads/main', before, tip))
    assert.deepEqual(seen.paths, ['vendor/lib'])
  })
})
