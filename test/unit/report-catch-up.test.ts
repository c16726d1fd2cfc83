/**
 * A later pass brings the pull request's report comment up to date (src/pr-comment/report-catch-up.ts),
 * against the fake GitHub API (every request and answer checked against GitHub's OpenAPI
 * description): the trigger step's sections are posted as trigger.ts posts them (rendered from their
 * rows, with the rows' record), then the pass is told of the check runs it completed, as
 * FollowUp.complete tells it, and writes once per pull request.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { Deadline, realClock, type Clock } from '../../src/clock.js'
import { GitHubClient } from '../../src/github/client.js'
import type { CompletedOutcome, OpenCheckRun } from '../../src/checks/complete-open.js'
import { REPORT_MARKER, postPullRequestReport } from '../../src/pr-comment/post-report.js'
import { ReportCatchUp } from '../../src/pr-comment/report-catch-up.js'
import {
  readSectionRecord,
  renderSection,
  sectionRecord,
  type ReportSection,
  type SectionRun
} from '../../src/pr-comment/report-section.js'
import {
  GITHUB_ACTIONS_APP_ID,
  startFakeGitHubChecks,
  type FakeChecks,
  type TokenIdentity
} from '../helpers/fake-github-checks.js'

const repository = 'octo-org/octo-repo'
const SHA = 'a1b2c3d'.padEnd(40, '0')
const NEWER = 'b2c3d4e'.padEnd(40, '0')
const MAIN = 'c'.repeat(40)
const PULL = 12
const OTHER_PULL = 13

const TOKENS: Record<string, TokenIdentity> = {
  // The trigger job's GITHUB_TOKEN on a pull request.
  'job-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { pull_requests: 'write', checks: 'write' }
  },
  // The reconcile workflow's GITHUB_TOKEN, with pull-requests: write.
  'pass-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { pull_requests: 'write', checks: 'write', actions: 'read' }
  },
  // A reconcile workflow that was not given pull-requests at all.
  'checks-only-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { checks: 'write', actions: 'read' }
  }
}

/** Time that does not pass: the read-back after a write comes at once. */
const instant: Clock = { now: Date.now, sleep: () => Promise.resolve(), random: () => 0.5 }

let fake: FakeChecks
const deadlines: Deadline[] = []
let logs: string[] = []

function client(token: string): GitHubClient {
  const deadline = new Deadline(realClock, 60_000)
  deadlines.push(deadline)
  return new GitHubClient({ token, apiUrl: fake.url, deadline, clock: realClock, log: (m) => logs.push(m) })
}

beforeEach(async () => {
  logs = []
  fake = await startFakeGitHubChecks({ tokens: TOKENS, repository })
  fake.seedPullRequest({ number: PULL, headSha: SHA })
  fake.seedPullRequest({ number: OTHER_PULL, headSha: SHA })
})
afterEach(async () => {
  for (const deadline of deadlines.splice(0)) deadline.dispose()
  await fake.close()
  assert.deepEqual(fake.contractErrors, [])
})

const pending = (checkRunId: number, pipeline = 'training'): SectionRun => ({
  checkRunId,
  pipeline,
  name: `pipeline: ${pipeline} (#${checkRunId})`,
  status: 'running',
  verdict: 'pending',
  runId: `run-${checkRunId}`,
  runUrl: `https://zenml.example/runs/${checkRunId}`,
  checkRunUrl: `https://github.com/${repository}/runs/${checkRunId}`,
  metrics: {},
  gates: []
})

/** A job's section, posted as the trigger step posts it (`filler`: lines of text after it, to make it long). */
async function postSection(key: string, title: string, runs: SectionRun[], pull = PULL, filler = 0) {
  const section: ReportSection = { title, sha: SHA, runs, history: {} }
  const posted = await postPullRequestReport({
    client: client('job-token'),
    repository,
    pullNumber: pull,
    headSha: SHA,
    section: key,
    markdown: renderSection(section) + '\n\nfiller line'.repeat(filler),
    record: sectionRecord(section)!,
    clock: instant,
    log: (m) => logs.push(m)
  })
  assert.ok(posted.posted, JSON.stringify(posted))
}

/** The open check run as FollowUp found it: the trigger step's record names the pull request. */
const openRun = (id: number, pull: number | null = PULL, headSha = SHA): OpenCheckRun => ({
  kind: 'check-run',
  id,
  name: `pipeline: training (#${id})`,
  headSha,
  ref: { targetType: 'zenml', target: 'zenml', runId: `run-${id}` },
  summary: '',
  record: { pipeline: 'training', status: 'running', metrics: {}, ...(pull !== null ? { pull } : {}) }
})

