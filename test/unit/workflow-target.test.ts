/**
 * The workflow target's prepare, start, status and cancel, driven directly against GitHub REST
 * servers on 127.0.0.1: the fake of test/helpers/fake-github-actions.ts (every request and reply
 * held to GitHub's OpenAPI description) for the dispatch flows, and a scripted server for what a
 * test must choose itself (every status and conclusion, resets, refusals, replies of the wrong
 * shape, a token echoed back). The target's own clock is a fake one, so the five minutes a
 * dispatched run has to appear pass at once.
 */
import assert from 'node:assert/strict'
import { afterEach, before, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import type { RunStatus } from '../../src/core/run-state.js'
import { UserError } from '../../src/errors.js'
import { GitHubClient, GitHubRefusal } from '../../src/github/client.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { isTransient } from '../../src/retry.js'
import { ActionsApi } from '../../src/targets/workflow/actions-api.js'
import { WorkflowTarget } from '../../src/targets/workflow/workflow-target.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { startFakeActions, type FakeActions, type FakeActionsOptions } from '../helpers/fake-github-actions.js'
import { EVALUATE, ON_DISPATCH } from '../helpers/ml-eval-workflows.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

type ResolvedWorkflow = ConstructorParameters<typeof WorkflowTarget>[0]

const TOKEN = 'ghs_wf/Tok+en=42'
const REPO = 'ml-org/ml-eval'
const CHAIN = { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['evaluate_pipeline'] }

/** Declares no pipeline-trigger-id: its run cannot be found without the dispatch's answer. */
const PLAIN = `name: plain
on:
  workflow_dispatch:
    inputs:
      pipeline-context: {type: string, required: false, default: ''}
jobs:
  plain:
    runs-on: ubuntu-latest
    steps: [{run: echo plain}]
`
const WIDE = `on:
  workflow_dispatch:
    inputs:
${Array.from({ length: 11 }, (_, i) => `      p${i}: {type: string}`).join('\n')}
      pipeline-context: {type: string}
`

const clock = new FakeClock()
before(async () => {
  // The fake clock starts at 0; one sleep brings it to the present, so GitHub's created times compare.
  await clock.sleep(Date.now())
})

const cleanups: (() => Promise<void> | void)[] = []
let fake: FakeActions | undefined
afterEach(async () => {
  if (fake) assert.deepEqual(fake.contractErrors, [], "the requests and answers keep to GitHub's published contract")
  fake = undefined
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function startFake(options: Partial<FakeActionsOptions> = {}): Promise<FakeActions> {
  fake = await startFakeActions({
    token: TOKEN,
    server: 'github.com',
    repositories: {
      [REPO]: {
        defaultBranch: 'main',
        workflows: {
          'evaluate.yml': { id: 101, text: EVALUATE },
          'plain.yml': { id: 102, text: PLAIN },
          'on-dispatch.yml': { id: 103, text: ON_DISPATCH },
          'wide.yml': { id: 104, text: WIDE }
        }
      }
    },
    outcome: () => ({ conclusion: 'success', afterMs: 0 }),
    ...options
  })
  const server = fake
  cleanups.push(() => server.close())
  return server
}

async function scripted(script: (request: SeenRequest, index: number) => Answer) {
  const server = await scriptedServer(script)
  cleanups.push(() => server.close())
  return server
}

function config(apiUrl: string, overrides: Partial<ResolvedWorkflow> = {}): ResolvedWorkflow {
  return {
    type: 'workflow',
    name: 'evaluate',
    maxParallel: 4,
    owner: 'ml-org',
    repo: 'ml-eval',
    event: 'workflow_dispatch',
    workflow: 'evaluate.yml',
    token: TOKEN,
    apiUrl,
    cancelOnTimeout: true,
    ...overrides
  }
}

function workflowTarget(
  apiUrl: string,
  overrides: Partial<ResolvedWorkflow> = {},
  logs: string[] = [],
  targetClock: FakeClock = clock
) {
  const deadline = new Deadline(realClock, 120_000)
  cleanups.push(() => deadline.dispose())
  const log = (message: string) => logs.push(message)
  const client = new GitHubClient({ token: TOKEN, apiUrl, deadline, clock: realClock, log })
  return new WorkflowTarget(config(apiUrl, overrides), new ActionsApi(client, log), targetClock)
}

const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({
    pipeline: 'evaluate',
    pipelineName: 'evaluate_pipeline',
    target: 'evaluate',
    parameters: { training_run_id: 'run-7', threshold: '0.9', mode: 'full' },
    runName: 'evaluate_pipeline-gh-1-1-0',
    chain: CHAIN,
    ...overrides
  })

const signal = () => AbortSignal.timeout(20_000)

/** How many dispatches (or other writes) the fake was sent. */
const dispatches = (server: FakeActions) => server.requests.filter((r) => r.method === 'POST').length

/** A contents API reply for a workflow file. */
function contents(text: string) {
  return { type: 'file', encoding: 'base64', content: Buffer.from(text).toString('base64') }
}

const routes = (requests: { method: string; path: string }[]) => requests.map((r) => `${r.method} ${r.path}`)
const run = (id: number, status: string, conclusion: string | null, title = '') => ({
  id,
  status,
  conclusion,
  html_url: `https://github.com/${REPO}/actions/runs/${id}`,
  display_title: title
})

describe('workflow target: prepare and start (workflow_dispatch)', () => {
  test('prepare reads the default branch and the workflow once for every request; start dispatches the inputs, the chain context and the correlation id, and gets the run', async () => {
    const server = await startFake()
    const target = workflowTarget(server.url)
    await target.prepare(request(), signal())
    await target.prepare(request({ index: 1, idempotencyKey: 'pt-second' }), signal())
    assert.deepEqual(routes(server.requests), [
      `GET /repos/${REPO}`,
      `GET /repos/${REPO}/contents/.github/workflows/evaluate.yml?ref=main`
    ])

    const handle = await target.start(request(), signal())
    const dispatch = server.requests.at(-1)!
    assert.equal(`${dispatch.method} ${dispatch.path}`, `POST /repos/${REPO}/actions/workflows/evaluate.yml/dispatches`)
    assert.equal(dispatch.headers['x-github-api-version'], '2026-03-10', 'asks for the run in the answer')
    assert.equal(dispatch.headers.authorization, `token ${TOKEN}`)
    assert.deepEqual(dispatch.body, {
      ref: 'main',
      inputs: {
        training_run_id: 'run-7',
        threshold: 0.9,
        mode: 'full',
        'pipeline-context': JSON.stringify(CHAIN),
        'pipeline-trigger-id': 'pt-0123456789abcdef'
      }
    })
    const [made] = server.runs
    assert.deepEqual(handle, {
      correlation: 'pt-0123456789abcdef',
      dispatchedAt: clock.now(),
      run: made!.id,
      runId: String(made!.id),
      runUrl: `https://github.com/${REPO}/actions/runs/${made!.id}`
    })
    assert.equal(made!.title, 'evaluate pt-0123456789abcdef', "the correlation id lands in the run's name")

    assert.deepEqual(await target.status(handle, signal()), {
      status: 'completed',
      runId: String(made!.id),
      runUrl: handle.runUrl,
      detail: 'success'
    })
    assert.equal(server.runs.length, 1)
  })

  test("a configured ref is used as it is; a numeric workflow id is read as its file's path first", async () => {
    const server = await startFake()
    await workflowTarget(server.url, { workflow: '101', ref: 'main' }).prepare(request(), signal())
    assert.deepEqual(routes(server.requests), [
      `GET /repos/${REPO}/actions/workflows/101`,
      `GET /repos/${REPO}/contents/.github/workflows/evaluate.yml?ref=main`
    ])
  })

  test('older GHES: the API version and return_run_details are refused (400), the plain dispatch answers 204, and status finds the run by its run-name', async () => {
    const server = await startFake({ server: 'ghes-3.20' })
    const logs: string[] = []
    const target = workflowTarget(server.url, { ref: 'main' }, logs)
    const handle = await target.start(request(), signal())
    assert.deepEqual(handle, { correlation: 'pt-0123456789abcdef', dispatchedAt: clock.now() })
    const posts = server.requests.filter((r) => r.method === 'POST')
    assert.deepEqual(
      posts.map((r) => [r.headers['x-github-api-version'], 'return_run_details' in (r.body as object)]),
      [
        ['2026-03-10', false],
        [undefined, true],
        [undefined, false]
      ]
    )
    assert.equal(server.runs.length, 1, 'a refused (400) dispatch made nothing, so asking again made one run')
    assert.equal(logs.length, 2)
    assert.match(
      logs[0]!,
      /refused API version 2026-03-10 \(older GitHub Enterprise Server\); asking with return_run_details/
    )

    const state = await target.status(handle, signal())
    const id = server.runs[0]!.id
    assert.deepEqual(state, {
      status: 'completed',
      runId: String(id),
      runUrl: `https://github.com/${REPO}/actions/runs/${id}`,
      detail: 'success'
    })
    const lookup = new URL(server.requests.find((r) => r.path.includes('/runs?'))!.path, 'http://x')
    assert.equal(lookup.pathname, `/repos/${REPO}/actions/workflows/evaluate.yml/runs`)
    const since = new Date(handle.dispatchedAt - 2 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    assert.deepEqual(Object.fromEntries(lookup.searchParams), {
      event: 'workflow_dispatch',
      created: `>=${since}`,
      per_page: '100'
    })
    assert.equal(handle.run, id, 'the run found is remembered')
  })

  test('answered without the run by a workflow that declares no pipeline-trigger-id: started, not followable, with the fix', async () => {
    const server = await scripted((req) =>
      req.method === 'POST' ? { status: 204 } : { status: 200, body: contents(PLAIN) }
    )
    const handle = await workflowTarget(server.url, { workflow: 'plain.yml', ref: 'main' }).start(
      request({ parameters: {} }),
      signal()
    )
    assert.equal(handle.settled?.status, 'running')
    assert.match(
      handle.settled?.message ?? '',
      /^dispatched, but this server answered without the run, and plain\.yml declares no pipeline-trigger-id input to find it by, so the action cannot follow it\. Fix: declare that input there and put it in run-name/
    )
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1)
  })

  test('a lost answer to the dispatch is never answered with a second dispatch: the run is found by its run-name', async () => {
    const server = await startFake({ loseFirstDispatchAnswer: true })
    const target = workflowTarget(server.url, { ref: 'main' })
    const handle = await target.start(request(), signal())
    assert.equal(handle.run, undefined)
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1)
    const state = await target.status(handle, signal())
    assert.equal(state.status, 'completed')
    assert.equal(state.runId, String(server.runs[0]!.id))
    assert.equal(server.runs.length, 1)
  })

  test('a lost answer for a workflow that cannot be found by name is a transient error: the run may have started', async () => {
    const server = await startFake({ loseFirstDispatchAnswer: true })
    const error = await rejection(
      workflowTarget(server.url, { workflow: 'plain.yml', ref: 'main' }).start(request({ parameters: {} }), signal())
    )
    assert.ok(isTransient(error), error.message)
    assert.match(
      error.message,
      /^GitHub API: dispatching plain\.yml on main in ml-org\/ml-eval: .* closed the connection before answering/
    )
    assert.equal(dispatches(server), 1)
  })

  test('the chain guard refuses to dispatch a workflow already in the chain, before any dispatch', async () => {
    const server = await startFake()
    const chain = { root: CHAIN.root, depth: 2, chain: ['workflow:evaluate', 'training'] }
    const error = await rejection(workflowTarget(server.url, { ref: 'main' }).start(request({ chain }), signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      `Chain guard: ${REPO}/.github/workflows/evaluate.yml@main is the workflow "evaluate", which is already in this chain (workflow:evaluate → training), so dispatching it would loop. Nothing was triggered. Fix: dispatch another workflow, or drop the rule that leads back to "evaluate".`
    )
    assert.equal(dispatches(server), 0)
  })

  test('inputs are checked against the workflow before anything is sent: an undeclared one, and more than GHES takes', async () => {
    const server = await startFake()
    const undeclared = await rejection(
      workflowTarget(server.url, { ref: 'main' }).prepare(
        request({ parameters: { training_run_id: 'r', epochs: 3 } }),
        signal()
      )
    )
    assert.match(
      undeclared.message,
      /^Parameter "epochs" is not an input of ml-org\/ml-eval\/\.github\/workflows\/evaluate\.yml@main \(its inputs: training_run_id, threshold, mode\)\. Nothing was dispatched\./
    )
    // 127.0.0.1 is not github.com: GitHub Enterprise Server's limit of 10 inputs applies.
    const parameters = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`p${i}`, 'x']))
    const many = await rejection(
      workflowTarget(server.url, { workflow: 'wide.yml', ref: 'main' }).prepare(request({ parameters }), signal())
    )
    assert.match(many.message, /would send 11 inputs; GitHub accepts at most 10 here\. Nothing was dispatched\./)
    assert.equal(dispatches(server), 0)
  })
})

