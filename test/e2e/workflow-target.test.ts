/**
 * The workflow target through the bundled action, against a FAKE of the GitHub REST API on
 * loopback (test/helpers/fake-github-actions.ts). Why a fake: GitHub cannot run here. The fake
 * validates every request body and JSON response against GitHub's published OpenAPI description
 * (@octokit/openapi) and follows GitHub's documented dispatch contract;
 * each test checks that it saw no contract error.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { schedulePayload, webhookExample } from '../helpers/events.js'
import { startFakeActions, type FakeActions, type FakeActionsOptions } from '../helpers/fake-github-actions.js'
import { EVALUATE, ON_DISPATCH } from '../helpers/ml-eval-workflows.js'
import { runAction } from '../helpers/run-action.js'

const TOKEN = 'ghs_crossRepoTokenForTests0123456789abcd'

let fake: FakeActions | undefined
afterEach(async () => {
  if (fake) assert.deepEqual(fake.contractErrors, [], "the requests and answers keep to GitHub's published contract")
  await fake?.close()
  fake = undefined
})

function workspace(target: string, pipelines: Record<string, Record<string, unknown>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pt-workflow-'))
  mkdirSync(join(dir, '.github'))
  const lines = Object.entries(pipelines).map(
    ([key, parameters]) =>
      `  ${key}: {target: evaluate, pipeline: ${key}_pipeline, on: {schedule: [{parameters: ${JSON.stringify(parameters)}}]}}`
  )
  writeFileSync(
    join(dir, '.github/pipeline-triggers.yml'),
    `version: 1\ntargets:\n  evaluate: ${target}\npipelines:\n${lines.join('\n')}\n`
  )
  return dir
}

const CROSS_REPO = `{type: workflow, repo: ml-org/ml-eval, workflow: evaluate.yml, token: 'env:ML_EVAL_TOKEN'}`

async function trigger(
  options: Partial<FakeActionsOptions>,
  target: string,
  pipelines: Record<string, Record<string, unknown>>,
  inputs: Record<string, string> = {}
) {
  fake = await startFakeActions({
    token: TOKEN,
    server: 'github.com',
    repositories: {
      'ml-org/ml-eval': {
        defaultBranch: 'main',
        workflows: {
          'evaluate.yml': { id: 161335, text: EVALUATE },
          'on-dispatch.yml': { id: 161336, text: ON_DISPATCH }
        }
      }
    },
    ...options
  })
  const result = await runAction({
    eventName: 'schedule',
    payload: schedulePayload('0 5 * * *'),
    workspace: workspace(target, pipelines),
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    inputs,
    env: { GITHUB_API_URL: fake.url, ML_EVAL_TOKEN: TOKEN },
    timeoutMs: 90_000
  })
  const dispatches = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches'))
  return { result, dispatches, fake }
}

describe('workflow target: workflow_dispatch on github.com', () => {
  test('dispatches with the run in the answer, checks the inputs, and waits until the run succeeds', async () => {
    const { result, dispatches } = await trigger({}, CROSS_REPO, {
      evaluation: { training_run_id: 'run-42', threshold: '0.93' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 1)
    const [dispatch] = dispatches
    assert.equal(dispatch!.headers['x-github-api-version'], '2026-03-10')
    assert.equal(dispatch!.path, '/repos/ml-org/ml-eval/actions/workflows/evaluate.yml/dispatches')
    const body = dispatch!.body as { ref: string; inputs: Record<string, unknown> }
    assert.equal(body.ref, 'main', 'another repository runs on its default branch')
    assert.equal(body.inputs.threshold, 0.93, 'a number input is sent as a number')
    assert.equal(body.inputs.training_run_id, 'run-42')
    assert.deepEqual(JSON.parse(body.inputs['pipeline-context'] as string).chain, ['evaluation_pipeline'])
    assert.match(body.inputs['pipeline-trigger-id'] as string, /^pt-[0-9a-f]+$/)
    const runId = result.outputs['run-id']!
    assert.equal(result.outputs['run-url'], `https://github.com/ml-org/ml-eval/actions/runs/${runId}`)
    assert.equal(result.outputs.status, 'completed')
    assert.ok(
      result.summary.includes(`](https://github.com/ml-org/ml-eval/actions/runs/${runId})`),
      'the summary links the run'
    )
    assert.ok(!result.stdout.replace(/::add-mask::.*/g, '').includes(TOKEN), 'the token is never printed')
  })

  test('a run that ends in failure fails the step', async () => {
    const { result } = await trigger({ outcome: () => ({ conclusion: 'failure', afterMs: 500 }) }, CROSS_REPO, {
      evaluation: { training_run_id: 'run-42' }
    })
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'failed')
    assert.match(result.stdout, /TRIGGER_FAILURE \{.*"message":"the workflow run ended failure"/)
  })

  test('at the deadline, cancel-on-timeout cancels the run', async () => {
    const target = `{type: workflow, repo: ml-org/ml-eval, workflow: evaluate.yml, token: 'env:ML_EVAL_TOKEN', cancel-on-timeout: true}`
    const { result, fake } = await trigger(
      { outcome: () => ({ conclusion: 'success', afterMs: 600_000 }) },
      target,
      { evaluation: { training_run_id: 'run-42' } },
      { timeout: '3s' }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'timed_out')
    assert.ok(fake.requests.some((r) => r.method === 'POST' && /\/actions\/runs\/\d+\/cancel$/.test(r.path)))
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
  })

  test('five dispatches under max-parallel 2: spaced, never more than two at once, all followed', async () => {
    const target = `{type: workflow, repo: ml-org/ml-eval, workflow: evaluate.yml, token: 'env:ML_EVAL_TOKEN', max-parallel: 2}`
    const pipelines = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`eval${i}`, { training_run_id: `run-${i}` }]))
    const { result, dispatches, fake } = await trigger({}, target, pipelines)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 5)
    assert.ok(fake.maxConcurrentDispatches <= 2)
    assert.deepEqual(
      JSON.parse(result.outputs.runs!).map((r: { status: string }) => r.status),
      Array(5).fill('completed')
    )
  })
})

