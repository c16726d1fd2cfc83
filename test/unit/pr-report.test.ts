/**
 * The pull request's report comment against the fake GitHub API (every request and answer checked
 * against GitHub's OpenAPI description): one comment per pull request, each job's section upserted,
 * a fork's comments never adopted, and two jobs writing at the same time both kept.
 */
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import { Deadline, realClock, type Clock } from '../../src/clock.js'
import { GitHubClient } from '../../src/github/client.js'
import { renderReport, type ReportRun } from '../../src/report/metrics-report.js'
import {
  COMMENT_LIMIT,
  REPORT_MARKER,
  postPullRequestReport,
  type ReportPosted
} from '../../src/pr-comment/post-report.js'
import {
  GITHUB_ACTIONS_APP_ID,
  startFakeGitHubChecks,
  type FakeChecks,
  type FakeLatency,
  type TokenIdentity
} from '../helpers/fake-github-checks.js'

const repository = 'octo-org/octo-repo'
const SHA = 'a1b2c3d'.padEnd(40, '0')
const NEWER = 'b2c3d4e'.padEnd(40, '0')
const PULL = 12

const TOKENS: Record<string, TokenIdentity> = {
  // A pull request's GITHUB_TOKEN with pull-requests: write.
  'job-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { pull_requests: 'write', checks: 'write' }
  },
  // No pull-requests or issues permission at all.
  'checks-only-token': { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } },
  // A fork's pull request: every permission read-only.
  'fork-token': {
    kind: 'installation',
    appId: GITHUB_ACTIONS_APP_ID,
    permissions: { pull_requests: 'read', issues: 'read', checks: 'read' }
  }
}

/** Time that does not pass: the read-back after a write comes at once. */
const instant: Clock = { now: Date.now, sleep: () => Promise.resolve(), random: () => 0.5 }

let fake: FakeChecks
const deadlines: Deadline[] = []
let logs: string[] = []

async function startFake(latency?: FakeLatency): Promise<FakeChecks> {
  const started = await startFakeGitHubChecks({ tokens: TOKENS, repository, ...(latency ? { latency } : {}) })
  started.seedPullRequest({ number: PULL, headSha: SHA })
  return started
}

function post(
  section: string,
  markdown: string,
  options: { headSha?: string; token?: string; clock?: Clock; on?: FakeChecks } = {}
): Promise<ReportPosted> {
  const server = options.on ?? fake
  const deadline = new Deadline(realClock, 60_000)
  deadlines.push(deadline)
  const log = (message: string) => logs.push(message)
  const client = new GitHubClient({
    token: options.token ?? 'job-token',
    apiUrl: server.url,
    deadline,
    clock: realClock,
    log
  })
  return postPullRequestReport({
    client,
    repository,
    pullNumber: PULL,
    headSha: options.headSha ?? SHA,
    section,
    markdown,
    clock: options.clock ?? instant,
    log
  })
}

/** The sections of a report body: key, commit and text. */
function sections(body: string): [string, string, string][] {
  return [
    ...body.matchAll(
      /<!-- pipeline-trigger:section (\S+) sha=(\S+) digest=\S+ -->\n([\s\S]*?)\n<!-- pipeline-trigger:end \1 -->/g
    )
  ].map((m) => [decodeURIComponent(m[1]!), m[2]!.slice(0, 7), m[3]!])
}

const onPull = (server: FakeChecks) => server.comments.filter((c) => c.number === PULL)

