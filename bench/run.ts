/**
 * `npm run bench`: figures, not assertions. Each case runs a fixed number of times and prints
 * the median. Everything is local: git repositories in a temp directory, no network.
 *
 * 1. planning: 10,000 changed files against capture globs (pure code);
 * 2. changed files from git: a push of 5,000 changed files seen from a depth-1 checkout;
 * 3. the bundle: start-up of `node dist/index.js` on an event it does not handle.
 */
import { spawnSync } from 'node:child_process'
import { statSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import type { ChangeSet } from '../src/changes/changed-file.js'
import { GitChanges } from '../src/changes/changed-files.js'
import { createGit } from '../src/changes/git.js'
import type { Config } from '../src/config/schema.js'
import { normalizeEvent } from '../src/event/normalize-event.js'
import { planTriggers } from '../src/plan/plan.js'
import { GitFixture } from '../test/helpers/git-fixture.js'
import { ACTION, ROOT } from '../test/helpers/run-action.js'
import { pushPayload } from '../test/helpers/scenario.js'

async function median(runs: number, body: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const start = performance.now()
    await body()
    times.push(performance.now() - start)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!
}

const fmt = (ms: number): string => `${ms.toFixed(1)} ms`

// 1. Planning
const files = Array.from({ length: 10_000 }, (_, i) => ({ path: `data/set${i % 50}/part${i}/file ${i}.csv`, status: 'modified' as const }))
const changes: ChangeSet = { files, complete: true, base: 'a'.repeat(40), head: 'b'.repeat(40), description: 'bench' }
const config: Config = {
  version: 1,
  targets: { t: { type: 'command', run: ['true'] } },
  pipelines: {
    p: { target: 't', on: { push: { paths: [{ glob: 'data/{dataset}/**/*.csv', each: 'directory', 'path-parameter': 'dir', parameters: { ds: '{dataset}' } }] } } }
  }
}
const event = normalizeEvent({ eventName: 'push', payload: pushPayload({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) }), sha: 'b'.repeat(40), ref: 'refs/heads/main', repository: 'o/r', runId: '1', runAttempt: 1, serverUrl: '', workflow: '' })
const planMs = await median(5, () => planTriggers(event, changes, config, { maxRuns: 100_000 }))
console.log(`plan: 10,000 changed files, capture glob, each: directory → 10,000 runs: ${fmt(planMs)} (median of 5)`)

// 2. Changed files from git, depth-1 checkout
const git = new GitFixture()
const before = git.commit(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`data/d${i % 100}/f${i}.csv`, 'v1'])))
git.push('refs/heads/main')
const after = git.commit(Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`data/d${i % 100}/f${i}.csv`, 'v2'])))
git.push('refs/heads/main')
let gitCalls = 0
let listed = 0
// Fresh depth-1 workspaces, made before timing: each run must fetch `before` itself.
const workspaces = Array.from({ length: 5 }, (_, i) => git.workspace('refs/heads/main', `bench-ws-${i}`))
const gitMs = await median(5, async () => {
  const workspace = workspaces.pop()!
  const real = createGit(workspace)
  const counting = { run: (args: string[]) => (gitCalls++, real.run(args)) }
  const pushEvent = normalizeEvent({ eventName: 'push', payload: pushPayload({ ref: 'refs/heads/main', before, after }), sha: after, ref: 'refs/heads/main', repository: 'o/r', runId: '1', runAttempt: 1, serverUrl: '', workflow: '' })
  listed = (await new GitChanges(counting, () => {}).forEvent(pushEvent))!.files.length
})
console.log(`changed files: push of ${listed} changed files, depth-1 checkout (fetch before + diff): ${fmt(gitMs)} (median of 5), ${gitCalls / 5} git processes per run`)
git.remove()

// 3. Bundle start-up
const size = statSync(ACTION).size
const startMs = await median(5, () =>
  spawnSync(process.execPath, [ACTION], { env: { PATH: process.env.PATH, GITHUB_EVENT_NAME: 'issues', GITHUB_WORKSPACE: ROOT, RUNNER_TEMP: join(ROOT, 'node_modules/.cache') } })
)
console.log(`bundle: dist/index.js ${(size / 1024 / 1024).toFixed(2)} MB, start to exit on an unhandled event: ${fmt(startMs)} (median of 5)`)
