/**
 * The verdict on the commit, through the bundle: a check run per triggered run, opened when it
 * starts and completed with its outcome; a commit status where the token may not make check runs;
 * nothing, said once, with a read-only token (a fork's pull request). Against the fake ZenML
 * server and a fake of GitHub's checks and statuses API (validated against @octokit/openapi).
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import {
  GITHUB_ACTIONS_APP_ID,
  startFakeGitHubChecks,
  type FakeChecks,
  type TokenPermissions
} from '../helpers/fake-github-checks.js'
import { startFakeZenml, type FakeZenml, type FakeZenmlOptions } from '../helpers/fake-zenml.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'
import { metricsRecord, readMetricsRecord, readStatusRun } from '../../src/checks/check-run-fields.js'
import { REPORT_MARKER } from '../../src/pr-comment/post-report.js'

const KEY = 'ZENPROKEY_fake-service-account-key'
const TOKEN = 'ghs_verdictTokenForTests0123456789abcdef'
const REPOSITORY = 'octo-org/ml-repo'
/** Another workflow's github.token: another token of the same GitHub Actions app. */
const LATER_TOKEN = 'ghs_laterWorkflowToken0123456789abcdefgh'
const OTHER_APP_TOKEN = 'ghs_otherAppToken0123456789abcdefghijk'
/** A later workflow's github.token that may complete commit statuses (where check runs were refused). */
const STATUS_TOKEN = 'ghs_statusesWorkflowToken0123456789abcd'
/** A later workflow's github.token that was not given pull-requests. */
const CHECKS_ONLY_TOKEN = 'ghs_checksOnlyToken0123456789abcdefghi'
let github: FakeChecks | undefined
let zenml: FakeZenml | undefined
afterEach(async () => {
  if (github) assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
  await github?.close()
  await zenml?.close()
  github = zenml = undefined
})

async function trigger(options: {
  permissions: TokenPermissions
  /** A second token of the same app, as a later workflow's github.token. */
  laterToken?: boolean
  zenml?: Partial<FakeZenmlOptions>
  inputs?: Record<string, string>
  event?: 'workflow_dispatch' | 'pull_request'
  /** Keep the fakes of an earlier call (a re-run of the same job). */
  again?: boolean
  /** GITHUB_RUN_ATTEMPT */
  attempt?: string
}) {
  if (!options.again)
    github = await startFakeGitHubChecks({
      repository: REPOSITORY,
      tokens: {
        [TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: options.permissions },
        [LATER_TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read', pull_requests: 'write' }
        },
        [CHECKS_ONLY_TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read' }
        },
        [OTHER_APP_TOKEN]: { kind: 'installation', appId: 42, permissions: { checks: 'write', actions: 'read' } },
        [STATUS_TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'read', statuses: 'write', actions: 'read' }
        }
      }
    })
  if (!options.again) zenml = await startFakeZenml({ mode: '0.98', apiKey: KEY, ...options.zenml })
  github = github!
  zenml = zenml!
  const pull = options.event === 'pull_request'
  const payload = pull
    ? webhookExample('pull_request', (p) => p.action === 'opened')
    : webhookExample('workflow_dispatch')
  if (!pull) payload.inputs = { data_url: 's3://bucket/new.csv' }
  if (pull) {
    payload.repository.default_branch = 'main'
    // The pull request as GitHub has it, for its report comment.
    if (!options.again) github.seedPullRequest({ number: payload.number, headSha: payload.pull_request.head.sha })
  }
  const result = await runAction({
    eventName: options.event ?? 'workflow_dispatch',
    payload,
    workspace: mkdtempSync(join(tmpdir(), 'pt-verdict-')),
    repository: REPOSITORY,
    // On a pull request GITHUB_SHA is the merge commit; the verdict belongs on the head.
    sha: pull ? 'e'.repeat(40) : 'c'.repeat(40),
    ref: pull ? `refs/pull/${payload.number}/merge` : 'refs/heads/main',
    inputs: {
      pipeline: 'training_pipeline',
      'zenml-url': zenml.url,
      'zenml-api-key': KEY,
      token: TOKEN,
      verdict: 'auto',
      ...options.inputs
    },
    ...(options.attempt ? { runAttempt: options.attempt } : {}),
    env: { GITHUB_API_URL: github.url }
  })
  return {
    result,
    github,
    payload,
    posts: zenml.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/runs'))
  }
}

