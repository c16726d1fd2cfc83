/**
 * A later pass (src/checks/complete-open.ts) against the fake of GitHub's checks API (validated against
 * @octokit/openapi), with time given by the `now` option: the 14-day stale rule. GitHub marks a
 * check run left in progress for 14 days `stale`; a run still going 13 days after its check run
 * opened is completed `neutral` a day before, and one at 12 days is left open for the next pass.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import { GitHubClient } from '../../src/github/client.js'
import type { RunHandle, Target } from '../../src/targets/target.js'
import { FollowUp } from '../../src/checks/complete-open.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'

const TOKEN = 'ghs_followUpToken0123456789abcdefABCDEFG'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'c'.repeat(40)
const DAY = 24 * 3_600_000
/** When the trigger step opened the check run (a whole second: GitHub's timestamps have no more). */
const OPENED = Date.parse('2026-11-20T08:00:00Z')

let fake: FakeChecks | undefined
let deadline: Deadline | undefined
afterEach(async () => {
  if (fake) assert.deepEqual(fake.contractErrors, [], "requests and answers keep to GitHub's published contract")
  await fake?.close()
  deadline?.dispose()
  fake = deadline = undefined
})

/** A ZenML-like target whose run never ends: every status read says running. */
function stillRunning(asked: string[]): Target {
  return {
    name: 'prod',
    maxParallel: 1,
    inRunner: false,
    dedupesStarts: false,
    cancelOnTimeout: false,
    start: () => Promise.reject(new Error('a later pass never starts a run')),
    status: (handle: RunHandle) => {
      asked.push(handle.runId!)
      return Promise.resolve({ status: 'running', detail: 'Running', runId: handle.runId! })
    },
    follow: (runId: string) => ({ runId })
  }
}

/** The check run (or, where check runs were refused, the pending status) a wait: false step left at OPENED; then a reconcile pass `age` later. */
async function passAfter(age: number, kind: 'check-run' | 'status' = 'check-run') {
  let time = OPENED
  fake = await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: {
        kind: 'installation',
        appId: GITHUB_ACTIONS_APP_ID,
        permissions: { checks: 'write', statuses: 'write', actions: 'read' }
      }
    },
    now: () => time
  })
  deadline = new Deadline(realClock, 60_000)
  const client = new GitHubClient({ token: TOKEN, apiUrl: fake.url, deadline, clock: realClock, log: () => {} })
  const [owner, repo] = REPOSITORY.split('/') as [string, string]
  const what = kind === 'check-run' ? 'opening a check run' : 'setting a pending status'
  const { data: opened } = await client.call<{ data: { id: number } }>(
    what,
    { permission: `\`${kind === 'check-run' ? 'checks' : 'statuses'}: write\`` },
    (octokit) =>
      kind === 'check-run'
        ? octokit.rest.checks.create({
            owner,
            repo,
            head_sha: SHA,
            name: 'pipeline: training_pipeline',
            external_id: 'pt1|zenml|prod|run-1',
            status: 'in_progress',
            output: { title: 'training_pipeline running', summary: '| Status | running |' }
          })
        : octokit.rest.repos.createCommitStatus({
            owner,
            repo,
            sha: SHA,
            state: 'pending',
            context: 'pipeline: training_pipeline',
            description: 'training_pipeline running · run run-1 on prod (zenml)'
          })
  )
  fake.seedWorkflowRun({ id: 9100, head_sha: SHA, created_at: new Date(OPENED).toISOString() })
  time = OPENED + age
  const asked: string[] = []
  const logs: string[] = []
  const followUp = new FollowUp({
    client,
    repository: REPOSITORY,
    targetFor: (ref) => Promise.resolve(ref.target === 'prod' ? stillRunning(asked) : undefined),
    now: () => time,
    signal: deadline.signal,
    log: (message) => logs.push(message)
  })
  const result = await followUp.complete(await followUp.findOpen())
  const checkRun = fake.checkRuns.find((c) => c.id === opened.id)!
  return { result, checkRun, statuses: fake.statuses.map((s) => s.current), asked, logs }
}

describe('the 14-day stale rule', () => {
  test('a run still going 13 days after its check run opened: completed neutral, saying so, a day before GitHub marks it stale', async () => {
    const { result, checkRun, asked } = await passAfter(13 * DAY)
    assert.deepEqual(asked, ['run-1'], 'the target was asked')
    assert.deepEqual({ ...result, githubCalls: 0 }, { open: 1, completed: 1, stillRunning: 0, left: 0, githubCalls: 0 })
    assert.equal(checkRun.current.status, 'completed')
    assert.equal(checkRun.current.conclusion, 'neutral')
    assert.match(
      checkRun.current.output.title ?? '',
      /^training_pipeline running: still running after 13d; GitHub marks/
    )
    assert.equal(checkRun.current.completed_at, new Date(OPENED + 13 * DAY).toISOString().replace('.000', ''))
  })

  test('the same run at 12 days: left open for the next pass, no call to complete it', async () => {
    const { result, checkRun, asked, logs } = await passAfter(12 * DAY)
    assert.deepEqual(asked, ['run-1'])
    assert.deepEqual({ ...result, githubCalls: 0 }, { open: 1, completed: 0, stillRunning: 1, left: 0, githubCalls: 0 })
    assert.equal(checkRun.current.status, 'in_progress')
    assert.deepEqual(
      checkRun.history.map((h) => h.method),
      ['POST'],
      'never updated'
    )
    assert.match(logs.join('\n'), /still Running after 12d/)
  })
})

describe('the same rule for a pending commit status (check runs refused)', () => {
  test('still going 13 days after the pending status: success, with neutral and why, naming the same run', async () => {
    const { result, statuses, asked } = await passAfter(13 * DAY, 'status')
    assert.deepEqual(asked, ['run-1'])
    assert.deepEqual({ ...result, githubCalls: 0 }, { open: 1, completed: 1, stillRunning: 0, left: 0, githubCalls: 0 })
    assert.equal(statuses.length, 2)
    const final = statuses[1]!
    assert.deepEqual([final.context, final.state], ['pipeline: training_pipeline', 'success'])
    assert.match(
      final.description ?? '',
      /^training_pipeline neutral: still running after 13d; .*· run run-1 on prod \(zenml\)$/
    )
    assert.ok(final.description!.length <= 140)
  })

  test('at 12 days: left pending, nothing set', async () => {
    const { result, statuses } = await passAfter(12 * DAY, 'status')
    assert.deepEqual({ ...result, githubCalls: 0 }, { open: 1, completed: 0, stillRunning: 1, left: 0, githubCalls: 0 })
    assert.deepEqual(
      statuses.map((s) => s.state),
      ['pending']
    )
  })
})
