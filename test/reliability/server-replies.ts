/**
 * Server replies that are malformed, truncated, huge or of the wrong shape, fed to the zenml, http
 * and workflow targets in-process (one call each, no retries, so thousands of cases take seconds).
 * Each case takes a real exchange and spoils exactly one reply:
 * - zenml: a loopback proxy in front of the ZenML fake (test/helpers/fake-zenml.ts, which follows
 *   the ZenML server's OpenAPI description) spoils the k-th reply of connect → prepare → start → status → find;
 * - http: a loopback receiver answers the start and the status poll with generated replies;
 * - workflow: the same proxy in front of the GitHub Actions fake (test/helpers/fake-github-actions.ts,
 *   held to GitHub's OpenAPI description), for workflow_dispatch and repository_dispatch. Each case
 *   has a request budget of its own (its own clock), so a spoiled 429 holds only that case.
 * The property: every call ends in a state or a clear error (a UserError naming what happened),
 * never a TypeError or `undefined` in a message, and no message or state holds the target's
 * credential (the ZenML key, the http API key, the GitHub token) in any of its forms. The same
 * spoils (spoils, spoilReply) are fed to prefect, airflow and dagster over the replies recorded
 * from their real servers (orchestrator-replies.ts), and to sagemaker, vertex, databricks and
 * kubeflow over their validated stand-ins' replies (cloud-replies.ts).
 */
import fc from 'fast-check'
import type { ResolvedHttp } from '../../src/targets/http/resolve.js'
import type { ResolvedWorkflow } from '../../src/targets/workflow/resolve.js'
import type { ResolvedZenml } from '../../src/targets/zenml/resolve.js'
import { Deadline, realClock } from '../../src/clock.js'
import { ActionsApi } from '../../src/targets/workflow/actions-api.js'
import { GitHubClient } from '../../src/github/client.js'
import { HttpTarget } from '../../src/targets/http/http-target.js'
import { WorkflowTarget } from '../../src/targets/workflow/workflow-target.js'
import { startFakeActions } from '../helpers/fake-github-actions.js'
import { ZenmlTarget } from '../../src/targets/zenml/zenml-target.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import { connectZenml } from '../../src/zenml/connection.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { listen } from '../helpers/loopback-server.js'
import { secretForms } from '../helpers/scripted-server.js'

export interface Spoil {
  kind: 'replace' | 'truncate' | 'text' | 'status' | 'empty' | 'huge'
  /** Which reply of the exchange to spoil. */
  reply: number
  /** Child choices down the JSON tree, for 'replace'. */
  path: number[]
  value: unknown
  status: number
  cut: number
}

/** Just over 16 MiB, the most any reply is read to. */
let huge: string | undefined

const STATUSES = [200, 201, 202, 204, 301, 304, 400, 401, 403, 404, 409, 422, 429, 500, 502, 503]

export function spoils(jsonish: fc.Arbitrary<unknown>, replies: number): fc.Arbitrary<Spoil> {
  return fc.record({
    // A huge reply costs tens of milliseconds, so it is one case in about forty.
    kind: fc.oneof(
      {
        arbitrary: fc.constantFrom<Spoil['kind']>(
          'replace',
          'replace',
          'replace',
          'truncate',
          'text',
          'status',
          'empty'
        ),
        weight: 39
      },
      { arbitrary: fc.constant<Spoil['kind']>('huge'), weight: 1 }
    ),
    reply: fc.nat({ max: replies - 1 }),
    path: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
    value: jsonish,
    status: fc.constantFrom(...STATUSES),
    cut: fc.nat()
  })
}

/** The reply with one spoil applied: a JSON body with one node replaced, cut short, or replaced whole. */
export function spoilReply(status: number, text: string, spoil: Spoil): { status: number; text: string } {
  switch (spoil.kind) {
    case 'truncate':
      return { status, text: text.slice(0, spoil.cut % Math.max(1, text.length)) }
    case 'text':
      return {
        status,
        text: typeof spoil.value === 'string' ? spoil.value : `<html>${JSON.stringify(spoil.value)}</html>`
      }
    case 'status':
      return { status: spoil.status, text }
    case 'empty':
      return { status, text: '' }
    case 'huge':
      return { status, text: (huge ??= `{"items": [${'"x",'.repeat(4_300_000)}"x"]}`) }
    case 'replace': {
      let json: unknown
      try {
        json = JSON.parse(text)
      } catch {
        return { status, text }
      }
      const root = { json }
      let parent: Record<string, unknown> = root
      let key = 'json'
      for (const choice of spoil.path) {
        const node = parent[key]
        if (node === null || typeof node !== 'object') break
        const keys = Object.keys(node)
        if (keys.length === 0) break
        parent = node as Record<string, unknown>
        key = keys[choice % keys.length]!
      }
      parent[key] = spoil.value
      return { status, text: JSON.stringify(root.json) ?? '' }
    }
  }
}

