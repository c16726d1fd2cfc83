/**
 * Cancelling the job, through the bundle: the runner sends SIGINT (SIGTERM 7.5 s later, then kills
 * the tree). The step ends as at its deadline, at once: a pipeline running in the runner is stopped
 * with its whole process group (nothing survives), a remote run is stopped where cancel-on-timeout
 * consents, and the check runs are completed as cancelled.
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { test } from 'node:test'
import type { ChildProcess } from 'node:child_process'
import { webhookExample } from '../helpers/events.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks } from '../helpers/fake-github-checks.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { runAction } from '../helpers/run-action.js'

const KEY = 'ZENPROKEY_fake-service-account-key'
const TOKEN = 'ghs_cancelTokenForTests0123456789abcdefg'

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function until(condition: () => boolean, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(50)
  }
}

function dispatch() {
  const payload = webhookExample('workflow_dispatch')
  payload.inputs = { data_url: 's3://bucket/new.csv' }
  return payload
}

test('SIGINT: the pipeline running in the runner is stopped with its process group, and the step says cancelled', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cancel-'))
  const pidFile = join(dir, 'pid')
  let action: ChildProcess | undefined
  const running = runAction({
    eventName: 'workflow_dispatch',
    payload: dispatch(),
    workspace: dir,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    // A wrapper (bash) and the pipeline it starts (sleep): both must go.
    inputs: {
      pipeline: 'training_pipeline',
      target: 'command',
      command: ['bash', '-c', 'sleep 60 & echo $! > "$PID_FILE"; wait'].join('\n'),
      timeout: '5m'
    },
    env: { PID_FILE: pidFile },
    onStart: (child) => (action = child)
  })
  await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '', 'the pipeline to start')
  const pipeline = Number(readFileSync(pidFile, 'utf8').trim())
  assert.ok(alive(pipeline))
  const sent = Date.now()
  action!.kill('SIGINT')
  const result = await running
  const took = Date.now() - sent
  assert.equal(result.exitCode, 1, result.stdout)
  assert.ok(took < 5_000, `ended ${took} ms after SIGINT; the runner kills the tree after 10 s`)
  assert.match(result.stdout, /SIGINT: the job is being cancelled; stopping what this step started/)
  assert.deepEqual(
    JSON.parse(result.outputs.runs!).map((r: { status: string }) => r.status),
    ['cancelled']
  )
  await until(() => !alive(pipeline), 'the pipeline process to be gone', 3_000)
})

test('SIGTERM: a remote run is stopped where cancel-on-timeout consents, and its check run completes cancelled', async () => {
  const zenml = await startFakeZenml({ mode: '0.98', apiKey: KEY, outcome: 'running' })
  const github = await startFakeGitHubChecks({
    repository: 'octo-org/ml-repo',
    tokens: { [TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } } }
  })
  try {
    let action: ChildProcess | undefined
    const running = runAction({
      eventName: 'workflow_dispatch',
      payload: dispatch(),
      workspace: mkdtempSync(join(tmpdir(), 'pt-cancel-remote-')),
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      inputs: {
        pipeline: 'training_pipeline',
        'zenml-url': zenml.url,
        'zenml-api-key': KEY,
        'cancel-on-timeout': 'true',
        token: TOKEN,
        verdict: 'auto',
        timeout: '5m'
      },
      env: { GITHUB_API_URL: github.url },
      onStart: (child) => (action = child)
    })
    await until(() => github.checkRuns.length === 1, 'the check run to open')
    action!.kill('SIGTERM')
    const result = await running
    assert.equal(result.exitCode, 1, result.stdout)
    assert.ok(
      zenml.requests.some((r) => r.method === 'POST' && /\/runs\/[0-9a-f-]{36}\/stop/.test(r.path)),
      'the ZenML run was stopped'
    )
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'cancelled')
    assert.match(final.output.title ?? '', /the job was cancelled \(SIGTERM\)/)
    assert.deepEqual(github.contractErrors, [])
  } finally {
    await github.close()
    await zenml.close()
  }
})
