/**
 * The verdict on the commit (src/checks/commit-verdict.ts) against the fake of GitHub's checks and
 * statuses API (validated against @octokit/openapi): a refusal costs one attempt for the step, is
 * said once, and the other runs go straight to the next way down.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import { GitHubClient } from '../../src/github/client.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import { CommitVerdict } from '../../src/checks/commit-verdict.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { runRequest } from '../helpers/run-request.js'

const TOKEN = 'ghs_commitVerdictToken0123456789abcdefAB'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'c'.repeat(40)

let fake: FakeChecks | undefined
let deadline: Deadline | undefined
afterEach(async () => {
  if (fake) assert.deepEqual(fake.contractErrors, [], "requests and answers keep to GitHub's published contract")
  await fake?.close()
  deadline?.dispose()
  fake = deadline = undefined
})

const REFUSALS = { 404: 'Not Found', 422: 'Validation Failed' } as const

/** Five runs of one step, each started and then completed, with GitHub refusing the creates `refuse` names. */
async function fiveRuns(options: {
  refuse: Partial<Record<'check-run' | 'status', 404 | 422>>
  mode: 'auto' | 'check-run' | 'status'
}) {
  fake = await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: {
        kind: 'installation',
        appId: GITHUB_ACTIONS_APP_ID,
        permissions: { checks: 'write', statuses: 'write' }
      }
    },
    refuseCreate: (what) => {
      const status = options.refuse[what]
      return status ? { status, message: REFUSALS[status] } : undefined
    }
  })
  deadline = new Deadline(realClock, 60_000)
  const logs: string[] = []
  const warnings: string[] = []
  const client = new GitHubClient({
    token: TOKEN,
    apiUrl: fake.url,
    deadline,
    clock: realClock,
    log: (message) => logs.push(message)
  })
  const requests = Array.from({ length: 5 }, (_, index): TriggerRequest => ({
    ...runRequest({ target: 'prod', index, files: [`data/${index}.csv`] }),
    targetConfig: { type: 'zenml' }
  }))
  const verdict = new CommitVerdict({
    client,
    repository: REPOSITORY,
    sha: SHA,
    mode: options.mode,
    wait: true,
    requests,
    log: (message) => logs.push(message),
    warn: (message) => warnings.push(message)
  })
  // As the executor does: every run starts at once, and each ends.
  for (const request of requests) verdict.started(request, { runId: `run-${request.index}` })
  for (const request of requests)
    verdict.settled(request, { status: 'completed', runId: `run-${request.index}` }, 1_000)
  await verdict.flush()
  const creates = (path: string) => fake!.requests.filter((r) => r.method === 'POST' && r.path.endsWith(path))
  return { logs, warnings, checkRunCreates: creates('/check-runs'), statusCreates: creates(`/statuses/${SHA}`) }
}

describe('a refusal costs once', () => {
  for (const status of [404, 422] as const) {
    test(`check runs answered ${status} for 5 runs: one create attempt, one log line, statuses for all 5`, async () => {
      const { logs, warnings, checkRunCreates } = await fiveRuns({ refuse: { 'check-run': status }, mode: 'auto' })
      assert.equal(checkRunCreates.length, 1, 'one attempt for the step')
      assert.equal(logs.length, 1, logs.join('\n'))
      assert.match(
        logs[0]!,
        new RegExp(`^Check runs refused \\(.*HTTP ${status}: ${REFUSALS[status]}.*statuses instead`)
      )
      assert.deepEqual(warnings, [], 'verdict: auto asked for nothing: no warning')
      const newest = new Map<string, string>()
      for (const s of fake!.statuses) newest.set(s.current.context, s.current.state)
      assert.deepEqual(
        [...newest],
        [0, 1, 2, 3, 4].map((i) => [`pipeline: training_pipeline (data/${i}.csv)`, 'success']),
        'every run has its commit status'
      )
      assert.equal(fake!.statuses.length, 10, 'pending, then success, for each')
      assert.equal(fake!.checkRuns.length, 0)
    })
  }

  test('verdict: check-run asked for and answered 404: one attempt, one warning, no fallback', async () => {
    const { logs, warnings, checkRunCreates, statusCreates } = await fiveRuns({
      refuse: { 'check-run': 404 },
      mode: 'check-run'
    })
    assert.equal(checkRunCreates.length, 1)
    assert.equal(statusCreates.length, 0)
    assert.deepEqual(logs, [])
    assert.equal(warnings.length, 1, warnings.join('\n'))
    assert.match(warnings[0]!, /^No verdict on the commit: the token may not create check runs.*HTTP 404/)
  })

  test('both ways refused (404, then 422): one attempt each, one line each, nothing posted, nothing thrown', async () => {
    const { logs, warnings, checkRunCreates, statusCreates } = await fiveRuns({
      refuse: { 'check-run': 404, status: 422 },
      mode: 'auto'
    })
    assert.deepEqual([checkRunCreates.length, statusCreates.length], [1, 1])
    assert.equal(logs.length, 2, logs.join('\n'))
    assert.match(logs[0]!, /^Check runs refused/)
    assert.match(logs[1]!, /^No verdict on the commit: the token may not create commit statuses.*HTTP 422/)
    assert.deepEqual(warnings, [])
    assert.equal(fake!.statuses.length + fake!.checkRuns.length, 0)
  })
})
