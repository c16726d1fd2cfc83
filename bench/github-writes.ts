/**
 * `npm run bench -- github-writes`: what the process's write budget (src/github/request-budget.ts)
 * costs a step, through the bundle, against the fake GitHub checks API (every body checked against
 * GitHub's OpenAPI description), which timestamps every write:
 * - N waited 4 s runs of the http target, each with its check run opened and completed (two
 *   writes per run), against one such run, for N = 5 and 20: the overlapping-runs measure of
 *   run.ts, with the verdict on;
 * - 100 such runs: how long their 200 writes take, and the most writes any rolling minute held
 *   at the fake (GitHub's limit: 80);
 * - a reconcile pass over 50 ended runs on 25 commits (the check runs 50 `wait: false` trigger
 *   steps left open): its wall time and its GitHub calls.
 * BENCH_ACTION runs another bundle (the one before a change, built elsewhere) the same way.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startAcceptingReceiver } from '../scripts/lib/accepting-receiver.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../scripts/lib/fake-github-checks.js'
import { startFakeZenml } from '../scripts/lib/fake-zenml.js'
import { ACTION, runAction } from '../scripts/lib/run-action.js'

const BUNDLE = process.env.BENCH_ACTION ?? ACTION
const TOKEN = 'ghs_benchWorkflowToken0123456789abcdefgh'
const REPOSITORY = 'octo-org/ml-repo'
const RUN_MS = 4000
const MINUTE_MS = 60_000
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

/** The fake GitHub, with the time of every write it was sent. */
async function fakeGitHub(): Promise<{ github: FakeChecks; writes: number[] }> {
  const writes: number[] = []
  const github = await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: {
        kind: 'installation',
        appId: GITHUB_ACTIONS_APP_ID,
        permissions: { checks: 'write', actions: 'read', pull_requests: 'write' }
      }
    },
    latency: ({ method }) => {
      if (method !== 'GET' && method !== 'HEAD') writes.push(performance.now())
      return 0
    }
  })
  return { github, writes }
}

/** The most writes within any rolling minute. */
function busiestMinute(writes: number[]): number {
  const sorted = [...writes].sort((a, b) => a - b)
  let most = 0
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while (sorted[last]! - sorted[first]! >= MINUTE_MS) first++
    most = Math.max(most, last - first + 1)
  }
  return most
}

interface WaitedRuns {
  wall: number
  writes: number
  /** From the first write to the last. */
  writeSpan: number
  busiestMinute: number
}

/** One step through the bundle that starts `count` 4 s runs, waits for them, and opens and completes a check run for each. */
async function waitedRunsWithChecks(count: number): Promise<WaitedRuns> {
  const receiver = await startAcceptingReceiver(RUN_MS)
  const { github, writes } = await fakeGitHub()
  const workspace = mkdtempSync(join(tmpdir(), 'pt-bench-writes-'))
  mkdirSync(join(workspace, '.github'))
  const pipelines = Array.from(
    { length: count },
    (_, i) => `  p${i}: {target: t, pipeline: pipeline_${i}, on: {schedule: [{cron: '0 5 * * *'}]}}`
  ).join('\n')
  writeFileSync(
    join(workspace, '.github/pipeline-triggers.yml'),
    `version: 1\ntargets:\n  t: {type: http, url: '${receiver.url}'}\npipelines:\n${pipelines}\n`
  )
  const start = performance.now()
  const run = await runAction({
    action: BUNDLE,
    eventName: 'schedule',
    payload: { schedule: '0 5 * * *', repository: { full_name: REPOSITORY } },
    workspace,
    repository: REPOSITORY,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'check-run', 'max-runs': String(count) },
    env: { GITHUB_API_URL: github.url },
    timeoutMs: 600_000
  })
  const wall = performance.now() - start
  const completed = github.checkRuns.filter((c) => c.current.conclusion === 'success').length
  if (run.exitCode !== 0 || receiver.accepted.size !== count || completed !== count)
    throw new Error(
      `${count} waited runs: exit ${run.exitCode}, ${receiver.accepted.size} accepted, ${completed} check runs completed: ${run.stdout.slice(-2000)}`
    )
  if (github.contractErrors.length) throw new Error(`GitHub contract: ${github.contractErrors.join('\n')}`)
  await Promise.all([receiver.close(), github.close()])
  return {
    wall,
    writes: writes.length,
    writeSpan: writes.length ? Math.max(...writes) - Math.min(...writes) : 0,
    busiestMinute: busiestMinute(writes)
  }
}

