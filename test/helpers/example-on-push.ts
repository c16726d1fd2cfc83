/**
 * A published example workflow run for real on a push of data, as GitHub would run it: a
 * repository holding the example's config file, a push to main that changes the data, the runner
 * stand-in (workflow-runner.ts) with a GitHub whose job token has exactly `checks: write`. Each
 * target's e2e file runs its own example against its real server or validated stand-in this way.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from './fake-github-checks.js'
import { GitFixture } from './git-fixture.js'
import { FAKE_TOKEN, ROOT } from './run-action.js'
import { pushPayload } from './scenario.js'
import { WorkflowRunner, type RunnerOptions } from './workflow-runner.js'

/**
 * The published config file with one line changed by `pattern` (its url or endpoint onto the
 * test's server), asserting that exactly that one line differs: the rest is what users copy.
 */
export function publishedConfigWith(path: string, pattern: RegExp, replacement: string): string {
  const published = readFileSync(join(ROOT, path), 'utf8')
  const config = published.replace(pattern, replacement)
  const [lines, changed] = [published.split('\n'), config.split('\n')]
  assert.equal(changed.length, lines.length, `${path}: the replacement keeps the line count`)
  assert.equal(
    lines.filter((line, i) => line !== changed[i]).length,
    1,
    `${path}: exactly one line differs from the published file`
  )
  return config
}

export interface ExampleRun {
  /** The workflow's result: success or failure. */
  result: 'success' | 'failure'
  /** Every job's log, headed by its name and result. */
  log: string
  /** The GitHub the job wrote its check runs to. */
  github: FakeChecks
  /** The pushed commit. */
  tip: string
}

/**
 * Runs `workflow` on a push to main of `repository`, whose tree holds `config` at `configPath`
 * and a data file the push changes; `check` asserts on the run, and everything is cleaned up after.
 */
export async function runExampleOnPush(
  options: {
    workflow: string
    configPath: string
    config: string
    repository: string
    runId?: string
    /** Values that must never reach GitHub, beside the secrets' (a token an auth step mints). */
    credentials?: string[]
  } & Pick<RunnerOptions, 'secrets' | 'env' | 'awsRoles'>,
  check: (run: ExampleRun) => Promise<void> | void
): Promise<void> {
  const git = new GitFixture()
  let github: FakeChecks | undefined
  try {
    const base = git.commit({ [options.configPath]: options.config, 'data/train.csv': 'x,y\n1,0\n' })
    git.push('refs/heads/main')
    const tip = git.commit({ 'data/train.csv': 'x,y\n1,0\n2,1\n' }, 'more data')
    git.push('refs/heads/main')
    github = await startFakeGitHubChecks({
      repository: options.repository,
      tokens: {
        [FAKE_TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } }
      }
    })
    const runner = new WorkflowRunner({
      event: {
        name: 'push',
        payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip, repository: options.repository }),
        sha: tip,
        ref: 'refs/heads/main'
      },
      runId: options.runId ?? '9700',
      checkout: () => git.workspace('refs/heads/main'),
      ...(options.secrets ? { secrets: options.secrets } : {}),
      ...(options.awsRoles ? { awsRoles: options.awsRoles } : {}),
      env: { ...options.env, GITHUB_API_URL: github.url }
    })
    const { result } = await runner.run(options.workflow)
    const log = runner.jobs.map((job) => `== ${job.name}: ${job.result}\n${job.log}`).join('\n')
    await check({ result, log, github, tip })
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    const sent = JSON.stringify(github.requests)
    for (const credential of [...Object.values(options.secrets ?? {}), ...(options.credentials ?? [])])
      assert.ok(!sent.includes(credential), 'no credential reaches GitHub')
  } finally {
    await github?.close()
    git.remove()
  }
}