function request(pipelineName: string): TriggerRequest {
  return {
    index: 0,
    pipeline: 'p',
    pipelineName,
    target: 't',
    targetConfig: { type: 'zenml' },
    parameters: { data_url: 's3://b/d.csv' },
    reason: 'fuzz',
    runName: `fuzz-${Math.random().toString(36).slice(2)}`,
    idempotencyKey: 'k'.repeat(32),
    chain: { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['p'] }
  }
}

/** The whole zenml exchange once, as the executor would call it, without retries; the state and the run found. */
async function zenmlExchange(url: string, key: string, signal: AbortSignal): Promise<unknown[]> {
  const connection = await connectZenml(
    { url, apiKey: key, project: 'default' },
    signal,
    () => {},
    () => {}
  )
  const config: ResolvedZenml = {
    type: 'zenml',
    name: 't',
    maxParallel: 1,
    server: { url, apiKey: key, project: 'default' },
    tags: [],
    cancelOnTimeout: false
  }
  const target = new ZenmlTarget(config, connection, [])
  const trigger = request('training_pipeline')
  await target.prepare(trigger, signal)
  const handle = await target.start(trigger, signal)
  return [await target.status(handle, signal), await target.find(trigger, signal)]
}

/** A proxy in front of `upstream` that spoils the n-th reply of each case as `spoil` says. */
async function spoilingProxy(upstream: string): Promise<{ url: string; next(spoil: Spoil): void; close(): void }> {
  let spoil: Spoil | undefined
  let replies = 0
  const proxy = await listen((req, res, body) => {
    const index = replies++
    const headers = { ...(req.headers as Record<string, string>) }
    delete headers.host
    void fetch(`${upstream}${req.url}`, { method: req.method, headers, body: body || undefined }).then(
      async (answer) => {
        const real = { status: answer.status, text: await answer.text() }
        const sent = spoil && index === spoil.reply ? spoilReply(real.status, real.text, spoil) : real
        res.writeHead(sent.status, { 'content-type': 'application/json' }).end(sent.text)
      }
    )
  })
  return {
    url: proxy.url,
    next(value) {
      spoil = value
      replies = 0
    },
    close: proxy.close
  }
}

const EVALUATE = `name: evaluate
run-name: evaluate \${{ inputs.pipeline-trigger-id }}
on:
  workflow_dispatch:
    inputs:
      data_url: {type: string, required: false}
      pipeline-context: {type: string, required: false, default: ''}
      pipeline-trigger-id: {type: string, required: false, default: ''}
jobs:
  evaluate: {runs-on: ubuntu-latest, steps: [{run: echo evaluate}]}
`

