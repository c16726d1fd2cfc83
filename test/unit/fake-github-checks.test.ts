/**
 * The check-runs and commit-statuses fake keeps GitHub's contract: every request and answer here
 * goes through Octokit (as the action's own calls do) or plain fetch, each body is validated
 * against @octokit/openapi by the fake, and each documented behaviour the action relies on is shown.
 */
import { getOctokit } from '@actions/github'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { afterEach, beforeEach, describe, test } from 'node:test'
import {
  GITHUB_ACTIONS_APP_ID,
  responseContractErrors,
  startFakeGitHubChecks,
  type FakeChecks,
  type TokenIdentity
} from '../helpers/fake-github-checks.js'
import { responseErrorsFor } from '../helpers/github-openapi.js'

const owner = 'octo-org'
const repo = 'octo-repo'
const SHA = 'a'.repeat(40)
const OTHER_APP_ID = 424242

const TOKENS: Record<string, TokenIdentity> = {
  // Two workflow runs' GITHUB_TOKENs: different tokens, the same Actions app.
  'run-1-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { checks: 'write', statuses: 'write' }
  },
  'run-2-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { checks: 'write', actions: 'read' }
  },
  'checks-read-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'read' } },
  'statuses-only-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { statuses: 'write' } },
  'other-app-token': {
    kind: 'installation',
    appId: OTHER_APP_ID,
    slug: 'ml-verdicts',
    permissions: { checks: 'write' }
  },
  'classic-pat': { kind: 'pat' },
  'fine-grained-pat': { kind: 'pat', permissions: { checks: 'read', statuses: 'read' } }
}

let time = Date.parse('2026-12-01T10:00:00Z')
let fake: FakeChecks
const client = (token: string) => getOctokit(token, { baseUrl: fake.url })

/** The status and GitHub's message of a refused call. */
async function refusal(call: Promise<unknown>): Promise<{ status: number; message: string; data: any }> {
  try {
    await call
  } catch (error) {
    const e = error as { status: number; response: { data: any } }
    return { status: e.status, message: e.response.data.message, data: e.response.data }
  }
  assert.fail('the call was not refused')
}

beforeEach(async () => {
  time = Date.parse('2026-12-01T10:00:00Z')
  fake = await startFakeGitHubChecks({ tokens: TOKENS, repository: `${owner}/${repo}`, now: () => time })
})
afterEach(async () => {
  await fake.close()
  assert.deepEqual(fake.contractErrors, [])
})

