/**
 * The ZenML OSS path against a real ZenML server (uvicorn, OAuth2, a real service-account key):
 * the command target runs the tutorial pipeline, which reports to the server, and the action
 * follows that run there to its final status, with a dashboard link.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { webhookExample } from '../helpers/events.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'
import { startZenmlServer, type ZenmlServer } from '../helpers/zenml-server.js'

describe('command target reporting to a real ZenML server', () => {
  let server: ZenmlServer
  const git = new GitFixture()
  let workspace: string
  let sha: string
  before(async () => {
    server = await startZenmlServer()
    cpSync(join(ROOT, 'examples/pipelines'), join(git.author, 'examples/pipelines'), {
      recursive: true,
      filter: (p) => !p.includes('__pycache__')
    })
    sha = git.commit({})
    git.push('refs/heads/main')
    workspace = git.workspace('refs/heads/main')
  })
  after(async () => {
    await server?.stop()
    git.remove()
  })

  /** A named snapshot "production-training", created with the zenml CLI as a user would, with the server's key. */
  const createNamedSnapshot = (target: ZenmlServer): void => {
    const home = mkdtempSync(join(tmpdir(), 'pt-zenml-cli-'))
    execFileSync(
      join(ROOT, '.venv/bin/zenml'),
      ['pipeline', 'snapshot', 'create', 'training_pipeline.training_pipeline', '--name', 'production-training'],
      {
        cwd: join(workspace, 'examples/pipelines'),
        env: {
          PATH: process.env.PATH,
          HOME: home,
          ZENML_CONFIG_PATH: join(home, 'config'),
          ZENML_STORE_URL: target.url,
          ZENML_STORE_API_KEY: target.apiKey,
          ZENML_ANALYTICS_OPT_IN: 'false'
        },
        stdio: 'ignore'
      }
    )
  }

  const dispatch = (inputs: Record<string, string>, actionInputs: Record<string, string>, runId: string) => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = inputs
    return runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace,
      sha,
      ref: 'refs/heads/main',
      runId,
      timeoutMs: 300_000,
      inputs: {
        pipeline: 'training_pipeline',
        command: `${VENV_PYTHON}\nexamples/pipelines/run.py`,
        'zenml-url': server.url,
        ...actionInputs
      }
    })
  }

  test('a good key logs in; the run is followed on the server to completed, with its dashboard URL', async () => {
    const result = await dispatch(
      { data_url: 's3://bucket/x.csv', model_type: 'random_forest' },
      { 'zenml-api-key': server.apiKey },
      '501'
    )
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    assert.match(
      result.stdout,
      /ZenML server http:\/\/127\.0\.0\.1:\d+: version 0\.98\.0 .*logged in with the service-account key/
    )
    const runId = result.outputs['run-id']!
    assert.match(runId, /^[0-9a-f-]{36}$/)
    assert.equal(result.outputs['run-url'], `${server.url}/projects/default/runs/${runId}`)
    assert.equal(result.outputs.status, 'completed')
    assert.ok(result.summary.includes(`](${server.url}/projects/default/runs/${runId})`), 'the summary links the run')
    const log = result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n')
    assert.ok(result.stdout.includes(`::add-mask::${server.apiKey}`), 'the key is masked first')
    assert.ok(
      !log.includes(server.apiKey.slice(7)) && !result.summary.includes(server.apiKey.slice(7)),
      'the key never appears in the log'
    )
  })

  test('a wrong key fails before anything runs, with a 401 message that says what to do', async () => {
    const result = await dispatch(
      { data_url: 's3://x', model_type: 'random_forest' },
      { 'zenml-api-key': 'ZENKEY_d3Jvbmc=' },
      '502'
    )
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /::error::ZenML server: HTTP 401 while logging in to http:\/\/127\.0\.0\.1:\d+ with zenml-api-key: CredentialsNotValid: Authentication error.*Fix: the API key is wrong, inactive or expired/
    )
    assert.doesNotMatch(result.stdout, /TRIGGER_ATTEMPT/)
  })

  test('zenml target: an unknown pipeline lists the pipelines the real server has', async () => {
    const result = await dispatch(
      {},
      { 'zenml-api-key': server.apiKey, command: '', pipeline: 'trainig_pipeline' },
      '504'
    )
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /No pipeline named "trainig_pipeline" in project "default" on http:\/\/127\.0\.0\.1:\d+\. Pipelines there: training_pipeline/
    )
  })

  test('zenml target: a real snapshot on a local stack gets the real refusal, in our words', async () => {
    // A named snapshot, created the way a user would, against the same server with the same key.
    createNamedSnapshot(server)
    const latest = await dispatch(
      { data_url: 's3://x', model_type: 'random_forest' },
      { 'zenml-api-key': server.apiKey, command: '' },
      '505'
    )
    assert.equal(latest.exitCode, 1)
    assert.match(
      latest.stdout,
      /has no runnable named snapshot\. Named snapshots: production-training \(not runnable\)/
    )
    const named = await dispatch(
      { data_url: 's3://x', model_type: 'random_forest' },
      { 'zenml-api-key': server.apiKey, command: '', snapshot: 'production-training' },
      '506'
    )
    assert.equal(named.exitCode, 1)
    assert.match(
      named.stdout,
      /HTTP (405|501) while running snapshot \\"production-training\\".*Fix: this server cannot run snapshots: ZenML Pro or a workload manager is needed; use the command target for ZenML OSS/
    )
  })

  test('zenml target with a workload manager: the real "not runnable" 400, with the fix', async () => {
    const managed = await startZenmlServer({ workloadManager: true })
    try {
      createNamedSnapshot(managed)
      const payload = webhookExample('workflow_dispatch')
      payload.inputs = { data_url: 's3://x', model_type: 'random_forest' }
      const result = await runAction({
        eventName: 'workflow_dispatch',
        payload,
        workspace,
        sha,
        ref: 'refs/heads/main',
        runId: '507',
        timeoutMs: 300_000,
        inputs: {
          pipeline: 'training_pipeline',
          'zenml-url': managed.url,
          'zenml-api-key': managed.apiKey,
          snapshot: 'production-training'
        }
      })
      assert.equal(result.exitCode, 1)
      assert.match(
        result.stdout,
        /HTTP 400 while running snapshot \\"production-training\\": ValueError: .*Fix: the snapshot is not runnable from the server: it needs a build on a remote stack/
      )
    } finally {
      await managed.stop()
    }
  })

  test('a pipeline whose init hook raises is failed at once, although the server keeps in_progress true', async () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = {}
    const result = await runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace,
      sha,
      ref: 'refs/heads/main',
      runId: '508',
      timeoutMs: 240_000,
      inputs: {
        pipeline: 'init_hook_pipeline',
        command: `${VENV_PYTHON}\n${join(ROOT, 'test/fixtures/pipelines/init_hook_fails.py')}`,
        'zenml-url': server.url,
        'zenml-api-key': server.apiKey,
        timeout: '30m'
      }
    })
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(result.outputs.status, 'failed')
    assert.match(result.stdout, /TRIGGER_FAILURE \{.*"message":"the run init_hook_pipeline-gh-508-1-0 ended failed/)
    // The case is real: the server still says the run is in progress, and the action did not wait on that.
    const login = (await (
      await fetch(`${server.url}/api/v1/login`, {
        method: 'POST',
        body: new URLSearchParams({ password: server.apiKey })
      })
    ).json()) as { access_token: string }
    const run = (await (
      await fetch(`${server.url}/api/v1/runs/${result.outputs['run-id']}`, {
        headers: { authorization: `Bearer ${login.access_token}` }
      })
    ).json()) as { body: { status: string; in_progress: boolean } }
    assert.deepEqual([run.body.status, run.body.in_progress], ['failed', true])
  })

  test('a failing pipeline run fails the step and reports the server status', async () => {
    const result = await dispatch({ data_url: 's3://x', model_type: 'svm' }, { 'zenml-api-key': server.apiKey }, '503')
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'failed')
    assert.match(result.stdout, /TRIGGER_FAILURE \{.*"message":"the run training_pipeline-gh-503-1-0 ended failed/)
    assert.match(result.outputs['run-url']!, /\/projects\/default\/runs\//)
  })
})