describe('the verdict on the commit (check runs, else commit statuses)', () => {
  test('a waited run: one check run, opened in progress when it starts, completed success with its link', async () => {
    const { result, github } = await trigger({ permissions: { checks: 'write' } })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.checkRuns.length, 1)
    const [run] = github.checkRuns
    assert.deepEqual(
      run!.history.map((h) => [h.method, h.result.status, h.result.conclusion]),
      [
        ['POST', 'in_progress', null],
        ['PATCH', 'completed', 'success']
      ]
    )
    const final = run!.current
    assert.equal(final.name, 'pipeline: training_pipeline')
    assert.equal(final.head_sha, 'c'.repeat(40))
    assert.match(final.external_id ?? '', /^pt1\|zenml\|zenml\|[0-9a-f-]{36}$/)
    assert.match(final.details_url ?? '', /^http:\/\/127\.0\.0\.1:\d+\//)
    assert.match(final.output.summary ?? '', /\| `data_url` \| "s3:\/\/bucket\/new\\\.csv" \|/)
    assert.ok(!JSON.stringify(github.requests).includes(KEY), 'the ZenML key never reaches GitHub')
    assert.equal(JSON.parse(result.outputs.runs!)[0]['check-run-id'], run!.id, 'the runs output names the check run')
  })

  test('a pull request: the check run goes on the head commit, not the merge commit the job ran on', async () => {
    const { result, github, payload } = await trigger({ permissions: { checks: 'write' }, event: 'pull_request' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(
      github.checkRuns.map((r) => r.current.head_sha),
      [payload.pull_request.head.sha]
    )
  })

  test('a failed run: the check run concludes failure, with the reason in its title', async () => {
    const { result, github } = await trigger({ permissions: { checks: 'write' }, zenml: { outcome: 'failed' } })
    assert.equal(result.exitCode, 1)
    const final = github.checkRuns[0]!.current
    assert.equal(final.conclusion, 'failure')
    assert.match(final.output.title ?? '', /^training_pipeline failed/)
  })

  test('wait: false: the check run stays in progress and says what completes it', async () => {
    const { result, github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'running' },
      inputs: { wait: 'false' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const final = github.checkRuns[0]!.current
    assert.equal(final.status, 'in_progress')
    assert.equal(final.conclusion, null)
    assert.match(final.output.title ?? '', /a reconcile pass or a callback completes this check/)
  })

  test('no checks: write: a commit status with one context, pending then success; said once in the log', async () => {
    const { result, github } = await trigger({ permissions: { checks: 'read', statuses: 'write' } })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.checkRuns.length, 0)
    assert.deepEqual(
      github.statuses.map((s) => [s.sha, s.current.context, s.current.state]),
      [
        ['c'.repeat(40), 'pipeline: training_pipeline', 'pending'],
        ['c'.repeat(40), 'pipeline: training_pipeline', 'success']
      ]
    )
    assert.equal(result.stdout.match(/Check runs refused/g)?.length, 1)
  })

  test("a read-only token (a fork's pull request): said once in the log (auto), the trigger succeeds, nothing is posted", async () => {
    const { result, github } = await trigger({ permissions: { checks: 'read', statuses: 'read' } })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.checkRuns.length + github.statuses.length, 0)
    assert.equal(result.stdout.match(/No verdict on the commit.*fork/g)?.length, 1, result.stdout)
    // verdict: auto asked for nothing, so no annotation on every run of a repository without checks: write.
    assert.deepEqual(
      result.commands.filter((line) => line.startsWith('::warning')),
      []
    )
  })

  test('verdict: check-run asked for: a refusal is one warning, and still never fails the trigger', async () => {
    const { result, github } = await trigger({
      permissions: { checks: 'read', statuses: 'write' },
      inputs: { verdict: 'check-run' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.statuses.length, 0, 'no fallback when check runs were asked for')
    const warnings = result.commands.filter((line) => line.startsWith('::warning'))
    assert.equal(warnings.length, 1, warnings.join('\n'))
    assert.match(warnings[0]!, /No verdict on the commit: the token may not create check runs/)
  })

  test('verdict: off posts nothing and asks GitHub nothing', async () => {
    const { result, github } = await trigger({ permissions: { checks: 'write' }, inputs: { verdict: 'off' } })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.requests.length, 0)
    assert.ok(!('check-run-id' in JSON.parse(result.outputs.runs!)[0]), 'no check run, no check-run-id')
  })
})

/** A later workflow: the action in reconcile or report mode, with its own token, against the same fakes. */
function followUp(inputs: Record<string, string>, token = LATER_TOKEN) {
  return runAction({
    eventName: 'schedule',
    payload: { schedule: '*/10 * * * *', repository: { full_name: REPOSITORY, default_branch: 'main' } },
    workspace: mkdtempSync(join(tmpdir(), 'pt-reconcile-')),
    repository: REPOSITORY,
    sha: 'd'.repeat(40),
    ref: 'refs/heads/main',
    inputs: { 'zenml-url': zenml!.url, 'zenml-api-key': KEY, token, ...inputs },
    env: { GITHUB_API_URL: github!.url }
  })
}

describe('completing the check runs later: reconcile and report modes', () => {
  test("a reconcile pass asks ZenML and completes the check run once the run ended, with a later workflow's token; two passes at once complete it once", async () => {
    const { github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'completed' },
      inputs: { wait: 'false' }
    })
    github.seedWorkflowRun({ id: 9100, head_sha: 'c'.repeat(40), created_at: new Date().toISOString() })
    // The fake run reports running to its first two reads: the first pass leaves the check run open.
    const first = await followUp({ mode: 'reconcile' })
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')
    // The workflow runs, the commit's check runs, and its statuses (refused: this token may not read them, said once).
    assert.deepEqual(JSON.parse(first.outputs.reconciled!), {
      open: 1,
      completed: 0,
      stillRunning: 1,
      left: 0,
      githubCalls: 3
    })
    assert.equal(first.stdout.match(/Commit statuses not read \(.*HTTP 403/g)?.length, 1, first.stdout)
    // Two passes at once, as two overlapping scheduled jobs: each reads the check run again just
    // before completing it, and both would say the same, so nothing is completed twice differently.
    const [a, b] = await Promise.all([followUp({ mode: 'reconcile' }), followUp({ mode: 'reconcile' })])
    assert.equal(a.exitCode, 0, a.stdout)
    assert.equal(b.exitCode, 0, b.stdout)
    const final = github.checkRuns[0]!
    assert.equal(final.current.conclusion, 'success')
    const completions = final.history.filter((h) => h.method === 'PATCH')
    assert.ok(completions.length >= 1 && completions.length <= 2, `completed ${completions.length} time(s)`)
    assert.ok(
      completions.every((h) => h.result.conclusion === 'success'),
      'every completion says the same'
    )
    // A pass after that finds nothing open: the runs list, the commit's check runs and its statuses, no more.
    const after = await followUp({ mode: 'reconcile' })
    assert.deepEqual(JSON.parse(after.outputs.reconciled!), {
      open: 0,
      completed: 0,
      stillRunning: 0,
      left: 0,
      githubCalls: 3
    })
  })

  test('report mode completes the one check run a callback names, after asking the target; the payload is not the verdict', async () => {
    const { github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'failed' },
      inputs: { wait: 'false' }
    })
    const id = String(github.checkRuns[0]!.id)
    // An early callback: the target still says running, so nothing changes.
    const early = await followUp({ mode: 'report', 'check-run-id': id })
    assert.equal(early.exitCode, 0, early.stdout)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress')
    const late = await followUp({ mode: 'report', 'check-run-id': id })
    assert.equal(late.exitCode, 0, late.stdout)
    assert.equal(github.checkRuns[0]!.current.conclusion, 'failure', 'what ZenML says, not what a payload said')
    const again = await followUp({ mode: 'report', 'check-run-id': id })
    assert.match(again.stdout, /is completed already \(failure\): nothing to do/)
  })

  test('a callback that names the commit and the run finds its check run; a wrong run id or a broken payload changes nothing', async () => {
    const { github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'failed-before-steps' },
      inputs: { wait: 'false' }
    })
    const runId = github.checkRuns[0]!.current.external_id!.split('|')[3]!
    const commit = 'c'.repeat(40)
    const wrong = await followUp({ mode: 'report', callback: JSON.stringify({ commit, 'run-id': 'not-that-run' }) })
    assert.equal(wrong.exitCode, 0, wrong.stdout)
    assert.match(
      wrong.stdout,
      /no open check run or pending status of ours on c{12} is for run not-that-run: nothing changed/
    )
    const broken = await followUp({ mode: 'report', callback: '{"commit": "HEAD; rm -rf /"}' })
    assert.equal(broken.exitCode, 1)
    assert.match(broken.stdout, /::error::Input callback: .* names no check run/)
    assert.equal(github.checkRuns[0]!.current.status, 'in_progress', 'nothing changed so far')
    const right = await followUp({
      mode: 'report',
      callback: JSON.stringify({ commit, 'run-id': runId, status: 'completed' })
    })
    assert.equal(right.exitCode, 0, right.stdout)
    assert.equal(github.checkRuns[0]!.current.conclusion, 'failure', "ZenML's word, not the payload's status")
  })

  test("a forged callback: a check run that is not ours, or another app's token, changes nothing and says why", async () => {
    // A run that has failed for good, so a completion would be due: only the right app may make it.
    const { github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'failed-before-steps' },
      inputs: { wait: 'false' }
    })
    const ours = github.checkRuns[0]!
    const before = JSON.stringify(ours.current)
    const unknown = await followUp({ mode: 'report', 'check-run-id': '123456' })
    assert.equal(unknown.exitCode, 1)
    assert.match(unknown.stdout, /reading check run 123456: HTTP 404/)
    const otherApp = await followUp({ mode: 'report', 'check-run-id': String(ours.id) }, OTHER_APP_TOKEN)
    assert.equal(otherApp.exitCode, 1)
    assert.match(otherApp.stdout, /check run can only be modified by the GitHub App that created it/)
    assert.equal(JSON.stringify(ours.current), before, 'nothing changed')
  })

  test('a reconcile pass judges a completed run by the gates the trigger step recorded: metrics read from ZenML, a failed gate fails the check run', async () => {
    const { github } = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'completed', runMetadata: { accuracy: 0.8, 'train::loss': 0.4 } },
      inputs: { wait: 'false', gates: 'accuracy >= 0.9\ntrain::loss <= 0.5' }
    })
    const open = github.checkRuns[0]!.current
    assert.deepEqual(
      readMetricsRecord(open.output.text)?.gates,
      ['accuracy >= 0.9', 'train::loss <= 0.5'],
      'the gates in force, recorded'
    )
    github.seedWorkflowRun({ id: 9100, head_sha: 'c'.repeat(40), created_at: new Date().toISOString() })
    await followUp({ mode: 'reconcile' }) // the fake run still reports running
    const pass = await followUp({ mode: 'reconcile' })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const done = github.checkRuns[0]!.current
    assert.equal(done.conclusion, 'failure')
    assert.match(done.output.title ?? '', /accuracy >= 0\.9 failed: 0\.8 < 0\.9/)
    assert.match(done.output.text ?? '', /\| train::loss \| 0\.4 \|/, 'step metadata, read with include_full_metadata')
    assert.match(
      done.output.text ?? '',
      /<!-- pipeline-trigger:metrics \{"v":1,"pipeline":"[^"]+","status":"completed","metrics":\{"accuracy":0\.8/
    )
  })
})