describe('check runs: create, update, complete', () => {
  test('a created check run is a full check-run object of its app, started now; a conclusion completes it', async () => {
    const octokit = client('run-1-token')
    const { status, data: created } = await octokit.rest.checks.create({
      owner,
      repo,
      name: 'ml-eval / evaluation',
      head_sha: SHA,
      status: 'in_progress',
      external_id: 'pipeline-trigger:evaluation',
      details_url: 'https://zenml.example/runs/1',
      output: { title: 'Evaluation running', summary: 'Started.' }
    })
    assert.equal(status, 201)
    assert.equal(created.status, 'in_progress')
    assert.equal(created.conclusion, null)
    assert.equal(created.started_at, '2026-12-01T10:00:00Z')
    assert.equal(created.completed_at, null)
    assert.equal(created.external_id, 'pipeline-trigger:evaluation')
    assert.equal(created.details_url, 'https://zenml.example/runs/1')
    assert.deepEqual(created.output, {
      title: 'Evaluation running',
      summary: 'Started.',
      text: null,
      annotations_count: 0,
      annotations_url: `${fake.url}/repos/${owner}/${repo}/check-runs/${created.id}/annotations`
    })
    assert.equal(created.app?.id, GITHUB_ACTIONS_APP_ID)
    assert.equal(created.app?.slug, 'github-actions')
    assert.equal(created.url, `${fake.url}/repos/${owner}/${repo}/check-runs/${created.id}`)

    time += 60_000
    // A conclusion without a status completes the check run, as GitHub documents.
    const { data: done } = await octokit.rest.checks.update({
      owner,
      repo,
      check_run_id: created.id,
      conclusion: 'success',
      output: { title: 'Evaluation passed', summary: 'accuracy 0.93', text: '| metric | value |' }
    })
    assert.equal(done.status, 'completed')
    assert.equal(done.conclusion, 'success')
    assert.equal(done.completed_at, '2026-12-01T10:01:00Z')
    assert.equal(done.started_at, '2026-12-01T10:00:00Z')
    assert.equal(done.output.title, 'Evaluation passed')
    assert.equal(done.output.text, '| metric | value |')

    const { data: read } = await octokit.rest.checks.get({ owner, repo, check_run_id: created.id })
    assert.deepEqual(read, done)

    // The test sees the whole history: the create, then each update, with who sent it.
    const [run] = fake.checkRuns
    assert.equal(fake.checkRuns.length, 1)
    assert.deepEqual(
      run!.history.map((h) => [h.method, h.result.status, h.result.conclusion, h.identity]),
      [
        ['POST', 'in_progress', null, TOKENS['run-1-token']],
        ['PATCH', 'completed', 'success', TOKENS['run-1-token']]
      ]
    )
    assert.deepEqual(run!.current, done)
  })

  test('created with a conclusion, it is completed at once; completed_at is the one given', async () => {
    const { data } = await client('run-1-token').rest.checks.create({
      owner,
      repo,
      name: 'ml-eval / skipped',
      head_sha: SHA,
      conclusion: 'skipped',
      completed_at: '2026-12-01T09:59:30.000Z',
      output: { title: 'Skipped', summary: 'No pipeline matched.' }
    })
    assert.equal(data.status, 'completed')
    assert.equal(data.conclusion, 'skipped')
    assert.equal(data.completed_at, '2026-12-01T09:59:30Z')
  })

  test('a check run not created gets 404; status completed without a conclusion breaks the contract (422)', async () => {
    const octokit = client('run-1-token')
    assert.equal((await refusal(octokit.rest.checks.get({ owner, repo, check_run_id: 1 }))).status, 404)
    const { data } = await octokit.rest.checks.create({ owner, repo, name: 'x', head_sha: SHA })
    assert.equal(data.status, 'queued', "GitHub's default status")
    const refused = await refusal(
      octokit.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', {
        owner,
        repo,
        check_run_id: data.id,
        status: 'completed'
      } as any)
    )
    assert.equal(refused.status, 422)
    assert.match(refused.message, /^Invalid request\./)
    // The fake reports the client's contract breach, then the test clears it.
    assert.deepEqual(fake.contractErrors, [
      "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} request:  must have required property 'conclusion'",
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} request: /status must be equal to one of the allowed values',
      'PATCH /repos/{owner}/{repo}/check-runs/{check_run_id} request:  must match a schema in anyOf'
    ])
    fake.contractErrors.length = 0
    assert.equal(fake.checkRuns[0]!.history.length, 1, 'a refused update leaves no trace in the history')
  })
})