const writes = (server: FakeChecks) =>
  server.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.status}`)

beforeEach(async () => {
  logs = []
  fake = await startFake()
})
afterEach(async () => {
  for (const deadline of deadlines.splice(0)) deadline.dispose()
  await fake.close()
  assert.deepEqual(fake.contractErrors, [])
})

describe('one comment per pull request, edited in place', () => {
  test('the first post creates the comment: the marker, then the section', async () => {
    const result = await post('ci/evaluate/training', '### training\n\n| run | verdict |')
    const [comment] = onPull(fake)
    assert.equal(onPull(fake).length, 1)
    assert.deepEqual(result, { posted: true, commentId: comment!.id, url: comment!.current.html_url })
    assert.ok(
      comment!.current.body.startsWith(
        `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ci%2Fevaluate%2Ftraining sha=${SHA} digest=`
      )
    )
    assert.deepEqual(sections(comment!.current.body), [
      ['ci/evaluate/training', 'a1b2c3d', '### training\n\n| run | verdict |']
    ])
    assert.equal(comment!.current.user.login, 'github-actions[bot]')
    assert.deepEqual(writes(fake), ['POST 201'])
  })

  test('the same section posted again edits the one comment; unchanged, nothing is written', async () => {
    await post('ci/evaluate/training', 'first')
    const second = await post('ci/evaluate/training', 'second')
    assert.equal(onPull(fake).length, 1)
    const [comment] = onPull(fake)
    assert.equal(second.posted && second.commentId, comment!.id)
    assert.deepEqual(sections(comment!.current.body), [['ci/evaluate/training', 'a1b2c3d', 'second']])
    assert.deepEqual(
      comment!.history.map((h) => h.method),
      ['POST', 'PATCH']
    )
    await post('ci/evaluate/training', 'second')
    assert.deepEqual(writes(fake), ['POST 201', 'PATCH 200'])
  })

  test('another job’s section is kept, the sections sorted by key', async () => {
    await post('ci/z-last', 'z')
    await post('ci/a-first', 'a')
    await post('ci/z-last', 'z again')
    const [comment] = onPull(fake)
    assert.equal(onPull(fake).length, 1)
    assert.deepEqual(sections(comment!.current.body), [
      ['ci/a-first', 'a1b2c3d', 'a'],
      ['ci/z-last', 'a1b2c3d', 'z again']
    ])
  })

  test('a new head drops the sections of the older commit', async () => {
    await post('ci/training', 'old training')
    await post('ci/evaluation', 'old evaluation')
    fake.setPullHead(PULL, NEWER)
    const result = await post('ci/training', 'new training', { headSha: NEWER })
    assert.equal(result.posted, true)
    const [comment] = onPull(fake)
    assert.equal(onPull(fake).length, 1)
    assert.deepEqual(sections(comment!.current.body), [['ci/training', 'b2c3d4e', 'new training']])
  })

  test('a job whose commit a newer push superseded writes nothing', async () => {
    await post('ci/training', 'current')
    fake.setPullHead(PULL, NEWER)
    const before = writes(fake).length
    const result = await post('ci/evaluation', 'late', { headSha: SHA })
    assert.equal(result.posted, false)
    assert.match(!result.posted ? result.reason : '', /a newer push \(b2c3d4e\) superseded this one \(a1b2c3d\)/)
    assert.equal(writes(fake).length, before)
    assert.deepEqual(sections(onPull(fake)[0]!.current.body), [['ci/training', 'a1b2c3d', 'current']])
  })

  test('a comment with the marker by an author who is not trusted is never adopted', async () => {
    const hostile = `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ci%2Ftraining sha=${SHA} digest=0 -->\n[approved](https://evil.example)\n<!-- pipeline-trigger:end ci%2Ftraining -->`
    const contributor = fake.seedComment({
      number: PULL,
      body: hostile,
      user: 'fork-author',
      author_association: 'CONTRIBUTOR'
    })
    const none = fake.seedComment({ number: PULL, body: hostile, user: 'drive-by', author_association: 'NONE' })
    // A trusted author's comment that quotes the marker without starting with it is not ours either.
    const quoting = fake.seedComment({
      number: PULL,
      body: `> ${REPORT_MARKER}\nwhat is this?`,
      user: 'maintainer',
      author_association: 'MEMBER'
    })
    const result = await post('ci/evaluation', 'ours')
    assert.equal(result.posted, true)
    const comments = onPull(fake)
    assert.equal(comments.length, 4)
    for (const [seeded, comment] of [contributor, none, quoting].map((s, i) => [s, comments[i]!] as const))
      assert.equal(comment.current.body, seeded.body)
    const ours = comments[3]!
    assert.equal(result.posted && result.commentId, ours.id)
    // The hostile section was not merged into ours.
    assert.deepEqual(sections(ours.current.body), [['ci/evaluation', 'a1b2c3d', 'ours']])
  })

  test('a maintainer’s or a bot’s marker comment is adopted: the one with the lowest id', async () => {
    const body = `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ci%2Fother sha=${SHA} digest=1 -->\nother job\n<!-- pipeline-trigger:end ci%2Fother -->`
    const first = fake.seedComment({ number: PULL, body, user: 'maintainer', author_association: 'MEMBER' })
    const second = fake.seedComment({
      number: PULL,
      body,
      user: { login: 'other-app[bot]', type: 'Bot' },
      author_association: 'NONE'
    })
    const result = await post('ci/training', 'ours')
    assert.equal(result.posted && result.commentId, first.id)
    const [adopted, left] = onPull(fake)
    assert.deepEqual(sections(adopted!.current.body), [
      ['ci/other', 'a1b2c3d', 'other job'],
      ['ci/training', 'a1b2c3d', 'ours']
    ])
    assert.equal(left!.current.body, second.body)
  })

  test('a section cannot forge another section’s markers', async () => {
    await post(
      'ci/evil',
      `text\n<!-- pipeline-trigger:end ci%2Fevil -->\n<!-- pipeline-trigger:section ci%2Fz sha=${SHA} digest=x -->\nforged`
    )
    const [comment] = onPull(fake)
    const found = sections(comment!.current.body)
    assert.deepEqual(
      found.map(([key]) => key),
      ['ci/evil']
    )
    assert.match(found[0]![2], /&lt;!-- pipeline-trigger:end/)
  })

  test('a 403 (a fork’s read-only token) is not posted, with the permission named; nothing is written', async () => {
    const result = await post('ci/training', 'ours', { token: 'fork-token' })
    assert.equal(result.posted, false)
    const reason = !result.posted ? result.reason : ''
    assert.match(reason, /pull-requests: write/)
    assert.match(reason, /the job summary has the report instead/)
    assert.match(reason, /Resource not accessible by integration/)
    assert.equal(onPull(fake).length, 0)
  })

  test('a token that may not read the pull request is an error, not a refusal to comment', async () => {
    await fake.close()
    TOKENS['checks-only-token'] = {
      kind: 'installation',
      appId: GITHUB_ACTIONS_APP_ID,
      permissions: { checks: 'write' }
    }
    fake = await startFake()
    await assert.rejects(post('ci/training', 'ours', { token: 'checks-only-token' }), (error: Error) => {
      assert.equal(error.name, 'GitHubRefusal')
      assert.match(error.message, /reading the head of pull request #12: HTTP 403/)
      return true
    })
  })

  test('a comment deleted between the listing and the edit: the next round creates one', async () => {
    await post('ci/other', 'other')
    await fake.close()
    const existing = fake.comments[0]!.current
    fake = await startFake(({ method }) => {
      // Someone deletes the comment just before our edit lands.
      if (method === 'PATCH') fake.comments.splice(0, fake.comments.length)
      return 0
    })
    fake.seedComment({
      number: PULL,
      body: existing.body,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      author_association: 'NONE'
    })
    const result = await post('ci/training', 'ours')
    assert.equal(result.posted, true)
    const comments = onPull(fake)
    assert.equal(comments.length, 1)
    assert.deepEqual(sections(comments[0]!.current.body), [['ci/training', 'a1b2c3d', 'ours']])
    assert.deepEqual(writes(fake), ['PATCH 404', 'POST 201'])
  })

  test('two huge sections both fit GitHub’s limit, the longer cut more, fences closed', async () => {
    const fenced = (n: number) => `### ${n}\n\n\`\`\`\n${'x'.repeat(80)}\n`.repeat(Math.ceil(n / 90)).slice(0, n)
    await post('ci/a', fenced(50_000))
    await post('ci/b', fenced(40_000))
    const [comment] = onPull(fake)
    const body = comment!.current.body
    assert.ok(body.length <= COMMENT_LIMIT, String(body.length))
    const found = sections(body)
    assert.deepEqual(
      found.map(([key]) => key),
      ['ci/a', 'ci/b']
    )
    for (const [, , text] of found) {
      assert.match(text, /characters cut to fit GitHub's 65536-character limit/)
      assert.equal(text.split('\n').filter((line) => line.startsWith('```')).length % 2, 0)
    }
    // Shortened alike: neither is more than a line longer than the other.
    assert.ok(Math.abs(found[0]![2].length - found[1]![2].length) < 200)
    // Each job still finds its own section, shortened by another job's write: posted, not overwritten.
    assert.ok(logs.every((line) => !line.includes('merging again')))
    const again = await post('ci/a', fenced(50_000))
    assert.equal(again.posted, true)
    const after = onPull(fake)[0]!.current.body
    assert.ok(after.length <= COMMENT_LIMIT)
    assert.deepEqual(
      sections(after).map(([key]) => key),
      ['ci/a', 'ci/b']
    )
  })
})