describe('workflow target: refusals before anything is dispatched', () => {
  const refused = async (
    parameters: Record<string, unknown>,
    pattern: RegExp,
    options: Partial<FakeActionsOptions> = {}
  ) => {
    const { result, dispatches } = await trigger(options, CROSS_REPO, { evaluation: parameters })
    assert.equal(result.exitCode, 1)
    assert.equal(dispatches.length, 0, 'nothing was dispatched')
    assert.match(result.stdout, pattern)
  }
  test('an undeclared input', () =>
    refused(
      { training_run_id: 'r', learning_rate: 0.1 },
      /Parameter "learning_rate" is not an input of ml-org\/ml-eval\/\.github\/workflows\/evaluate\.yml@main \(its inputs: training_run_id, threshold, mode\)\. Nothing was dispatched\. Fix: declare "learning_rate"/
    ))
  test('a wrong type', () =>
    refused(
      { training_run_id: 'r', threshold: 'high' },
      /Parameter "threshold" is "high", but .* declares input "threshold" as a number/
    ))
  test('a value outside the choices', () =>
    refused({ training_run_id: 'r', mode: 'medium' }, /declares input "mode" as a choice of "fast", "full"/))
  test('a required input missing', () =>
    refused({ threshold: 0.5 }, /requires the input "training_run_id", which no parameter gives/))
  test('dry-run: check reads the workflow file and checks the inputs, and dispatches nothing', async () => {
    const good = await trigger(
      {},
      CROSS_REPO,
      { evaluation: { training_run_id: 'r', threshold: 0.5 } },
      { 'dry-run': 'check' }
    )
    assert.equal(good.result.exitCode, 0, good.result.stdout)
    assert.match(good.result.stdout, /Checked on target evaluate: 1 run\(s\) would start; nothing was started\./)
    assert.ok(
      good.fake.requests.some((r) => r.method === 'GET' && r.path.includes('/contents/.github/workflows/evaluate.yml'))
    )
    assert.deepEqual(
      good.fake.requests.filter((r) => r.method !== 'GET'),
      [],
      'reads only'
    )
    await fake?.close()
    const bad = await trigger(
      {},
      CROSS_REPO,
      { evaluation: { training_run_id: 'r', threshold: 'high' } },
      { 'dry-run': 'check' }
    )
    assert.equal(bad.result.exitCode, 1)
    assert.equal(bad.dispatches.length, 0)
    assert.match(bad.result.stdout, /Parameter "threshold" is "high", but .* declares input "threshold" as a number/)
  })
  test('more inputs than GHES takes', async () => {
    const many = `name: many\non:\n  workflow_dispatch:\n    inputs:\n${Array.from({ length: 12 }, (_, i) => `      p${i}: {type: string}`).join('\n')}\n      pipeline-context: {type: string}\njobs: {}\n`
    const parameters = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`p${i}`, 'x']))
    const { result, dispatches } = await trigger(
      {
        server: 'ghes-3.20',
        repositories: {
          'ml-org/ml-eval': { defaultBranch: 'main', workflows: { 'evaluate.yml': { id: 1, text: many } } }
        }
      },
      CROSS_REPO,
      { evaluation: parameters }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(dispatches.length, 0)
    assert.match(result.stdout, /would send 13 inputs; GitHub accepts at most 10 here/)
  })
  test('a workflow without the pipeline-context input gets the line to add', async () => {
    const bare = EVALUATE.replace(/ +pipeline-context: .*\n/, '')
    const { result, dispatches } = await trigger(
      {
        repositories: {
          'ml-org/ml-eval': { defaultBranch: 'main', workflows: { 'evaluate.yml': { id: 1, text: bare } } }
        }
      },
      CROSS_REPO,
      { evaluation: { training_run_id: 'r' } }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(dispatches.length, 0)
    assert.match(
      result.stdout,
      /does not declare the input pipeline-context.*Fix: add under on\.workflow_dispatch\.inputs:/s
    )
  })
  test('a token without actions: write: the 403 names the permission', async () => {
    const { result } = await trigger({ forbidDispatch: true }, CROSS_REPO, { evaluation: { training_run_id: 'r' } })
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /GitHub API: dispatching evaluate\.yml on main in ml-org\/ml-eval: HTTP 403: Resource not accessible by integration\. Fix: the token needs `actions: write`/
    )
  })
  test('a chain already max-depth deep is refused before any call', async () => {
    const deep = JSON.stringify({
      root: 'https://github.com/octo-org/ml-repo/actions/runs/1',
      depth: 2,
      chain: ['a', 'b']
    })
    const { result, fake } = await trigger(
      {},
      CROSS_REPO,
      { evaluation: { training_run_id: 'r' } },
      { 'pipeline-context': deep, 'max-depth': '2' }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(fake.requests.length, 0, 'not a single call')
    assert.match(result.stdout, /Chain guard: this chain is already 2 triggers deep \(a → b\), and max-depth is 2/)
  })

  test('A → B → A: the chain guard refuses before any call', async () => {
    const upstream = JSON.stringify({
      root: 'https://github.com/octo-org/ml-repo/actions/runs/1',
      depth: 2,
      chain: ['evaluation_pipeline', 'training_pipeline']
    })
    const { result, fake } = await trigger(
      {},
      CROSS_REPO,
      { evaluation: { training_run_id: 'r' } },
      { 'pipeline-context': upstream }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(fake.requests.length, 0, 'not a single call')
    assert.match(result.stdout, /Chain guard: "evaluation_pipeline" is already in this chain/)
  })
})