describe('check runs: listing for a ref', () => {
  async function seed() {
    const actions = client('run-1-token')
    const first = await actions.rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA, status: 'in_progress' })
    time += 1000
    const second = await actions.rest.checks.create({
      owner,
      repo,
      name: 'eval',
      head_sha: SHA,
      conclusion: 'failure',
      output: { title: 'Failed', summary: 'accuracy dropped' }
    })
    await actions.rest.checks.create({ owner, repo, name: 'lint', head_sha: SHA, status: 'queued' })
    await actions.rest.checks.create({ owner, repo, name: 'eval', head_sha: 'b'.repeat(40), status: 'queued' })
    const other = await client('other-app-token').rest.checks.create({
      owner,
      repo,
      name: 'eval',
      head_sha: SHA,
      status: 'in_progress'
    })
    return { first: first.data.id, second: second.data.id, other: other.data.id }
  }
  const list = (query: Record<string, string | number> = {}) =>
    client('checks-read-token').rest.checks.listForRef({ owner, repo, ref: SHA, ...query })

  test('filter=latest (the default) keeps the newest run of each name per app; filter=all keeps every run', async () => {
    const ids = await seed()
    const latest = (await list()).data
    assert.equal(latest.total_count, 3)
    assert.deepEqual(latest.check_runs.map((c) => [c.name, c.app?.id]).sort(), [
      ['eval', GITHUB_ACTIONS_APP_ID],
      ['eval', OTHER_APP_ID],
      ['lint', GITHUB_ACTIONS_APP_ID]
    ])
    assert.ok(
      latest.check_runs.some((c) => c.id === ids.second),
      'the newer run of the name is listed'
    )
    assert.ok(!latest.check_runs.some((c) => c.id === ids.first), 'the older run of the same name is hidden')

    const all = (await list({ filter: 'all' })).data
    assert.equal(all.total_count, 4)
    assert.ok(
      all.check_runs.some((c) => c.id === ids.first),
      'the older run is listed too'
    )
    assert.deepEqual(
      all.check_runs.map((c) => c.id),
      [...all.check_runs.map((c) => c.id)].sort((a, b) => b - a),
      'newest first'
    )
  })

  test('check_name and status filter; an open run behind a newer one of its name is found only with filter=all', async () => {
    const ids = await seed()
    const named = (await list({ check_name: 'eval', filter: 'all' })).data
    assert.deepEqual(named.check_runs.map((c) => c.id).sort(), [ids.first, ids.second, ids.other].sort())
    const open = (await list({ check_name: 'eval', status: 'in_progress' })).data
    assert.deepEqual(
      open.check_runs.map((c) => c.id),
      [ids.other]
    )
    const openAll = (await list({ check_name: 'eval', status: 'in_progress', filter: 'all' })).data
    assert.deepEqual(openAll.check_runs.map((c) => c.id).sort(), [ids.first, ids.other].sort())
  })

  test('app_id keeps one app’s check runs', async () => {
    const ids = await seed()
    const mine = (await list({ app_id: GITHUB_ACTIONS_APP_ID, check_name: 'eval' })).data
    assert.deepEqual(
      mine.check_runs.map((c) => c.id),
      [ids.second]
    )
    const theirs = (await list({ app_id: OTHER_APP_ID })).data
    assert.deepEqual(
      theirs.check_runs.map((c) => [c.id, c.app?.slug]),
      [[ids.other, 'ml-verdicts']]
    )
  })

  test('pages of per_page with GitHub’s Link header; Octokit’s paginate reads them all', async () => {
    const actions = client('run-1-token')
    for (let i = 0; i < 5; i++) await actions.rest.checks.create({ owner, repo, name: `check-${i}`, head_sha: SHA })
    const first = await list({ per_page: 2 })
    assert.equal(first.data.total_count, 5)
    assert.equal(first.data.check_runs.length, 2)
    const link = (page: number) =>
      `<${fake.url}/repos/${owner}/${repo}/commits/${SHA}/check-runs?per_page=2&page=${page}>`
    assert.equal(first.headers.link, `${link(2)}; rel="next", ${link(3)}; rel="last"`)
    const last = await list({ per_page: 2, page: 3 })
    assert.equal(last.data.check_runs.length, 1)
    assert.equal(last.headers.link, `${link(2)}; rel="prev", ${link(1)}; rel="first"`)
    const every = await client('checks-read-token').paginate(client('checks-read-token').rest.checks.listForRef, {
      owner,
      repo,
      ref: SHA,
      per_page: 2
    })
    assert.deepEqual(every.map((c) => c.name).sort(), ['check-0', 'check-1', 'check-2', 'check-3', 'check-4'])
    // Every call is there to count: the 3 pages of paginate plus the two single pages.
    assert.equal(fake.requests.filter((r) => r.path.endsWith('/check-runs') && r.method === 'GET').length, 5)
    assert.deepEqual(fake.requests.at(-1)!.query, { per_page: '2', page: '3' })
    assert.deepEqual(fake.requests.at(-1)!.identity, TOKENS['checks-read-token'])
  })

  test('a branch name resolves through the refs the fake was given; an unknown one is 422', async () => {
    await fake.close()
    fake = await startFakeGitHubChecks({ tokens: TOKENS, repository: `${owner}/${repo}`, refs: { main: SHA } })
    await client('run-1-token').rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA })
    const { data } = await client('checks-read-token').rest.checks.listForRef({ owner, repo, ref: 'main' })
    assert.equal(data.total_count, 1)
    const unknown = await refusal(client('checks-read-token').rest.checks.listForRef({ owner, repo, ref: 'nope' }))
    assert.equal(unknown.status, 422)
  })

  test('a check suite keeps at most 1,000 check runs of one name: older ones are deleted', async () => {
    const actions = client('run-1-token')
    const first = await actions.rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA })
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 100 }, () => actions.rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA }))
      )
    assert.equal((await list({ filter: 'all', per_page: 1 })).data.total_count, 1000)
    assert.equal((await refusal(actions.rest.checks.get({ owner, repo, check_run_id: first.data.id }))).status, 404)
    assert.equal(fake.checkRuns.filter((c) => c.deleted).length, 1)
  })
})