/** Runs `judge` over `count` spoiled zenml exchanges (both API flavours) and `count` spoiled http exchanges. */
export async function fuzzServerReplies(
  seed: number,
  count: number,
  key: string,
  jsonish: fc.Arbitrary<unknown>,
  judge: (what: string, body: () => Promise<unknown>, secrets: string[]) => Promise<void>
): Promise<void> {
  // zenml: 0.98 (snapshots) and 0.74 (run templates) exchanges have about 9 replies each.
  for (const mode of ['0.98', '0.74'] as const) {
    const fake = await startFakeZenml({ mode, apiKey: key })
    const proxy = await spoilingProxy(fake.url)
    for (const [i, spoil] of fc
      .sample(spoils(jsonish, 10), { numRuns: count / 2, seed: seed + (mode === '0.98' ? 3 : 4) })
      .entries()) {
      proxy.next(spoil)
      await judge(
        `zenml ${mode} reply #${i} (${spoil.kind} of reply ${spoil.reply})`,
        () => zenmlExchange(proxy.url, key, AbortSignal.timeout(10_000)),
        secretForms(key)
      )
    }
    proxy.close()
    await fake.close()
  }

  // workflow: read the default branch and the workflow file, dispatch, read the run; or a repository_dispatch found by its id.
  const token = 'ghs_replyFuzzToken0123456789abcdefghij'
  const github = await startFakeActions({
    token,
    server: 'github.com',
    repositories: { 'o/eval': { defaultBranch: 'main', workflows: { 'evaluate.yml': { id: 7, text: EVALUATE } } } }
  })
  const githubProxy = await spoilingProxy(github.url)
  for (const [i, [spoil, event]] of fc
    .sample(
      fc.tuple(
        spoils(jsonish, 4),
        fc.constantFrom('workflow_dispatch', 'repository_dispatch') as fc.Arbitrary<
          'workflow_dispatch' | 'repository_dispatch'
        >
      ),
      { numRuns: Math.ceil(count / 15), seed: seed + 6 }
    )
    .entries()) {
    githubProxy.next(spoil)
    const config: ResolvedWorkflow = {
      type: 'workflow',
      name: 't',
      maxParallel: 1,
      owner: 'o',
      repo: 'eval',
      event,
      ...(event === 'workflow_dispatch' ? { workflow: 'evaluate.yml' } : { eventType: 'evaluate' }),
      token,
      apiUrl: githubProxy.url,
      cancelOnTimeout: false
    }
    await judge(
      `workflow ${event} reply #${i} (${spoil.kind} of reply ${spoil.reply})`,
      async () => {
        const deadline = new Deadline(realClock, 10_000)
        const { signal } = deadline
        // A clock of its own is a budget of its own: a rate limit one case answers does not hold the next.
        const client = new GitHubClient({
          token,
          apiUrl: githubProxy.url,
          deadline,
          clock: { ...realClock },
          log: () => {}
        })
        const target = new WorkflowTarget(config, new ActionsApi(client, () => {}), realClock)
        const trigger = request('evaluation')
        try {
          await target.prepare(trigger, signal)
          const handle = await target.start(trigger, signal)
          return await target.status(handle, signal)
        } finally {
          deadline.dispose()
        }
      },
      secretForms(token)
    )
  }
  githubProxy.close()
  await github.close()

  // http: the start's reply and the status poll's reply, each generated.
  let current:
    { start: { status: number; text: string; location?: string }; poll: { status: number; text: string } } | undefined
  const receiver = await listen((req, res) => {
    const reply = req.method === 'POST' ? current!.start : current!.poll
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    if (req.method === 'POST' && current!.start.location !== undefined) headers.location = current!.start.location
    res.writeHead(reply.status, headers).end(reply.text)
  })
  const valid = {
    start: JSON.stringify({
      run_id: 'r1',
      status: 'accepted',
      status_url: '/status/r1',
      run_url: 'https://example.com/r1'
    }),
    poll: JSON.stringify({ status: 'completed', run_id: 'r1', error: null })
  }
  const httpCases = fc.tuple(
    spoils(jsonish, 2),
    fc.constantFrom(200, 201, 202),
    fc.option(
      fc.constantFrom('/status/r1', '', ' ', '::', 'http://[', '//other.example/x', 'javascript:alert(1)', '/a b'),
      { nil: undefined }
    )
  )
  for (const [i, [s, status, location]] of fc.sample(httpCases, { numRuns: count, seed: seed + 5 }).entries()) {
    current = {
      start: {
        ...(s.reply === 0 ? spoilReply(status, valid.start, s) : { status, text: valid.start }),
        ...(location !== undefined ? { location } : {})
      },
      poll: s.reply === 1 ? spoilReply(200, valid.poll, s) : { status: 200, text: valid.poll }
    }
    const config: ResolvedHttp = {
      type: 'http',
      name: 't',
      maxParallel: 1,
      url: new URL(`${receiver.url}/trigger`),
      apiKey: key,
      apiKeyHeader: 'x-api-key',
      body: { pipeline: '{pipeline}', parameters: '{parameters}' },
      allowInsecureHttp: false,
      statusUrlField: 'status_url',
      metricsField: 'metrics'
    }
    await judge(
      `http reply #${i} (${s.kind} of reply ${s.reply}, start ${status}, location ${JSON.stringify(location)})`,
      async () => {
        const signal = AbortSignal.timeout(10_000)
        const target = new HttpTarget(config)
        const handle = await target.start(request('p'), signal)
        return target.status(handle, signal)
      },
      secretForms(key)
    )
  }
  receiver.close()
}