describe('commit statuses get a later pass (check runs refused)', () => {
  /** The newest status of each context on the commit, as GitHub's combined status shows it. */
  const newest = (fake: FakeChecks) => {
    const by = new Map<string, { state: string; description: string }>()
    for (const s of fake.statuses)
      by.set(s.current.context, { state: s.current.state, description: s.current.description ?? '' })
    return by
  }

  test('wait: false sets a pending status naming the run; a reconcile pass asks ZenML and sets success; two passes agree', async () => {
    const { result, github } = await trigger({
      permissions: { checks: 'read', statuses: 'write' },
      zenml: { outcome: 'completed' },
      inputs: { wait: 'false' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(github.checkRuns.length, 0)
    assert.equal(github.statuses.length, 1, 'one pending status, for the run left going')
    const pending = github.statuses[0]!.current
    assert.equal(pending.state, 'pending')
    assert.equal(pending.context, 'pipeline: training_pipeline')
    assert.ok(pending.description!.length <= 140, pending.description!)
    assert.match(pending.description!, /^training_pipeline running: .* · run [0-9a-f-]{36} on zenml \(zenml\)$/)
    const runId = readStatusRun(pending.description)!.ref.runId
    assert.ok(runId, 'the run id, read back')

    github.seedWorkflowRun({ id: 9200, head_sha: 'c'.repeat(40), created_at: new Date().toISOString() })
    // The fake run reports running to its first read: the first pass leaves the status pending.
    const first = await followUp({ mode: 'reconcile' }, STATUS_TOKEN)
    assert.equal(first.exitCode, 0, first.stdout)
    assert.deepEqual(JSON.parse(first.outputs.reconciled!), {
      open: 1,
      completed: 0,
      stillRunning: 1,
      left: 0,
      githubCalls: 3
    })
    assert.equal(newest(github).get('pipeline: training_pipeline')!.state, 'pending')
    // Two passes at once: each reads the statuses again just before setting one, and both say the same.
    const [a, b] = await Promise.all([
      followUp({ mode: 'reconcile' }, STATUS_TOKEN),
      followUp({ mode: 'reconcile' }, STATUS_TOKEN)
    ])
    assert.equal(a.exitCode, 0, a.stdout)
    assert.equal(b.exitCode, 0, b.stdout)
    const finals = github.statuses.slice(1).map((s) => s.current)
    assert.ok(finals.length >= 1 && finals.length <= 2, `set ${finals.length} time(s)`)
    for (const final of finals) {
      assert.equal(final.state, 'success')
      assert.equal(final.context, 'pipeline: training_pipeline', 'the same context: it replaces the pending one')
      assert.match(final.description!, new RegExp(`^training_pipeline completed · run ${runId} on zenml \\(zenml\\)$`))
    }
    const after = await followUp({ mode: 'reconcile' }, STATUS_TOKEN)
    assert.equal(JSON.parse(after.outputs.reconciled!).open, 0, 'a final status is left as it is')
  })

  test('a callback naming the commit and the run sets the failure ZenML reports on the pending status', async () => {
    const { github } = await trigger({
      permissions: { checks: 'read', statuses: 'write' },
      zenml: { outcome: 'failed-before-steps' },
      inputs: { wait: 'false' }
    })
    const runId = readStatusRun(github.statuses[0]!.current.description)!.ref.runId!
    const callback = await followUp(
      { mode: 'report', callback: JSON.stringify({ commit: 'c'.repeat(40), 'run-id': runId, status: 'completed' }) },
      STATUS_TOKEN
    )
    assert.equal(callback.exitCode, 0, callback.stdout)
    const final = newest(github).get('pipeline: training_pipeline')!
    assert.equal(final.state, 'failure', "ZenML's word, not the payload's status")
    assert.match(final.description, /^training_pipeline failed.* · run [0-9a-f-]{36} on zenml \(zenml\)$/)
  })

  test('a pending status whose target is not in the config, or that names no run, is left as it is', async () => {
    const { github } = await trigger({
      permissions: { checks: 'read', statuses: 'write' },
      zenml: { outcome: 'running' },
      inputs: { wait: 'false' }
    })
    const sha = 'c'.repeat(40)
    const [owner, repo] = REPOSITORY.split('/')
    const forge = (context: string, description: string) =>
      fetch(`${github.url}/repos/${owner}/${repo}/statuses/${sha}`, {
        method: 'POST',
        headers: { authorization: `token ${STATUS_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ state: 'pending', context, description })
      })
    assert.equal((await forge('pipeline: elsewhere', 'elsewhere running · run run-7 on prod (zenml)')).status, 201)
    assert.equal((await forge('pipeline: someone else', 'someone else running')).status, 201)
    github.seedWorkflowRun({ id: 9300, head_sha: sha, created_at: new Date().toISOString() })
    const pass = await followUp({ mode: 'reconcile' }, STATUS_TOKEN)
    assert.equal(pass.exitCode, 0, pass.stdout)
    assert.deepEqual(JSON.parse(pass.outputs.reconciled!), {
      open: 2,
      completed: 0,
      stillRunning: 1,
      left: 1,
      githubCalls: 3
    })
    assert.match(
      pass.stdout,
      /pipeline: elsewhere \(commit status on c{12}\): its target "prod" \(zenml\) is not in this config; left as it is/
    )
    assert.deepEqual(
      [...newest(github).values()].map((s) => s.state),
      ['pending', 'pending', 'pending'],
      'nothing set'
    )
    assert.equal(github.statuses.length, 3)
  })
})

describe("the pull request's report comment catches up with a later pass", () => {
  const PR_PERMISSIONS: TokenPermissions = { checks: 'write', actions: 'read', pull_requests: 'write' }
  const MAIN_SHA = 'b'.repeat(40)
  const report = (github: FakeChecks) =>
    github.comments.filter((c) => c.identity !== undefined && c.current.body.startsWith(REPORT_MARKER))

  /** main's completed run of the pipeline, as its check run records it: the baseline. */
  async function seedBaseline(github: FakeChecks, pipeline: string, accuracy: number) {
    github.seedWorkflowRun({ id: 9000, head_sha: MAIN_SHA, head_branch: 'main', created_at: new Date().toISOString() })
    const created = await fetch(`${github.url}/repos/${REPOSITORY}/check-runs`, {
      method: 'POST',
      headers: { authorization: `token ${LATER_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'pipeline: training_pipeline',
        head_sha: MAIN_SHA,
        external_id: 'pt1|zenml|zenml|main-run',
        status: 'completed',
        conclusion: 'success',
        output: {
          title: 'training_pipeline completed',
          summary: 'main',
          text: metricsRecord({ pipeline, status: 'completed', metrics: { accuracy } })
        }
      })
    })
    assert.equal(created.status, 201)
  }

  test('wait: false leaves the rows pending; a reconcile pass completes the check run and its row: verdict, metrics, delta to the baseline', async () => {
    const { result, github, payload } = await trigger({
      permissions: PR_PERMISSIONS,
      event: 'pull_request',
      zenml: { outcome: 'completed', runMetadata: { accuracy: 0.85 } },
      inputs: { wait: 'false' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    const head = payload.pull_request.head.sha as string
    const open = github.checkRuns[0]!
    const record = readMetricsRecord(open.current.output.text)!
    assert.equal(record.pull, payload.number, 'the open check run names the pull request whose report shows it')
    const [comment] = report(github)
    assert.match(comment!.current.body, /\| ⏳ pending \| \[pipeline: training\\_pipeline\]/)
    assert.match(comment!.current.body, /<!-- pipeline-trigger:rows \{.*"checkRunId":\d+/)

    await seedBaseline(github, record.pipeline, 0.8)
    github.seedWorkflowRun({ id: 9100, head_sha: head, head_branch: 'feature', created_at: new Date().toISOString() })
    const first = await followUp({ mode: 'reconcile' }) // the fake run still reports running
    assert.equal(first.exitCode, 0, first.stdout)
    assert.equal(comment!.history.length, 1, 'a pass that completes nothing leaves the comment as it is')

    const pass = await followUp({ mode: 'reconcile' })
    assert.equal(pass.exitCode, 0, pass.stdout)
    assert.equal(open.current.conclusion, 'success')
    const body = report(github)[0]!.current.body
    assert.equal(report(github).length, 1, 'the same comment, edited')
    assert.doesNotMatch(body, /⏳ pending/, 'no row left pending once its check run is completed')
    assert.match(
      body,
      new RegExp(
        `\\| ✅ success \\| \\[pipeline: training\\\\_pipeline\\]\\(https://github\\.com/${REPOSITORY}/runs/${open.id}\\) \\| .* \\| completed \\| — \\| accuracy 0\\.85 \\(\\+0\\.05\\) \\|`
      )
    )
    assert.match(body, /the default branch's latest completed run of the pipeline \(`bbbbbbb`\)/)
    assert.equal(comment!.history.at(-1)!.identity, github.requests.find((r) => r.method === 'PATCH')?.identity)
    assert.match(
      pass.stdout,
      new RegExp(`Report comment of pull request #${payload.number} brought up to date \\(check run ${open.id}\\)`)
    )
  })

  test("a callback (mode: report) does the same for its run, by the target's word: a forged section claiming success changes nothing", async () => {
    const { github, payload } = await trigger({
      permissions: PR_PERMISSIONS,
      event: 'pull_request',
      zenml: { outcome: 'failed' },
      inputs: { wait: 'false' }
    })
    const open = github.checkRuns[0]!
    const head = payload.pull_request.head.sha as string
    // A drive-by comment: the marker, a section of this commit and a record saying the run succeeded.
    const [ours] = report(github)
    const key = /<!-- pipeline-trigger:section (\S+) /.exec(ours!.current.body)![1]!
    const forgedBody = ours!.current.body
      .replaceAll('⏳ pending', '✅ success')
      .replace(`"verdict":"pending"`, '"verdict":"success"')
      .replace(`"status":"running"`, '"status":"completed"')
    const forged = github.seedComment({
      number: payload.number,
      body: forgedBody,
      user: 'drive-by',
      author_association: 'NONE'
    })
    assert.ok(forgedBody.includes(`pipeline-trigger:section ${key} sha=${head}`))

    await followUp({ mode: 'report', 'check-run-id': String(open.id) }) // early: still running
    assert.equal(ours!.history.length, 1)
    const late = await followUp({ mode: 'report', 'check-run-id': String(open.id) })
    assert.equal(late.exitCode, 0, late.stdout)
    assert.equal(open.current.conclusion, 'failure', "ZenML's word")
    const body = report(github)[0]!.current.body
    assert.match(body, /\| ❌ failure \| \[pipeline: training\\_pipeline\]/)
    assert.doesNotMatch(body, /✅ success|⏳ pending/)
    const untouched = github.comments.find((c) => c.id === forged.id)!
    assert.equal(untouched.current.body, forgedBody, "the drive-by's comment is not edited")
    assert.equal(untouched.history.length, 1)
  })

  test('a later workflow without pull-requests: write: the check run is completed, the comment is left, said once', async () => {
    const { github } = await trigger({
      permissions: PR_PERMISSIONS,
      event: 'pull_request',
      zenml: { outcome: 'failed' },
      inputs: { wait: 'false' }
    })
    const open = github.checkRuns[0]!
    await followUp({ mode: 'report', 'check-run-id': String(open.id) }, CHECKS_ONLY_TOKEN)
    const late = await followUp({ mode: 'report', 'check-run-id': String(open.id) }, CHECKS_ONLY_TOKEN)
    assert.equal(late.exitCode, 0, late.stdout)
    assert.equal(open.current.conclusion, 'failure')
    assert.equal(report(github)[0]!.history.length, 1, 'the comment as the trigger step left it')
    assert.equal(
      late.stdout.match(
        /report comments were not brought up to date: .*pull-requests: write.*the check runs are completed all the same/g
      )?.length,
      1,
      late.stdout
    )
  })
})

/** The same job again (GITHUB_RUN_ATTEMPT), with wait: false, against the fakes of the first attempt. */
const rerun = (attempt: string, inputs: Record<string, string> = {}) =>
  trigger({ permissions: { checks: 'write' }, inputs: { wait: 'false', ...inputs }, again: true, attempt })

describe('a re-run of the job re-attaches', () => {
  test('attempt 2 follows the run attempt 1 started (found through its check run) instead of starting another; rerun: fresh starts one', async () => {
    const first = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'running' },
      inputs: { wait: 'false' }
    })
    assert.equal(first.result.exitCode, 0, first.result.stdout)
    assert.equal(first.posts.length, 1)
    const second = await rerun('2')
    assert.equal(second.result.exitCode, 0, second.result.stdout)
    assert.equal(second.posts.length, 1, 'no second run on ZenML')
    assert.match(
      second.result.stdout,
      /an earlier attempt of this job started is running: re-attached to it \(check run \d+\)/
    )
    assert.equal(second.github.checkRuns.length, 1, 'no second check run')
    const fresh = await rerun('3', { rerun: 'fresh' })
    assert.equal(fresh.result.exitCode, 0, fresh.result.stdout)
    assert.equal(fresh.posts.length, 2, 'rerun: fresh starts a new run')
  })

  test('a run the earlier attempt gave up on at its timeout is re-attached, and its check run reopened', async () => {
    const first = await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'running' },
      inputs: { timeout: '2s' }
    })
    assert.equal(first.result.exitCode, 1, first.result.stdout)
    assert.equal(first.github.checkRuns[0]!.current.conclusion, 'timed_out')
    const second = await rerun('2')
    assert.equal(second.result.exitCode, 0, second.result.stdout)
    assert.equal(second.posts.length, 1, 'no second run on ZenML')
    const check = second.github.checkRuns[0]!
    assert.equal(second.github.checkRuns.length, 1)
    assert.deepEqual([check.current.status, check.current.conclusion], ['in_progress', null])
  })

  test('a run that failed in the earlier attempt is started anew', async () => {
    await trigger({
      permissions: { checks: 'write' },
      zenml: { outcome: 'failed-before-steps' },
      inputs: { wait: 'false' }
    })
    const second = await rerun('2')
    assert.equal(second.result.exitCode, 0, second.result.stdout)
    assert.match(second.result.stdout, /an earlier attempt of this job started failed: starting a new one/)
    assert.equal(second.posts.length, 2)
  })
})

describe('a command run without a ZenML server is a baseline too', () => {
  test("main's run leaves its record under a key of its own; a pull request's gate against the baseline judges by it", async () => {
    github = await startFakeGitHubChecks({
      repository: REPOSITORY,
      tokens: {
        [TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read' }
        }
      }
    })
    const fake = github
    const mainSha = 'a'.repeat(40)
    const pullSha = 'b'.repeat(40)
    /** One job: a plain Python entrypoint that writes the metrics file, no ZenML, no result file. */
    const job = (sha: string, accuracy: number, pull: boolean) => {
      const runId = pull ? '9502' : '9501'
      fake.seedWorkflowRun({
        id: Number(runId),
        head_sha: sha,
        head_branch: pull ? 'feature' : 'main',
        created_at: new Date().toISOString()
      })
      const repository = { full_name: REPOSITORY, default_branch: 'main' }
      return runAction({
        eventName: pull ? 'pull_request' : 'workflow_dispatch',
        payload: pull
          ? {
              action: 'synchronize',
              number: 5,
              pull_request: { number: 5, head: { sha, ref: 'feature' }, base: { sha: mainSha, ref: 'main' } },
              repository
            }
          : { inputs: {}, ref: 'refs/heads/main', repository },
        workspace: mkdtempSync(join(tmpdir(), 'pt-command-baseline-')),
        repository: REPOSITORY,
        sha,
        ref: pull ? 'refs/pull/5/merge' : 'refs/heads/main',
        runId,
        inputs: {
          pipeline: 'plain_pipeline',
          command: `${VENV_PYTHON}\n${join(ROOT, 'test/fixtures/pipelines/plain_metrics.py')}`,
          parameters: `accuracy: ${accuracy}`,
          gates: 'accuracy >= baseline - 0.01',
          token: TOKEN,
          verdict: 'check-run'
        },
        env: { GITHUB_API_URL: fake.url }
      })
    }
    const main = await job(mainSha, 0.9, false)
    assert.equal(main.exitCode, 0, main.stdout + main.stderr)
    const [mainCheck] = fake.checkRuns.filter((c) => c.current.head_sha === mainSha)
    assert.match(
      mainCheck!.current.external_id ?? '',
      /^pt1\|command\|command\|key:pt-[0-9a-f]{32}$/,
      'no run id: named by its key'
    )
    assert.equal(readMetricsRecord(mainCheck!.current.output.text)?.metrics.accuracy, 0.9)

    const worse = await job(pullSha, 0.85, true)
    assert.equal(worse.exitCode, 1, 'the gate against main fails the step')
    assert.match(worse.stdout, /Baseline: completed runs of main found per pipeline \(plain_pipeline: 1\)/)
    const [pullCheck] = fake.checkRuns.filter((c) => c.current.head_sha === pullSha)
    assert.equal(pullCheck!.current.conclusion, 'failure')
    assert.match(
      pullCheck!.current.output.title ?? '',
      /accuracy >= baseline - 0\.01 failed: 0\.85 < 0\.89 \(baseline 0\.9\)/
    )
  })
})