describe('tokens and permissions', () => {
  const create = (token: string) =>
    client(token).rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA, status: 'in_progress' })

  test('an unknown token is 401 Bad credentials; Bearer and token schemes both work', async () => {
    assert.deepEqual(await refusal(create('not-a-token')).then((r) => [r.status, r.message]), [401, 'Bad credentials'])
    const bearer = await fetch(`${fake.url}/repos/${owner}/${repo}/commits/${SHA}/check-runs`, {
      headers: { authorization: 'Bearer checks-read-token' }
    })
    assert.equal(bearer.status, 200)
    assert.deepEqual(await bearer.json(), { total_count: 0, check_runs: [] })
    assert.equal((await fetch(`${fake.url}/repos/${owner}/${repo}/check-runs/1`)).status, 401)
  })

  test('creating or updating a check run: 403 with GitHub’s text for each kind of token', async () => {
    for (const token of ['classic-pat', 'fine-grained-pat'])
      assert.deepEqual(await refusal(create(token)).then((r) => [r.status, r.message]), [
        403,
        'Resource not accessible by personal access token'
      ])
    for (const token of ['checks-read-token', 'statuses-only-token'])
      assert.deepEqual(await refusal(create(token)).then((r) => [r.status, r.message]), [
        403,
        'Resource not accessible by integration'
      ])
    const { data } = await create('run-1-token')
    const update = (token: string) =>
      client(token).rest.checks.update({ owner, repo, check_run_id: data.id, conclusion: 'success' })
    assert.equal((await refusal(update('classic-pat'))).message, 'Resource not accessible by personal access token')
    assert.equal((await refusal(update('checks-read-token'))).message, 'Resource not accessible by integration')
    // Reading needs checks: read, which a token with only statuses lacks.
    const read = await refusal(client('statuses-only-token').rest.checks.get({ owner, repo, check_run_id: data.id }))
    assert.deepEqual([read.status, read.message], [403, 'Resource not accessible by integration'])
    assert.equal(fake.checkRuns.length, 1)
    assert.equal(fake.checkRuns[0]!.history.length, 1)
  })

  test('only the app that created a check run may modify it: two tokens of one app id may, another app may not', async () => {
    const { data } = await create('run-1-token')
    const other = await refusal(
      client('other-app-token').rest.checks.update({ owner, repo, check_run_id: data.id, conclusion: 'failure' })
    )
    assert.equal(other.status, 403)
    assert.equal(
      other.message,
      `Invalid app_id \`${OTHER_APP_ID}\` - check run can only be modified by the GitHub App that created it.`
    )
    // A later workflow run's GITHUB_TOKEN is the same Actions app: it completes the first run's check run.
    time += 3_600_000
    const { status, data: done } = await client('run-2-token').rest.checks.update({
      owner,
      repo,
      check_run_id: data.id,
      conclusion: 'success',
      output: { title: 'Passed', summary: 'Completed by a later workflow run.' }
    })
    assert.equal(status, 200)
    assert.equal(done.conclusion, 'success')
    assert.equal(done.completed_at, '2026-12-01T11:00:00Z')
    assert.equal(done.app?.id, GITHUB_ACTIONS_APP_ID)
    assert.deepEqual(
      fake.checkRuns[0]!.history.map((h) => h.identity),
      [TOKENS['run-1-token'], TOKENS['run-2-token']]
    )
  })
})

