/**
 * Every example workflow, run for real through the workflow stand-in (test/helpers/workflow-runner.ts),
 * with a hostile dispatch input and hostile file names. Users copy these files verbatim, so the
 * proof is end to end: the value must reach the pipeline unchanged, and no shell must run it.
 *
 * Counterparts: a real git origin and depth-1 checkouts; the examples' own config file and
 * requirements (pip installs from the project .venv, with PIP_NO_INDEX so nothing leaves the
 * machine); the recording entrypoint in place of examples/pipelines/run.py; a loopback HTTP
 * receiver for the trigger API and the Lambda; the ZenML Pro fake (test/helpers/fake-zenml.ts,
 * faithful to the ZenML server's OpenAPI description) because a local server cannot run snapshots; the GitHub
 * Actions fake (test/helpers/fake-github-actions.ts, validated against GitHub's OpenAPI) for the
 * cross-repository dispatch, and the checks fake (test/helpers/fake-github-checks.ts, validated
 * the same way) for the check runs the verdict examples open and complete, because GitHub cannot
 * run here.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { startFakeActions, type FakeActions } from '../helpers/fake-github-actions.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type TokenPermissions } from '../helpers/fake-github-checks.js'
import { startFakeZenml, type FakeZenml } from '../helpers/fake-zenml.js'
import { GitFixture } from '../helpers/git-fixture.js'
import { FAKE_TOKEN, ROOT } from '../helpers/run-action.js'
import { pushPayload, recorder } from '../helpers/scenario.js'
import { webhookExample } from '../helpers/events.js'
import { WorkflowRunner, type RunnerEvent } from '../helpers/workflow-runner.js'
import { exampleWorkflows } from '../helpers/workflows.js'

/**
 * Example workflows run end to end elsewhere: in the test file of the target whose real server,
 * or validated stand-in, they need (started once there).
 */
const RUN_ELSEWHERE: Record<string, string> = {
  'airflow-training.yml': 'test/e2e/airflow-target.test.ts',
  'dagster-training.yml': 'test/e2e/dagster-target.test.ts',
  'databricks-training.yml': 'test/e2e/databricks-target.test.ts',
  'kubeflow-training.yml': 'test/e2e/kubeflow-target.test.ts',
  'prefect-training.yml': 'test/e2e/prefect-target.test.ts',
  'sagemaker-training.yml': 'test/e2e/sagemaker-target.test.ts',
  'vertex-training.yml': 'test/e2e/vertex-target.test.ts'
}

const CANARY = mkdtempSync(join(tmpdir(), 'pt-canary-'))
/** Shell, quoting and YAML tricks in one value: if anything ran it, a file appears in CANARY. */
const HOSTILE_INPUT = `s3://b/$(touch ${CANARY}/dollar).csv\`touch ${CANARY}/tick\`";touch ${CANARY}/quote;"\nmodel_type: hijacked`
/** File names a push can carry; relative `touch` targets land in the job's workspace. */
const HOSTILE_FILES = [
  'data/iris/$(touch pwned-dollar).csv',
  'data/iris/a;touch pwned-semi;b.csv',
  'data/iris/`touch pwned-tick`.csv',
  'data/iris/new\nline.csv'
]
const ZENML_KEY = 'ZENKEY_examples_0123456789'
const ML_EVAL_TOKEN = 'ghs_mlEvalTokenForExamples0123456789ab'

interface Received {
  path: string
  body: { pipeline_name?: string; parameters?: Record<string, unknown> }
}