describe('workflow target: exactly once, and honest cancels', () => {
  test('a lost answer to the dispatch is never answered with a second dispatch: the run is found by its run-name', async () => {
    const { result, dispatches, fake } = await trigger({ loseFirstDispatchAnswer: true }, CROSS_REPO, {
      evaluation: { training_run_id: 'run-42' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 1, 'one dispatch')
    assert.equal(fake.runs.length, 1, 'one run')
    assert.equal(result.outputs['run-id'], String(fake.runs[0]!.id))
    assert.equal(result.outputs.status, 'completed')
  })

  test('a run that cannot be found is not reported stopped at the deadline: the message says to cancel it by hand', async () => {
    const receiver = ON_DISPATCH.replace(/^run-name: .*\n/m, '') // no correlation id in its run-name
    const target = `{type: workflow, repo: ml-org/ml-eval, event: repository_dispatch, event-type: retrain, token: 'env:ML_EVAL_TOKEN', cancel-on-timeout: true}`
    const { result, fake } = await trigger(
      {
        repositories: {
          'ml-org/ml-eval': { defaultBranch: 'main', workflows: { 'on-dispatch.yml': { id: 2, text: receiver } } }
        }
      },
      target,
      { evaluation: { training_run_id: 'run-42' } },
      { timeout: '3s' }
    )
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'timed_out')
    assert.match(
      result.stdout,
      /stopping it failed \(the dispatched run \(run-name with pt-[0-9a-f]+\) is not listed yet, so it could not be cancelled; cancel it in ml-org\/ml-eval's Actions tab\); stop it by hand/
    )
    assert.ok(!fake.requests.some((r) => r.path.endsWith('/cancel')))
  })
})

describe('workflow target: servers that do not answer with the run', () => {
  test('older GHES: 400 for the API version and for return_run_details, then a plain 204; the run is found by its run-name', async () => {
    const { result, dispatches } = await trigger({ server: 'ghes-3.20' }, CROSS_REPO, {
      evaluation: { training_run_id: 'run-42' }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 3)
    assert.equal(dispatches[0]!.headers['x-github-api-version'], '2026-03-10')
    assert.equal((dispatches[1]!.body as { return_run_details?: boolean }).return_run_details, true)
    assert.ok(!('return_run_details' in (dispatches[2]!.body as object)))
    assert.equal(result.outputs.status, 'completed')
    assert.match(result.outputs['run-url']!, /^https:\/\/github\.com\/ml-org\/ml-eval\/actions\/runs\/\d+$/)
    assert.match(result.stdout, /the server refused API version 2026-03-10 \(older GitHub Enterprise Server\)/)
  })

  test('repository_dispatch: parameters in client_payload, the run found by the correlation id, followed to success', async () => {
    const target = `{type: workflow, repo: ml-org/ml-eval, event: repository_dispatch, event-type: retrain, token: 'env:ML_EVAL_TOKEN'}`
    const { result, dispatches, fake } = await trigger({}, target, {
      evaluation: { training_run_id: 'run-42', extra: { nested: true } }
    })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 1)
    const body = dispatches[0]!.body as { event_type: string; client_payload: Record<string, unknown> }
    assert.equal(body.event_type, 'retrain')
    assert.deepEqual(body.client_payload.extra, { nested: true })
    assert.deepEqual(JSON.parse(body.client_payload['pipeline-context'] as string).chain, ['evaluation_pipeline'])
    assert.equal(result.outputs['run-id'], String(fake.runs[0]!.id))
    assert.equal(result.outputs.status, 'completed')
  })
})

describe('workflow_run: a downstream pipeline after an upstream workflow completes', () => {
  const payload = (conclusion: string) => {
    const event = webhookExample('workflow_run', (p) => p.workflow_run.conclusion === 'success')
    Object.assign(event.workflow_run, { name: 'train', conclusion })
    event.workflow_run.head_repository.full_name = 'octo-org/ml-repo' // built this repository, not a fork
    return event
  }
  const run = async (conclusion: string, upstream = 'train') => {
    fake = await startFakeActions({
      token: TOKEN,
      server: 'github.com',
      repositories: {
        'ml-org/ml-eval': { defaultBranch: 'main', workflows: { 'evaluate.yml': { id: 1, text: EVALUATE } } }
      }
    })
    const dir = mkdtempSync(join(tmpdir(), 'pt-workflow-run-'))
    mkdirSync(join(dir, '.github'))
    writeFileSync(
      join(dir, '.github/pipeline-triggers.yml'),
      `version: 1\ntargets:\n  evaluate: ${CROSS_REPO}\npipelines:\n  evaluation:\n    target: evaluate\n    on:\n      workflow_run:\n        workflows: [train, evaluate]\n        parameters: {training_run_id: 'gh-{upstream.run_id}-{upstream.conclusion}'}\n`
    )
    const event = payload(conclusion)
    event.workflow_run.name = upstream
    const result = await runAction({
      eventName: 'workflow_run',
      payload: event,
      workspace: dir,
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      env: { GITHUB_API_URL: fake.url, ML_EVAL_TOKEN: TOKEN }
    })
    return { result, dispatches: fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/dispatches')) }
  }

  test("a successful upstream run dispatches the evaluation with its run id, as the chain's next link", async () => {
    const { result, dispatches } = await run('success')
    assert.equal(result.exitCode, 0, result.stdout)
    const inputs = (dispatches[0]!.body as { inputs: Record<string, string> }).inputs
    assert.equal(inputs.training_run_id, 'gh-289782451-success')
    const context = JSON.parse(inputs['pipeline-context']!)
    assert.deepEqual(
      [context.root, context.depth, context.chain],
      ['https://github.com/octo-org/octo-repo/actions/runs/289782451', 2, ['workflow:train', 'evaluation']]
    )
  })

  test('dispatching the very workflow whose completion fired this run is refused as a loop', async () => {
    const { result, dispatches } = await run('success', 'evaluate')
    assert.equal(result.exitCode, 1)
    assert.equal(dispatches.length, 0)
    assert.match(
      result.stdout,
      /Chain guard: ml-org\/ml-eval\/\.github\/workflows\/evaluate\.yml@main is the workflow "evaluate", which is already in this chain \(workflow:evaluate → evaluation\), so dispatching it would loop/
    )
  })

  test('a failed upstream run dispatches nothing, and the summary says why', async () => {
    const { result, dispatches } = await run('failure')
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(dispatches.length, 0)
    assert.equal(result.outputs.triggered, 'false')
    assert.match(result.summary, /upstream run 289782451 concluded "failure", not success/)
  })
})