describe('commit statuses', () => {
  const post = (
    token: string,
    description: string | undefined,
    state: 'pending' | 'success' | 'failure' | 'error' = 'pending',
    context = 'ml-eval'
  ) =>
    client(token).rest.repos.createCommitStatus({
      owner,
      repo,
      sha: SHA,
      state,
      description,
      context,
      target_url: 'https://zenml.example/runs/1'
    })

  test('created with 201 and a Location; listed newest first, with the creator of the token', async () => {
    const created = await post('run-1-token', 'Evaluation running')
    assert.equal(created.status, 201)
    assert.equal(created.headers.location, `${fake.url}/repos/${owner}/${repo}/statuses/${SHA}`)
    assert.equal(created.data.creator?.login, 'github-actions[bot]')
    time += 1000
    await client('run-1-token').rest.repos.createCommitStatus({
      owner,
      repo,
      sha: SHA,
      state: 'success',
      context: 'ml-eval'
    })
    await post('classic-pat', undefined, 'pending', 'other')
    const { data } = await client('fine-grained-pat').rest.repos.listCommitStatusesForRef({ owner, repo, ref: SHA })
    assert.deepEqual(
      data.map((s) => [s.context, s.state, s.description]),
      [
        ['other', 'pending', null],
        ['ml-eval', 'success', null],
        ['ml-eval', 'pending', 'Evaluation running']
      ]
    )
    assert.equal(data[1]!.created_at, '2026-12-01T10:00:01Z')
    assert.equal(fake.statuses.length, 3)
    assert.equal(
      (fake.statuses[2]!.current.creator as { login: string }).login,
      'octocat',
      'a personal token is its user'
    )
  })

  test('a description of 140 characters is taken; 141 gets GitHub’s 422', async () => {
    assert.equal((await post('run-1-token', 'x'.repeat(140))).status, 201)
    const refused = await refusal(post('run-1-token', 'x'.repeat(141)))
    assert.equal(refused.status, 422)
    assert.equal(refused.message, 'Validation Failed')
    assert.deepEqual(refused.data.errors, [
      {
        resource: 'Status',
        code: 'custom',
        field: 'description',
        message: 'description is too long (maximum is 140 characters)'
      }
    ])
    assert.equal(fake.statuses.length, 1)
  })

  test('statuses: write is needed: 403 with the text for each kind of token', async () => {
    assert.deepEqual(await refusal(post('run-2-token', 'x')).then((r) => [r.status, r.message]), [
      403,
      'Resource not accessible by integration'
    ])
    assert.deepEqual(await refusal(post('fine-grained-pat', 'x')).then((r) => [r.status, r.message]), [
      403,
      'Resource not accessible by personal access token'
    ])
    assert.equal((await post('classic-pat', 'x')).status, 201, 'a classic token with repo scope may')
  })

  test('pages of statuses carry the Link header', async () => {
    for (let i = 0; i < 3; i++) await post('run-1-token', `step ${i}`)
    const page = await client('run-1-token').rest.repos.listCommitStatusesForRef({ owner, repo, ref: SHA, per_page: 2 })
    assert.deepEqual(
      page.data.map((s) => s.description),
      ['step 2', 'step 1']
    )
    assert.match(page.headers.link ?? '', /page=2>; rel="next"/)
  })

  test('the combined status: the newest of each context (whatever its case), newest first, and the state they make', async () => {
    const combined = () => client('fine-grained-pat').rest.repos.getCombinedStatusForRef({ owner, repo, ref: SHA })
    assert.deepEqual(
      [(await combined()).data.state, (await combined()).data.total_count],
      ['pending', 0],
      'no statuses: pending'
    )
    await post('run-1-token', 'training', 'pending', 'ml-eval')
    time += 1000
    await post('run-1-token', 'lint ok', 'success', 'lint')
    time += 1000
    await post('run-1-token', 'trained', 'success', 'ML-Eval')
    const { data } = await combined()
    assert.deepEqual(
      data.statuses.map((s) => [s.context, s.state, s.description]),
      [
        ['ML-Eval', 'success', 'trained'],
        ['lint', 'success', 'lint ok']
      ]
    )
    assert.deepEqual([data.state, data.total_count, data.sha], ['success', 2, SHA])
    await post('run-1-token', 'broke', 'failure', 'lint')
    assert.equal((await combined()).data.state, 'failure')
    const refused = await refusal(
      client('checks-read-token').rest.repos.getCombinedStatusForRef({ owner, repo, ref: SHA })
    )
    assert.equal(refused.status, 403, 'statuses: read is needed')
  })

  test('at most 1,000 statuses per SHA and context, whatever its case', async () => {
    const octokit = client('run-1-token')
    for (let batch = 0; batch < 10; batch++)
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          octokit.rest.repos.createCommitStatus({
            owner,
            repo,
            sha: SHA,
            state: 'pending',
            context: i % 2 ? 'ML-Eval' : 'ml-eval'
          })
        )
      )
    const refused = await refusal(
      octokit.rest.repos.createCommitStatus({ owner, repo, sha: SHA, state: 'success', context: 'ml-eval' })
    )
    assert.deepEqual(
      [refused.status, refused.message],
      [422, 'This SHA and context has reached the maximum number of statuses.']
    )
    assert.equal(
      (await octokit.rest.repos.createCommitStatus({ owner, repo, sha: SHA, state: 'success', context: 'other' }))
        .status,
      201
    )
  })
})

describe('workflow runs', () => {
  test('seeded runs are listed newest first, filtered by created and status, paged; actions: read is needed', async () => {
    fake.seedWorkflowRun({
      id: 1,
      head_sha: SHA,
      created_at: '2026-12-01T08:00:00Z',
      status: 'completed',
      conclusion: 'failure'
    })
    fake.seedWorkflowRun({ id: 2, head_sha: SHA, created_at: '2026-12-01T09:00:00Z', status: 'in_progress' })
    fake.seedWorkflowRun({ id: 3, head_sha: 'b'.repeat(40), created_at: '2026-12-01T10:00:00Z' })
    const octokit = client('run-2-token')
    const all = (await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo })).data
    assert.equal(all.total_count, 3)
    assert.deepEqual(
      all.workflow_runs.map((r) => [r.id, r.status, r.conclusion]),
      [
        [3, 'completed', 'success'],
        [2, 'in_progress', null],
        [1, 'completed', 'failure']
      ]
    )
    assert.equal(all.workflow_runs[1]!.url, `https://api.github.com/repos/${owner}/${repo}/actions/runs/2`)

    const since = (created: string) =>
      octokit.rest.actions
        .listWorkflowRunsForRepo({ owner, repo, created })
        .then((r) => r.data.workflow_runs.map((w) => w.id))
    assert.deepEqual(await since('>=2026-12-01T09:00:00Z'), [3, 2])
    assert.deepEqual(await since('<2026-12-01T09:00:00Z'), [1])
    assert.deepEqual(await since('2026-12-01T08:30:00Z..2026-12-01T09:30:00Z'), [2])
    assert.deepEqual(await since('2026-12-01'), [3, 2, 1])
    assert.deepEqual(await since('>2026-12-01'), [])

    const byStatus = (status: 'in_progress' | 'failure' | 'completed') =>
      octokit.rest.actions
        .listWorkflowRunsForRepo({ owner, repo, status })
        .then((r) => r.data.workflow_runs.map((w) => w.id))
    assert.deepEqual(await byStatus('in_progress'), [2])
    assert.deepEqual(await byStatus('failure'), [1])
    assert.deepEqual(await byStatus('completed'), [3, 1])

    const paged = await octokit.rest.actions.listWorkflowRunsForRepo({ owner, repo, per_page: 1, page: 2 })
    assert.deepEqual(
      paged.data.workflow_runs.map((w) => w.id),
      [2]
    )
    assert.match(paged.headers.link ?? '', /rel="prev".*rel="next".*rel="last".*rel="first"/)

    const refused = await refusal(client('run-1-token').rest.actions.listWorkflowRunsForRepo({ owner, repo }))
    assert.deepEqual([refused.status, refused.message], [403, 'Resource not accessible by integration'])
  })
})

