/**
 * An http run followed by a later pass, through the bundle: a trigger step with `wait: false`
 * starts it and leaves its check run open; a reconcile pass, a callback (mode: report) or a re-run
 * of the job (attempt 2, rerun: reattach) asks the trigger API about it through the config file
 * target's `status-url`, with the run id its check run kept and nothing else. An inline http step
 * (inputs only) has no status-url: a later pass says so, with the config that fixes it; one described by the target-config
 * input (its keys, status-url among them) is followed by a pass given the same input. The trigger API is a scripted server on
 * loopback; a second server on another origin only records what reaches it. GitHub is the fake of
 * its checks API, validated against @octokit/openapi.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { fakeGitHubForLaterPass, type FakeChecks } from '../helpers/fake-github-checks.js'
import { runAction } from '../helpers/run-action.js'
import { scriptedServer, type ScriptedServer } from '../helpers/scripted-server.js'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'

const KEY = 'http-follow-api-key-0123456789'
/** A token the receiver puts in the status URL it answers with: that URL is never kept. */
const URL_TOKEN = 'presigned-status-token-abcdef'
const TOKEN = 'ghs_httpFollowTriggerToken0123456789abcd'
const LATER_TOKEN = 'ghs_httpFollowLaterToken0123456789abcdef'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'c'.repeat(40)
/** A run id with characters a URL path must encode. */
const RUN_ID = 'run 2026/12#1'
/** A callback's run-id is letters, digits and . _ : - only (src/inputs/settings.ts); ":" is still encoded in a path. */
const CALLBACK_RUN_ID = 'run:2026-12.1'

interface RunReply {
  status: string
  metrics?: Record<string, number>
  error?: string
}

interface Receiver {
  server: ScriptedServer
  /** The run's state as the trigger API says it. */
  run: RunReply
  /** The run's state once this many status reads have been answered. */
  later?: { after: number; run: RunReply }
  /** Answer the next status reads with a redirect to the other origin. */
  redirect: boolean
  starts(): number
  statusReads(): string[]
}

let github: FakeChecks | undefined
let receiver: Receiver | undefined
let elsewhere: ScriptedServer | undefined
afterEach(async () => {
  if (github) assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
  if (receiver) assert.deepEqual(receiver.server.scriptErrors, [])
  // The key goes to the trigger URL's origin only: the other origin never heard from the action.
  if (elsewhere) assert.deepEqual(elsewhere.requests, [], 'nothing reached another origin')
  // Neither the key nor the status URL the receiver answered with reaches GitHub (check runs, outputs of the verdict).
  if (github)
    for (const secret of [KEY, URL_TOKEN])
      assert.ok(!JSON.stringify(github.requests).includes(secret), `${secret} never reaches GitHub`)
  await Promise.all([github?.close(), receiver?.server.close(), elsewhere?.close()])
  github = receiver = elsewhere = undefined
})

async function start(runId = RUN_ID): Promise<{ github: FakeChecks; receiver: Receiver; elsewhere: ScriptedServer }> {
  github = await fakeGitHubForLaterPass(REPOSITORY, TOKEN, LATER_TOKEN)
  elsewhere = await scriptedServer(() => ({ status: 200, body: { status: 'completed' } }))
  const other = elsewhere
  const state: Receiver = {
    server: undefined as unknown as ScriptedServer,
    run: { status: 'running' },
    redirect: false,
    starts: () => state.server.requests.filter((r) => r.method === 'POST').length,
    statusReads: () => state.server.requests.filter((r) => r.method === 'GET').map((r) => r.path)
  }
  state.server = await scriptedServer((request) => {
    if (request.headers['x-api-key'] !== KEY) return { status: 401, body: { detail: 'invalid or missing X-API-Key' } }
    if (request.method === 'POST' && request.path === '/trigger')
      return {
        status: 202,
        // A status URL of its own, carrying a token: the trigger step follows nothing (wait: false), a later pass uses status-url.
        headers: { location: `/status/${encodeURIComponent(runId)}?token=${URL_TOKEN}` },
        body: { run_id: runId }
      }
    const match = /^\/runs\/([^/?]+)$/.exec(request.path)
    if (request.method !== 'GET' || !match) return { status: 404, body: { detail: 'no such route' } }
    if (decodeURIComponent(match[1]!) !== runId) return { status: 404, body: { detail: 'no such run' } }
    if (state.redirect) return { status: 302, headers: { location: `${other.url}${request.path}` } }
    const run = state.later && state.statusReads().length > state.later.after ? state.later.run : state.run
    return {
      status: 200,
      body: {
        run_id: runId,
        run_url: 'https://runs.example.com/2026-12-1',
        status: run.status,
        ...(run.metrics ? { metrics: run.metrics } : {}),
        ...(run.error ? { error: run.error } : {})
      }
    }
  })
  receiver = state
  return { github, receiver, elsewhere }
}

