/**
 * push events end to end: real git (bare origin, pushes, a depth-1 workspace as
 * actions/checkout leaves it), the bundled action, and a real Python entrypoint.
 */
import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { GitFixture, ZEROS } from '../helpers/git-fixture.js'
import { FAKE_TOKEN, runAction } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushPayload, pushToMain, recorder } from '../helpers/scenario.js'

const HOSTILE = [
  'data/$(touch pwned).csv',
  'data/new\nline.csv',
  'data/"quoted" \'name\'.csv',
  'data/ünïcødé.csv',
  'data/-leading-dash.csv',
  'data/back\\slash`tick`.csv',
  'data/tab\there.csv'
]

describe('push', () => {
  const git = new GitFixture()
  let base: string
  let tip: string
  let workspace: string

  before(() => {
    base = git.commit({
      'README.md': 'hello',
      'data/old.csv': 'a',
      'data/gone.csv': 'b',
      'data/iris/keep.csv': 'c',
      'src/app.py': 'x'
    })
    git.push('refs/heads/main')
    git.commit({ 'data/iris/train.csv': '1' }, 'one')
    git.commit({ 'src/app.py': 'y', 'data/gone.csv': null }, 'two')
    git.git(git.author, 'mv', 'data/old.csv', 'data/renamed.csv')
    tip = git.commit(Object.fromEntries(HOSTILE.map((name) => [name, name])), 'three')
    git.push('refs/heads/main')
    workspace = git.workspace('refs/heads/main')
  })
  after(() => git.remove())

  /** The push base..tip to main, as the runner would deliver it, on the depth-1 workspace. */
  const pushBaseToTip = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
    pushToMain({ workspace, base, tip, inputs, env })

  test('one run per changed data file, from a depth-1 checkout, with hostile names intact', async () => {
    const record = recorder()
    const result = await pushBaseToTip(
      {
        pipeline: 'training_pipeline',
        command: RECORD_COMMAND,
        paths: 'data/**\n!data/**/README.md',
        'path-parameter': 'data_url',
        parameters: 'model_type: random_forest'
      },
      record.env
    )
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)

    // The expected list comes from git with full history in the author clone.
    const expected = git
      .git(git.author, 'diff', '--name-only', '-z', '-M', base, tip)
      .split('\0')
      .filter((path) => path.startsWith('data/') && path !== 'data/gone.csv')
      .sort()
    const runs = record.read()
    assert.deepEqual(runs.map((r) => r.parameters_json.data_url).sort(), expected)
    assert.equal(runs.length, HOSTILE.length + 2) // + data/iris/train.csv and the renamed file
    for (const run of runs) {
      assert.equal(
        run.config.parameters?.data_url,
        run.parameters_json.data_url,
        'the YAML run config carries the same value'
      )
      assert.equal(run.config.parameters?.model_type, 'random_forest')
      assert.deepEqual(run.input_variables, [], 'the action inputs (and the token) are not passed to the pipeline')
    }
    assert.equal(existsSync(join(workspace, 'pwned')), false, 'a file name never runs as a command')
    assert.equal(existsSync(join(workspace, 'data', 'pwned')), false)

    assert.equal(result.outputs.triggered, 'true')
    const outputRuns = JSON.parse(result.outputs.runs!) as {
      status: string
      'run-id': string
      parameters: { data_url: string }
    }[]
    assert.equal(outputRuns.length, runs.length)
    assert.ok(outputRuns.every((r) => r.status === 'completed' && r['run-id'].startsWith('run-')))
    assert.equal(result.outputs['run-id'], outputRuns[0]!['run-id'])
    assert.equal(result.outputs.status, 'completed')

    const changed = JSON.parse(result.outputs['changed-files']!) as {
      path: string
      status: string
      'previous-path'?: string
    }[]
    assert.deepEqual(
      changed.find((f) => f.path === 'data/renamed.csv'),
      { path: 'data/renamed.csv', status: 'renamed', 'previous-path': 'data/old.csv' }
    )
    assert.deepEqual(
      changed.find((f) => f.path === 'data/gone.csv'),
      { path: 'data/gone.csv', status: 'deleted' }
    )
    assert.ok(changed.some((f) => f.path === 'data/new\nline.csv'))

    assert.match(result.stdout, /^TRIGGER_ATTEMPT \{/m)
    assert.equal(result.stdout.match(/^TRIGGER_SUCCESS \{/gm)?.length, runs.length)
    const logWithoutMask = result.stdout.replace(`::add-mask::${FAKE_TOKEN}`, '')
    assert.ok(
      !logWithoutMask.includes(FAKE_TOKEN) && !result.summary.includes(FAKE_TOKEN),
      'the token is never printed'
    )
    assert.ok(
      !result.commands.some((line) => !line.startsWith('::add-mask::')),
      `no workflow command from a file name: ${result.commands.join('\n')}`
    )
    assert.match(result.summary, /data\/\\\$\\\(touch pwned\\\)\\\.csv/, 'the summary escapes names')
    assert.doesNotMatch(result.summary, /\n line\.csv/, 'a newline in a name cannot break the table')
  })

  test('the workspace is left as it was: same HEAD, no new refs, no config change', async () => {
    const headBefore = git.git(workspace, 'rev-parse', 'HEAD')
    const refsBefore = git.git(workspace, 'for-each-ref')
    const configBefore = git.git(workspace, 'config', '--list', '--local')
    const result = await pushBaseToTip({ pipeline: 'p', command: RECORD_COMMAND, paths: 'src/**', 'dry-run': 'true' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(git.git(workspace, 'rev-parse', 'HEAD'), headBefore)
    assert.equal(git.git(workspace, 'for-each-ref'), refsBefore)
    assert.equal(git.git(workspace, 'config', '--list', '--local'), configBefore)
    assert.equal(existsSync(join(git.root, '.gitconfig')), false, 'the global config was not written')
    assert.equal(result.outputs.triggered, 'false')
    assert.equal(result.outputs.status, 'dry_run')
    const plan = JSON.parse(result.outputs.plan!) as { requests: { parameters: object; files: string[] }[] }
    assert.deepEqual(
      plan.requests.map((r) => r.files),
      [['src/app.py']]
    )
  })

  test('a push to a new branch lists the files since it left main', async () => {
    git.checkout('-b', 'feature/x', tip)
    const branchTip = git.commit({ 'data/feature.csv': 'f' }, 'feature work')
    git.push('refs/heads/feature/x')
    git.checkout('main')
    git.commit({ 'data/main-only.csv': 'm' }, 'main moves on')
    git.push('refs/heads/main')
    const ws = git.workspace('refs/heads/feature/x')
    const result = await runAction({
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/heads/feature/x', before: ZEROS, after: branchTip }),
      sha: branchTip,
      ref: 'refs/heads/feature/x',
      workspace: ws,
      inputs: {
        pipeline: 'p',
        command: RECORD_COMMAND,
        paths: 'data/**',
        'path-parameter': 'data_url',
        'dry-run': 'true'
      }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const changed = JSON.parse(result.outputs['changed-files']!) as { path: string }[]
    assert.deepEqual(
      changed.map((f) => f.path),
      ['data/feature.csv']
    )
  })

  test('dry-run: check on a command target runs nothing and says the plan is all it can check', async () => {
    const record = recorder()
    const result = await pushBaseToTip(
      { pipeline: 'p', command: RECORD_COMMAND, paths: 'src/**', 'dry-run': 'check' },
      record.env
    )
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(record.read().length, 0, 'the command did not run')
    assert.equal(result.outputs.status, 'dry_run')
    assert.match(result.stdout, /Target command learns of a bad request only by starting it/)
  })

  test('a push that matches nothing triggers nothing and says why', async () => {
    const record = recorder()
    const result = await pushBaseToTip({ pipeline: 'p', command: RECORD_COMMAND, paths: 'models/**' }, record.env)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(record.read().length, 0)
    assert.equal(result.outputs.triggered, 'false')
    assert.match(result.summary, /no changed file matches/)
  })
})