describe('the fake itself', () => {
  test('another repository is 404; every request is recorded with its token identity and answer', async () => {
    const other = await refusal(
      client('run-1-token').rest.checks.create({ owner, repo: 'elsewhere', name: 'eval', head_sha: SHA })
    )
    assert.equal(other.status, 404)
    await client('run-1-token').rest.checks.create({ owner, repo, name: 'eval', head_sha: SHA })
    assert.deepEqual(
      fake.requests.map((r) => [r.method, r.path, r.identity, r.status]),
      [
        ['POST', `/repos/${owner}/elsewhere/check-runs`, TOKENS['run-1-token'], 404],
        ['POST', `/repos/${owner}/${repo}/check-runs`, TOKENS['run-1-token'], 201]
      ]
    )
    assert.deepEqual(fake.requests[1]!.body, { name: 'eval', head_sha: SHA })
  })

  test('an output summary over 65,535 characters breaks the published schema: 422 and a contract error', async () => {
    const refused = await refusal(
      client('run-1-token').rest.checks.create({
        owner,
        repo,
        name: 'eval',
        head_sha: SHA,
        output: { title: 'Too long', summary: 'x'.repeat(65_536) }
      })
    )
    assert.equal(refused.status, 422)
    assert.deepEqual(fake.contractErrors, [
      'POST /repos/{owner}/{repo}/check-runs request: /output/summary must NOT have more than 65535 characters'
    ])
    fake.contractErrors.length = 0
    assert.equal(fake.checkRuns.length, 0)
  })

  test('the one schema error it drops is a null conclusion, which GitHub’s own in-progress example has', () => {
    const examples = createRequire(import.meta.url)('@octokit/openapi/generated/api.github.com.json').components
      .examples
    const inProgress = examples['check-run-example-of-in-progress-conclusion'].value
    const template = '/repos/{owner}/{repo}/check-runs/{check_run_id}'
    assert.deepEqual(responseErrorsFor('GET', template, 200, inProgress), [
      `GET ${template} → 200: /conclusion must be equal to one of the allowed values`
    ])
    assert.deepEqual(responseContractErrors('GET', template, 200, inProgress), [])
    assert.deepEqual(responseContractErrors('GET', template, 200, { ...inProgress, conclusion: 'stale' }), [
      `GET ${template} → 200: /conclusion must be equal to one of the allowed values`
    ])
  })
})

