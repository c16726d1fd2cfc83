/**
 * The airflow target through the bundle, against a REAL Airflow 3.3.2 (`airflow standalone` from
 * .venv-airflow on loopback, started once for the file) and its DAG test/fixtures/airflow/train.py:
 * a paused DAG and a bad parameter refused before any run starts; dry-run: check asking the server
 * and starting nothing; a run with typed parameters and its chain context in conf, whose XCom
 * metrics a gate reads to decide the check run; a failing run; wait: false completed by a
 * reconcile pass; a re-run of the job re-attaching to the run the first attempt started;
 * cancel-on-timeout marking the run failed and reporting it cancelled; a start whose answer was
 * lost after Airflow made the run, retried into its 409: still one run; and the published example
 * (examples/workflows/airflow-training.yml with examples/airflow-triggers.yml) run through the
 * workflow stand-in. The server's tokens live 10 s (no leeway), so every step longer than that
 * renews its minted token. GitHub is the fake of its checks API, validated against @octokit/openapi.
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
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_airflowE2eToken0123456789abcdefABCD'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'a'.repeat(40)
const JWT_LIFETIME_S = 10

let airflow: AirflowServer
let github: FakeChecks | undefined
before(async () => {
  airflow = await startAirflowServer({
    dagsFolder: join(ROOT, 'test/fixtures/airflow'),
    dags: ['train'],
    // ci: the published example's user, with the least role that triggers DAG runs.
    users: ['ci:user'],
    // Shorter than a step that waits for a run: the action must renew the token it minted.
    jwtExpirationS: JWT_LIFETIME_S
  })
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
    for (const password of Object.values(airflow.passwords))
      assert.ok(!JSON.stringify(github.requests).includes(password), 'no password reaches GitHub')
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

/** Airflow's own account of the DAG's runs, asked outside the action (with a fresh token: they live 10 s). */
async function dagRuns(): Promise<DagRun[]> {
  const reply = await fetch(`${airflow.url}/api/v2/dags/train/dagRuns?order_by=-run_after&limit=100`, {
    headers: { authorization: `Bearer ${await airflow.mint()}` }
  })
  return ((await reply.json()) as { dag_runs: DagRun[] }).dag_runs
}