/** The config file's http target, `keys` laid over the trigger URL, the key (from the environment) and status-url. */
function httpTarget(keys: Record<string, string | undefined> = {}): string {
  const target: Record<string, string | undefined> = {
    type: 'http',
    url: `${receiver!.server.url}/trigger`,
    'api-key': 'env:TRIGGER_API_KEY',
    'status-url': `${receiver!.server.url}/runs/{run_id}`,
    ...keys
  }
  return JSON.stringify(Object.fromEntries(Object.entries(target).filter(([, value]) => value !== undefined)))
}

/** A workspace whose .github/pipeline-triggers.yml names these targets (name → a flow mapping) and the pipeline on the first. */
function workspaceWith(prefix: string, targets: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  mkdirSync(join(dir, '.github'))
  const [first] = Object.keys(targets)
  writeFileSync(
    join(dir, '.github/pipeline-triggers.yml'),
    [
      'version: 1',
      'targets:',
      ...Object.entries(targets).map(([name, target]) => `  ${name}: ${target}`),
      'pipelines:',
      `  training_pipeline: {target: ${first}, gates: ['accuracy >= 0.9'], on: {workflow_dispatch: {inputs: all}}}`,
      ''
    ].join('\n')
  )
  return dir
}

/** The trigger step, attempt `attempt` of the same job: the config file's target trigger-api, or `inline` inputs alone. */
function trigger(inputs: Record<string, string> = {}, attempt = '1', inline = false) {
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = { data_url: 's3://bucket/new.csv' }
  return runAction({
    eventName: 'workflow_dispatch',
    payload,
    workspace: inline
      ? mkdtempSync(join(tmpdir(), 'pt-http-inline-'))
      : workspaceWith('pt-http-follow-', { 'trigger-api': httpTarget() }),
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    runAttempt: attempt,
    inputs: {
      ...(inline
        ? {
            pipeline: 'training_pipeline',
            'http-url': `${receiver!.server.url}/trigger`,
            'api-key': KEY,
            gates: 'accuracy >= 0.9'
          }
        : {}),
      token: TOKEN,
      verdict: 'auto',
      wait: 'false',
      ...inputs
    },
    env: { GITHUB_API_URL: github!.url, TRIGGER_API_KEY: KEY }
  })
}

/** A later workflow: the action in reconcile or report mode, with its own token, in a workspace with this config's targets (none: no config file). */
function followUp(
  inputs: Record<string, string>,
  targets: Record<string, string> | undefined = { 'trigger-api': httpTarget() }
) {
  return runAction({
    eventName: 'schedule',
    payload: { schedule: '*/10 * * * *', repository: { full_name: REPOSITORY } },
    workspace: targets
      ? workspaceWith('pt-http-reconcile-', targets)
      : mkdtempSync(join(tmpdir(), 'pt-http-reconcile-')),
    repository: REPOSITORY,
    sha: 'd'.repeat(40),
    ref: 'refs/heads/main',
    inputs: { token: LATER_TOKEN, ...inputs },
    env: { GITHUB_API_URL: github!.url, TRIGGER_API_KEY: KEY }
  })
}

const reconciled = (stdout: string, outputs: Record<string, string>) => {
  assert.ok(outputs.reconciled, stdout)
  const { open, completed, stillRunning, left } = JSON.parse(outputs.reconciled) as Record<string, number>
  return { open, completed, stillRunning, left }
}

