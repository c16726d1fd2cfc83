/**
 * The zenml target through the bundled action, against a FAKE of the ZenML server contract
 * (test/helpers/fake-zenml.ts). Why a fake: running a snapshot needs ZenML Pro (or a workload
 * manager) and a remote stack, which cannot run here. The real server's own answers (login, 401,
 * unknown pipeline) are tested in zenml-server.test.ts.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { startFakeZenml, type FakeZenml, type FakeZenmlOptions } from '../helpers/fake-zenml.js'
import { runAction } from '../helpers/run-action.js'

const KEY = 'ZENPROKEY_fake-service-account-key'
const workspace = mkdtempSync(join(tmpdir(), 'pt-zenml-target-'))
let server: FakeZenml | undefined
afterEach(() => server?.close())

async function dispatch(
  fake: Partial<FakeZenmlOptions>,
  inputs: Record<string, string>,
  dispatchInputs: Record<string, string> = { data_url: 's3://bucket/new.csv', model_type: 'gradient_boosting' }
) {
  server = await startFakeZenml({ mode: '0.98', apiKey: KEY, ...fake })
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = dispatchInputs
  const result = await runAction({
    eventName: 'workflow_dispatch',
    payload,
    workspace,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    inputs: { pipeline: 'training_pipeline', 'zenml-url': server.url, 'zenml-api-key': KEY, ...inputs }
  })
  const posts = server.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/runs'))
  return { result, posts, requests: server.requests }
}

describe('zenml target: Pro snapshots (fake of the ≥0.90 contract)', () => {
  test('pipeline-level parameters land on their steps, in the wrapped body; the run is polled to completed', async () => {
    const { result, posts } = await dispatch({}, {})
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(posts.length, 1)
    assert.equal(posts[0]!.path, '/api/v1/pipeline_snapshots/22222222-2222-4222-8222-222222222222/runs')
    const config = (posts[0]!.body as { run_configuration: Record<string, any> }).run_configuration
    assert.deepEqual(config.steps, {
      load_data: { parameters: { data_url: 's3://bucket/new.csv' } },
      train_and_evaluate: { parameters: { model_type: 'gradient_boosting' } }
    })
    assert.equal(config.run_name, 'training_pipeline-gh-9100-1-0')
    assert.ok(
      config.tags.includes('repo:octo-org/ml-repo') &&
        config.tags.some((t: string) => t.startsWith('pipeline-trigger:pt-'))
    )
    assert.ok(
      config.tags.includes('pipeline-chain-depth:1') &&
        config.tags.some((t: string) =>
          /^pipeline-chain-root:https:\/\/github\.com\/octo-org\/ml-repo\/actions\/runs\/\d+$/.test(t)
        ),
      JSON.stringify(config.tags)
    )
    assert.ok(!('build' in config) && !('schedule' in config) && !('settings' in config))
    assert.equal(result.outputs.status, 'completed')
    assert.match(result.outputs['run-url']!, /\/projects\/default\/runs\/[0-9a-f-]{36}$/)
  })

  test('an unknown parameter fails with the candidates, before any run is created', async () => {
    const { result, posts } = await dispatch({}, {}, { learning_rate: '0.1' })
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /snapshot "production-training" has no parameter "learning_rate"\. Parameters it accepts: load_data\.data_url, train_and_evaluate\.model_type/
    )
    assert.equal(posts.length, 0)
  })

  test('a snapshot name that does not exist lists the named snapshots', async () => {
    const { result } = await dispatch({}, { snapshot: 'nightly' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /has no snapshot named "nightly"\. Named snapshots: production-training\./)
  })

  test('an unknown pipeline lists the pipelines there', async () => {
    const { result } = await dispatch({}, { pipeline: 'trainign_pipeline' })
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /No pipeline named "trainign_pipeline" in project "default" .*Pipelines there: training_pipeline/
    )
  })

  test('a failed run fails the step with status_reason', async () => {
    const { result } = await dispatch({ outcome: 'failed' }, {})
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'failed')
    assert.match(result.stdout, /ended failed: Step train_and_evaluate failed: ValueError: unknown model type/)
  })

  test('a run that failed before its steps (in_progress stays true) is failed at once, not waited on', async () => {
    const { result, requests } = await dispatch({ outcome: 'failed-before-steps' }, { timeout: '10m' })
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'failed')
    assert.match(result.stdout, /ended failed: Failed to run the init hook/)
    assert.equal(
      requests.filter((r) => r.method === 'GET' && /\/api\/v1\/runs\/[0-9a-f-]{36}\?/.test(r.path)).length,
      1,
      'one poll was enough'
    )
  })

  test('on timeout, cancel-on-timeout stops the run', async () => {
    const { result, requests } = await dispatch({ outcome: 'running' }, { timeout: '2s', 'cancel-on-timeout': 'true' })
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'timed_out')
    assert.ok(requests.some((r) => r.method === 'POST' && /\/runs\/[0-9a-f-]{36}\/stop\?graceful=false$/.test(r.path)))
  })

  test('wait: false returns as soon as the run is created', async () => {
    const { result, requests } = await dispatch({ outcome: 'running' }, { wait: 'false' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs.status, 'running')
    assert.ok(!requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/v1/runs/')))
  })

  test('a lost answer to the run POST: the run is found by its name, never started twice', async () => {
    const { result, posts, requests } = await dispatch({ loseFirstRunAnswer: true }, {})
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(posts.length, 1, 'one POST: the retry found the run first')
    assert.ok(
      requests.some((r) => r.method === 'GET' && r.path.startsWith('/api/v1/runs?name=training_pipeline-gh-9100-1-0'))
    )
    assert.match(result.stdout, /the run exists \([0-9a-f-]{36}\); not starting it again/)
    assert.equal(result.outputs.status, 'completed')
  })

  test('a run-name that ZenML would expand is refused: once-only needs the exact name', async () => {
    const { result, posts } = await dispatch({}, { 'run-name': 'train-{{date}}' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /Input run-name gives "train-\{date\}": ZenML would expand its braces/)
    assert.equal(posts.length, 0)
  })

  test('zenml-url without zenml-api-key: a dry run plans without the secret, a real run is refused before any call', async () => {
    const planned = await dispatch({}, { 'zenml-api-key': '', 'dry-run': 'true' })
    assert.equal(planned.result.exitCode, 0, planned.result.stdout)
    assert.equal(planned.result.outputs.status, 'dry_run')
    assert.deepEqual(planned.requests, [], 'a dry run connects to nothing')
    await server?.close()
    const refused = await dispatch({}, { 'zenml-api-key': '' })
    assert.equal(refused.result.exitCode, 1)
    assert.match(
      refused.result.stdout,
      /::error::Inputs zenml-url and zenml-api-key go together: zenml-api-key is empty; pass the service-account key from a secret\./
    )
    assert.deepEqual(refused.requests, [])
  })

  test('dry-run: check logs in and resolves the snapshot and its parameters, and starts nothing; a bad parameter fails it', async () => {
    const checked = await dispatch({}, { 'dry-run': 'check' })
    assert.equal(checked.result.exitCode, 0, checked.result.stdout)
    assert.equal(checked.result.outputs.status, 'dry_run')
    assert.match(checked.result.stdout, /Checked on target zenml: 1 run\(s\) would start; nothing was started\./)
    assert.ok(
      checked.requests.some((r) => r.method === 'GET' && r.path.includes('/pipeline_snapshots')),
      'the snapshot was read'
    )
    assert.deepEqual(
      checked.requests.filter((r) => r.method !== 'GET' && !r.path.endsWith('/login')),
      [],
      'nothing but reads and the login'
    )
    await server?.close()
    const refused = await dispatch({}, { 'dry-run': 'check' }, { learning_rate: '0.1' })
    assert.equal(refused.result.exitCode, 1)
    assert.match(refused.result.stdout, /snapshot "production-training" has no parameter "learning_rate"/)
    assert.equal(refused.posts.length, 0)
  })

  test('dry-run: check without the key is refused like a run: it contacts the server', async () => {
    const { result, requests } = await dispatch({}, { 'zenml-api-key': '', 'dry-run': 'check' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /Inputs zenml-url and zenml-api-key go together/)
    assert.deepEqual(requests, [])
  })

  test('a wrong key: the 401 names the fix', async () => {
    const { result } = await dispatch({}, { 'zenml-api-key': 'ZENPROKEY_wrong' })
    assert.equal(result.exitCode, 1)
    assert.match(result.stdout, /HTTP 401 while logging in .*CredentialsNotValid.*Fix: the API key is wrong/)
  })
})

describe('zenml target from the config file', () => {
  test('url, project and api-key: env:NAME per target; the key is read from the environment and masked', async () => {
    server = await startFakeZenml({ mode: '0.98', apiKey: KEY })
    const dir = mkdtempSync(join(tmpdir(), 'pt-zenml-config-'))
    mkdirSync(join(dir, '.github'))
    writeFileSync(
      join(dir, '.github/pipeline-triggers.yml'),
      `version: 1\ntargets:\n  prod: {type: zenml, url: '${server.url}', project: default, api-key: 'env:PROD_ZENML_KEY', snapshot: production-training, tags: [team-ml]}\npipelines:\n  training:\n    target: prod\n    pipeline: training_pipeline\n    on: {schedule: [{parameters: {model_type: gradient_boosting}}]}\n`
    )
    const run = (env: Record<string, string>) =>
      runAction({
        eventName: 'schedule',
        payload: { schedule: '0 4 * * *', repository: { full_name: 'octo-org/ml-repo' } },
        workspace: dir,
        sha: 'c'.repeat(40),
        ref: 'refs/heads/main',
        env
      })
    const ok = await run({ PROD_ZENML_KEY: KEY })
    assert.equal(ok.exitCode, 0, ok.stdout)
    assert.ok(ok.stdout.includes(`::add-mask::${KEY}`))
    const post = server.requests.find((r) => r.method === 'POST' && r.path.endsWith('/runs'))!
    const config = (post.body as { run_configuration: { steps: object; tags: string[] } }).run_configuration
    assert.deepEqual(config.steps, { train_and_evaluate: { parameters: { model_type: 'gradient_boosting' } } })
    assert.ok(config.tags.includes('team-ml'))
    const missing = await run({})
    assert.equal(missing.exitCode, 1)
    assert.match(
      missing.stdout,
      /Target prod: the environment variable PROD_ZENML_KEY \(api-key: env:PROD_ZENML_KEY\) is empty\. Set it in the step's env: from a secret\./
    )
  })
})

describe('zenml target: many runs of one snapshot', () => {
  test('three runs read the pipeline and snapshot once, start together, and each is followed to completed', async () => {
    server = await startFakeZenml({ mode: '0.98', apiKey: KEY })
    const dir = mkdtempSync(join(tmpdir(), 'pt-zenml-many-'))
    mkdirSync(join(dir, '.github'))
    const pipelines = ['small', 'medium', 'large']
      .map(
        (size) =>
          `  ${size}: {target: prod, pipeline: training_pipeline, on: {schedule: [{parameters: {data_url: 's3://b/${size}.csv'}}]}}`
      )
      .join('\n')
    writeFileSync(
      join(dir, '.github/pipeline-triggers.yml'),
      `version: 1\ntargets:\n  prod: {type: zenml, url: '${server.url}', api-key: 'env:PROD_ZENML_KEY'}\npipelines:\n${pipelines}\n`
    )
    const result = await runAction({
      eventName: 'schedule',
      payload: { schedule: '0 4 * * *', repository: { full_name: 'octo-org/ml-repo' } },
      workspace: dir,
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      env: { PROD_ZENML_KEY: KEY }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const count = (pattern: RegExp) => server!.requests.filter((r) => pattern.test(`${r.method} ${r.path}`)).length
    assert.equal(count(/^GET \/api\/v1\/pipelines\?/), 1)
    assert.equal(count(/^GET \/api\/v1\/pipeline_snapshots\/[0-9a-f-]{36}\?/), 1)
    assert.equal(count(/^POST \/api\/v1\/pipeline_snapshots\/[0-9a-f-]{36}\/runs$/), 3)
    const runs = JSON.parse(result.outputs.runs!) as { status: string; parameters: { data_url: string } }[]
    assert.deepEqual(
      runs.map((r) => [r.status, r.parameters.data_url]),
      [
        ['completed', 's3://b/small.csv'],
        ['completed', 's3://b/medium.csv'],
        ['completed', 's3://b/large.csv']
      ]
    )
  })
})

describe('zenml target: legacy run templates (fake of the 0.63–0.85 contract, 0.74 mode)', () => {
  test('the unwrapped body carries every step parameter, ours overlaid', async () => {
    const { result, posts } = await dispatch({ mode: '0.74' }, {}, { model_type: 'gradient_boosting' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(posts[0]!.path, '/api/v1/run_templates/33333333-3333-4333-8333-333333333333/runs')
    assert.deepEqual(posts[0]!.body, {
      run_name: 'training_pipeline-gh-9100-1-0',
      steps: {
        load_data: { parameters: { data_url: 's3://example-bucket/data.csv' } },
        train_and_evaluate: { parameters: { model_type: 'gradient_boosting' } }
      }
    })
    assert.equal(result.outputs.status, 'completed')
  })
})
