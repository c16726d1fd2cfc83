/**
 * The executor through the bundled action: runs overlap, max-parallel holds for command runs,
 * and the one deadline bounds even a request that is never answered. The receivers are real
 * HTTP servers on loopback; the commands are real processes.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { startAcceptingReceiver } from '../helpers/accepting-receiver.js'
import { schedulePayload } from '../helpers/events.js'
import { runAction } from '../helpers/run-action.js'

const KEY = 'execution-test-key-0123456789'
const servers: Server[] = []
afterEach(() => {
  for (const server of servers.splice(0)) server.close()
})

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A workspace whose config has `count` pipelines on one target, all fired by the same schedule. */
function workspaceWith(target: string, count: number): string {
  const workspace = mkdtempSync(join(tmpdir(), 'pt-exec-'))
  const pipelines = Array.from(
    { length: count },
    (_, i) => `  p${i}:\n    target: t\n    pipeline: pipeline_${i}\n    on: {schedule: [{cron: '0 5 * * *'}]}`
  ).join('\n')
  mkdirSync(join(workspace, '.github'))
  writeFileSync(
    join(workspace, '.github/pipeline-triggers.yml'),
    `version: 1\ntargets:\n  t: ${target}\npipelines:\n${pipelines}\n`
  )
  return workspace
}