describe('pull requests and their comments', () => {
  const COMMENT_TOKENS: Record<string, TokenIdentity> = {
    // A pull request's GITHUB_TOKEN with pull-requests: write.
    'pr-token': {
      kind: 'installation',
      appId: GITHUB_ACTIONS_APP_ID,
      permissions: { pull_requests: 'write', checks: 'write' }
    },
    'issues-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { issues: 'write' } },
    // A fork's pull request: a read-only token.
    'fork-token': {
      kind: 'installation',
      appId: GITHUB_ACTIONS_APP_ID,
      permissions: { pull_requests: 'read', issues: 'read', checks: 'read' }
    },
    'checks-only-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } },
    'maintainer-pat': { kind: 'pat', login: 'maintainer', association: 'MEMBER' },
    'outsider-pat': { kind: 'pat', login: 'outsider', association: 'CONTRIBUTOR', permissions: { issues: 'write' } }
  }
  const HEAD = 'b'.repeat(40)

  beforeEach(async () => {
    await fake.close()
    fake = await startFakeGitHubChecks({ tokens: COMMENT_TOKENS, repository: `${owner}/${repo}`, now: () => time })
    fake.seedPullRequest({ number: 12, headSha: HEAD })
  })

  test('a seeded pull request is GitHub’s example with its number and head; a push moves the head', async () => {
    const { data } = await client('pr-token').rest.pulls.get({ owner, repo, pull_number: 12 })
    assert.equal(data.number, 12)
    assert.equal(data.head.sha, HEAD)
    assert.equal(data.state, 'open')
    assert.equal(data.url, `${fake.url}/repos/${owner}/${repo}/pulls/12`)
    assert.equal(data.html_url, `https://github.com/${owner}/${repo}/pull/12`)

    fake.setPullHead(12, 'c'.repeat(40))
    const { data: moved } = await client('fork-token').rest.pulls.get({ owner, repo, pull_number: 12 })
    assert.equal(moved.head.sha, 'c'.repeat(40))

    assert.equal((await refusal(client('pr-token').rest.pulls.get({ owner, repo, pull_number: 13 }))).status, 404)
    assert.deepEqual(await refusal(client('checks-only-token').rest.pulls.get({ owner, repo, pull_number: 12 })), {
      status: 403,
      message: 'Resource not accessible by integration',
      data: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request'
      }
    })
    assert.throws(() => fake.setPullHead(99, HEAD), /no pull request #99/)
  })

  test('an installation’s comment is its bot’s (type Bot, with the app); a personal token’s is its user’s', async () => {
    const { status, data: bot } = await client('pr-token').rest.issues.createComment({
      owner,
      repo,
      issue_number: 12,
      body: 'from the job'
    })
    assert.equal(status, 201)
    assert.equal(bot.body, 'from the job')
    assert.equal(bot.user?.login, 'github-actions[bot]')
    assert.equal(bot.user?.type, 'Bot')
    assert.equal(bot.author_association, 'NONE')
    assert.equal(bot.performed_via_github_app?.slug, 'github-actions')
    assert.equal(bot.html_url, `https://github.com/${owner}/${repo}/pull/12#issuecomment-${bot.id}`)
    assert.equal(bot.issue_url, `${fake.url}/repos/${owner}/${repo}/issues/12`)

    // issues: write is enough too: a pull request's comments are issue comments.
    await client('issues-token').rest.issues.createComment({ owner, repo, issue_number: 12, body: 'issues' })
    const { data: user } = await client('maintainer-pat').rest.issues.createComment({
      owner,
      repo,
      issue_number: 12,
      body: 'by hand'
    })
    assert.equal(user.user?.login, 'maintainer')
    assert.equal(user.user?.type, 'User')
    assert.equal(user.author_association, 'MEMBER')
    assert.equal(user.performed_via_github_app, undefined)
    assert.ok(user.id > bot.id)

    const { data: read } = await client('fork-token').rest.issues.getComment({ owner, repo, comment_id: bot.id })
    assert.deepEqual(read, bot)
    assert.deepEqual(
      fake.comments.map((c) => [c.number, c.current.body, c.history.map((h) => h.method)]),
      [
        [12, 'from the job', ['POST']],
        [12, 'issues', ['POST']],
        [12, 'by hand', ['POST']]
      ]
    )
    assert.equal(
      (await refusal(client('pr-token').rest.issues.createComment({ owner, repo, issue_number: 13, body: 'x' })))
        .status,
      404
    )
  })

  test('a read-only token may read the comments but not write: 403 with GitHub’s text', async () => {
    fake.seedComment({ number: 12, body: 'hello', user: 'someone', author_association: 'NONE' })
    const { data } = await client('fork-token').rest.issues.listComments({ owner, repo, issue_number: 12 })
    assert.deepEqual(
      data.map((c) => [c.body, c.user?.login]),
      [['hello', 'someone']]
    )
    const refused = await refusal(
      client('fork-token').rest.issues.createComment({ owner, repo, issue_number: 12, body: 'x' })
    )
    assert.equal(refused.status, 403)
    assert.equal(refused.message, 'Resource not accessible by integration')
    const listing = await refusal(
      client('checks-only-token').rest.issues.listComments({ owner, repo, issue_number: 12 })
    )
    assert.equal(listing.status, 403)
    assert.equal(fake.comments.length, 1)
  })

  test('comments are listed oldest first, paged with the Link header', async () => {
    for (let i = 0; i < 5; i++)
      await client('pr-token').rest.issues.createComment({ owner, repo, issue_number: 12, body: `comment ${i}` })
    const octokit = client('pr-token')
    const first = await octokit.rest.issues.listComments({ owner, repo, issue_number: 12, per_page: 2 })
    assert.deepEqual(
      first.data.map((c) => c.body),
      ['comment 0', 'comment 1']
    )
    assert.match(first.headers.link ?? '', /page=2>; rel="next"/)
    assert.match(first.headers.link ?? '', /page=3>; rel="last"/)
    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: 12, per_page: 2 })
    assert.deepEqual(
      all.map((c) => c.body),
      ['comment 0', 'comment 1', 'comment 2', 'comment 3', 'comment 4']
    )
    assert.deepEqual(
      all.map((c) => c.id),
      [...all.map((c) => c.id)].sort((a, b) => a - b)
    )
  })

  test('an edit by the author or an installation with write is taken; another user’s is refused; a delete removes it', async () => {
    const hostile = fake.seedComment({
      number: 12,
      body: '<!-- pipeline-trigger:report -->\nfake report',
      user: 'fork-author',
      author_association: 'CONTRIBUTOR'
    })
    assert.equal(hostile.author_association, 'CONTRIBUTOR')
    assert.equal(hostile.user.type, 'User')
    const { data: mine } = await client('outsider-pat').rest.issues.createComment({
      owner,
      repo,
      issue_number: 12,
      body: 'mine'
    })
    time += 60_000
    const { data: edited } = await client('outsider-pat').rest.issues.updateComment({
      owner,
      repo,
      comment_id: mine.id,
      body: 'mine, edited'
    })
    assert.equal(edited.body, 'mine, edited')
    assert.equal(edited.updated_at, '2026-12-01T10:01:00Z')
    assert.equal(edited.created_at, '2026-12-01T10:00:00Z')

    const refused = await refusal(
      client('outsider-pat').rest.issues.updateComment({ owner, repo, comment_id: hostile.id, body: 'taken over' })
    )
    assert.equal(refused.status, 403)
    assert.equal(
      (await refusal(client('fork-token').rest.issues.deleteComment({ owner, repo, comment_id: mine.id }))).status,
      403
    )

    // An installation with write (a maintainer's app) may edit anyone's.
    await client('pr-token').rest.issues.updateComment({ owner, repo, comment_id: hostile.id, body: 'moderated' })
    const { status } = await client('pr-token').rest.issues.deleteComment({ owner, repo, comment_id: mine.id })
    assert.equal(status, 204)
    assert.deepEqual(
      fake.comments.map((c) => [c.current.body, c.history.map((h) => h.method)]),
      [['moderated', ['SEED', 'PATCH']]]
    )
    const gone = await refusal(client('pr-token').rest.issues.getComment({ owner, repo, comment_id: mine.id }))
    assert.equal(gone.status, 404)
    assert.equal(
      (await refusal(client('pr-token').rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: 'x' })))
        .status,
      404
    )
  })

  test('a body of 65,536 characters is taken; one more gets GitHub’s 422', async () => {
    const octokit = client('pr-token')
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: 12,
      body: 'x'.repeat(65_536)
    })
    // Characters, not UTF-16 units: 65,536 rockets are 65,536 characters (131,072 units).
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: data.id, body: '🚀'.repeat(65_536) })
    for (const call of [
      () => octokit.rest.issues.createComment({ owner, repo, issue_number: 12, body: 'x'.repeat(65_537) }),
      () => octokit.rest.issues.updateComment({ owner, repo, comment_id: data.id, body: 'x'.repeat(65_537) })
    ]) {
      const refused = await refusal(call())
      assert.equal(refused.status, 422)
      assert.equal(refused.message, 'Validation Failed')
      assert.deepEqual(refused.data.errors, [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)'
        }
      ])
    }
    assert.equal(fake.comments.length, 1)
    assert.equal(fake.comments[0]!.current.body, '🚀'.repeat(65_536))
  })

  test('latency: a request GitHub acts on later gets the later id, whatever order it was sent in', async () => {
    await fake.close()
    let posts = 0
    fake = await startFakeGitHubChecks({
      tokens: COMMENT_TOKENS,
      repository: `${owner}/${repo}`,
      latency: ({ method }) => (method === 'POST' ? (posts++ === 0 ? { before: 150 } : { before: 0, after: 200 }) : 0)
    })
    fake.seedPullRequest({ number: 12, headSha: HEAD })
    const octokit = client('pr-token')
    const slow = octokit.rest.issues.createComment({ owner, repo, issue_number: 12, body: 'sent first' })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const quick = octokit.rest.issues.createComment({ owner, repo, issue_number: 12, body: 'sent second' })
    // The second is acted on at once (its answer takes 200 ms); the first only after 150 ms.
    await new Promise((resolve) => setTimeout(resolve, 60))
    assert.deepEqual(
      fake.comments.map((c) => c.current.body),
      ['sent second']
    )
    const [first, second] = await Promise.all([slow, quick])
    assert.ok(first.data.id > second.data.id)
    assert.deepEqual(
      fake.comments.map((c) => c.current.body),
      ['sent second', 'sent first']
    )
  })
})