const baseline = { sha: MAIN, metrics: { accuracy: 0.9 } }
/** What the target said (ZenML: completed, accuracy 0.95) and the gates' judgement against main's baseline. */
const passed: CompletedOutcome = {
  state: { status: 'completed', runUrl: 'https://zenml.example/runs/101', metrics: { accuracy: 0.95 } },
  conclusion: 'success',
  judgement: {
    conclusion: 'success',
    gates: [
      { gate: 'accuracy >= baseline', metric: 'accuracy', outcome: 'pass', value: 0.95, threshold: 0.9, baseline: 0.9 }
    ],
    reason: '1 gate(s) passed',
    baseline,
    history: [baseline]
  }
}
const failed: CompletedOutcome = { state: { status: 'failed', message: 'step train failed' }, conclusion: 'failure' }

function catchUp(token = 'pass-token'): ReportCatchUp {
  return new ReportCatchUp({ client: client(token), repository, clock: instant, log: (m) => logs.push(m) })
}

const trusted = (pull = PULL) =>
  fake.comments.filter((c) => c.number === pull && c.identity !== undefined && c.current.body.startsWith(REPORT_MARKER))

/** A section of a body, markers and record included, by its key. */
function sectionText(body: string, key: string): string {
  const encoded = encodeURIComponent(key)
  const start = body.indexOf(`<!-- pipeline-trigger:section ${encoded} `)
  const endMarker = `<!-- pipeline-trigger:end ${encoded} -->`
  assert.ok(start >= 0, `section ${key} in the comment`)
  return body.slice(start, body.indexOf(endMarker, start) + endMarker.length)
}

/** The record of a section of the body, read back. */
const recordOf = (body: string, key: string) => readSectionRecord(sectionText(body, key).split('\n')[1])

const writes = () => fake.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)