describe('workflow target: repository_dispatch', () => {
  test('the parameters, the chain context and the correlation id go in client_payload; nothing is read first; status finds the run', async () => {
    const server = await startFake()
    const target = workflowTarget(server.url, {
      event: 'repository_dispatch',
      eventType: 'retrain',
      workflow: undefined
    })
    await target.prepare(request({ parameters: { data_url: 's3://b/d.csv' } }), signal())
    assert.equal(server.requests.length, 0, 'a repository_dispatch has no workflow file to check')
    const handle = await target.start(request({ parameters: { data_url: 's3://b/d.csv' } }), signal())
    assert.deepEqual(routes(server.requests), [`POST /repos/${REPO}/dispatches`])
    assert.deepEqual(server.requests[0]!.body, {
      event_type: 'retrain',
      client_payload: {
        data_url: 's3://b/d.csv',
        'pipeline-context': JSON.stringify(CHAIN),
        'pipeline-trigger-id': 'pt-0123456789abcdef'
      }
    })
    assert.equal(handle.run, undefined)
    assert.equal((await target.status(handle, signal())).status, 'completed')
    const lookup = new URL(server.requests[1]!.path, 'http://x')
    assert.equal(lookup.pathname, `/repos/${REPO}/actions/runs`)
    assert.equal(lookup.searchParams.get('event'), 'repository_dispatch')
  })
})