/** 50 runs on 25 commits left open by `wait: false` trigger steps, once ended; then the one reconcile pass that completes them. */
async function reconcileFifty(): Promise<{ wall: number; calls: number; writes: number }> {
  const ZENML_KEY = 'ZENPROKEY_bench-service-account-key'
  const zenml = await startFakeZenml({ mode: '0.98', apiKey: ZENML_KEY, runMs: 1 })
  const { github } = await fakeGitHub()
  const commits = Array.from({ length: 25 }, (_, i) => i.toString(16).padStart(2, '0').repeat(20))
  commits.forEach((sha, i) =>
    github.seedWorkflowRun({ id: 9100 + i, head_sha: sha, head_branch: 'main', created_at: new Date().toISOString() })
  )
  const step = (inputs: Record<string, string>, sha: string, runId: string, trigger: boolean) =>
    runAction({
      action: BUNDLE,
      eventName: trigger ? 'workflow_dispatch' : 'schedule',
      payload: trigger
        ? { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY } }
        : { schedule: '*/10 * * * *', repository: { full_name: REPOSITORY } },
      workspace: mkdtempSync(join(tmpdir(), 'pt-bench-reconcile-')),
      repository: REPOSITORY,
      sha,
      ref: 'refs/heads/main',
      runId,
      inputs: { 'zenml-url': zenml.url, 'zenml-api-key': ZENML_KEY, token: TOKEN, ...inputs },
      env: { GITHUB_API_URL: github.url },
      timeoutMs: 600_000
    })
  for (let i = 0; i < 50; i++) {
    const run = await step(
      { pipeline: 'training_pipeline', verdict: 'auto', wait: 'false' },
      commits[i % 25]!,
      String(9200 + i),
      true
    )
    if (run.exitCode !== 0) throw new Error(`trigger step ${i} failed: ${run.stdout.slice(-2000)}`)
  }
  const open = github.checkRuns.filter((c) => c.current.status === 'in_progress').length
  if (open !== 50) throw new Error(`${open} open check runs after the trigger steps, not 50`)
  await new Promise((resolve) => setTimeout(resolve, 50))
  const before = github.requests.length
  const start = performance.now()
  const pass = await step({ mode: 'reconcile' }, 'd'.repeat(40), '9300', false)
  const wall = performance.now() - start
  const made = github.requests.slice(before)
  const completed = github.checkRuns.filter((c) => c.current.status === 'completed').length
  if (pass.exitCode !== 0 || completed !== 50)
    throw new Error(
      `the reconcile pass: exit ${pass.exitCode}, ${completed} of 50 completed: ${pass.stdout.slice(-2000)}`
    )
  if (github.contractErrors.length) throw new Error(`GitHub contract: ${github.contractErrors.join('\n')}`)
  await Promise.all([zenml.close(), github.close()])
  return { wall, calls: made.length, writes: made.filter((r) => r.method !== 'GET').length }
}

/** The rows of the table: measure, figure, goal. */
export async function githubWriteRows(repeats = 3): Promise<string[][]> {
  const ms = (value: number) => `${value.toFixed(0)} ms`
  const sec = (value: number) => `${(value / 1000).toFixed(1)} s`
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}×`
  const walls = { 1: [] as number[], 5: [] as number[], 20: [] as WaitedRuns[] }
  // Interleaved, so drift on a busy machine hits every count alike.
  for (let i = 0; i < repeats; i++) {
    walls[1].push((await waitedRunsWithChecks(1)).wall)
    walls[5].push((await waitedRunsWithChecks(5)).wall)
    walls[20].push(await waitedRunsWithChecks(20))
  }
  const one = median(walls[1])
  const five = median(walls[5])
  const twenty = median(walls[20].map((r) => r.wall))
  const twentySpan = median(walls[20].map((r) => r.writeSpan))
  const hundred = await waitedRunsWithChecks(100)
  const reconcile = await reconcileFifty()
  return [
    [
      'waited runs with their check runs (2 writes each): five 4 s runs / one',
      `${ms(five)} / ${ms(one)} = **${ratio(five, one)}**`,
      '≤ 2.0×'
    ],
    [
      'the same, twenty runs / one',
      `${ms(twenty)} / ${ms(one)} = **${ratio(twenty, one)}**; their 40 writes: first to last ${ms(twentySpan)}`,
      ''
    ],
    [
      '100 waited runs: their 200 writes, first to last; the most in any rolling minute at the fake',
      `${sec(hundred.writeSpan)} (step ${sec(hundred.wall)}); **${hundred.busiestMinute}** in a minute`,
      '≤ 80 a minute'
    ],
    [
      'a reconcile pass over 50 ended runs on 25 commits',
      `**${ms(reconcile.wall)}**; ${reconcile.calls} GitHub calls (${reconcile.writes} writes)`,
      'seconds, not 50 s'
    ]
  ]
}