/**
 * A job's process, as a worker thread: its own modules, so its own GitHub client and the client's
 * own spacing of writes, as two jobs on two runners have. A test process shares one.
 */
class JobProcess {
  private readonly worker: Worker
  private readonly waiting = new Map<number, (answer: JobAnswer) => void>()
  private next = 0
  readonly ready: Promise<void>

  constructor() {
    const here = (path: string) => JSON.stringify(new URL(path, import.meta.url).href)
    const code = `
      import { parentPort } from 'node:worker_threads'
      const { register } = await import(${here('../../node_modules/tsx/dist/esm/api/index.mjs')})
      register()
      const { Deadline, realClock } = await import(${here('../../src/clock.ts')})
      const { GitHubClient } = await import(${here('../../src/github/client.ts')})
      const { postPullRequestReport } = await import(${here('../../src/pr-comment/post-report.ts')})
      parentPort.on('message', async (job) => {
        const logs = []
        const log = (message) => logs.push(message)
        const deadline = new Deadline(realClock, 60_000)
        let seed = job.seed
        const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648
        try {
          await new Promise((resolve) => setTimeout(resolve, job.delayMs))
          const client = new GitHubClient({ token: 'job-token', apiUrl: job.url, deadline, clock: realClock, log })
          const clock = { now: Date.now, sleep: realClock.sleep, random }
          const result = await postPullRequestReport({ ...job.options, client, clock, log })
          parentPort.postMessage({ id: job.id, result, logs })
        } catch (error) {
          parentPort.postMessage({ id: job.id, error: String(error?.stack ?? error), logs })
        } finally {
          deadline.dispose()
        }
      })
      // Octokit is loaded on a client's first call: loaded here, before the races.
      const warm = new Deadline(realClock, 60_000)
      await new GitHubClient({ token: 'x', apiUrl: 'http://127.0.0.1:9', deadline: warm, clock: realClock, log() {} })
        .call('loading Octokit', { permission: '' }, async () => undefined)
      warm.dispose()
      parentPort.postMessage({ ready: true })
    `
    this.worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { execArgv: [] })
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject)
      this.worker.on('message', (message: JobAnswer & { ready?: true }) => {
        if (message.ready) return resolve()
        this.waiting.get(message.id)?.(message)
      })
    })
  }

  run(job: { url: string; seed: number; delayMs: number; section: string; markdown: string }): Promise<JobAnswer> {
    const id = this.next++
    const { url, seed, delayMs, section, markdown } = job
    const options = { repository, pullNumber: PULL, headSha: SHA, section, markdown }
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.worker.postMessage({ id, url, seed, delayMs, options })
    })
  }

  close(): Promise<number> {
    return this.worker.terminate()
  }
}