describe('workflow target: status and cancel', () => {
  const STATES: [string, string | null, RunStatus, string | undefined][] = [
    ['queued', null, 'running', undefined],
    ['requested', null, 'running', undefined],
    ['waiting', null, 'running', undefined],
    ['pending', null, 'running', undefined],
    ['in_progress', null, 'running', undefined],
    ['completed', 'success', 'completed', undefined],
    ['completed', 'neutral', 'completed', undefined],
    ['completed', 'cancelled', 'cancelled', 'the workflow run was cancelled'],
    ['completed', 'failure', 'failed', 'the workflow run ended failure'],
    ['completed', 'timed_out', 'failed', 'the workflow run ended timed_out'],
    ['completed', 'startup_failure', 'failed', 'the workflow run ended startup_failure'],
    ['completed', 'action_required', 'failed', 'the workflow run ended action_required'],
    ['completed', 'stale', 'failed', 'the workflow run ended stale'],
    ['completed', 'skipped', 'failed', 'the workflow run ended skipped'],
    ['completed', null, 'failed', 'the workflow run ended unknown']
  ]

  test('every status and conclusion in our words, with the run id, link and detail', async () => {
    const server = await scripted((_, i) => ({ status: 200, body: run(7001, STATES[i]![0], STATES[i]![1]) }))
    const target = workflowTarget(server.url)
    const handle = { run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }
    for (const [status, conclusion, expected, message] of STATES) {
      assert.deepEqual(
        await target.status(handle, signal()),
        {
          status: expected,
          runId: '7001',
          runUrl: `https://github.com/${REPO}/actions/runs/7001`,
          detail: status === 'completed' ? (conclusion ?? 'unknown') : status,
          ...(message ? { message } : {})
        },
        `${status}/${conclusion}`
      )
    }
    assert.ok(server.requests.every((r) => `${r.method} ${r.path}` === `GET /repos/${REPO}/actions/runs/7001`))
  })

  test('a run not listed yet is waited for, for five minutes; after that it fails with the fix, and cancel says to cancel it by hand', async () => {
    const server = await scripted(() => ({ status: 200, body: { total_count: 0, workflow_runs: [] } }))
    // A clock of its own: this test moves time on.
    const own = new FakeClock()
    await own.sleep(Date.now())
    const target = workflowTarget(server.url, {}, [], own)
    const handle = { correlation: 'pt-lost', dispatchedAt: own.now() }
    assert.deepEqual(await target.status(handle, signal()), {
      status: 'running',
      detail: 'dispatched; waiting for GitHub to list the run'
    })
    await own.sleep(5 * 60_000)
    assert.equal((await target.status(handle, signal())).status, 'running', 'five minutes exactly is still within')
    await own.sleep(1)
    const state = await target.status(handle, signal())
    assert.equal(state.status, 'failed')
    assert.match(
      state.message ?? '',
      /^dispatched, but no run whose run-name carries pt-lost appeared in 5 minutes\. Fix: in the receiving workflow, declare the input pipeline-trigger-id/
    )
    const error = await rejection(target.cancel(handle, signal()))
    assert.ok(error instanceof UserError)
    assert.equal(
      error.message,
      `the dispatched run (run-name with pt-lost) is not listed yet, so it could not be cancelled; cancel it in ${REPO}'s Actions tab`
    )
    assert.ok(
      server.requests.every((r) => r.method === 'GET'),
      'nothing was cancelled'
    )
  })

  test('cancel finds a run not known yet by its run-name and cancels it; a run that already ended is a conflict', async () => {
    const server = await startFake({ outcome: () => ({ conclusion: 'success', afterMs: 60_000 }) })
    const target = workflowTarget(server.url, { ref: 'main' })
    const handle = await target.start(request(), signal())
    await target.cancel({ correlation: handle.correlation, dispatchedAt: handle.dispatchedAt }, signal())
    const [lookup, cancel] = server.requests.slice(-2)
    assert.equal(new URL(lookup!.path, 'http://x').pathname, `/repos/${REPO}/actions/workflows/evaluate.yml/runs`)
    assert.equal(`${cancel!.method} ${cancel!.path}`, `POST /repos/${REPO}/actions/runs/${handle.run}/cancel`)
    assert.deepEqual(await target.status(handle, signal()), {
      status: 'cancelled',
      runId: handle.runId,
      runUrl: handle.runUrl,
      detail: 'cancelled',
      message: 'the workflow run was cancelled'
    })
    const conflict = await rejection(target.cancel(handle, signal()))
    assert.ok(conflict instanceof GitHubRefusal)
    assert.equal(conflict.status, 409)
    assert.match(
      conflict.message,
      /HTTP 409: Cannot cancel a workflow run that is completed\. Fix: GitHub reported a conflict with the current state/
    )
  })
})

