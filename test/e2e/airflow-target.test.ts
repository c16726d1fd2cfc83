/**
 * The airflow target through the bundle, against a REAL Airflow 3.3.2 (`airflow standalone` from
 * .venv-airflow on loopback, started once for the file) and its DAG test/fixtures/airflow/train.py:
 * a paused DAG and a bad parameter refused before any run starts; a run with typed parameters
 * whose XCom metrics a gate reads to decide the check run; a failing run; wait: false completed by
 * a reconcile pass; cancel-on-timeout marking the run failed and reporting it cancelled; and a
 * start whose answer was lost after Airflow made the run, retried into its 409: still one run.
 * GitHub is the fake of its checks API, validated against @octokit/openapi.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'
import { startAirflowServer, type AirflowServer } from '../helpers/airflow-server.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { ROOT, runAction } from '../helpers/run-action.js'

const TOKEN = 'ghs_airflowE2eToken0123456789abcdefABCD'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'a'.repeat(40)

let airflow: AirflowServer
let github: FakeChecks | undefined
before(async () => {
  airflow = await startAirflowServer({ dagsFolder: join(ROOT, 'test/fixtures/airflow'), dags: ['train'] })
  console.log(`Airflow ${airflow.url} ready in ${(airflow.startedInMs / 1000).toFixed(1)} s`)
})
const workspaces: string[] = []
after(async () => {
  await airflow?.stop()
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    // Neither the password nor the token minted with it reaches GitHub.
    assert.ok(!JSON.stringify(github.requests).includes(airflow.password), 'the password never reaches GitHub')
    assert.ok(!JSON.stringify(github.requests).includes(airflow.token.split('.')[2]!), 'no JWT reaches GitHub')
  }
  await github?.close()
  github = undefined
})

interface DagRun {
  dag_run_id: string
  state: string
  conf: Record<string, unknown>
  note: string | null
}

/** Airflow's own account of the DAG's runs, asked outside the action. */
async function dagRuns(): Promise<DagRun[]> {
  const reply = await fetch(`${airflow.url}/api/v2/dags/train/dagRuns?order_by=-run_after`, {
    headers: { authorization: `Bearer ${airflow.token}` }
  })
  return ((await reply.json()) as { dag_runs: DagRun[] }).dag_runs
}

async function until<T>(what: string, read: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = await read()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error(`${what} did not happen within ${ms / 1000} s`)
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** The config file: target airflow (login with the generated admin, metrics from task train), pipeline train. */
function workspace(parameters: Record<string, unknown>, target: Record<string, unknown> = {}, url = airflow.url) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-airflow-e2e-'))
  workspaces.push(dir)
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: {
      airflow: {
        type: 'airflow',
        url,
        username: airflow.username,
        password: 'env:AIRFLOW_PASSWORD',
        'metrics-task': 'train',
        ...target
      }
    },
    pipelines: {
      train: { target: 'airflow', gates: ['accuracy >= 0.9'], on: { workflow_dispatch: { parameters } } }
    }
  }
  // JSON is YAML.
  writeFileSync(join(dir, '.github/pipeline-triggers.yml'), JSON.stringify(config, null, 2))
  return dir
}

async function trigger(
  dir: string,
  inputs: Record<string, string> = {},
  attempt = '1'
): Promise<Awaited<ReturnType<typeof runAction>>> {
  github ??= await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write', actions: 'read' } }
    }
  })
  return runAction({
    eventName: 'workflow_dispatch',
    payload: { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY }, workflow: 'ml.yml' },
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    runAttempt: attempt,
    inputs: { token: TOKEN, verdict: 'auto', timeout: '2m', ...inputs },
    env: { GITHUB_API_URL: github.url, AIRFLOW_PASSWORD: airflow.password }
  })
}

const runs = (outputs: Record<string, string>) =>
  JSON.parse(outputs.runs ?? '[]') as { status: string; 'run-id'?: string }[]

