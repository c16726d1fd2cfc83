/**
 * Metrics and gates on real ZenML 0.98.0 runs: a real server from .venv, a pipeline that logs
 * metrics with log_metadata (test/fixtures/pipelines/metrics_pipeline.py) on the run and on its
 * step, run by the bundled action's command target with zenml-url and zenml-api-key. GitHub's API
 * is the loopback fake (scripts/lib/fake-github-checks.ts, validated against @octokit/openapi).
 *
 * The story of a pull request: main's run makes the baseline (its check run records its metrics);
 * a push to the pull request with a worse model fails the gate against that baseline (the check
 * run's title has the gate and both values, the step fails) and opens the one report comment; a
 * second push with a better model passes, and the same comment is edited, never a second one.
 */
import assert from 'node:assert/strict'
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { GitFixture } from '../helpers/git-fixture.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'
import { startZenmlServer, type ZenmlServer } from '../helpers/zenml-server.js'

const REPOSITORY = 'octo-org/ml-repo'
const TOKEN = 'ghs_metricsGatesToken0123456789abcdefABC'
const PULL = 7
const GATES = 'accuracy >= baseline - 0.01\nevaluate::loss <= 0.3'

describe('metrics and gates on a real ZenML run', () => {
  const git = new GitFixture()
  let zenml: ZenmlServer
  let github: FakeChecks
  let mainSha: string
  let runIds = 9300

  before(async () => {
    zenml = await startZenmlServer()
    github = await startFakeGitHubChecks({
      repository: REPOSITORY,
      tokens: {
        [TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read', pull_requests: 'write' }
        }
      }
    })
    cpSync(join(ROOT, 'test/fixtures/pipelines/metrics_pipeline.py'), join(git.author, 'pipelines/metrics_pipeline.py'))
    mainSha = git.commit({})
    git.push('refs/heads/main')
  })

  after(async () => {
    assert.deepEqual(github.contractErrors, [], "the action's calls keep to GitHub's published contract")
    await github.close()
    await zenml.stop()
    git.remove()
  })

  /** One job: a workflow run on `sha` (seeded, so the baseline search finds main's), the action with the gates. */
  async function job(
    event: 'workflow_dispatch' | 'pull_request',
    sha: string,
    accuracy: number,
    options: { pull?: number; jobName?: string } = {}
  ) {
    const pull = options.pull ?? PULL
    const runId = String(++runIds)
    github.seedWorkflowRun({
      id: Number(runId),
      head_sha: sha,
      head_branch: event === 'pull_request' ? 'feature' : 'main',
      created_at: new Date().toISOString(),
      status: 'completed',
      conclusion: 'success'
    })
    const payload =
      event === 'pull_request'
        ? {
            action: 'synchronize',
            number: pull,
            pull_request: {
              number: pull,
              head: { sha, ref: 'feature' },
              base: { sha: mainSha, ref: 'main' }
            },
            repository: { full_name: REPOSITORY, default_branch: 'main' }
          }
        : { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY, default_branch: 'main' } }
    return runAction({
      eventName: event,
      payload,
      workspace: git.workspace(event === 'pull_request' ? 'refs/heads/feature' : 'refs/heads/main'),
      repository: REPOSITORY,
      sha,
      ref: event === 'pull_request' ? `refs/pull/${pull}/merge` : 'refs/heads/main',
      runId,
      env: {
        GITHUB_API_URL: github.url,
        ZENML_ANALYTICS_OPT_IN: 'false',
        ...(options.jobName ? { GITHUB_JOB: options.jobName } : {})
      },
      inputs: {
        pipeline: 'metrics_pipeline',
        command: `${VENV_PYTHON}\npipelines/metrics_pipeline.py`,
        parameters: `accuracy: ${accuracy}`,
        // A data push: each changed data file is a run, with data_url set to it.
        paths: 'data/**',
        'path-parameter': 'data_url',
        'zenml-url': zenml.url,
        'zenml-api-key': zenml.apiKey,
        gates: GATES,
        token: TOKEN,
        verdict: 'check-run'
      },
      timeoutMs: 300_000
    })
  }

  const checkRunsOn = (sha: string) => github.checkRuns.filter((c) => c.current.head_sha === sha)
  const reportComments = () =>
    github.comments.filter((c) => c.current.body.startsWith('<!-- pipeline-trigger:report -->'))

  test('main makes the baseline; a worse model fails its gate; a better one passes; one comment, edited', async () => {
    // main: no baseline yet, so the gate against it is neutral, never green; the number gate passes.
    const main = await job('workflow_dispatch', mainSha, 0.9)
    assert.equal(main.exitCode, 0, main.stdout + main.stderr)
    const [mainCheck] = checkRunsOn(mainSha)
    assert.equal(mainCheck!.current.conclusion, 'neutral', JSON.stringify(mainCheck!.current.output))
    assert.match(mainCheck!.current.output.title ?? '', /no baseline/)
    assert.match(mainCheck!.current.output.text ?? '', /<!-- pipeline-trigger:metrics \{.*"accuracy":0\.9/)
    const runs = JSON.parse(main.outputs.runs!) as { metrics: Record<string, unknown>; verdict: string }[]
    assert.equal(runs[0]!.metrics.accuracy, 0.9, 'run-level metadata')
    assert.equal(runs[0]!.metrics['evaluate::loss'], 0.1, 'step metadata, as <step>::<key>')
    assert.equal(runs[0]!.metrics.model, 'random_forest')
    assert.equal(reportComments().length, 0, 'no pull request, no comment')

    // A push to the pull request with a worse model: 0.85 < 0.9 - 0.01.
    const worseSha = git.commit({ 'data/iris/2026-12.csv': 'a,b\n1,2\n' })
    git.push('refs/heads/feature')
    github.seedPullRequest({ number: PULL, headSha: worseSha })
    github.setPullHead(PULL, worseSha)
    const worse = await job('pull_request', worseSha, 0.85)
    assert.equal(worse.exitCode, 1, 'a failed gate fails the step')
    const [worseRun] = JSON.parse(worse.outputs.runs!) as { parameters: Record<string, unknown> }[]
    assert.deepEqual(
      worseRun!.parameters,
      { accuracy: 0.85, data_url: 'data/iris/2026-12.csv' },
      'the pushed data file'
    )
    const [worseCheck] = checkRunsOn(worseSha)
    assert.equal(worseCheck!.current.conclusion, 'failure')
    assert.match(
      worseCheck!.current.output.title ?? '',
      /accuracy >= baseline - 0\.01 failed: 0\.85 < 0\.89 \(baseline 0\.9\)/
    )
    assert.equal(reportComments().length, 1)
    assert.match(reportComments()[0]!.current.body, /failure/)
    assert.match(reportComments()[0]!.current.body, /accuracy/)

    // A second push with a better model: passes, and the same comment is edited.
    const firstComment = reportComments()[0]!.id
    const betterSha = git.commit({ 'data/iris/2026-12.csv': 'a,b\n1,2\n3,4\n' })
    git.push('refs/heads/feature')
    github.setPullHead(PULL, betterSha)
    const better = await job('pull_request', betterSha, 0.95)
    assert.equal(better.exitCode, 0, better.stdout + better.stderr)
    const [betterCheck] = checkRunsOn(betterSha)
    assert.equal(betterCheck!.current.conclusion, 'success')
    const comments = reportComments()
    assert.equal(comments.length, 1, 'one report per pull request')
    assert.equal(comments[0]!.id, firstComment, 'edited in place')
    assert.match(comments[0]!.current.body, /xychart-beta/, 'a chart of the gated metric over main and this push')
    assert.doesNotMatch(
      comments[0]!.current.body,
      new RegExp(worseSha.slice(0, 12)),
      "the older push's section is gone"
    )
    assert.match(better.summary, /accuracy/, 'the same table in the job summary')
  })

  test('two jobs of one push finishing at once: one comment, with both their sections', async () => {
    const sha = git.commit({ 'data/iris/2026-12b.csv': 'a,b\n5,6\n' })
    git.push('refs/heads/feature')
    github.seedPullRequest({ number: 8, headSha: sha })
    const [a, b] = await Promise.all([
      job('pull_request', sha, 0.95, { pull: 8, jobName: 'train-a' }),
      job('pull_request', sha, 0.96, { pull: 8, jobName: 'train-b' })
    ])
    assert.equal(a.exitCode, 0, a.stdout + a.stderr)
    assert.equal(b.exitCode, 0, b.stdout + b.stderr)
    const comments = github.comments.filter(
      (c) => c.current.issue_url.endsWith('/issues/8') && c.current.body.startsWith('<!-- pipeline-trigger:report -->')
    )
    assert.equal(comments.length, 1, 'never a second comment')
    for (const section of ['train-a', 'train-b'])
      assert.match(comments[0]!.current.body, new RegExp(`pipeline-trigger:section [^ ]*${section}`), section)
    assert.match(comments[0]!.current.body, /\*\*train \/ train\\-a\*\*/, 'each section names its job')
  })
})