describe('workflow target: lost answers, refusals and replies of the wrong shape', () => {
  test('a connection reset is a lost answer, transient, naming the host and what to check', async () => {
    const server = await scripted(() => 'reset')
    const target = workflowTarget(server.url)
    const host = new URL(server.url).host
    for (const call of [
      () => target.prepare(request(), signal()),
      () => target.status({ run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }, signal())
    ]) {
      const error = await rejection(call())
      assert.ok(isTransient(error), error.message)
      assert.ok(
        error.message.includes(
          `${host} closed the connection before answering (ECONNRESET). Check that GITHUB_API_URL (${server.url}) is right`
        ),
        error.message
      )
    }
  })

  test('a wrong token (401) and a repository it cannot see (404) are final and name the fix', async () => {
    const server = await startFake({ token: 'ghs_another_token' })
    const refused = await rejection(workflowTarget(server.url).prepare(request(), signal()))
    assert.ok(refused instanceof GitHubRefusal && refused.status === 401)
    assert.equal(
      refused.message,
      `GitHub API: reading ${REPO}: HTTP 401: Bad credentials. Fix: the token is invalid or expired: pass a valid token (see the README, section Permissions).`
    )
    fake = undefined
    const other = await startFake()
    const missing = await rejection(
      workflowTarget(other.url, { repo: 'no-such-repo', ref: 'main' }).prepare(request(), signal())
    )
    assert.ok(missing instanceof GitHubRefusal && missing.status === 404)
    assert.match(
      missing.message,
      /HTTP 404: Not Found\. Fix: the token needs `contents: read`, or the repository or workflow does not exist \(GitHub answers 404 when the token cannot see it\)/
    )
  })

  test('a token without actions: write: the 403 names the permission, and nothing else is tried', async () => {
    const server = await startFake({ forbidDispatch: true })
    const error = await rejection(workflowTarget(server.url, { ref: 'main' }).start(request(), signal()))
    assert.ok(error instanceof GitHubRefusal && error.status === 403)
    assert.match(
      error.message,
      /HTTP 403: Resource not accessible by integration\. Fix: the token needs `actions: write`/
    )
    assert.equal(dispatches(server), 1)
  })

  test("GitHub's 422 for a dispatch is final, with the fix", async () => {
    const server = await scripted((req) =>
      req.method === 'POST'
        ? { status: 422, body: { message: 'Workflow does not have workflow_dispatch trigger' } }
        : { status: 200, body: contents(EVALUATE) }
    )
    const error = await rejection(workflowTarget(server.url, { ref: 'main' }).start(request(), signal()))
    assert.ok(error instanceof GitHubRefusal && error.status === 422)
    assert.match(
      error.message,
      /Fix: GitHub refused the request as invalid: check that the workflow has a workflow_dispatch trigger on that ref/
    )
  })

  for (const status of [500, 502, 503, 504]) {
    test(`HTTP ${status} on a poll is transient`, async () => {
      const server = await scripted(() => ({ status, body: { message: 'Server Error' } }))
      const error = await rejection(
        workflowTarget(server.url).status({ run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }, signal())
      )
      assert.ok(isTransient(error), error.message)
      assert.match(error.message, new RegExp(`HTTP ${status}: Server Error\\. GitHub asked to try again later`))
    })
  }

  test('a rate limit is transient, with its Retry-After', async () => {
    const server = await scripted(() => ({
      status: 403,
      headers: { 'retry-after': '12', 'x-ratelimit-remaining': '0' },
      body: { message: 'API rate limit exceeded' }
    }))
    const error = await rejection(
      workflowTarget(server.url).status({ run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }, signal())
    )
    assert.ok(isTransient(error), error.message)
    assert.equal((error as { retryAfterMs?: number }).retryAfterMs, 12_000)
    assert.match(error.message, /\(rate limit\)/)
  })

  test('replies of the wrong shape name the field: no default branch, a run without its link, a folder for a workflow', async () => {
    const server = await scripted((req) => {
      if (req.path === `/repos/${REPO}`) return { status: 200, body: { name: 'ml-eval' } }
      if (req.path.startsWith(`/repos/${REPO}/actions/runs/`))
        return { status: 200, body: { id: 7001, status: 'queued' } }
      return { status: 200, body: [{ type: 'file', name: 'evaluate.yml' }] }
    })
    const branch = await rejection(workflowTarget(server.url).prepare(request(), signal()))
    assert.equal(
      branch.message,
      `GitHub API: the reply to reading ${REPO} is not what it should be: default_branch should be string, but is missing. Fix: check that GITHUB_API_URL points at the GitHub REST API (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), not a proxy in front of it.`
    )
    const polled = await rejection(
      workflowTarget(server.url).status({ run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }, signal())
    )
    assert.match(
      polled.message,
      /the reply to reading workflow run 7001 of ml-org\/ml-eval is not what it should be: html_url should be string, but is missing/
    )
    const folder = await rejection(workflowTarget(server.url, { ref: 'main' }).prepare(request(), signal()))
    assert.equal(
      folder.message,
      `${REPO}: .github/workflows/evaluate.yml at main is not a file. Check workflow and ref.`
    )
    for (const error of [branch, polled, folder]) assert.ok(error instanceof UserError && !isTransient(error))
  })

  test('the token, echoed in every encoding in a refusal or a server error, is redacted', async () => {
    const server = await scripted((req) =>
      req.method === 'POST'
        ? { status: 403, body: { message: `token rejected: ${echoing(TOKEN)}` } }
        : req.path.includes('/contents/')
          ? { status: 200, body: contents(EVALUATE) }
          : { status: 503, body: { message: `upstream said ${echoing(TOKEN)}` } }
    )
    const target = workflowTarget(server.url, { ref: 'main' })
    const messages = [
      (await rejection(target.start(request(), signal()))).message,
      (await rejection(target.status({ run: 7001, correlation: 'pt-x', dispatchedAt: clock.now() }, signal()))).message
    ]
    for (const message of messages) {
      assert.deepEqual(
        secretForms(TOKEN).filter((form) => message.includes(form)),
        [],
        message
      )
      assert.ok(message.includes('form0=***'), message)
    }
  })
})
