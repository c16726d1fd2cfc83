/**
 * The verdict callback hook (`send_verdict_callback` in examples/pipelines/handoff.py) on real
 * ZenML 0.98.0 runs: a real server from .venv (scripts/lib/zenml-server.ts), a small pipeline with
 * the hook attached as the examples show (test/fixtures/pipelines/verdict_hook_pipeline.py), run
 * by the bundled action's command target with zenml-url and zenml-api-key, so the action follows
 * the run on the server and puts its verdict on a check run. GitHub cannot run here: its API is the
 * loopback fake of the checks API (test/helpers/fake-github-checks.ts) behind a small front that
 * adds the two endpoints the hook calls and the fake lacks, validated against @octokit/openapi as
 * the fakes are: `GET /repos/{owner}/{repo}/actions/runs/{run_id}` (answered from the fake's own
 * workflow-run listing, with the caller's token) and `POST /repos/{owner}/{repo}/dispatches`
 * (recorded). The hook reaches it over http because the API URL is on loopback.
 *
 * Then the callback workflow's step: the action in `mode: report` with the dispatch's
 * client_payload. The command target always waits, so the trigger step completed the check run
 * already; the report finds no open check run (nor pending status) of ours for that run and changes nothing.
 */
import assert from 'node:assert/strict'
import { cpSync, mkdtempSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { GitFixture } from '../helpers/git-fixture.js'
import { requestErrors, responseErrorsFor } from '../helpers/github-openapi.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'
import { startZenmlServer, type ZenmlServer } from '../helpers/zenml-server.js'

const REPOSITORY = 'octo-org/ml-repo'
/** The trigger job's github.token: an installation token of the GitHub Actions app. */
const TRIGGER_TOKEN = 'ghs_verdictHookTriggerToken0123456789abc'
/** The callback workflow's github.token: another token of the same app. */
const REPORT_TOKEN = 'ghs_verdictHookReportToken0123456789abcd'
/** PIPELINE_DISPATCH_TOKEN, in the pipeline's environment: a fine-grained token, contents: write and actions: read. */
const DISPATCH_TOKEN = 'github_pat_verdictHookDispatch0123456789abcdefABCDEF'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

interface Dispatch {
  event_type: string
  client_payload: Record<string, unknown>
}

/**
 * The loopback front of the fake: the hook's two endpoints, and everything else passed on to the
 * fake as it came (the action's check-run calls). Contract errors are collected like the fake's.
 */
async function startFront(fake: FakeChecks) {
  const dispatches: Dispatch[] = []
  const contractErrors: string[] = []
  const calls: { method: string; path: string; token: string }[] = []
  const prefix = `/repos/${REPOSITORY}`
  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://front')
      const method = req.method ?? 'GET'
      const token = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? ''
      calls.push({ method, path: url.pathname, token })
      const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, body === undefined ? headers : { ...headers, 'content-type': 'application/json' })
        res.end(body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body))
      }
      const run = /^\/actions\/runs\/(\d+)$/.exec(url.pathname.slice(prefix.length))
      const handled = (async () => {
        if (method === 'POST' && url.pathname === `${prefix}/dispatches`) {
          // "Create a repository dispatch event": 204 No Content. Only PIPELINE_DISPATCH_TOKEN may send one here.
          if (token !== DISPATCH_TOKEN) return reply(401, { message: 'Bad credentials' })
          const body = JSON.parse(raw) as Dispatch
          const errors = requestErrors('POST', '/repos/{owner}/{repo}/dispatches', body)
          contractErrors.push(...errors)
          if (errors.length) return reply(422, { message: `Invalid request.\n\n${errors.join('\n')}` })
          dispatches.push(body)
          return reply(204)
        }
        if (method === 'GET' && url.pathname.startsWith(`${prefix}/`) && run) {
          // "Get a workflow run": the run from the fake's listing, read with the caller's token.
          const listed = await fetch(`${fake.url}${prefix}/actions/runs?per_page=100`, {
            headers: { authorization: req.headers.authorization ?? '', 'x-github-api-version': '2022-11-28' }
          })
          const answer = (await listed.json()) as { workflow_runs?: { id: number }[] }
          if (!listed.ok) return reply(listed.status, answer)
          const found = answer.workflow_runs!.find((r) => r.id === Number(run[1]))
          if (!found) return reply(404, { message: 'Not Found' })
          contractErrors.push(...responseErrorsFor('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', 200, found))
          return reply(200, found)
        }
        const passed = await fetch(`${fake.url}${req.url ?? '/'}`, {
          method,
          headers: forwarded(req.headers),
          ...(raw ? { body: raw } : {})
        })
        const link = passed.headers.get('link')
        const text = await passed.text()
        res.writeHead(passed.status, {
          ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}),
          ...(link ? { link } : {})
        })
        res.end(text || undefined)
      })()
      handled.catch((error: unknown) => {
        contractErrors.push(`front error: ${(error as Error).stack ?? String(error)}`)
        if (!res.headersSent) reply(500, { message: 'front error' })
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dispatches,
    contractErrors,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

function forwarded(headers: IncomingHttpHeaders): Record<string, string> {
  const kept: Record<string, string> = {}
  for (const name of ['authorization', 'accept', 'content-type', 'x-github-api-version', 'user-agent'])
    if (typeof headers[name] === 'string') kept[name] = headers[name]
  return kept
}

describe('the verdict callback hook on a real ZenML run', () => {
  const git = new GitFixture()
  let zenml: ZenmlServer
  let github: FakeChecks
  let front: Awaited<ReturnType<typeof startFront>>
  let sha: string

  before(async () => {
    zenml = await startZenmlServer()
    github = await startFakeGitHubChecks({
      repository: REPOSITORY,
      tokens: {
        [TRIGGER_TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read' }
        },
        [REPORT_TOKEN]: {
          kind: 'installation',
          appId: GITHUB_ACTIONS_APP_ID,
          permissions: { checks: 'write', actions: 'read' }
        },
        [DISPATCH_TOKEN]: { kind: 'pat', permissions: { actions: 'read' } }
      }
    })
    front = await startFront(github)
    // The example pipelines (handoff.py holds the hook), and the fixture pipeline beside them.
    cpSync(join(ROOT, 'examples/pipelines'), join(git.author, 'examples/pipelines'), {
      recursive: true,
      filter: (p) => !p.includes('__pycache__')
    })
    cpSync(
      join(ROOT, 'test/fixtures/pipelines/verdict_hook_pipeline.py'),
      join(git.author, 'examples/pipelines/verdict_hook_pipeline.py')
    )
    sha = git.commit({})
    git.push('refs/heads/main')
  })

  after(async () => {
    assert.deepEqual(github.contractErrors, [], "the action's calls keep to GitHub's published contract")
    assert.deepEqual(front.contractErrors, [], "the hook's calls keep to GitHub's published contract")
    await front.close()
    await github.close()
    await zenml.stop()
    git.remove()
  })

  /** The trigger job: workflow run `runId` on `sha`, running `pipeline` through the command target. */
  async function trigger(pipeline: string, runId: string) {
    github.seedWorkflowRun({
      id: Number(runId),
      head_sha: sha,
      created_at: new Date().toISOString(),
      status: 'in_progress'
    })
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = {}
    const sent = front.dispatches.length
    const result = await runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: git.workspace('refs/heads/main'),
      repository: REPOSITORY,
      sha,
      ref: 'refs/heads/main',
      runId,
      env: { GITHUB_API_URL: front.url, PIPELINE_DISPATCH_TOKEN: DISPATCH_TOKEN, ZENML_ANALYTICS_OPT_IN: 'false' },
      inputs: {
        pipeline,
        command: `${VENV_PYTHON}\nexamples/pipelines/verdict_hook_pipeline.py`,
        'zenml-url': zenml.url,
        'zenml-api-key': zenml.apiKey,
        token: TRIGGER_TOKEN,
        verdict: 'check-run'
      },
      timeoutMs: 300_000
    })
    return { result, dispatches: front.dispatches.slice(sent) }
  }

  /** The callback workflow's step: mode report with the dispatch's client_payload. */
  function report(clientPayload: Record<string, unknown>) {
    return runAction({
      eventName: 'repository_dispatch',
      payload: {
        action: 'pipeline-finished',
        client_payload: clientPayload,
        repository: { full_name: REPOSITORY, default_branch: 'main' }
      },
      workspace: mkdtempSync(join(tmpdir(), 'pt-verdict-hook-report-')),
      repository: REPOSITORY,
      sha,
      ref: 'refs/heads/main',
      runId: '9200',
      env: { GITHUB_API_URL: front.url },
      inputs: {
        mode: 'report',
        callback: JSON.stringify(clientPayload),
        token: REPORT_TOKEN,
        'zenml-url': zenml.url,
        'zenml-api-key': zenml.apiKey
      }
    })
  }

  /** The run as the real server recorded it. */
  async function serverRun(id: string) {
    const response = await fetch(`${zenml.url}/api/v1/runs/${id}?hydrate=true`, {
      headers: { authorization: `Bearer ${zenml.token}` }
    })
    assert.equal(response.status, 200)
    const run = (await response.json()) as {
      id: string
      name: string
      body: { status: string }
      resources?: { tags?: { name: string }[] }
    }
    return { id: run.id, name: run.name, status: run.body.status, tags: (run.resources?.tags ?? []).map((t) => t.name) }
  }

  /** What the report step said, and that it changed nothing. */
  async function assertReportChangesNothing(clientPayload: Record<string, unknown>, runId: string) {
    const checkRun = github.checkRuns.find((c) => c.current.external_id?.endsWith(`|${runId}`))!
    const before = JSON.stringify(checkRun.current)
    const reported = await report(clientPayload)
    assert.equal(reported.exitCode, 0, reported.stdout + reported.stderr)
    // src/checks/complete-open.ts findByRun: only in_progress check runs are listed, and this one is
    // completed; then the commit's pending statuses, which this token (no statuses permission) may not read.
    assert.ok(
      reported.commands.includes(
        `::notice::Nothing completed: no open check run or pending status of ours on ${sha.slice(0, 12)} is for run ${runId}: nothing changed.`
      ),
      reported.stdout
    )
    assert.match(
      reported.stdout,
      /^Mode report: 0 open check run\(s\) or pending status\(es\) of ours, 0 completed, 0 still running, 0 left as they are; 2 GitHub API call\(s\)\.$/m
    )
    assert.deepEqual(JSON.parse(reported.outputs.reconciled!), {
      open: 0,
      completed: 0,
      stillRunning: 0,
      left: 0,
      githubCalls: 2
    })
    assert.equal(JSON.stringify(checkRun.current), before, 'the check run is as the trigger step left it')
  }

  function assertTokenNeverPrinted(result: {
    stdout: string
    stderr: string
    outputs: Record<string, string>
    summary: string
  }) {
    const written = [result.stdout, result.stderr, result.summary, ...Object.values(result.outputs)].join('\n')
    assert.ok(!written.includes(DISPATCH_TOKEN), 'PIPELINE_DISPATCH_TOKEN is never in what the action wrote')
  }

  test("a run that succeeds: the last step sends one callback naming the check run's commit and the run; report finds it completed already", async () => {
    const { result, dispatches } = await trigger('verdict_hook_pipeline', '9101')
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    assert.equal(result.outputs.status, 'completed')
    const runId = result.outputs['run-id']!
    assert.match(runId, UUID)
    const onServer = await serverRun(runId)
    assert.deepEqual(
      [onServer.id, onServer.name, onServer.status],
      [runId, 'verdict_hook_pipeline-gh-9101-1-0', 'completed']
    )
    assert.ok(onServer.tags.includes(`gh-run:https://github.com/${REPOSITORY}/actions/runs/9101`), onServer.tags.join())
    assert.ok(onServer.tags.includes('ref:refs/heads/main'), onServer.tags.join())

    // The action's check run: on the commit, completed by the step that waited.
    const ours = github.checkRuns.filter((c) => c.current.external_id?.endsWith(`|${runId}`))
    assert.equal(ours.length, 1)
    const checkRun = ours[0]!.current
    assert.deepEqual([checkRun.head_sha, checkRun.status, checkRun.conclusion], [sha, 'completed', 'success'])

    // The hook: one dispatch, naming the check run's commit and the ZenML run.
    assert.equal(dispatches.length, 1, JSON.stringify(front.dispatches))
    const [dispatch] = dispatches
    assert.equal(dispatch!.event_type, 'pipeline-finished')
    assert.deepEqual(dispatch!.client_payload, { commit: checkRun.head_sha, 'run-id': runId })
    // It asked for the workflow run's head_sha with its own token.
    assert.ok(
      front.calls.some(
        (c) => c.method === 'GET' && c.path === `/repos/${REPOSITORY}/actions/runs/9101` && c.token === DISPATCH_TOKEN
      )
    )
    assert.match(result.stdout, new RegExp(`Callback sent to ${REPOSITORY}: run ${runId} on ${sha.slice(0, 12)}`))
    assertTokenNeverPrinted(result)

    await assertReportChangesNothing(dispatch!.client_payload, runId)
  })

  test('a run that fails: the failure hook sends the callback too; report finds the check run completed already', async () => {
    const { result, dispatches } = await trigger('verdict_hook_failing', '9102')
    assert.equal(result.exitCode, 1, result.stdout + result.stderr)
    assert.equal(result.outputs.status, 'failed')
    const runId = result.outputs['run-id']!
    assert.match(runId, UUID)
    const onServer = await serverRun(runId)
    assert.deepEqual([onServer.id, onServer.status], [runId, 'failed'])

    const ours = github.checkRuns.filter((c) => c.current.external_id?.endsWith(`|${runId}`))
    assert.equal(ours.length, 1)
    const checkRun = ours[0]!.current
    assert.deepEqual([checkRun.head_sha, checkRun.status, checkRun.conclusion], [sha, 'completed', 'failure'])

    assert.equal(dispatches.length, 1, JSON.stringify(front.dispatches))
    assert.equal(dispatches[0]!.event_type, 'pipeline-finished')
    assert.deepEqual(dispatches[0]!.client_payload, { commit: checkRun.head_sha, 'run-id': runId })
    assertTokenNeverPrinted(result)

    await assertReportChangesNothing(dispatches[0]!.client_payload, runId)
  })
})
