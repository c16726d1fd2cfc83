/**
 * The job token reaches git only through the git process's own environment: never on a command
 * line, never written to disk. A checkout's persisted header is replaced for the call, not sent
 * beside it. The "GitHub server" here is a loopback HTTP server that records what git sends.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { FAKE_TOKEN } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushToMain, recorder } from '../helpers/scenario.js'

const git = new GitFixture()
after(() => git.remove())

/** The action on a push from base to tip, in inline mode, running `command` for the changed data files. */
function pushThroughAction(workspace: string, base: string, tip: string, command: string, env: Record<string, string>) {
  return pushToMain({
    workspace,
    base,
    tip,
    env,
    inputs: { pipeline: 'p', command, paths: 'data/**', 'path-parameter': 'data_url' }
  })
}

test('git fetches with the token input for that one call; .git/config and the pipeline never hold it', async () => {
  /** The Authorization headers of each request git made (raw: Node would fold duplicates). */
  const gitRequests: string[][] = []
  const server = createServer((req, res) => {
    if (req.url?.includes('.git/')) {
      const values: string[] = []
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        if (req.rawHeaders[i]!.toLowerCase() === 'authorization') values.push(req.rawHeaders[i + 1]!)
      gitRequests.push(values)
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const serverUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  try {
    const base = git.commit({ 'data/a.csv': '1' })
    git.push('refs/heads/main')
    const tip = git.commit({ 'data/b.csv': '2' })
    git.push('refs/heads/main')
    const workspace = git.workspace('refs/heads/main')
    // As a checkout with persist-credentials: true leaves it, with another token.
    git.git(workspace, 'remote', 'set-url', 'origin', `${serverUrl}/octo-org/ml-repo.git`)
    git.git(
      workspace,
      'config',
      `http.${serverUrl}/.extraheader`,
      `AUTHORIZATION: basic ${Buffer.from('x-access-token:persisted-old-token').toString('base64')}`
    )
    const configBefore = readFileSync(join(workspace, '.git/config'), 'utf8')
    const record = recorder()
    const result = await pushThroughAction(workspace, base, tip, RECORD_COMMAND, {
      ...record.env,
      GITHUB_SERVER_URL: serverUrl,
      GITHUB_API_URL: `${serverUrl}/api/v3`
    })
    const expected = `basic ${Buffer.from(`x-access-token:${FAKE_TOKEN}`).toString('base64')}`
    assert.ok(gitRequests.length > 0, 'git asked the server')
    assert.deepEqual(gitRequests[0], [expected], 'one header, the token input, not the persisted one beside it')
    assert.equal(readFileSync(join(workspace, '.git/config'), 'utf8'), configBefore, '.git/config is unchanged')
    assert.ok(!configBefore.includes(FAKE_TOKEN))
    assert.ok(
      !result.stdout.includes(Buffer.from(`x-access-token:${FAKE_TOKEN}`).toString('base64')),
      'the header is never printed'
    )
  } finally {
    server.close()
  }
})

test('the pipeline the action runs finds the token nowhere: not in its environment, not in .git/config or any file it includes', async () => {
  const base = git.commit({ 'data/c.csv': '1' })
  git.push('refs/heads/main')
  const tip = git.commit({ 'data/d.csv': '2' })
  git.push('refs/heads/main')
  const workspace = git.workspace('refs/heads/main')
  const dir = mkdtempSync(join(tmpdir(), 'pt-token-hunt-'))
  const report = join(dir, 'report.json')
  // The pipeline, played by a script that looks everywhere a checkout could have left the token.
  writeFileSync(
    join(dir, 'hunt.mjs'),
    `import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
// git answers 1 when there is no include at all.
const includes = spawnSync('git', ['config', '--get-regexp', '^include'], { encoding: 'utf8' }).stdout.split('\\n').filter(Boolean).map((l) => l.split(' ').slice(1).join(' '))
const files = ['.git/config', ...includes].filter((f) => existsSync(f)).map((f) => readFileSync(f, 'utf8'))
writeFileSync(process.env.REPORT, JSON.stringify({ env: Object.values(process.env).join('\\n'), files: files.join('\\n') }))
`
  )
  const result = await pushThroughAction(workspace, base, tip, `${process.execPath}\n${join(dir, 'hunt.mjs')}`, {
    REPORT: report
  })
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  const found = JSON.parse(readFileSync(report, 'utf8')) as { env: string; files: string }
  for (const form of [FAKE_TOKEN, Buffer.from(`x-access-token:${FAKE_TOKEN}`).toString('base64')]) {
    assert.ok(!found.env.includes(form), 'not in the environment')
    assert.ok(!found.files.includes(form), 'not in .git/config or its includes')
  }
})