describe('airflow target against a real Airflow 3.3.2', () => {
  test('a paused DAG is refused before any run starts, with the fix', async () => {
    const before = (await dagRuns()).length
    const result = await trigger(workspace({ learning_rate: 0.01 }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /airflow: reading DAG train on http:\/\/127\.0\.0\.1:\d+: the DAG is paused; a run of it would be accepted and then wait forever\. Fix: unpause it .*or set unpause: true on target airflow/
    )
    assert.equal((await dagRuns()).length, before, 'no run was started')
    // The password reaches the log only in the ::add-mask:: command, which the runner consumes to hide it.
    assert.ok(!result.stdout.replace(`::add-mask::${airflow.password}`, '').includes(airflow.password))
  })

  test('a parameter of the wrong type and an unknown one are refused before any run starts', async () => {
    const before = (await dagRuns()).length
    const wrong = await trigger(workspace({ learning_rate: 'fast' }, { unpause: true }))
    assert.equal(wrong.exitCode, 1, wrong.stdout)
    assert.match(wrong.stdout, /param learning_rate of DAG train is number, and the parameter gives "fast"/)
    const unknown = await trigger(workspace({ learning_rat: 0.01 }, { unpause: true }))
    assert.match(
      unknown.stdout,
      /DAG train has no param "learning_rat"; its params: learning_rate \(number\), fail \(boolean\), sleep_s \(number\)/
    )
    assert.equal((await dagRuns()).length, before, 'no run was started')
  })

  test('unpause: true, typed parameters reach the task, and its XCom metrics decide the check run', async () => {
    const result = await trigger(workspace({ learning_rate: 0.01 }, { unpause: true }))
    assert.equal(result.exitCode, 0, result.stdout)
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'completed', result.stdout)
    const [dagRunId] = run!['run-id']!.split('/').slice(1)
    const made = (await dagRuns()).find((r) => r.dag_run_id === dagRunId)!
    assert.equal(made.state, 'success')
    assert.deepEqual(made.conf, { learning_rate: 0.01 }, 'a number, not the string "0.01"')
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success', 'accuracy >= 0.9 passed on the XCom metrics')
    assert.equal(check.details_url, `${airflow.url}/dags/train/runs/${dagRunId}`)
    const metrics = readMetricsRecord(check.output.text)?.metrics
    assert.equal(metrics?.accuracy, 0.9)
    assert.equal(metrics?.lr, 0.01)
  })

  test('a failing task fails the run and its check run', async () => {
    const result = await trigger(workspace({ fail: true }, { unpause: true }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(runs(result.outputs)[0]!.status, 'failed')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'failure')
    assert.match(github!.checkRuns[0]!.current.output.title ?? '', /failed \(failed tasks: train\)/)
  })

  test('wait: false leaves the check run open; a reconcile pass completes it from Airflow', async () => {
    const dir = workspace({ learning_rate: 0.02, sleep_s: 2 }, { unpause: true })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github!.checkRuns[0]!.current.status, 'in_progress')
    const [dagRunId] = runs(first.outputs)[0]!['run-id']!.split('/').slice(1)
    await until('the run to succeed', async () =>
      (await dagRuns()).find((r) => r.dag_run_id === dagRunId && r.state === 'success')
    )
    github!.seedWorkflowRun({ id: 9200, head_sha: SHA, created_at: new Date().toISOString() })
    const pass = await runAction({
      eventName: 'schedule',
      payload: { schedule: '*/10 * * * *', repository: { full_name: REPOSITORY } },
      workspace: dir,
      repository: REPOSITORY,
      sha: 'd'.repeat(40),
      ref: 'refs/heads/main',
      inputs: { token: TOKEN, mode: 'reconcile' },
      env: { GITHUB_API_URL: github!.url, AIRFLOW_PASSWORD: airflow.password }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.lr, 0.02)
  })

  test('cancel-on-timeout marks the run failed with a note, and the step reports it stopped', async () => {
    const result = await trigger(workspace({ sleep_s: 120 }, { unpause: true, 'cancel-on-timeout': true }), {
      timeout: '15s'
    })
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    const [dagRunId] = run!['run-id']!.split('/').slice(1)
    const stopped = (await dagRuns()).find((r) => r.dag_run_id === dagRunId)!
    assert.equal(stopped.state, 'failed')
    assert.match(stopped.note ?? '', /^Stopped by pipeline-trigger/)
  })

  test('a start whose answer was lost after Airflow made the run is retried into its 409: one run, followed to its end', async () => {
    let lost = 0
    // Forwards everything; the first trigger POST reaches Airflow, and its answer is then dropped.
    const proxy = createServer((req, res) => {
      const target = new URL(req.url ?? '/', airflow.url)
      const forward = httpRequest(
        target,
        { method: req.method, headers: { ...req.headers, host: target.host } },
        (answer) => {
          if (req.method === 'POST' && req.url?.endsWith('/dagRuns') && lost++ === 0) {
            answer.resume()
            answer.on('end', () => req.socket.resetAndDestroy())
            return
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      forward.on('error', () => res.destroy())
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      const before = (await dagRuns()).length
      const result = await trigger(workspace({ learning_rate: 0.03 }, { unpause: true }, url))
      assert.equal(result.exitCode, 0, result.stdout)
      assert.equal(lost, 2, 'the first POST lost its answer, the second got 409')
      assert.match(result.stdout, /already exists \(an earlier start\); following it/)
      assert.equal((await dagRuns()).length, before + 1, 'exactly one run')
      assert.equal(runs(result.outputs)[0]!.status, 'completed')
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
