/**
 * A schedule or dispatch with changed-file rules compares with the commit of the workflow's last
 * successful run on the branch: found through the API (a local fake checked against GitHub's
 * published OpenAPI), then diffed by real git from a depth-1 checkout.
 */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { startFakeGitHub, type FakeGitHub } from '../helpers/fake-github.js'
import { schedulePayload, webhookExample } from '../helpers/events.js'
import { FAKE_TOKEN, runAction } from '../helpers/run-action.js'
import { RECORD_TARGET_YAML } from '../helpers/scenario.js'

const CONFIG = `version: 1
targets:
  rec: ${RECORD_TARGET_YAML}
pipelines:
  retrain:
    target: rec
    on:
      schedule:
        - cron: '0 3 * * *'
          paths: [{glob: 'data/**', each: all, path-parameter: files}]
      workflow_dispatch:
        inputs: {model_type: model_type}
        paths: [{glob: 'data/**', path-parameter: data_url}]
`

describe('changed files since the last successful run (schedule, dispatch)', () => {
  const git = new GitFixture()
  let github: FakeGitHub
  let lastGood: string
  let tip: string
  before(async () => {
    git.commit({ '.github/pipeline-triggers.yml': CONFIG, 'data/old.csv': '0' })
    lastGood = git.commit({ 'data/a.csv': '1' })
    git.commit({ 'data/b.csv': '2' })
    tip = git.commit({ 'data/c.csv': '3', 'src/app.py': 'x' })
    git.push('refs/heads/main')
    github = await startFakeGitHub(
      {
        owner: 'octo-org',
        repo: 'ml-repo',
        workflowRuns: {
          'train.yml': [
            { id: 9100, head_sha: tip, head_branch: 'main', conclusion: 'success' }, // this very run: never its own base
            { id: 9050, head_sha: 'f'.repeat(40), head_branch: 'main', conclusion: 'failure' },
            { id: 9000, head_sha: lastGood, head_branch: 'main', conclusion: 'success' },
            { id: 8000, head_sha: 'e'.repeat(40), head_branch: 'dev', conclusion: 'success' }
          ]
        }
      },
      FAKE_TOKEN
    )
  })
  after(async () => {
    await github.close()
    git.remove()
  })

  const run = (eventName: string, payload: Record<string, unknown>, ref = 'refs/heads/main') =>
    runAction({
      eventName,
      payload,
      workspace: git.workspace(ref),
      sha: tip,
      ref,
      env: { GITHUB_API_URL: github.url },
      inputs: { 'dry-run': 'true' }
    })

  test('workflow_dispatch: one run per data file changed since the last successful run', async () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { model_type: 'gradient_boosting' }
    const result = await run('workflow_dispatch', payload)
    assert.equal(result.exitCode, 0, result.stdout)
    const plan = JSON.parse(result.outputs.plan!) as {
      changes: { description: string }
      requests: { parameters: Record<string, unknown> }[]
    }
    assert.deepEqual(
      plan.requests.map((r) => r.parameters),
      [
        { model_type: 'gradient_boosting', data_url: 'data/b.csv' },
        { model_type: 'gradient_boosting', data_url: 'data/c.csv' }
      ]
    )
    assert.match(plan.changes.description, /since the last successful run of train\.yml on main \(run 9000\)/)
    assert.deepEqual(github.schemaErrors, [])
  })

  test('schedule: the same base, one run with the list', async () => {
    const result = await run('schedule', schedulePayload('0 3 * * *'))
    assert.equal(result.exitCode, 0, result.stdout)
    const plan = JSON.parse(result.outputs.plan!) as { requests: { parameters: Record<string, unknown> }[] }
    assert.deepEqual(
      plan.requests.map((r) => r.parameters.files),
      [['data/b.csv', 'data/c.csv']]
    )
  })

  test('no earlier successful run on the branch: nothing to compare, said plainly', async () => {
    git.checkout('-b', 'fresh')
    git.push('refs/heads/fresh')
    git.checkout('main')
    const result = await run('schedule', schedulePayload('0 3 * * *'), 'refs/heads/fresh')
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs.triggered, 'false')
    assert.match(result.summary, /no earlier successful run of train\\\.yml on fresh \\\(no base\\\)/)
  })
})
