/**
 * schedule, dispatch, pull_request and the failure paths end to end: the bundled action, a
 * real git workspace with a config file, and a real Python entrypoint that records its runs.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { runAction } from '../helpers/run-action.js'
import { RECORD_COMMAND, RECORD_TARGET_YAML, recorder } from '../helpers/scenario.js'
import { schedulePayload, webhookExample } from '../helpers/events.js'

const CONFIG = `version: 1
targets:
  rec: ${RECORD_TARGET_YAML}
pipelines:
  training:
    target: rec
    pipeline: training_pipeline
    parameters: {model_type: random_forest}
    on:
      schedule:
        - cron: '17 4 * * *'
          parameters: {data_url: 's3://b/daily.csv'}
        - cron: '0 6 * * 1'
          parameters: {data_url: 's3://b/weekly.csv', model_type: gradient_boosting}
      workflow_dispatch:
        inputs:
          data_url: data_url
          model_type: {type: choice, options: [random_forest, gradient_boosting]}
          epochs: {parameter: train_and_evaluate.epochs, type: number}
      pull_request:
        paths: [{glob: 'data/**', each: all, path-parameter: files}]
`

describe('events with a config file', () => {
  const git = new GitFixture()
  let workspace: string
  let sha: string
  before(() => {
    sha = git.commit({ '.github/pipeline-triggers.yml': CONFIG, 'data/a.csv': '1' })
    git.push('refs/heads/main')
    workspace = git.workspace('refs/heads/main')
  })
  after(() => git.remove())

  const run = (
    eventName: string,
    payload: Record<string, unknown>,
    env: Record<string, string>,
    inputs: Record<string, string> = {},
    extra = {}
  ) => runAction({ eventName, payload, workspace, sha, ref: 'refs/heads/main', env, inputs, ...extra })

  test('schedule: the firing cron line selects its parameters', async () => {
    const record = recorder()
    const result = await run('schedule', schedulePayload('0 6 * * 1'), record.env)
    assert.equal(result.exitCode, 0, result.stdout)
    const runs = record.read()
    assert.equal(runs.length, 1)
    assert.deepEqual(runs[0]!.config.parameters, { model_type: 'gradient_boosting', data_url: 's3://b/weekly.csv' })
    assert.equal(runs[0]!.run_name, 'training_pipeline-gh-9100-1-0')
  })

  test('schedule: an unlisted cron line triggers nothing, with a notice of why', async () => {
    const record = recorder()
    const result = await run('schedule', schedulePayload('1 1 * * *'), record.env)
    assert.equal(result.exitCode, 0)
    assert.equal(record.read().length, 0)
    assert.equal(result.outputs.triggered, 'false')
    assert.match(result.summary, /that fired is not listed/)
  })

  test('workflow_dispatch: typed inputs; a hostile value stays one value', async () => {
    const record = recorder()
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: "x'\nmodel_type: evil\n$(touch pwned)", model_type: 'gradient_boosting', epochs: '7' }
    const result = await run('workflow_dispatch', payload, record.env)
    assert.equal(result.exitCode, 0, result.stdout)
    const [only] = record.read()
    assert.deepEqual(only!.config.parameters, {
      model_type: 'gradient_boosting',
      data_url: "x'\nmodel_type: evil\n$(touch pwned)"
    })
    assert.deepEqual(only!.config.steps, { train_and_evaluate: { parameters: { epochs: 7 } } })
  })

  test('workflow_dispatch: an invalid choice fails the step and triggers nothing', async () => {
    const record = recorder()
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { model_type: 'svm' }
    const result = await run('workflow_dispatch', payload, record.env)
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /::error::pipelines\.training\.on\.workflow_dispatch\.inputs: input "model_type" is "svm", not one of the choices/
    )
    assert.equal(record.read().length, 0)
  })

  test('workflow_call: typed inputs arrive through workflow-inputs, whatever the caller event', async () => {
    const record = recorder()
    const result = await run('schedule', schedulePayload('17 4 * * *'), record.env, {
      config: '',
      pipeline: 'called',
      command: RECORD_COMMAND,
      'workflow-inputs': JSON.stringify({ data_url: 's3://c.csv', epochs: 3, full: true })
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(record.read()[0]!.config.parameters, { data_url: 's3://c.csv', epochs: 3, full: true })
  })

  test("workflow-inputs of {} (an event without inputs in a workflow that has some) keeps that event's rules", async () => {
    const record = recorder()
    const result = await run('schedule', schedulePayload('0 6 * * 1'), record.env, { 'workflow-inputs': '{}' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(record.read()[0]!.config.parameters?.data_url, 's3://b/weekly.csv')
  })

  test('pull_request: three-dot against the base from a merge-commit checkout', async () => {
    const base = git.head()
    git.checkout('-b', 'feature')
    const head = git.commit({ 'data/b.csv': 'b', 'data/c.csv': 'c' }, 'feature')
    git.push('refs/heads/feature')
    git.checkout('main')
    git.commit({ 'data/main-moved.csv': 'm' }, 'main moves')
    git.push('refs/heads/main')
    const baseTip = git.head()
    git.git(git.author, 'merge', '--quiet', '--no-ff', '-m', 'merge', 'feature')
    git.push('refs/pull/7/merge')
    const merge = git.head()
    git.git(git.author, 'reset', '--quiet', '--hard', baseTip)
    const ws = git.workspace('refs/pull/7/merge')
    const payload = webhookExample('pull_request', (p) => p.action === 'synchronize' || p.action === 'opened')
    payload.number = 7
    payload.pull_request.number = 7
    payload.pull_request.base = { ...payload.pull_request.base, sha: baseTip, ref: 'main' }
    payload.pull_request.head = { ...payload.pull_request.head, sha: head, ref: 'feature' }
    const record = recorder()
    const result = await runAction({
      eventName: 'pull_request',
      payload,
      workspace: ws,
      sha: merge,
      ref: 'refs/pull/7/merge',
      env: record.env
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(
      record.read().map((r) => r.config.parameters?.files),
      [['data/b.csv', 'data/c.csv']]
    )
    assert.notEqual(base, baseTip)
  })

  test('an event the action does not handle: a notice, triggered=false, exit 0', async () => {
    const result = await run('issues', { action: 'opened', repository: { full_name: 'octo-org/ml-repo' } }, {})
    assert.equal(result.exitCode, 0)
    assert.equal(result.outputs.triggered, 'false')
    assert.match(result.stdout, /::notice::Event "issues" is not handled/)
  })

  test('a failing pipeline fails the step with TRIGGER_FAILURE and the status output', async () => {
    const record = recorder()
    const result = await run('schedule', schedulePayload('17 4 * * *'), { ...record.env, RECORD_EXIT: '3' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /^TRIGGER_FAILURE \{.*"message":"the command exited with code 3"/m)
    assert.match(
      result.stdout,
      /::error::1 of 1 run\(s\) did not succeed: training_pipeline #0 \(failed: the command exited with code 3\)/
    )
    assert.equal(result.outputs.status, 'failed')
  })

  test('timeout stops a pipeline that runs too long', async () => {
    const record = recorder()
    const result = await run(
      'schedule',
      schedulePayload('17 4 * * *'),
      { ...record.env, RECORD_SLEEP: '60' },
      { timeout: '2s' }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'timed_out')
    assert.match(result.stdout, /still running when timeout \(2s\) ran out, so it was stopped/)
  })

  test('the pipeline input names a config pipeline by its own name only: constructor is refused with the list', async () => {
    const record = recorder()
    for (const name of ['constructor', 'toString', '__proto__']) {
      const result = await run('schedule', schedulePayload('17 4 * * *'), record.env, { pipeline: name })
      assert.equal(result.exitCode, 1, result.stdout)
      assert.match(
        result.stdout,
        new RegExp(
          `::error::Input pipeline: "${name}" is not a pipeline in \\.github/pipeline-triggers\\.yml\\. Use one of: training`
        )
      )
    }
    assert.deepEqual(record.read(), [])
  })

  test('an invalid config file fails before anything runs, naming file, line and key', async () => {
    const broken = new GitFixture()
    broken.commit({ '.github/pipeline-triggers.yml': CONFIG.replace('each: all', 'each: al') })
    broken.push('refs/heads/main')
    const record = recorder()
    const result = await runAction({
      eventName: 'schedule',
      payload: schedulePayload('17 4 * * *'),
      workspace: broken.workspace('refs/heads/main'),
      env: record.env
    })
    broken.remove()
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /::error::Invalid config file:%0A\.github\/pipeline-triggers\.yml:21:41: pipelines\.training\.on\.pull_request\.paths\[0\]\.each: Invalid option/
    )
    assert.equal(record.read().length, 0)
  })

  test('chains: the upstream context reaches the pipeline one level deeper, and a cycle triggers nothing', async () => {
    const upstream = { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['ingest_pipeline'] }
    const record = recorder()
    const result = await run('schedule', schedulePayload('17 4 * * *'), record.env, {
      'pipeline-context': JSON.stringify(upstream)
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const expected = { ...upstream, depth: 2, chain: ['ingest_pipeline', 'training_pipeline'] }
    assert.deepEqual(record.read()[0]!.pipeline_context, expected)
    assert.deepEqual(JSON.parse(result.outputs['pipeline-context']!), expected)
    assert.match(
      result.summary,
      /\*\*Chain:\*\* <code>ingest\\_pipeline<\/code> → this step \(depth 2, started at \[the first run\]\(https:\/\/github\.com\/o\/r\/actions\/runs\/1\)\)/
    )

    const looping = recorder()
    const refused = await run('schedule', schedulePayload('17 4 * * *'), looping.env, {
      'pipeline-context': JSON.stringify({ ...upstream, chain: ['training_pipeline'] })
    })
    assert.equal(refused.exitCode, 1)
    assert.match(
      refused.stdout,
      /::error::Chain guard: "training_pipeline" is already in this chain \(training_pipeline → training_pipeline\)/
    )
    assert.equal(looping.read().length, 0)
  })

  test('request-index triggers only that entry of the plan; an index the plan lacks triggers nothing', async () => {
    const dispatch = webhookExample('workflow_dispatch')
    dispatch.inputs = { data_url: 's3://b/x.csv', model_type: 'random_forest' }
    const record = recorder()
    const one = await run('workflow_dispatch', dispatch, record.env, { 'request-index': '0' })
    assert.equal(one.exitCode, 0, one.stdout)
    assert.equal(record.read().length, 1)
    assert.equal(record.read()[0]!.run_name, 'training_pipeline-gh-9100-1-0')
    assert.deepEqual(
      JSON.parse(one.outputs['pipeline-context']!),
      record.read()[0]!.pipeline_context,
      "the output names this job's run"
    )

    const missing = recorder()
    const refused = await run('workflow_dispatch', dispatch, missing.env, { 'request-index': '3' })
    assert.equal(refused.exitCode, 1)
    assert.match(
      refused.stdout,
      /::error::Input request-index: 3, but this job's plan has 1 request\(s\) \(0–0\)\. Nothing was triggered\./
    )
    assert.equal(missing.read().length, 0)
  })
})