async function isPaused(): Promise<boolean> {
  const reply = await fetch(`${airflow.url}/api/v2/dags/train`, {
    headers: { authorization: `Bearer ${await airflow.mint()}` }
  })
  return ((await reply.json()) as { is_paused: boolean }).is_paused
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

  test('dry-run: check asks the server and starts nothing: a good request passes, an unknown DAG fails the step', async () => {
    const before = (await dagRuns()).length
    assert.equal(await isPaused(), true, 'the DAG is still paused here')
    const good = await trigger(workspace({ learning_rate: 0.01 }, { unpause: true }), { 'dry-run': 'check' })
    assert.equal(good.exitCode, 0, good.stdout)
    assert.match(good.stdout, /Checked on target airflow: 1 run\(s\) would start; nothing was started\./)
    assert.equal(await isPaused(), true, 'unpause: true unpauses only at a start, and a check starts nothing')
    const unknown = await trigger(workspace({ learning_rate: 0.01 }, { unpause: true, dag: 'no_such_dag' }), {
      'dry-run': 'check'
    })
    assert.equal(unknown.exitCode, 1, unknown.stdout)
    assert.match(
      unknown.stdout,
      /airflow: reading DAG no_such_dag on http:\/\/127\.0\.0\.1:\d+: HTTP 404 .*Fix: the server has no DAG no_such_dag; set dag/
    )
    assert.doesNotMatch(unknown.stdout, /Checked on target/)
    assert.equal((await dagRuns()).length, before, 'no run was started')
    assert.equal(github!.checkRuns.length, 0, 'no check run was opened')
  })

  test('unpause: true, typed parameters reach the task, and its XCom metrics decide the check run', async () => {
    const result = await trigger(workspace({ learning_rate: 0.01 }, { unpause: true }))
    assert.equal(result.exitCode, 0, result.stdout)
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'completed', result.stdout)
    const [dagRunId] = run!['run-id']!.split('/').slice(1)
    const made = (await dagRuns()).find((r) => r.dag_run_id === dagRunId)!
    assert.equal(made.state, 'success')
    const { 'pipeline-context': chain, ...conf } = made.conf
    assert.deepEqual(conf, { learning_rate: 0.01 }, 'a number, not the string "0.01"')
    // The run carries its chain context where a task can read it and pass it on (a DAG run has no tags).
    const context = JSON.parse(chain as string) as { root: string; depth: number; chain: string[] }
    assert.deepEqual({ depth: context.depth, chain: context.chain }, { depth: 1, chain: ['train'] })
    assert.match(context.root, /^https:\/\/github\.com\/octo-org\/ml-repo\/actions\/runs\/\d+$/)
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
    const pass = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github: github!,
      token: TOKEN,
      env: { AIRFLOW_PASSWORD: airflow.password }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(readMetricsRecord(final.output.text)?.metrics.lr, 0.02)
  })

  test('a re-run of the job (attempt 2, rerun: reattach) follows the run the first attempt started, found through its check run, and starts none', async () => {
    const dir = workspace({ learning_rate: 0.04, sleep_s: 8 }, { unpause: true })
    const before = (await dagRuns()).length
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    const [runId] = runs(first.outputs).map((r) => r['run-id'])
    assert.equal((await dagRuns()).length, before + 1)
    const checkRunId = github!.checkRuns[0]!.id
    const second = await trigger(dir, { wait: 'true' }, '2')
    assert.equal(second.exitCode, 0, second.stdout)
    assert.match(
      second.stdout,
      new RegExp(
        `the run ${runId!.replace(/[.+]/g, '\\$&')} an earlier attempt of this job started is (running|completed): re-attached to it \\(check run ${checkRunId}\\), not starting another`
      )
    )
    assert.equal((await dagRuns()).length, before + 1, 'no second run: not even a POST answered 409')
    assert.equal(runs(second.outputs)[0]!['run-id'], runId)
    assert.equal(github!.checkRuns.length, 1, 'the same check run, completed')
    assert.equal(github!.checkRuns[0]!.current.conclusion, 'success')
    assert.equal(readMetricsRecord(github!.checkRuns[0]!.current.output.text)?.metrics.lr, 0.04)
  })

  test('cancel-on-timeout marks the run failed with a note, and the step reports it stopped', async () => {
    const result = await trigger(workspace({ sleep_s: 120 }, { unpause: true, 'cancel-on-timeout': true }), {
      timeout: '15s'
    })
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    // The step outlived its token (10 s): the 401 ("Token Expired") minted a new one, once.
    assert.match(
      result.stdout,
      /the server refused the token minted at http:\/\/127\.0\.0\.1:\d+\/auth\/token \(HTTP 401, expired\); minted a new one and trying once more/
    )
    assert.doesNotMatch(result.stdout, /HTTP 401 from/, 'no 401 reached the step as an error')
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

  test('the published example: airflow-training.yml on a push of data runs DAG train as user ci, and the gate decides the check run', async () => {
    const config = publishedConfigWith(
      'examples/airflow-triggers.yml',
      /^(\s*url: )https:\/\/airflow\.example\.com( |$)/m,
      `$1${airflow.url}$2`
    )
    // The example keeps unpause: false: the DAG is unpaused as a user would, by hand.
    await fetch(`${airflow.url}/api/v2/dags/train`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${await airflow.mint()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ is_paused: false })
    })
    const before = (await dagRuns()).length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/airflow-training.yml',
        configPath: 'examples/airflow-triggers.yml',
        config,
        repository: REPOSITORY,
        runId: '9600',
        secrets: { AIRFLOW_PASSWORD: airflow.passwords.ci! }
      },
      async ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        const all = await dagRuns()
        const made = all.slice(0, all.length - before)
        assert.equal(made.length, 1, 'one DAG run for the push')
        assert.equal(made[0]!.state, 'success')
        assert.equal(made[0]!.conf.learning_rate, 0.01, "the example's parameter")
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', log)
        // The gate's row in the check run (Markdown-escaped), next to the metrics it read.
        assert.match(check.output.text ?? '', /\| accuracy &gt;= 0\\\.9 passed: 0\\\.9 \|/, 'the gate decided it')
        assert.equal(readMetricsRecord(check.output.text)?.metrics.accuracy, 0.9)
        // Only in the ::add-mask:: command, which the runner consumes to hide it.
        const password = airflow.passwords.ci!
        assert.ok(log.includes(`::add-mask::${password}`), 'the password is masked')
        assert.ok(!log.replaceAll(`::add-mask::${password}`, '').includes(password), 'the password is in no log line')
      }
    )
  })
})
