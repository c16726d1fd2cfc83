/**
 * `npm run bench`: figures, not assertions. Every case runs a fixed number of times and prints
 * the median. Everything is local: git repositories in a temp directory, no network.
 *
 * 1. The action (dist/index.js, dry-run) on a push of 10,000 changed files in a 50,000-file
 *    repository, from a depth-1 checkout: wall time and peak RSS, against the shell snippet it
 *    replaces (`git fetch --depth=1 origin $before && git diff --name-status -z $before $after`)
 *    and against the bare diff alone.
 * 2. Planning 100,000 changed paths against 100 rules.
 * 3. Bundle size and start-up.
 * 4. Five overlapping waited runs against one, through the bundle, and the polls each run costs.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ChangeSet } from '../src/changes/changed-file.js'
import { GitChanges } from '../src/changes/changed-files.js'
import { createGit } from '../src/changes/git.js'
import type { Config } from '../src/config/schema.js'
import { normalizeEvent } from '../src/event/normalize-event.js'
import { planTriggers } from '../src/plan/plan.js'
import { startAcceptingReceiver } from '../test/helpers/accepting-receiver.js'
import { GitFixture } from '../test/helpers/git-fixture.js'
import { ACTION, ROOT, parseFileCommands } from '../test/helpers/run-action.js'
import { pushPayload } from '../test/helpers/scenario.js'

const RUNS = 3
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (value: number): string => `${value.toFixed(0)} ms`
function timed(body: () => void): number {
  const start = performance.now()
  body()
  return performance.now() - start
}

// 1. A 50,000-file repository; the push changes 10,000 of them. fast-import writes each commit in one process.
const git = new GitFixture()
function bulkCommit(parent: string | undefined, files: string[], content: string): string {
  const lines = ['commit refs/heads/main', 'committer B <b@example.com> 1700000000 +0000', 'data 4', 'bulk', ...(parent ? [`from ${parent}`] : [])]
  for (const file of files) lines.push(`M 100644 inline ${file}`, `data ${Buffer.byteLength(content)}`, content)
  git.gitInput(git.author, `${lines.join('\n')}\n`, 'fast-import', '--quiet', '--force')
  return git.git(git.author, 'rev-parse', 'refs/heads/main')
}
const all = Array.from({ length: 50_000 }, (_, i) => `data/set${String(i % 100).padStart(2, '0')}/part${i % 10}/row ${i}.csv`)
const before = bulkCommit(undefined, all, 'v1')
git.git(git.author, 'push', '--quiet', 'origin', 'refs/heads/main')
const after = bulkCommit(before, all.filter((_, i) => i % 5 === 0), 'v2')
git.git(git.author, 'push', '--quiet', '--force', 'origin', 'refs/heads/main')

const workspaces = (tag: string) => Array.from({ length: RUNS }, (_, i) => git.workspace('refs/heads/main', `${tag}-${i}`))
const gitEnv = { ...process.env, LC_ALL: 'C', GIT_CONFIG_NOSYSTEM: '1', HOME: git.root }

const snippet = workspaces('snippet').map((ws) =>
  timed(() => {
    execFileSync('git', ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', before], { cwd: ws, env: gitEnv })
    execFileSync('git', ['diff', '--name-status', '-z', before, after], { cwd: ws, env: gitEnv, maxBuffer: 64 << 20 })
  })
)
const diffOnly = workspaces('diff').map((ws) => {
  execFileSync('git', ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', before], { cwd: ws, env: gitEnv })
  return timed(() => execFileSync('git', ['diff', '--name-status', '-z', before, after], { cwd: ws, env: gitEnv, maxBuffer: 64 << 20 }))
})

// The same work in-process (git adapter + planning), without Node's start-up and the report.
const pushEvent = normalizeEvent({ eventName: 'push', payload: pushPayload({ ref: 'refs/heads/main', before, after }), sha: after, ref: 'refs/heads/main', repository: 'o/r', runId: '1', runAttempt: 1, serverUrl: '', workflow: '' })
const inlineConfig: Config = { version: 1, targets: { t: { type: 'command', run: ['true'] } }, pipelines: { p: { target: 't', on: { push: { paths: [{ glob: 'data/**', each: 'all', 'path-parameter': 'files' }] } } } } }
const inProcess: number[] = []
for (const ws of workspaces('in-process')) {
  const start = performance.now()
  const changes = await new GitChanges(createGit(ws), () => {}).forEvent(pushEvent)
  planTriggers(pushEvent, changes, inlineConfig, { maxRuns: 20 })
  inProcess.push(performance.now() - start)
}

const hasTime = existsSync('/usr/bin/time')
const actionRuns = workspaces('action').map((ws) => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-bench-'))
  const files = { GITHUB_OUTPUT: 'out', GITHUB_STEP_SUMMARY: 'summary' }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GIT_CONFIG_NOSYSTEM: '1',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_WORKSPACE: ws,
    GITHUB_SHA: after,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_REPOSITORY: 'octo-org/ml-repo',
    RUNNER_TEMP: dir,
    'INPUT_DRY-RUN': 'true',
    INPUT_PIPELINE: 'p',
    INPUT_COMMAND: 'true',
    INPUT_PATHS: 'data/**',
    INPUT_EACH: 'all',
    'INPUT_PATH-PARAMETER': 'files'
  }
  for (const [name, file] of Object.entries(files)) {
    env[name] = join(dir, file)
    execFileSync('touch', [join(dir, file)])
  }
  execFileSync('sh', ['-c', 'printf "%s" "$EVENT" > "$GITHUB_EVENT_PATH"'], { env: { ...env, EVENT: JSON.stringify(pushPayload({ ref: 'refs/heads/main', before, after })) } })
  const command = hasTime ? ['/usr/bin/time', ['-f', '%M', process.execPath, ACTION]] as const : [process.execPath, [ACTION]] as const
  let result: ReturnType<typeof spawnSync> | undefined
  const wall = timed(() => (result = spawnSync(command[0], [...command[1]], { env, encoding: 'utf8' })))
  const count = parseFileCommands(readFileSync(env.GITHUB_OUTPUT!, 'utf8'))['changed-files-count']
  if (result!.status !== 0 || count !== '10000') throw new Error(`the action failed: ${String(result!.stdout)}${String(result!.stderr)}`)
  const rssKb = hasTime ? Number(String(result!.stderr).trim().split('\n').at(-1)) : NaN
  return { wall, rssKb }
})
const actionWall = median(actionRuns.map((r) => r.wall))
const actionRss = median(actionRuns.map((r) => r.rssKb))
git.remove()

console.log('1. push of 10,000 changed files in a 50,000-file repository, depth-1 checkout (median of 3)')
console.log(`   the action (dist/index.js, changes + plan, dry-run): ${ms(actionWall)}, peak RSS ${hasTime ? `${(actionRss / 1024).toFixed(0)} MB` : 'n/a (no /usr/bin/time)'}`)
console.log(`   changes + plan in-process (fetch, diff, parse, plan; no Node start-up): ${ms(median(inProcess))}`)
console.log(`   shell snippet (fetch before at depth 1 + git diff -z): ${ms(median(snippet))}`)
console.log(`   bare git diff --name-status -z alone: ${ms(median(diffOnly))}`)
console.log(`   ratios: in-process / snippet ${(median(inProcess) / median(snippet)).toFixed(2)}×, whole action / snippet ${(actionWall / median(snippet)).toFixed(2)}×, whole action / bare diff ${(actionWall / median(diffOnly)).toFixed(2)}×`)

// 2. Planning: 100,000 paths × 100 rules.
const paths = Array.from({ length: 100_000 }, (_, i) => `data/set${String(i % 100).padStart(2, '0')}/part${i % 10}/row ${i}.csv`)
const changes: ChangeSet = { files: paths.map((path) => ({ path, status: 'modified' })), complete: true, base: 'a'.repeat(40), head: 'b'.repeat(40), description: 'bench' }
const event = normalizeEvent({ eventName: 'push', payload: pushPayload({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) }), sha: 'b'.repeat(40), ref: 'refs/heads/main', repository: 'o/r', runId: '1', runAttempt: 1, serverUrl: '', workflow: '' })
function configWith(glob: (i: number) => string): Config {
  const paths = Array.from({ length: 100 }, (_, i) => ({ glob: glob(i), each: 'directory' as const, 'path-parameter': 'dir', parameters: { part: '{part}' } }))
  return { version: 1, targets: { t: { type: 'command', run: ['true'] } }, pipelines: { p: { target: 't', on: { push: { paths } } } } }
}
const perFolder = configWith((i) => `data/set${String(i).padStart(2, '0')}/{part}/**/*.csv`)
const noPrefix = configWith((i) => `**/set${String(i).padStart(2, '0')}/{part}/*.csv`)
const planPerFolder = median(Array.from({ length: RUNS }, () => timed(() => planTriggers(event, changes, perFolder, { maxRuns: 1_000_000 }))))
const planNoPrefix = median(Array.from({ length: 3 }, () => timed(() => planTriggers(event, changes, noPrefix, { maxRuns: 1_000_000 }))))
const runs = planTriggers(event, changes, perFolder, { maxRuns: 1_000_000 }).requests.length
console.log('2. planning 100,000 changed paths × 100 rules (each: directory)')
console.log(`   rules on their own folders (data/setNN/{part}/**/*.csv): ${ms(planPerFolder)} for ${runs} runs (median of 3)`)
console.log(`   worst case, no literal folder (**/setNN/{part}/*.csv): ${ms(planNoPrefix)} (median of 3; every rule tests every path)`)

// 3. Bundle.
const start = median(Array.from({ length: RUNS }, () => timed(() => spawnSync(process.execPath, [ACTION], { env: { PATH: process.env.PATH, GITHUB_EVENT_NAME: 'issues', GITHUB_WORKSPACE: ROOT } }))))
console.log(`3. bundle: dist/index.js ${(statSync(ACTION).size / 1024 / 1024).toFixed(2)} MB; start to exit on an unhandled event: ${ms(start)} (median of 3)`)

// 4. Overlapping waited runs: N runs accepted with 202 that each complete 4 s later, followed by
//    one step through the bundle, against one such run. The receiver is a loopback HTTP server in
//    this process, so the action runs asynchronously beside it.
const RUN_MS = 4000
const receiver = await startAcceptingReceiver(RUN_MS)

/** Runs the bundle on a schedule event whose config fires `count` pipelines on the receiver; wall time in ms. */
async function waitedRuns(count: number): Promise<number> {
  receiver.reset()
  const ws = mkdtempSync(join(tmpdir(), 'pt-bench-wait-'))
  mkdirSync(join(ws, '.github'))
  const pipelines = Array.from({ length: count }, (_, i) => `  p${i}: {target: t, pipeline: pipeline_${i}, on: {schedule: [{cron: '0 5 * * *'}]}}`).join('\n')
  writeFileSync(join(ws, '.github/pipeline-triggers.yml'), `version: 1\ntargets:\n  t: {type: http, url: '${receiver.url}'}\npipelines:\n${pipelines}\n`)
  writeFileSync(join(ws, 'event.json'), JSON.stringify({ schedule: '0 5 * * *', repository: { full_name: 'o/r' } }))
  for (const file of ['out', 'summary']) writeFileSync(join(ws, file), '')
  const env = { PATH: process.env.PATH ?? '', HOME: ws, GITHUB_EVENT_NAME: 'schedule', GITHUB_EVENT_PATH: join(ws, 'event.json'), GITHUB_WORKSPACE: ws, GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '1', GITHUB_OUTPUT: join(ws, 'out'), GITHUB_STEP_SUMMARY: join(ws, 'summary'), RUNNER_TEMP: ws }
  const start = performance.now()
  const child = spawn(process.execPath, [ACTION], { env, stdio: 'ignore' })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const wall = performance.now() - start
  if (code !== 0 || receiver.accepted.size !== count) throw new Error(`the waited run failed (exit ${code}, ${receiver.accepted.size} of ${count} accepted)`)
  return wall
}
const one = median([await waitedRuns(1), await waitedRuns(1), await waitedRuns(1)])
const fiveWalls: number[] = []
const pollCounts: number[] = []
for (let i = 0; i < RUNS; i++) {
  fiveWalls.push(await waitedRuns(5))
  pollCounts.push(...receiver.polls.values())
}
const five = median(fiveWalls)
await receiver.close()
console.log(`4. waited runs through the bundle: each accepted with 202 and completed ${RUN_MS / 1000} s later (median of 3)`)
console.log(`   one run: ${ms(one)}; five runs: ${ms(five)}; five / one = ${(five / one).toFixed(2)}× (goal ≤ 1.3×)`)
console.log(`   polls per run: median ${median(pollCounts)}, most ${Math.max(...pollCounts)}`)