describe('a later pass brings the report comment up to date', () => {
  test("the rows of the check runs it completed are filled in, once per pull request; other rows and another job's section stay as they were", async () => {
    await postSection('ci / train / 0 / aaaa', 'ci / train / 0', [pending(101), pending(102)])
    await postSection('ci / evaluate / bbbb', 'ci / evaluate', [pending(201, 'evaluation')])
    const [comment] = trusted()
    const before = comment!.current.body
    assert.equal((before.match(/⏳ pending/g) ?? []).length, 3, 'the trigger step left every row pending')

    const pass = catchUp()
    pass.completed(openRun(101), passed)
    pass.completed(openRun(103, null), passed) // no pull request recorded: not one of the report's rows
    assert.equal(await pass.post(), 1)

    const after = trusted()[0]!.current.body
    assert.equal(trusted().length, 1, 'the same comment')
    assert.equal(
      sectionText(after, 'ci / evaluate / bbbb'),
      sectionText(before, 'ci / evaluate / bbbb'),
      "another job's section is untouched"
    )
    const train = sectionText(after, 'ci / train / 0 / aaaa')
    assert.match(
      train,
      /\| ✅ success \| \[pipeline: training \\\(\\#101\\\)\]\(https:\/\/github\.com\/octo-org\/octo-repo\/runs\/101\) \| \[run\\-101\]\(https:\/\/zenml\.example\/runs\/101\) \| completed \| accuracy &gt;= baseline passed: 0\\\.95 \\\(baseline 0\\\.9\\\) \| accuracy 0\.95 \(\+0\.05\) \|/
    )
    assert.match(
      train,
      /\| ⏳ pending \| \[pipeline: training \\\(\\#102\\\)\]/,
      'a check run still open keeps its row'
    )
    assert.match(train, /\*\*2 runs\*\* on `a1b2c3d00000`: 1 success, 1 pending/)
    assert.match(train, /Δ: the change against the default branch's latest completed run of the pipeline \(`ccccccc`\)/)
    const rows = recordOf(after, 'ci / train / 0 / aaaa')!.runs
    assert.deepEqual(
      rows.map((r) => [r.checkRunId, r.status, r.verdict]),
      [
        [101, 'completed', 'success'],
        [102, 'running', 'pending']
      ],
      'the record says what the table says, for the next pass'
    )
    assert.deepEqual(
      writes(),
      ['POST 201', 'PATCH 200', 'PATCH 200'],
      'created, edited by the second job, then once by the pass'
    )
    assert.ok(
      logs.some((m) => m.startsWith(`Report comment of pull request #${PULL} brought up to date (check run 101)`)),
      logs.join('\n')
    )
  })

  test("a row is what the target said, not what the comment claims; an untrusted author's section changes nothing", async () => {
    // The trusted comment's record claims check run 101 succeeded (a hand edit): the target says it failed.
    await postSection('ci / train / aaaa', 'ci / train', [{ ...pending(101), status: 'completed', verdict: 'success' }])
    // A drive-by comment with the marker, the same key and commit, and a record claiming success.
    const forgedSection: ReportSection = {
      title: 'ci / train',
      sha: SHA,
      runs: [{ ...pending(101), status: 'completed', verdict: 'success', metrics: { accuracy: 0.99 } }],
      history: {}
    }
    const forgedBody = `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ${encodeURIComponent('ci / train / aaaa')} sha=${SHA} digest=0 -->\n${sectionRecord(forgedSection)}\n${renderSection(forgedSection)}\n<!-- pipeline-trigger:end ${encodeURIComponent('ci / train / aaaa')} -->`
    const forged = fake.seedComment({ number: PULL, body: forgedBody, user: 'drive-by', author_association: 'NONE' })

    const pass = catchUp()
    pass.completed(openRun(101), failed)
    assert.equal(await pass.post(), 1)
    const body = trusted()[0]!.current.body
    assert.match(body, /\| ❌ failure \| \[pipeline: training \\\(\\#101\\\)\]/)
    assert.doesNotMatch(body, /✅ success/)
    assert.match(sectionText(body, 'ci / train / aaaa'), /\| failed \| — \| — \|/, "the target's status, no metrics")
    const untouched = fake.comments.find((c) => c.id === forged.id)!
    assert.equal(untouched.current.body, forgedBody, "the drive-by's comment is not edited")
    assert.equal(untouched.history.length, 1)
  })

  test('an untrusted comment alone: nothing is created or edited', async () => {
    const forgedSection: ReportSection = { title: 'ci / train', sha: SHA, runs: [pending(101)], history: {} }
    const forgedBody = `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ci sha=${SHA} digest=0 -->\n${sectionRecord(forgedSection)}\n${renderSection(forgedSection)}\n<!-- pipeline-trigger:end ci -->`
    fake.seedComment({ number: PULL, body: forgedBody, user: 'drive-by', author_association: 'CONTRIBUTOR' })
    const pass = catchUp()
    pass.completed(openRun(101), passed)
    assert.equal(await pass.post(), 0)
    assert.deepEqual(writes(), [])
    assert.equal(fake.comments.length, 1)
    assert.ok(
      logs.some((m) => /pull request #12 has no report comment to bring up to date/.test(m)),
      logs.join('\n')
    )
  })

  test('sections shortened to fit the comment keep their records whole: the pass still finds its rows', async () => {
    await postSection('ci / a', 'ci / a', [pending(101)], PULL, 4_000)
    await postSection('ci / b', 'ci / b', [pending(201)], PULL, 4_000)
    const before = trusted()[0]!.current.body
    assert.ok(before.length <= 65_536)
    assert.match(before, /characters cut to fit GitHub's 65536-character limit/)
    assert.deepEqual(
      recordOf(before, 'ci / a')!.runs.map((r) => r.checkRunId),
      [101]
    )
    const pass = catchUp()
    pass.completed(openRun(101), failed)
    pass.completed(openRun(201), passed)
    assert.equal(await pass.post(), 1)
    const after = trusted()[0]!.current.body
    assert.ok(after.length <= 65_536)
    assert.match(sectionText(after, 'ci / a'), /\| ❌ failure \| \[pipeline: training \\\(\\#101\\\)\]/)
    assert.match(sectionText(after, 'ci / b'), /\| ✅ success \| \[pipeline: training \\\(\\#201\\\)\]/)
    assert.equal(fake.requests.filter((r) => r.method === 'PATCH').length, 2, 'both sections, in one write')
    assert.doesNotMatch(after, /pipeline-trigger:rows/, 'no row waits for a later pass: no record is kept')
    assert.doesNotMatch(after, /filler line/, 'a section the pass re-rendered is its rows alone')
  })

  test("a commit that is no longer the pull request's head is not written: its section was dropped by the newer push", async () => {
    await postSection('ci / train / aaaa', 'ci / train', [pending(101)])
    fake.setPullHead(PULL, NEWER)
    const before = trusted()[0]!.current.body
    const pass = catchUp()
    pass.completed(openRun(101), passed)
    assert.equal(await pass.post(), 0)
    assert.equal(trusted()[0]!.current.body, before)
    assert.ok(
      logs.some((m) => /a newer push \(b2c3d4e\) superseded this one \(a1b2c3d\)/.test(m)),
      logs.join('\n')
    )
  })

  test('no pull-requests permission: said once for all pull requests; the check runs are not its business', async () => {
    await postSection('ci / train / aaaa', 'ci / train', [pending(101)])
    await postSection('ci / train / aaaa', 'ci / train', [pending(301)], OTHER_PULL)
    const pass = catchUp('checks-only-token')
    pass.completed(openRun(101), passed)
    pass.completed(openRun(301, OTHER_PULL), passed)
    assert.equal(await pass.post(), 0)
    const said = logs.filter((m) => m.startsWith("The pull requests' report comments were not brought up to date"))
    assert.equal(said.length, 1, logs.join('\n'))
    assert.match(said[0]!, /permissions: pull-requests: write.*the check runs are completed all the same/)
    assert.equal(
      fake.requests.filter((r) => r.identity === TOKENS['checks-only-token']).length,
      1,
      'one refused read, then no more'
    )
  })
})