interface JobAnswer {
  id: number
  result?: ReportPosted
  error?: string
  logs: string[]
}

describe('the report of 100 runs', () => {
  test('two jobs’ reports of 100 runs × 20 metrics × 5 gates fit one comment, both there, tables whole', async () => {
    const report = (job: string) => {
      const runs: ReportRun[] = Array.from({ length: 100 }, (_, i) => {
        const metrics = Object.fromEntries(
          Array.from({ length: 20 }, (_, m) => [`${job}_metric_${m}_with_a_long_name`, m + i / 100])
        )
        return {
          pipeline: `${job}_pipeline_${i % 4}`,
          name: `pipeline: ${job}_pipeline_${i % 4} (data/a/long/path/to/file-${i}.csv)`,
          status: 'completed',
          verdict: i % 5 ? 'success' : 'failure',
          runUrl: `https://zenml.example.com/runs/${i}`,
          metrics,
          baseline: { sha: 'f'.repeat(40), metrics },
          gates: Array.from({ length: 5 }, (_, g) => ({
            gate: `${job}_metric_${g}_with_a_long_name >= baseline - 0.01`,
            metric: `${job}_metric_${g}_with_a_long_name`,
            outcome: 'pass' as const,
            value: g + i / 100
          }))
        }
      })
      const history = Object.fromEntries(
        [0, 1, 2, 3].map((p) => [
          `${job}_pipeline_${p}`,
          Array.from({ length: 10 }, (_, i) => ({
            sha: `${i}`.repeat(40),
            metrics: { [`${job}_metric_0_with_a_long_name`]: i }
          }))
        ])
      )
      return renderReport({ runs, history, sha: SHA })
    }
    const training = report('training')
    const evaluation = report('evaluation')
    assert.ok(training.length > 30_000 && evaluation.length > 30_000)
    assert.equal((await post('ci/training', training)).posted, true)
    assert.equal((await post('ci/evaluation', evaluation)).posted, true)
    const [comment] = onPull(fake)
    assert.equal(onPull(fake).length, 1)
    const body = comment!.current.body
    assert.ok(body.length <= COMMENT_LIMIT, String(body.length))
    const found = sections(body)
    assert.deepEqual(
      found.map(([key]) => key),
      ['ci/evaluation', 'ci/training']
    )
    for (const [, , text] of found) {
      assert.match(text, /^\|[^\n]*\| Verdict \||\n\| Verdict \|/)
      assert.equal((text.match(/^```/gm) ?? []).length % 2, 0)
      // Cut at a line: every table row there is whole.
      for (const line of text.split('\n').filter((l) => l.startsWith('| ')))
        assert.ok(line.endsWith(' |'), line.slice(-40))
    }
  })
})

describe('jobs racing', () => {
  /** Deterministic randomness per race. */
  const random = (seed: number) => () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648
    return seed / 2_147_483_648
  }

  test('two jobs posting at the same time end with one comment holding both sections (21 races)', async (t) => {
    // Seven pairs of job processes, three races each, one after the other; the pairs at the same time.
    const pairs = Array.from({ length: 7 }, () => [new JobProcess(), new JobProcess()] as const)
    const seen = { duplicates: 0, overwritten: 0, both: 0 }
    const race = async (seed: number, [a, b]: readonly [JobProcess, JobProcess]) => {
      const next = random(seed + 1)
      // GitHub's time to act on a request and to answer it, each 0 to 40 ms here.
      const server = await startFake(() => ({ before: Math.floor(next() * 40), after: Math.floor(next() * 40) }))
      try {
        // Half the races find a comment there already: of a third job on this commit, or of an older push.
        if (seed % 2 === 1)
          server.seedComment({
            number: PULL,
            body: `${REPORT_MARKER}\n\n<!-- pipeline-trigger:section ci%2Fthird sha=${seed % 4 === 1 ? SHA : NEWER} digest=3 -->\nthird\n<!-- pipeline-trigger:end ci%2Fthird -->`,
            user: { login: 'github-actions[bot]', type: 'Bot' },
            author_association: 'NONE'
          })
        // Both at once, or one up to 150 ms after the other.
        const [first, second] = await Promise.all([
          a.run({
            url: server.url,
            seed: seed * 7 + 1,
            delayMs: 0,
            section: 'ci/training',
            markdown: `training ${seed}`
          }),
          b.run({
            url: server.url,
            seed: seed * 13 + 2,
            delayMs: seed % 3 === 0 ? 0 : Math.floor(next() * 150),
            section: 'ci/evaluation',
            markdown: `evaluation ${seed}`
          })
        ])
        assert.equal(first.error ?? second.error, undefined)
        const comments = onPull(server)
        const trace = () => `race ${seed}:\n${[...first.logs, '--', ...second.logs].join('\n')}`
        assert.equal(comments.length, 1, trace())
        assert.deepEqual(
          sections(comments[0]!.current.body),
          [
            ['ci/evaluation', 'a1b2c3d', `evaluation ${seed}`],
            ...(seed % 4 === 1 ? [['ci/third', 'a1b2c3d', 'third'] as [string, string, string]] : []),
            ['ci/training', 'a1b2c3d', `training ${seed}`]
          ],
          trace()
        )
        assert.deepEqual(
          [first.result, second.result].map((r) => r?.posted && r.commentId),
          [comments[0]!.id, comments[0]!.id]
        )
        assert.deepEqual(server.contractErrors, [])
        const logs = [...first.logs, ...second.logs]
        seen.duplicates += server.requests.filter((r) => r.method === 'DELETE').length
        seen.overwritten += logs.filter((line) => line.includes('merging again')).length
        seen.both += server.requests.filter((r) => r.method === 'POST').length === 2 ? 1 : 0
      } finally {
        await server.close()
      }
    }
    let started = Date.now()
    try {
      await Promise.all(pairs.map((pair) => pair[0].ready.then(() => pair[1].ready)))
      logs.push(`${pairs.length * 2} job processes started in ${Date.now() - started} ms`)
      started = Date.now()
      await Promise.all(
        pairs.map(async (pair, p) => {
          for (let i = 0; i < 3; i++) await race(p * 3 + i, pair)
        })
      )
    } finally {
      await Promise.all(pairs.flat().map((job) => job.close()))
    }
    logs.push(`races took ${Date.now() - started} ms: ${JSON.stringify(seen)}`)
    t.diagnostic(logs.slice(-2).join('; '))
    // About 10 to 13 s on two cores, plus some 7 s to start the job processes; the bound only catches a hang.
    assert.ok(Date.now() - started < 30_000, logs.at(-1))
    // Both ways of colliding happened: comments created at once, and writes over each other.
    assert.ok(seen.duplicates > 0, logs.at(-1))
    assert.ok(seen.overwritten > 0, logs.at(-1))
  })

  test('a job whose section keeps being overwritten gives up after five rounds, not posted', async () => {
    await fake.close()
    // Every read-back finds another job's write: the comment is rewritten under us before each GET.
    fake = await startFake(({ method, path }) => {
      if (method === 'GET' && /\/issues\/comments\/\d+$/.test(path)) {
        const comment = fake.comments[0]
        if (comment) comment.current = { ...comment.current, body: `${REPORT_MARKER}\n\nsomeone else` }
      }
      return 0
    })
    const result = await post('ci/training', 'ours')
    assert.equal(result.posted, false)
    assert.match(!result.posted ? result.reason : '', /replaced this job's section .* 5 times in a row/)
    assert.equal(onPull(fake).length, 1)
  })
})