describe("an http run left going (wait: false) is followed later through its config file target's status-url", () => {
  test('a reconcile pass asks the trigger API by the run id the check run kept, and completes it with the final status and metrics', async () => {
    const { github, receiver } = await start()
    const first = await trigger()
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(receiver.starts(), 1)
    const open = github.checkRuns[0]!.current
    assert.equal(open.status, 'in_progress')
    assert.equal(open.external_id, `pt1|http|trigger-api|${encodeURIComponent(RUN_ID)}`, 'the run id, nothing else')
    assert.deepEqual(receiver.statusReads(), [], 'wait: false: the trigger step reads nothing')
    github.seedWorkflowRun({ id: 9100, head_sha: SHA, created_at: new Date().toISOString() })

    // Still running: left open for the next pass.
    const running = await followUp({ mode: 'reconcile' })
    assert.equal(running.exitCode, 0, running.stdout)
    assert.deepEqual(reconciled(running.stdout, running.outputs), { open: 1, completed: 0, stillRunning: 1, left: 0 })
    assert.match(running.stdout, /pipeline: training_pipeline \(check run \d+\): still running/)
    assert.deepEqual(receiver.statusReads(), [`/runs/${encodeURIComponent(RUN_ID)}`], 'status-url with the id encoded')

    // A status reply that redirects to another origin is not followed: the key would go there.
    receiver.redirect = true
    const redirected = await followUp({ mode: 'reconcile' })
    assert.equal(redirected.exitCode, 0, redirected.stdout)
    assert.deepEqual(reconciled(redirected.stdout, redirected.outputs), {
      open: 1,
      completed: 0,
      stillRunning: 0,
      left: 1
    })
    assert.match(
      redirected.stdout,
      /the target could not be asked: .*redirected to http:\/\/127\.0\.0\.1:\d+, another origin; the action follows redirects only within http:\/\/127\.0\.0\.1:\d+, so keys never leave it/
    )
    receiver.redirect = false

    // A pass whose config puts status-url on another origin is refused before anything is sent.
    const otherOrigin = await followUp(
      { mode: 'reconcile' },
      { 'trigger-api': httpTarget({ 'status-url': `${elsewhere!.url}/runs/{run_id}` }) }
    )
    assert.equal(otherOrigin.exitCode, 0, otherOrigin.stdout)
    assert.match(
      otherOrigin.stdout,
      /the target could not be asked: Target trigger-api status-url: .* is on http:\/\/127\.0\.0\.1:\d+, another origin than the trigger URL .*; left as it is/
    )
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')

    // A pass whose config does not name the target, or gives it no status-url, says so and leaves it.
    const undescribed = await followUp({ mode: 'reconcile' }, { elsewhere: httpTarget() })
    assert.match(undescribed.stdout, /: its target "trigger-api" \(http\) is not in this config; left as it is\./)
    const noStatusUrl = await followUp(
      { mode: 'reconcile' },
      { 'trigger-api': httpTarget({ 'status-url': undefined }) }
    )
    assert.match(noStatusUrl.stdout, /: a http run cannot be followed by a later pass; left as it is\./)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')

    receiver.run = { status: 'succeeded', metrics: { accuracy: 0.93 } }
    const done = await followUp({ mode: 'reconcile' })
    assert.equal(done.exitCode, 0, done.stdout)
    assert.deepEqual(reconciled(done.stdout, done.outputs), { open: 1, completed: 1, stillRunning: 0, left: 0 })
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'success', 'accuracy >= 0.9 passed on the metrics the status reply gave')
    assert.equal(final.details_url, 'https://runs.example.com/2026-12-1')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.accuracy, 0.93)
    assert.equal(receiver.starts(), 1)
    // Every read carried the key, to the trigger URL's origin, at the URL status-url makes.
    const reads = receiver.server.requests.filter((r) => r.method === 'GET')
    assert.ok(reads.length >= 3)
    assert.ok(reads.every((r) => r.headers['x-api-key'] === KEY && r.path === `/runs/${encodeURIComponent(RUN_ID)}`))
  })

  test('an inline http step (inputs only) cannot be followed: a pass says so with the fix, and the config target it names follows the run', async () => {
    const { github, receiver } = await start()
    const first = await trigger({}, '1', true)
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github.checkRuns[0]!.current.external_id, `pt1|http|http|${encodeURIComponent(RUN_ID)}`)
    github.seedWorkflowRun({ id: 9101, head_sha: SHA, created_at: new Date().toISOString() })

    // Without a config file: no status-url anywhere, so nothing is asked; the log says why and what fixes it.
    const inline = await followUp({ mode: 'reconcile' }, undefined)
    assert.equal(inline.exitCode, 0, inline.stdout)
    assert.deepEqual(reconciled(inline.stdout, inline.outputs), { open: 1, completed: 0, stillRunning: 0, left: 1 })
    assert.match(
      inline.stdout,
      /pipeline: training_pipeline \(check run \d+\): the target could not be asked: its target "http" is an inline step's \(inputs only\), and an inline http target cannot be followed later: the inputs give no status-url to ask the run's status at\. Fix: put the target in the config file \(\.github\/pipeline-triggers\.yml\) under the name http, with status-url on the trigger URL's origin, e\.g\. targets: \{http: \{type: http, .*status-url: "https:\/\/api\.example\.com\/runs\/\{run_id\}"\}\}.*; left as it is\./
    )
    assert.deepEqual(receiver.statusReads(), [], 'nothing asked')
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')

    // The fix: the same target in the config file, named http, with status-url.
    receiver.run = { status: 'completed', metrics: { accuracy: 0.92 } }
    const fixed = await followUp({ mode: 'reconcile' }, { http: httpTarget() })
    assert.equal(fixed.exitCode, 0, fixed.stdout)
    assert.deepEqual(reconciled(fixed.stdout, fixed.outputs), { open: 1, completed: 1, stillRunning: 0, left: 0 })
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'success', 'accuracy >= 0.9, the gate the inline step recorded, passed on 0.92')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.accuracy, 0.92)
    assert.deepEqual(receiver.statusReads(), [`/runs/${encodeURIComponent(RUN_ID)}`])
    assert.equal(receiver.starts(), 1)
  })

  test('an inline http step described only by target-config (no http inputs) starts the run, and a reconcile pass with the same input follows it', async () => {
    const { github, receiver } = await start()
    // What a config file's target would say, as the target-config input: the key by its variable only.
    const inline = {
      target: 'http',
      'target-config': [
        `url: ${receiver.server.url}/trigger`,
        'api-key: env:TRIGGER_API_KEY',
        `status-url: ${receiver.server.url}/runs/{run_id}`
      ].join('\n')
    }
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: 's3://bucket/new.csv' }
    const first = await runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: mkdtempSync(join(tmpdir(), 'pt-http-target-config-')),
      repository: REPOSITORY,
      sha: SHA,
      ref: 'refs/heads/main',
      inputs: {
        pipeline: 'training_pipeline',
        gates: 'accuracy >= 0.9',
        token: TOKEN,
        verdict: 'auto',
        wait: 'false',
        ...inline
      },
      env: { GITHUB_API_URL: github.url, TRIGGER_API_KEY: KEY }
    })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(receiver.starts(), 1)
    const post = receiver.server.requests.find((r) => r.method === 'POST')!
    assert.equal(post.headers['x-api-key'], KEY, 'the key from the variable target-config names')
    assert.equal(JSON.parse(first.outputs.runs!)[0].target, 'http', 'named by its type, as inline targets are')
    assert.ok(github.checkRuns[0], first.stdout)
    assert.equal(github.checkRuns[0]!.current.external_id, `pt1|http|http|${encodeURIComponent(RUN_ID)}`)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')
    github.seedWorkflowRun({ id: 9102, head_sha: SHA, created_at: new Date().toISOString() })

    // The later pass has no config file either: the same input describes the target, with its status-url.
    receiver.run = { status: 'completed', metrics: { accuracy: 0.93 } }
    const later = await followUp({ mode: 'reconcile', ...inline }, undefined)
    assert.equal(later.exitCode, 0, later.stdout)
    assert.deepEqual(reconciled(later.stdout, later.outputs), { open: 1, completed: 1, stillRunning: 0, left: 0 })
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'success', 'accuracy >= 0.9 passed on 0.93')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.accuracy, 0.93)
    assert.deepEqual(receiver.statusReads(), [`/runs/${encodeURIComponent(RUN_ID)}`])
    for (const output of [first.stdout, later.stdout]) assert.ok(!output.replace(/::add-mask::.*/g, '').includes(KEY))

    // A secret written as a value is refused before anything is sent, naming the key and the fix, never the value.
    const refused = await followUp(
      { mode: 'reconcile', target: 'http', 'target-config': `url: ${receiver.server.url}/trigger\napi-key: ${KEY}` },
      undefined
    )
    assert.notEqual(refused.exitCode, 0)
    assert.match(
      refused.stdout,
      /Input target-config \(line 2\): api-key: expected env:NAME, .*Fix: pass the secret to the step as an environment variable/
    )
    assert.ok(!refused.stdout.replace(/::add-mask::.*/g, '').includes(KEY))
    assert.equal(receiver.starts(), 1)
  })

  test('a callback (mode: report with commit and run-id) asks the trigger API: an early one changes nothing, the payload is not the verdict', async () => {
    const { github, receiver } = await start(CALLBACK_RUN_ID)
    assert.equal((await trigger()).exitCode, 0)
    const callback = (status: string) =>
      followUp({ mode: 'report', callback: JSON.stringify({ commit: SHA, 'run-id': CALLBACK_RUN_ID, status }) })
    const early = await callback('completed')
    assert.equal(early.exitCode, 0, early.stdout)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress', 'the trigger API says running')
    receiver.run = { status: 'failed', error: 'out of memory' }
    const late = await callback('completed')
    assert.equal(late.exitCode, 0, late.stdout)
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'failure', "the trigger API's word, not the payload's")
    assert.match(final.output.title ?? '', /failed: the trigger API reports failed: out of memory/)
  })

  test('a callback for a completed run: the check run completes with its metrics', async () => {
    const { github, receiver } = await start(CALLBACK_RUN_ID)
    assert.equal((await trigger()).exitCode, 0)
    receiver.run = { status: 'completed', metrics: { accuracy: 0.81 } }
    const result = await followUp({
      mode: 'report',
      callback: JSON.stringify({ commit: SHA, 'run-id': CALLBACK_RUN_ID })
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'failure', 'accuracy >= 0.9 failed on 0.81')
    assert.match(final.output.title ?? '', /accuracy >= 0\.9 failed: 0\.81 < 0\.9/)
    assert.equal(readMetricsRecord(final.output.text)?.metrics.accuracy, 0.81)
  })

  test('a re-run of the job (attempt 2) re-attaches to the running http run instead of starting another, and follows it to its end', async () => {
    const { github, receiver } = await start()
    assert.equal((await trigger()).exitCode, 0)
    assert.equal(receiver.starts(), 1)
    const checkRunId = github.checkRuns[0]!.id
    // The run completes after the re-run's first read: it re-attaches to a running run, then follows it.
    receiver.later = { after: 1, run: { status: 'completed', metrics: { accuracy: 0.95 } } }
    const second = await trigger({ wait: 'true', timeout: '2m' }, '2')
    assert.equal(second.exitCode, 0, second.stdout)
    assert.match(
      second.stdout,
      /the run run 2026\/12#1 an earlier attempt of this job started is running: re-attached to it \(check run \d+\), not starting another/
    )
    assert.equal(receiver.starts(), 1, 'the receiver saw one start')
    assert.equal(github.checkRuns.length, 1, 'no second check run')
    const final = github.checkRuns[0]!
    assert.equal(final.id, checkRunId)
    assert.equal(final.current.conclusion, 'success')
    assert.equal(
      readMetricsRecord(final.current.output.text)?.metrics.accuracy,
      0.95,
      'metrics read after re-attaching'
    )
    assert.equal(second.outputs.status, 'completed')
  })
})