describe('example workflows with hostile input', () => {
  const git = new GitFixture()
  const workspaces: string[] = []
  let base: string
  let tip: string
  let zenml: FakeZenml
  let actions: FakeActions
  let receiver: Server
  const received: Received[] = []
  let receiverUrl: string
  let runId = 9400

  before(async () => {
    base = git.commit({
      '.github/pipeline-triggers.yml': readFileSync(join(ROOT, 'examples/pipeline-triggers.yml'), 'utf8'),
      'examples/chain-triggers.yml': readFileSync(join(ROOT, 'examples/chain-triggers.yml'), 'utf8'),
      'examples/workflow-run-triggers.yml': readFileSync(join(ROOT, 'examples/workflow-run-triggers.yml'), 'utf8'),
      // The user's entrypoint, played by the recorder: it writes down what the action handed it.
      'examples/pipelines/run.py': readFileSync(join(ROOT, 'test/fixtures/record_run.py'), 'utf8'),
      'examples/pipelines/requirements.txt': readFileSync(join(ROOT, 'examples/pipelines/requirements.txt'), 'utf8'),
      'data/iris/train.csv': '1'
    })
    git.push('refs/heads/main')
    tip = git.commit(Object.fromEntries(HOSTILE_FILES.map((name) => [name, 'x'])), 'hostile names')
    git.push('refs/heads/main')
    zenml = await startFakeZenml({ mode: '0.98', apiKey: ZENML_KEY })
    // The other repository of cross-repo-chain.yml, holding the receiving example workflow.
    actions = await startFakeActions({
      token: ML_EVAL_TOKEN,
      server: 'github.com',
      repositories: {
        'ml-org/ml-eval': {
          defaultBranch: 'main',
          workflows: {
            'evaluate-on-dispatch.yml': {
              id: 4242,
              text: readFileSync(join(ROOT, 'examples/workflows/evaluate-on-dispatch.yml'), 'utf8')
            }
          }
        }
      },
      outcome: () => ({ conclusion: 'success', afterMs: 300 })
    })
    receiver = createServer((req, res) => {
      let raw = ''
      req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
      req.on('end', () => {
        received.push({ path: req.url ?? '', body: JSON.parse(raw) })
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ run_id: `api-run-${received.length}` }))
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  })
  after(async () => {
    await zenml.close()
    assert.deepEqual(actions.contractErrors, [])
    await actions.close()
    receiver.close()
    git.remove()
  })

  const pushEvent = (): RunnerEvent => ({
    name: 'push',
    payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip }),
    sha: tip,
    ref: 'refs/heads/main'
  })
  const dispatchEvent = (inputs: Record<string, string>): RunnerEvent => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = inputs
    payload.ref = 'refs/heads/main'
    return { name: 'workflow_dispatch', payload, sha: tip, ref: 'refs/heads/main' }
  }

  /** `env` adds to (or overrides) the environment; `inlineOnly` plays a repository without the config file. */
  async function runExample(
    file: string,
    event: RunnerEvent,
    options: { env?: Record<string, string>; inlineOnly?: boolean } = {}
  ) {
    const record = recorder()
    const runner = new WorkflowRunner({
      event,
      runId: String(runId++),
      checkout: () => {
        const workspace = git.workspace('refs/heads/main')
        if (options.inlineOnly) unlinkSync(join(workspace, '.github/pipeline-triggers.yml'))
        workspaces.push(workspace)
        return workspace
      },
      vars: {
        ZENML_URL: zenml.url,
        TRIGGER_API_URL: `${receiverUrl}/trigger`,
        LAMBDA_TRIGGER_URL: `${receiverUrl}/lambda`
      },
      secrets: {
        ZENML_API_KEY: ZENML_KEY,
        TRIGGER_API_KEY: 'k1',
        TRIGGER_HMAC_SECRET: 's1',
        LAMBDA_API_KEY: 'k2',
        LAMBDA_HMAC_SECRET: 's2',
        ML_EVAL_TOKEN
      },
      env: {
        ...record.env,
        PIP_NO_INDEX: '1',
        PIP_DISABLE_PIP_VERSION_CHECK: '1',
        GITHUB_API_URL: actions.url,
        ...options.env
      }
    })
    const result = await runner.run(`examples/workflows/${file}`)
    const log = runner.jobs.map((j) => `== ${j.name}: ${j.result}\n${j.log}`).join('\n')
    return { result, runner, log, runs: record.read() }
  }

  /** GitHub's API, where the runner's github.token is the GitHub Actions app's, as on GitHub. */
  const actionsAppGitHub = (permissions: TokenPermissions) =>
    startFakeGitHubChecks({
      repository: 'octo-org/ml-repo',
      tokens: { [FAKE_TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions } }
    })

  /** Nothing ran the hostile text: no canary file, no pwned-* file in any job's workspace. */
  function assertHarmless(): void {
    assert.deepEqual(readdirSync(CANARY), [])
    for (const workspace of workspaces)
      assert.deepEqual(
        readdirSync(workspace).filter((n) => n.startsWith('pwned')),
        [],
        workspace
      )
  }

  const zenmlRunsSince = (count: number) =>
    zenml.requests
      .slice(count)
      .filter((r) => r.method === 'POST' && r.path.endsWith('/runs'))
      .map(
        (r) =>
          (
            r.body as {
              run_configuration: { steps: Record<string, { parameters: Record<string, unknown> }>; tags: string[] }
            }
          ).run_configuration
      )

  test('every example is covered here', () => {
    const covered = [
      'scheduled-training.yml',
      'data-push.yml',
      'manual-dispatch.yml',
      'zenml-pro-snapshot.yml',
      'trigger-api-and-lambda.yml',
      'pipeline-chain.yml',
      'fan-out.yml',
      'cross-repo-chain.yml',
      'evaluate-on-dispatch.yml',
      'train-after-validation.yml',
      'data-push-no-wait.yml',
      'verdict-callback.yml',
      'reconcile-verdicts.yml',
      'data-pr-gates.yml',
      ...Object.keys(RUN_ELSEWHERE)
    ]
    for (const [name, file] of Object.entries(RUN_ELSEWHERE))
      assert.ok(readFileSync(join(ROOT, file), 'utf8').includes(`examples/workflows/${name}`), `${file} runs ${name}`)
    assert.deepEqual(
      exampleWorkflows()
        .map((w) => w.path.split('/').pop())
        .sort(),
      covered.sort()
    )
  })

  test('scheduled-training.yml: hostile file names and a hostile dispatch input reach the pipeline as data', async () => {
    const push = await runExample('scheduled-training.yml', pushEvent())
    assert.equal(push.result.result, 'success', push.log)
    assert.deepEqual(
      push.runs.map((r) => r.config.parameters!.data_url).sort(),
      HOSTILE_FILES.map((p) => `s3://example-bucket/${p}`).sort()
    )

    const dispatch = await runExample(
      'scheduled-training.yml',
      dispatchEvent({ model_type: 'gradient_boosting', data_url: HOSTILE_INPUT })
    )
    assert.equal(dispatch.result.result, 'success', dispatch.log)
    assert.equal(dispatch.runs.length, 1)
    assert.deepEqual(dispatch.runs[0]!.config.parameters, { model_type: 'gradient_boosting', data_url: HOSTILE_INPUT })
    assert.match(dispatch.log, /Training finished with status completed/)
    assertHarmless()
  })

  test('data-pr-gates.yml: a pull request of hostile file names gets a check run per run, decided by the gates, and one report comment', async () => {
    const github = await actionsAppGitHub({ checks: 'write', actions: 'read', pull_requests: 'write' })
    github.seedPullRequest({ number: 12, headSha: tip })
    const payload = {
      action: 'synchronize',
      number: 12,
      pull_request: { number: 12, head: { sha: tip, ref: 'data' }, base: { sha: base, ref: 'main' } },
      repository: { full_name: 'octo-org/ml-repo', default_branch: 'main' }
    }
    try {
      const { result, runs, log } = await runExample(
        'data-pr-gates.yml',
        { name: 'pull_request', payload, sha: 'f'.repeat(40), ref: 'refs/pull/12/merge' },
        { env: { GITHUB_API_URL: github.url, RECORD_METRICS: '{"accuracy": 0.93}' }, inlineOnly: true }
      )
      assert.equal(result.result, 'success', log)
      assert.deepEqual(runs.map((r) => r.config.parameters!.data_url).sort(), [...HOSTILE_FILES].sort())
      // accuracy >= 0.8 passes; against the baseline it cannot say (main has no run yet): neutral, never green.
      assert.equal(github.checkRuns.length, HOSTILE_FILES.length, log)
      for (const run of github.checkRuns) {
        assert.equal(run.current.head_sha, tip, 'on the pull request head, not the merge commit')
        assert.equal(run.current.conclusion, 'neutral', run.current.output.title ?? '')
        assert.match(run.current.output.title ?? '', /no baseline/)
      }
      const comments = github.comments.filter((c) => c.current.body.startsWith('<!-- pipeline-trigger:report -->'))
      assert.equal(comments.length, 1)
      assert.match(comments[0]!.current.body, /accuracy 0\.93/)
      assert.deepEqual(github.contractErrors, [])
      assertHarmless()
    } finally {
      await github.close()
    }
  })

  test('data-push.yml: one run per hostile file name, each name intact', async () => {
    const { result, runs, log } = await runExample('data-push.yml', pushEvent())
    assert.equal(result.result, 'success', log)
    assert.deepEqual(runs.map((r) => r.config.parameters!.data_url).sort(), [...HOSTILE_FILES].sort())
    assertHarmless()
  })

  test('manual-dispatch.yml (run-in-runner.yml): the hostile input arrives as one parameter', async () => {
    const { result, runs, log } = await runExample(
      'manual-dispatch.yml',
      dispatchEvent({ model_type: 'random_forest', data_url: HOSTILE_INPUT })
    )
    assert.equal(result.result, 'success', log)
    assert.deepEqual(
      runs.map((r) => r.config.parameters),
      [{ model_type: 'random_forest', data_url: HOSTILE_INPUT }]
    )
    assertHarmless()
  })

  test('zenml-pro-snapshot.yml: the snapshot runs with hostile paths and input as step parameters', async () => {
    const before = zenml.requests.length
    const push = await runExample('zenml-pro-snapshot.yml', pushEvent())
    assert.equal(push.result.result, 'success', push.log)
    assert.deepEqual(
      zenmlRunsSince(before)
        .map((c) => c.steps.load_data!.parameters.data_url)
        .sort(),
      [...HOSTILE_FILES].sort()
    )

    const middle = zenml.requests.length
    const dispatch = await runExample('zenml-pro-snapshot.yml', dispatchEvent({ data_url: HOSTILE_INPUT }))
    assert.equal(dispatch.result.result, 'success', dispatch.log)
    assert.deepEqual(
      zenmlRunsSince(middle).map((c) => c.steps.load_data!.parameters.data_url),
      [HOSTILE_INPUT]
    )
    // The key reaches the log only in the ::add-mask:: command, which the runner consumes to hide it.
    assert.deepEqual(
      dispatch.log.split('\n').filter((line) => line.includes(ZENML_KEY)),
      [`::add-mask::${ZENML_KEY}`]
    )
    assertHarmless()
  })

  test('trigger-api-and-lambda.yml: both receivers get the hostile values inside the JSON body', async () => {
    received.length = 0
    const { result, log } = await runExample('trigger-api-and-lambda.yml', dispatchEvent({ data_url: HOSTILE_INPUT }))
    assert.equal(result.result, 'success', log)
    assert.deepEqual(received.map((r) => [r.path, r.body.parameters!.data_url]).sort(), [
      ['/lambda', HOSTILE_INPUT],
      ['/trigger', HOSTILE_INPUT]
    ])
    received.length = 0
    const push = await runExample('trigger-api-and-lambda.yml', pushEvent())
    assert.equal(push.result.result, 'success', push.log)
    assert.equal(received.length, HOSTILE_FILES.length * 2)
    assertHarmless()
  })

  test('pipeline-chain.yml (trigger-pipeline.yml twice): evaluation follows training with its run id and the chain', async () => {
    const before = zenml.requests.length
    const { result, runner, log } = await runExample('pipeline-chain.yml', dispatchEvent({ data_url: HOSTILE_INPUT }))
    assert.equal(result.result, 'success', log)
    assert.deepEqual(
      runner.jobs.map((j) => [j.name, j.result]),
      [
        ['train/trigger', 'success'],
        ['evaluate/trigger', 'success']
      ]
    )
    // Each reusable job ran the action from its own checkout of this repository, not the caller's tree.
    for (const job of runner.jobs)
      assert.match(
        job.log,
        /checked out your-org\/pipeline-trigger@f{40} into \S+\/\.pipeline-trigger-action/,
        job.name
      )
    const [training, evaluation] = zenmlRunsSince(before)
    assert.equal(training!.steps.load_data!.parameters.data_url, HOSTILE_INPUT)
    assert.match(String(evaluation!.steps.evaluate!.parameters.training_run_id), /^[0-9a-f-]{36}$/)
    assert.ok(evaluation!.tags.includes('pipeline-chain-depth:2'), JSON.stringify(evaluation!.tags))
    assert.equal(
      evaluation!.tags.find((t) => t.startsWith('pipeline-chain-root:')),
      training!.tags.find((t) => t.startsWith('pipeline-chain-root:'))
    )
    assertHarmless()
  })

  test('cross-repo-chain.yml → evaluate-on-dispatch.yml: training, a dispatch to the other repository, and its evaluation, one guarded chain of three', async () => {
    const before = zenml.requests.length
    const chain = await runExample('cross-repo-chain.yml', dispatchEvent({ data_url: HOSTILE_INPUT }))
    assert.equal(chain.result.result, 'success', chain.log)
    assert.deepEqual(
      chain.runner.jobs.map((j) => [j.name, j.result]),
      [
        ['train', 'success'],
        ['evaluate', 'success']
      ]
    )
    const [training] = zenmlRunsSince(before)
    const dispatch = actions.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches')).at(-1)!
    assert.equal(dispatch.path, '/repos/ml-org/ml-eval/actions/workflows/evaluate-on-dispatch.yml/dispatches')
    const inputs = (dispatch.body as { inputs: Record<string, string> }).inputs
    assert.match(inputs.training_run_id!, /^[0-9a-f-]{36}$/)
    assert.deepEqual(JSON.parse(inputs['pipeline-context']!).chain, ['training_pipeline', 'ml-eval-evaluation'])
    assert.match(
      chain.log,
      /TRIGGER_SUCCESS \{"pipeline":"ml-eval-evaluation","target":"ml-eval".*"status":"completed","run_id":"\d+","run_url":"https:\/\/github\.com\/ml-org\/ml-eval\/actions\/runs\/\d+"/
    )
    assert.ok(
      !chain.log.split('\n').some((line) => line.includes(ML_EVAL_TOKEN) && !line.startsWith('::add-mask::')),
      'the cross-repository token is never printed'
    )

    // The other repository's workflow, run with exactly the inputs the dispatch carried.
    const middle = zenml.requests.length
    const evaluation = await runExample('evaluate-on-dispatch.yml', dispatchEvent(inputs))
    assert.equal(evaluation.result.result, 'success', evaluation.log)
    const [evaluated] = zenmlRunsSince(middle)
    assert.equal(evaluated!.steps.evaluate!.parameters.training_run_id, inputs.training_run_id)
    assert.ok(evaluated!.tags.includes('pipeline-chain-depth:3'), JSON.stringify(evaluated!.tags))
    assert.equal(
      evaluated!.tags.find((t) => t.startsWith('pipeline-chain-root:')),
      training!.tags.find((t) => t.startsWith('pipeline-chain-root:'))
    )

    // A → B → A: a context that already holds evaluation_pipeline is refused before any call.
    const loop = JSON.stringify({
      ...JSON.parse(inputs['pipeline-context']!),
      chain: ['evaluation_pipeline', 'training_pipeline', 'ml-eval-evaluation'],
      depth: 3
    })
    const refused = zenml.requests.length
    const again = await runExample('evaluate-on-dispatch.yml', dispatchEvent({ ...inputs, 'pipeline-context': loop }))
    assert.equal(again.result.result, 'failure')
    assert.match(again.log, /Chain guard: "evaluation_pipeline" is already in this chain/)
    assert.equal(zenml.requests.length, refused, 'not a single call to the server')
    assertHarmless()
  })

  test('train-after-validation.yml: a successful validation trains on the data of that very run; a failed one trains nothing', async () => {
    const upstream = (conclusion: string): RunnerEvent => {
      const payload = webhookExample('workflow_run', (p) => p.workflow_run.conclusion === 'success')
      Object.assign(payload.workflow_run, { name: 'validate-data', conclusion, head_branch: 'main', head_sha: tip })
      payload.workflow_run.head_repository.full_name = 'octo-org/ml-repo' // this repository, not a fork
      return { name: 'workflow_run', payload, sha: tip, ref: 'refs/heads/main' }
    }
    const trained = await runExample('train-after-validation.yml', upstream('success'))
    assert.equal(trained.result.result, 'success', trained.log)
    assert.deepEqual(
      trained.runs.map((r) => r.config.parameters),
      [{ model_type: 'random_forest', data_url: `s3://example-bucket/validated/${tip}.csv` }]
    )
    const skipped = await runExample('train-after-validation.yml', upstream('failure'))
    assert.equal(skipped.result.result, 'success', skipped.log)
    assert.deepEqual(skipped.runs, [])
    assert.match(skipped.log, /Skipped training: "upstream run \d+ concluded \\"failure\\", not success"/)
    assertHarmless()
  })

  test('fan-out.yml: a plan job, one trigger job per hostile file, and one fan-in summary', async () => {
    const before = zenml.requests.length
    const { result, runner, log } = await runExample('fan-out.yml', pushEvent())
    assert.equal(result.result, 'success', log)
    const names = runner.jobs.map((j) => j.name)
    assert.equal(
      names.filter((n) => n.startsWith('train-each-file/trigger [')).length,
      HOSTILE_FILES.length,
      names.join('\n')
    )
    assert.deepEqual(
      zenmlRunsSince(before)
        .map((c) => c.steps.load_data!.parameters.data_url)
        .sort(),
      [...HOSTILE_FILES].sort()
    )
    const fanIn = runner.jobs.find((j) => j.name === 'train-each-file/fan-in')!
    assert.equal(fanIn.result, 'success', fanIn.log)
    assert.match(
      fanIn.summaries.join('\n'),
      new RegExp(`${HOSTILE_FILES.length} requests, ${HOSTILE_FILES.length} runs triggered, 0 problems`)
    )
    assertHarmless()
  })

  test('data-push-no-wait.yml leaves a check run per hostile file in progress; verdict-callback.yml (report-verdict.yml) and reconcile-verdicts.yml complete them with what ZenML says', async () => {
    const github = await actionsAppGitHub({ checks: 'write', actions: 'read' })
    // A repository that describes its pipeline in the workflow (no config file): the follow-up
    // modes then know the inline zenml target from zenml-url, as the trigger step had it.
    const options = { env: { GITHUB_API_URL: github.url }, inlineOnly: true }
    try {
      const started = await runExample('data-push-no-wait.yml', pushEvent(), options)
      assert.equal(started.result.result, 'success', started.log)
      assert.equal(github.checkRuns.length, HOSTILE_FILES.length)
      for (const run of github.checkRuns) {
        assert.equal(run.current.head_sha, tip)
        assert.equal(run.current.status, 'in_progress', run.current.name)
      }
      const runIdOf = (run: (typeof github.checkRuns)[number]) => run.current.external_id!.split('|')[3]!
      const callback = (payload: Record<string, unknown>): RunnerEvent => ({
        name: 'repository_dispatch',
        payload: {
          action: 'pipeline-finished',
          client_payload: payload,
          repository: { full_name: 'octo-org/ml-repo', default_branch: 'main' }
        },
        sha: tip,
        ref: 'refs/heads/main'
      })
      const before = JSON.stringify(github.checkRuns.map((r) => r.current))

      // A hostile run-id is refused before anything is asked; a well-formed one that names no run
      // of ours changes nothing, and says why.
      const hostile = await runExample(
        'verdict-callback.yml',
        callback({ commit: tip, 'run-id': HOSTILE_INPUT }),
        options
      )
      assert.equal(hostile.result.result, 'failure')
      assert.match(hostile.log, /Input callback: .* names no check run/)
      const forged = await runExample(
        'verdict-callback.yml',
        callback({ commit: tip, 'run-id': '00000000-0000-4000-8000-000000000000' }),
        options
      )
      assert.equal(forged.result.result, 'success', forged.log)
      assert.match(
        forged.log,
        /no open check run or pending status of ours on .* is for run 00000000-0000-4000-8000-000000000000/
      )
      assert.equal(JSON.stringify(github.checkRuns.map((r) => r.current)), before, 'nothing changed')

      // The callback of one run: its check run only, once ZenML says the run ended (a callback
      // that comes while ZenML still says running changes nothing).
      const [named, ...others] = github.checkRuns
      for (let attempt = 0; attempt < 3 && named!.current.status !== 'completed'; attempt++) {
        const reported = await runExample(
          'verdict-callback.yml',
          callback({ commit: tip, 'run-id': runIdOf(named!) }),
          options
        )
        assert.equal(reported.result.result, 'success', reported.log)
      }
      assert.equal(named!.current.conclusion, 'success')
      assert.ok(others.every((run) => run.current.status === 'in_progress'))

      // The scheduled pass: the commits of the last 14 days' workflow runs, their open check runs.
      github.seedWorkflowRun({ id: 9500, head_sha: tip, created_at: new Date().toISOString() })
      const schedule: RunnerEvent = {
        name: 'schedule',
        payload: { schedule: '*/10 * * * *', repository: { full_name: 'octo-org/ml-repo' } },
        sha: tip,
        ref: 'refs/heads/main'
      }
      for (let pass = 0; pass < 3 && others.some((run) => run.current.status !== 'completed'); pass++) {
        const reconciled = await runExample('reconcile-verdicts.yml', schedule, options)
        assert.equal(reconciled.result.result, 'success', reconciled.log)
      }
      for (const run of github.checkRuns) {
        assert.equal(run.current.conclusion, 'success', run.current.name)
        assert.deepEqual(
          run.history.filter((h) => h.result.status === 'completed').map((h) => h.result.conclusion),
          ['success'],
          `${run.current.name}: completed once`
        )
      }
      const idle = await runExample('reconcile-verdicts.yml', schedule, options)
      assert.equal(idle.result.result, 'success', idle.log)
      assert.match(idle.log, /Mode reconcile: 0 open check run\(s\) or pending status\(es\) of ours/)
      assertHarmless()
    } finally {
      assert.deepEqual(github.contractErrors, [])
      await github.close()
    }
  })

  test("control: the same stand-in and input DO run code through the tutorial's ${{ }}-in-run: pattern", async () => {
    const runner = new WorkflowRunner({
      event: dispatchEvent({ data_url: HOSTILE_INPUT }),
      checkout: () => git.workspace('refs/heads/main')
    })
    await runner.run('test/fixtures/workflows/tutorial-pattern.yml')
    // So the harmless results above are the examples' doing, not a blind spot of the test.
    assert.deepEqual(readdirSync(CANARY).sort(), ['dollar', 'quote', 'tick'])
    for (const name of readdirSync(CANARY)) rmSync(join(CANARY, name))
  })
})