const schedule = (workspace: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
  runAction({
    eventName: 'schedule',
    payload: schedulePayload('0 5 * * *'),
    workspace,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    inputs,
    env,
    timeoutMs: 60_000
  })

describe('executor through the bundle', () => {
  test('five runs accepted with 202 are started together and followed together', async () => {
    const RUN_MS = 2000
    const receiver = await startAcceptingReceiver(RUN_MS, KEY)
    const workspace = workspaceWith(`{type: http, url: '${receiver.url}', api-key: 'env:TRIGGER_KEY'}`, 5)
    const result = await schedule(workspace, {}, { TRIGGER_KEY: KEY }).finally(() => receiver.close())
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(
      JSON.parse(result.outputs.runs!).map((r: { status: string }) => r.status),
      Array(5).fill('completed')
    )
    // Overlap: every run was accepted before the first one was seen complete.
    assert.ok(
      Math.max(...receiver.accepted.values()) < Math.min(...receiver.completedAt),
      'all five started before any finished'
    )
    // Results stay in plan order.
    assert.deepEqual(
      JSON.parse(result.outputs.runs!).map((r: { pipeline: string }) => r.pipeline),
      ['pipeline_0', 'pipeline_1', 'pipeline_2', 'pipeline_3', 'pipeline_4']
    )
    const resultLines = result.stdout.split('\n').filter((l) => l.startsWith('TRIGGER_SUCCESS'))
    assert.deepEqual(
      resultLines.map((l) => JSON.parse(l.slice('TRIGGER_SUCCESS '.length)).index),
      [0, 1, 2, 3, 4]
    )
    // Polled after a fifth of each run's age (at least 1 s): a handful of polls, not a busy loop.
    for (const count of receiver.polls.values()) assert.ok(count <= 4, `${count} polls for a ${RUN_MS} ms run`)
  })

  test("command runs respect max-parallel: the default 1, or the target's own limit", async () => {
    const script = join(mkdtempSync(join(tmpdir(), 'pt-exec-script-')), 'pipeline.mjs')
    // Appends "start"/"end" to a shared log, so the test can count how many ran at once.
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs'
appendFileSync(process.env.RUN_LOG, 'start\\n')
setTimeout(() => appendFileSync(process.env.RUN_LOG, 'end\\n'), 1500)\n`
    )
    const concurrency = (log: string) => {
      let now = 0
      let most = 0
      for (const line of readFileSync(log, 'utf8').trim().split('\n')) {
        now += line === 'start' ? 1 : -1
        most = Math.max(most, now)
      }
      return most
    }
    for (const [limit, expected] of [
      ['', 1],
      [', max-parallel: 2', 2]
    ] as const) {
      const workspace = workspaceWith(`{type: command, run: ['${process.execPath}', '${script}']${limit}}`, 4)
      const log = join(workspace, 'runs.log')
      const result = await schedule(workspace, {}, { RUN_LOG: log })
      assert.equal(result.exitCode, 0, result.stdout + result.stderr)
      assert.equal(readFileSync(log, 'utf8').match(/start/g)?.length, 4)
      assert.equal(concurrency(log), expected)
    }
  })

  test('timeout bounds a request that is never answered', async () => {
    const url = await listen(() => {
      // Takes the request and never answers.
    })
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger'}`, 2)
    const result = await schedule(workspace, { timeout: '3s' })
    assert.equal(result.exitCode, 1)
    const runs = JSON.parse(result.outputs.runs!) as { status: string }[]
    assert.deepEqual(
      runs.map((r) => r.status),
      ['timed_out', 'timed_out']
    )
    assert.match(
      result.stdout,
      /t: starting pipeline_0 \(POST\): timeout \(3s\) ran out while waiting for 127\.0\.0\.1:\d+ to answer; it may have started/
    )
  })

  test('fail-fast: a refused start stops the rest, which are reported not started', async () => {
    const url = await listen((_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"detail":"bad body"}')
    )
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger', max-parallel: 1}`, 3)
    const result = await schedule(workspace, { 'fail-fast': 'true' })
    assert.equal(result.exitCode, 1)
    const runs = JSON.parse(result.outputs.runs!) as { status: string }[]
    assert.deepEqual(
      runs.map((r) => r.status),
      ['failed', 'not_started', 'not_started']
    )
    assert.match(result.summary, /not\\_started: fail\\-fast stopped new starts after \\#0 pipeline\\_0 failed/)
  })

  test('a status URL on another origin is never sent the key', async () => {
    const seen: (string | undefined)[] = []
    const elsewhere = await listen((req, res) => {
      seen.push(req.headers['x-api-key'] as string | undefined)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"completed"}')
    })
    const url = await listen((_req, res) =>
      res
        .writeHead(202, { location: `${elsewhere}/status/1`, 'content-type': 'application/json' })
        .end('{"run_id":"1"}')
    )
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger', api-key: 'env:TRIGGER_KEY'}`, 1)
    const result = await schedule(workspace, {}, { TRIGGER_KEY: KEY })
    assert.equal(result.exitCode, 1)
    assert.deepEqual(seen, [], 'nothing was sent to the other origin')
    assert.match(
      result.stdout,
      /status URL http:\/\/127\.0\.0\.1:\d+\/status\/1 is on another origin than http:\/\/127\.0\.0\.1:\d+\. The action sends the API key only to the origin you configured/
    )
  })

  test('status polls send If-None-Match when the receiver gave an ETag, and a 304 keeps the last state', async () => {
    let polls = 0
    const conditional: string[] = []
    const url = await listen((req, res) => {
      if (req.method === 'POST')
        return res.writeHead(202, { location: '/status/1', 'content-type': 'application/json' }).end('{"run_id":"1"}')
      polls++
      const match = req.headers['if-none-match']
      if (match) conditional.push(String(match))
      if (polls < 3)
        return match === '"v1"'
          ? res.writeHead(304).end()
          : res.writeHead(200, { etag: '"v1"', 'content-type': 'application/json' }).end('{"status":"queued"}')
      res.writeHead(200, { etag: '"v2"', 'content-type': 'application/json' }).end('{"status":"succeeded"}')
    })
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger'}`, 1)
    const result = await schedule(workspace)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs.status, 'completed')
    assert.deepEqual(conditional, ['"v1"', '"v1"'])
    assert.match(result.stdout, /#0 pipeline_0: queued\n/)
  })

  test('the receiver\'s other answers: 303 after the POST is read with a GET, 200 "running" is followed, 202 on a poll means pending', async () => {
    const methods: string[] = []
    let polls = 0
    const url = await listen((req, res) => {
      methods.push(`${req.method} ${req.url}`)
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
      if (req.url === '/trigger') return res.writeHead(303, { location: '/accepted/1' }).end()
      if (req.url === '/accepted/1') return json(200, { run_id: '1', status: 'running' }, { location: '/status/1' })
      polls++
      return polls < 2 ? json(202, { status: 'pending' }) : json(200, { status: 'done' })
    })
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger'}`, 1)
    const result = await schedule(workspace)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.deepEqual(methods, ['POST /trigger', 'GET /accepted/1', 'GET /status/1', 'GET /status/1'])
    assert.deepEqual([result.outputs.status, result.outputs['run-id']], ['completed', '1'])
  })

  test('a URL with a password in it is refused before anything is sent', async () => {
    let hits = 0
    const url = await listen((_req, res) => {
      hits++
      res.writeHead(200).end('{}')
    })
    const workspace = workspaceWith(`{type: http, url: '${url.replace('http://', 'http://user:hunter2@')}/trigger'}`, 1)
    const result = await schedule(workspace)
    assert.equal(result.exitCode, 1)
    assert.equal(hits, 0)
    assert.match(result.stdout, /Target t url: the URL carries a user name or password; keys go in their own inputs/)
    assert.ok(!result.stdout.includes('hunter2'), 'the password is not echoed')
  })

  test('a ZenML deployment whose answer is lost is not invoked again: it does not dedupe', async () => {
    let posts = 0
    const url = await listen((req) => {
      posts++
      req.socket.destroy()
    })
    const workspace = workspaceWith(`{type: http, url: '${url}', preset: zenml-deployment}`, 1)
    const result = await schedule(workspace)
    assert.equal(result.exitCode, 1)
    assert.equal(posts, 1)
    assert.match(
      result.stdout,
      /no answer came, so the run may have started anyway: check the target before you re-run/
    )
  })

  test('a command stopped at the deadline takes its whole process group with it', async () => {
    const workspace = workspaceWith(`{type: command, run: [bash, -c, 'sleep 300 & echo $! > "$PID_FILE"; wait']}`, 1)
    const pidFile = join(workspace, 'child.pid')
    const result = await schedule(workspace, { timeout: '2s' }, { PID_FILE: pidFile })
    assert.equal(result.exitCode, 1)
    assert.equal(result.outputs.status, 'timed_out')
    const pid = readFileSync(pidFile, 'utf8').trim()
    // Gone, or a zombie waiting for whoever adopted it to reap it: either way it no longer runs.
    const state = existsSync(`/proc/${pid}/stat`)
      ? readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0]
      : 'gone'
    assert.ok(state === 'gone' || state === 'Z', `the grandchild (sleep) is ${state}`)
  })

  test('a header-unsafe input is refused before anything is sent, naming the input, never the value', async () => {
    let hits = 0
    const url = await listen((_req, res) => {
      hits++
      res.writeHead(200).end('{}')
    })
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger', api-key: 'env:TRIGGER_KEY'}`, 1)
    const badHeader = await schedule(workspace, { 'api-key-header': 'X Bad' }, { TRIGGER_KEY: KEY })
    assert.equal(badHeader.exitCode, 1)
    assert.match(badHeader.stdout, /::error::Input api-key-header: "X Bad" is not a header name/)
    const newline = await schedule(workspace, {}, { TRIGGER_KEY: `${KEY}\n` })
    assert.equal(newline.exitCode, 1)
    assert.match(
      newline.stdout,
      /::error::Target t: api-key \(env:TRIGGER_KEY\) holds a line break or a character an HTTP header cannot carry \(30 characters\)/
    )
    assert.ok(!newline.stdout.replace(/::add-mask::.*/g, '').includes(KEY))
    assert.equal(hits, 0)
  })

  test('credentials stay on their origin for every target that follows URLs: a ZenML server that redirects the login gets no second try, and the other host nothing', async () => {
    const elsewhere: string[] = []
    const other = await listen((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"access_token":"stolen"}')
    })
    let logins = 0
    const zenml = await listen((req, res) => {
      if (req.url === '/api/v1/info')
        return res
          .writeHead(200, { 'content-type': 'application/json' })
          .end('{"version":"0.98.0","deployment_type":"other","auth_scheme":"OAUTH2_PASSWORD_BEARER"}')
      logins++
      res.writeHead(307, { location: `${other}/api/v1/login` }).end()
    })
    const workspace = workspaceWith(`{type: zenml, url: '${zenml}', api-key: 'env:ZENML_KEY'}`, 1)
    const result = await schedule(workspace, {}, { ZENML_KEY: KEY })
    assert.equal(result.exitCode, 1)
    assert.equal(logins, 1, 'a redirect is final, not retried')
    assert.deepEqual(elsewhere, [], 'the other host saw nothing')
    assert.match(
      result.stdout,
      /::error::ZenML server: logging in to http:\/\/127\.0\.0\.1:\d+ with zenml-api-key: http:\/\/127\.0\.0\.1:\d+\/api\/v1\/login answered with a redirect, which the action does not follow here/
    )
  })

  test('credentials stay on their origin for the workflow target: a GitHub API that redirects elsewhere sends the other host no token', async () => {
    const TOKEN = 'ghs_redirectTokenForTests0123456789abcdef'
    const elsewhere: string[] = []
    const other = await listen((req, res) => {
      elsewhere.push(`${req.method} ${req.url} authorization=${req.headers.authorization ?? 'none'}`)
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}')
    })
    const api = await listen((req, res) => res.writeHead(307, { location: `${other}${req.url}` }).end())
    const workspace = workspaceWith(
      `{type: workflow, repo: ml-org/ml-eval, workflow: evaluate.yml, token: 'env:EVAL_TOKEN'}`,
      1
    )
    const result = await schedule(workspace, {}, { EVAL_TOKEN: TOKEN, GITHUB_API_URL: api })
    assert.equal(result.exitCode, 1)
    assert.ok(
      elsewhere.length > 0,
      `the redirect was followed (GitHub redirects renamed repositories): ${result.stdout}`
    )
    assert.ok(
      elsewhere.every((line) => line.endsWith('authorization=none')),
      elsewhere.join('\n')
    )
    assert.ok(!result.stdout.replace(/::add-mask::.*/g, '').includes(TOKEN), result.stdout)
  })

  test('a receiver that echoes the key, in any encoding, is quoted without it', async () => {
    const echoes = [
      KEY,
      Buffer.from(KEY).toString('base64'),
      Buffer.from(KEY).toString('hex'),
      encodeURIComponent(`${KEY}/`)
    ]
    const url = await listen((_req, res) =>
      res
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: `bad key ${echoes.join(' ')}` }))
    )
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger', api-key: 'env:TRIGGER_KEY'}`, 1)
    const result = await schedule(workspace, {}, { TRIGGER_KEY: KEY })
    assert.equal(result.exitCode, 1)
    const printed = `${result.stdout.replace(/::add-mask::.*/g, '')}${result.stderr}${result.summary}${JSON.stringify(result.outputs)}`
    assert.match(printed, /bad key \*\*\* \*\*\* \*\*\*/)
    for (const echo of echoes.slice(0, 3)) assert.ok(!printed.includes(echo), echo)
  })

  test('a job summary that cannot be written is a warning; the runs decide the step', async () => {
    const url = await listen((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"run_id":"r1"}')
    )
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger'}`, 1)
    const result = await schedule(workspace, {}, { GITHUB_STEP_SUMMARY: '' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(result.outputs.status, 'completed')
    assert.match(
      result.stdout,
      /::warning::The job summary could not be written \(.*GITHUB_STEP_SUMMARY.*\); the outputs and the log have the results\./
    )
  })

  test('wait: false starts the runs, returns, and says their outcomes are unknown', async () => {
    let posts = 0
    const url = await listen((req, res) => {
      let body = ''
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      req.on('end', () => {
        posts++
        const name = (JSON.parse(body) as { pipeline_name: string }).pipeline_name
        res
          .writeHead(202, { location: '/status/x', 'content-type': 'application/json' })
          .end(JSON.stringify({ run_id: name, run_url: `https://runs.example.com/${name}` }))
      })
    })
    const workspace = workspaceWith(`{type: http, url: '${url}/trigger'}`, 2)
    const result = await schedule(workspace, { wait: 'false' })
    assert.equal(result.exitCode, 0, result.stdout)
    assert.equal(posts, 2)
    assert.deepEqual(
      JSON.parse(result.outputs.runs!).map((r: { status: string; 'run-url': string }) => [r.status, r['run-url']]),
      [
        ['running', 'https://runs.example.com/pipeline_0'],
        ['running', 'https://runs.example.com/pipeline_1']
      ]
    )
    assert.match(
      result.summary,
      /wait is false: this step started the runs and did not follow them, so their outcomes are unknown here/
    )
  })
})
