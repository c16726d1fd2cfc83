/**
 * connectTargets: every resolved target becomes its Target, logged in where it needs a server,
 * before anything is triggered. Against servers on 127.0.0.1 (the ZenML fake, scripted ZenML
 * and trigger API servers, and the GitHub Actions fake): one ZenML login per (url, key, project)
 * however many targets share it, a wrong key failing the step before any target is returned,
 * lost logins retried on the context's clock, every secret handed to mask, and each target built
 * with what its type needs (the connection, the clock, the token).
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { Deadline, realClock } from '../../src/clock.js'
import { UserError } from '../../src/errors.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { readSettings } from '../../src/inputs/settings.js'
import { isTransient } from '../../src/retry.js'
import { CommandTarget } from '../../src/targets/command/command-target.js'
import { connectTargets, resolveTargets } from '../../src/targets/connect-targets.js'
import { HttpTarget } from '../../src/targets/http/http-target.js'
import { WorkflowTarget } from '../../src/targets/workflow/workflow-target.js'
import { ZenmlTarget } from '../../src/targets/zenml/zenml-target.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { withInputs } from '../helpers/with-inputs.js'
import { startFakeActions } from '../helpers/fake-github-actions.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

type Context = Parameters<typeof connectTargets>[1]
type Resolved = Parameters<typeof connectTargets>[0] extends Map<string, infer R> ? R : never
type Of<T extends Resolved['type']> = Extract<Resolved, { type: T }>

const KEY = 'ZENKEY_c3ZjL2FjY3Q+a2V5=/x'
const OTHER_KEY = 'ZENKEY_b3RoZXIva2V5+Mg==/y'
const WORKFLOW_TOKEN = 'ghs_connect/Tok+en=7'
const PROVENANCE = ['github-actions', 'repo:o/r', 'sha:0123456789ab']

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function scripted(script: (request: SeenRequest, index: number) => Answer) {
  const server = await scriptedServer(script)
  cleanups.push(() => server.close())
  return server
}

/** The context the step gives: a fake clock for waits, a real deadline for requests, and what was masked and logged. */
async function context() {
  const clock = new FakeClock()
  await clock.sleep(1_700_000_000_000)
  const deadline = new Deadline(realClock, 120_000)
  cleanups.push(() => deadline.dispose())
  const masks: string[] = []
  const logs: string[] = []
  const value: Context = {
    workspace: process.cwd(),
    tempDir: mkdtempSync(join(tmpdir(), 'pt-connect-')),
    env: { PATH: process.env.PATH ?? '' },
    clock,
    deadline,
    mask: (secret) => masks.push(secret),
    log: (message) => logs.push(message),
    provenance: PROVENANCE
  }
  return { context: value, clock, masks, logs }
}

const zenml = (name: string, url: string, project = 'default', apiKey = KEY): Of<'zenml'> =>
  ({
    type: 'zenml',
    name,
    maxParallel: 4,
    server: { url, apiKey, project },
    tags: [],
    cancelOnTimeout: false
  }) as Of<'zenml'>

const command = (name: string, server?: { url: string; apiKey: string; project: string }): Of<'command'> =>
  ({
    type: 'command',
    name,
    maxParallel: 1,
    run: ['python', 'run.py'],
    configArg: '--config',
    workingDirectory: '.',
    ...(server ? { server } : {})
  }) as Of<'command'>

const http = (name: string, url: string): Of<'http'> =>
  ({
    type: 'http',
    name,
    maxParallel: 4,
    url: new URL(url),
    apiKey: 'http-key-0123',
    apiKeyHeader: 'X-API-Key',
    signingSecret: 'signing-0123',
    body: { pipeline_name: '{pipeline}' },
    allowInsecureHttp: false,
    statusUrlField: 'status_url',
    metricsField: 'metrics'
  }) as Of<'http'>

const workflow = (name: string, apiUrl: string): Of<'workflow'> =>
  ({
    type: 'workflow',
    name,
    maxParallel: 4,
    owner: 'ml-org',
    repo: 'ml-eval',
    event: 'workflow_dispatch',
    workflow: 'evaluate.yml',
    ref: 'main',
    token: WORKFLOW_TOKEN,
    apiUrl,
    cancelOnTimeout: false
  }) as Of<'workflow'>

const request = (overrides: Partial<RunRequest> = {}) => runRequest({ target: 'zenml-a', ...overrides })

/** A ZenML server that takes two keys, issues a token of its own per login, and counts the logins. */
async function loginServer(reply?: (request: SeenRequest, index: number) => Answer | undefined) {
  const tokens: string[] = []
  const server = await scripted((req, i) => {
    const own = reply?.(req, i)
    if (own) return own
    if (req.path === '/api/v1/info') return { status: 200, body: { version: '0.98.0', deployment_type: 'oss' } }
    if (req.path === '/api/v1/login') {
      const key = new URLSearchParams(req.body).get('password')
      if (key !== KEY && key !== OTHER_KEY)
        return {
          status: 401,
          body: { detail: ['CredentialsNotValid', 'Authentication error: error decoding API key'] }
        }
      tokens.push(`token-${tokens.length + 1}-${key === KEY ? 'a' : 'b'}`)
      return { status: 200, body: { access_token: tokens.at(-1) } }
    }
    return { status: 404, body: { detail: 'Not Found' } }
  })
  const logins = () => server.requests.filter((r) => r.path === '/api/v1/login').length
  return { server, tokens, logins }
}

describe('connectTargets', () => {
  test('builds every target type; one ZenML login per (url, key, project), however many targets share it', async () => {
    const fake = await startFakeZenml({ mode: '0.98', apiKey: KEY })
    cleanups.push(() => fake.close())
    const receiver = await scripted(() => ({ status: 200, body: { run_id: 'r-1' } }))
    const github = await startFakeActions({
      token: WORKFLOW_TOKEN,
      server: 'github.com',
      repositories: {
        'ml-org/ml-eval': {
          defaultBranch: 'main',
          workflows: {
            'evaluate.yml': {
              id: 1,
              text: "on:\n  workflow_dispatch:\n    inputs:\n      pipeline-context: {type: string, default: ''}\n"
            }
          }
        }
      }
    })
    cleanups.push(() => github.close())
    const server = { url: fake.url, apiKey: KEY, project: 'default' }
    const resolved = new Map<string, Resolved>([
      ['zenml-a', zenml('zenml-a', fake.url)],
      ['zenml-b', zenml('zenml-b', fake.url)],
      ['zenml-research', zenml('zenml-research', fake.url, 'research')],
      ['in-runner', command('in-runner', server)],
      ['local', command('local')],
      ['trigger-api', http('trigger-api', `${receiver.url}/trigger`)],
      ['evaluate', workflow('evaluate', github.url)]
    ])
    const { context: ctx, clock, masks, logs } = await context()
    const targets = await connectTargets(resolved, ctx)

    assert.deepEqual([...targets.keys()], [...resolved.keys()])
    const expected = {
      'zenml-a': ZenmlTarget,
      'zenml-b': ZenmlTarget,
      'zenml-research': ZenmlTarget,
      'in-runner': CommandTarget,
      local: CommandTarget,
      'trigger-api': HttpTarget,
      evaluate: WorkflowTarget
    }
    for (const [name, type] of Object.entries(expected)) {
      const target = targets.get(name)!
      assert.ok(target instanceof type, `${name} is a ${type.name}`)
      assert.equal(target.name, name)
      assert.equal(target.maxParallel, resolved.get(name)!.maxParallel)
    }

    const logins = fake.requests.filter((r) => r.path === '/api/v1/login')
    assert.equal(logins.length, 2, 'project default (three targets) and project research: two logins')
    assert.equal(fake.requests.filter((r) => r.path === '/api/v1/info').length, 2)
    assert.equal(logs.filter((line) => /logged in with the service-account key/.test(line)).length, 2)

    // Each target works with what it was given: the shared connection and the provenance, the clock, the token.
    const zenmlA = targets.get('zenml-a') as ZenmlTarget
    await zenmlA.start(request({ parameters: { data_url: 's3://b/d.csv' } }), ctx.deadline.signal)
    const run = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/runs'))!
    const tags = (run.body as { run_configuration: { tags: string[] } }).run_configuration.tags
    assert.deepEqual(tags.slice(0, PROVENANCE.length), PROVENANCE)
    assert.equal(fake.requests.filter((r) => r.path === '/api/v1/login').length, 2, 'no login of its own')

    await (targets.get('trigger-api') as HttpTarget).start(request(), ctx.deadline.signal)
    assert.equal(receiver.requests[0]!.headers['x-signature-timestamp'], String(clock.now() / 1000))

    await (targets.get('evaluate') as WorkflowTarget).prepare(request({ parameters: {} }), ctx.deadline.signal)
    assert.equal(github.requests[0]!.headers.authorization, `token ${WORKFLOW_TOKEN}`)
    assert.deepEqual(github.contractErrors, [])

    // Every secret connecting learned or used is masked: each login's access token, and the workflow token.
    // (The fake issues one token for every login.)
    assert.equal(masks.length, 3)
    assert.match(masks[0]!, /^jwt-[0-9a-f-]{36}$/)
    assert.deepEqual(masks, [masks[0], masks[0], WORKFLOW_TOKEN])
  })

  test('one server spelled with and without a trailing slash is one login (resolved, then connected)', async () => {
    const { server, logins } = await loginServer()
    const { context: ctx } = await context()
    // The inputs as the step reads them: zenml-url and zenml-api-key are the defaults of both types.
    const settings = await withInputs({ 'zenml-url': server.url, 'zenml-api-key': KEY }, () => readSettings(false))
    const resolved = resolveTargets(
      [
        ['slash', { type: 'zenml', url: `${server.url}/` }],
        ['plain', { type: 'zenml' }],
        ['in-runner', { type: 'command', run: ['python', 'run.py'] }]
      ],
      settings,
      { env: {}, mask: () => {} }
    )
    await connectTargets(resolved, ctx)
    assert.equal(logins(), 1)
  })

  test('each key and each project is a login of its own; the tokens of both are masked', async () => {
    const { server, tokens, logins } = await loginServer()
    const { context: ctx, masks } = await context()
    await connectTargets(
      new Map<string, Resolved>([
        ['a', zenml('a', server.url)],
        ['b', zenml('b', server.url, 'default', OTHER_KEY)],
        ['c', zenml('c', server.url, 'research')],
        ['d', zenml('d', server.url, 'research')],
        ['e', command('e', { url: server.url, apiKey: OTHER_KEY, project: 'default' })]
      ]),
      ctx
    )
    assert.equal(logins(), 3)
    assert.deepEqual(tokens, ['token-1-a', 'token-2-b', 'token-3-a'])
    assert.deepEqual(masks, tokens)
    const passwords = server.requests
      .filter((r) => r.path === '/api/v1/login')
      .map((r) => new URLSearchParams(r.body).get('password'))
    assert.deepEqual(passwords, [KEY, OTHER_KEY, KEY])
  })

  test('a wrong key fails before any target is returned or called: final, naming the fix, without the key', async () => {
    const { server, logins } = await loginServer((req) =>
      req.path === '/api/v1/login' && new URLSearchParams(req.body).get('password') === 'ZENKEY_wrong/key+1'
        ? { status: 401, body: { detail: ['CredentialsNotValid', `bad key ${echoing('ZENKEY_wrong/key+1')}`] } }
        : undefined
    )
    const receiver = await scripted(() => ({ status: 200, body: {} }))
    const { context: ctx, masks } = await context()
    const error = await rejection(
      connectTargets(
        new Map<string, Resolved>([
          ['trigger-api', http('trigger-api', `${receiver.url}/trigger`)],
          ['good', zenml('good', server.url)],
          ['wrong', zenml('wrong', server.url, 'default', 'ZENKEY_wrong/key+1')]
        ]),
        ctx
      )
    )
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      new RegExp(
        `^ZenML server: HTTP 401 while logging in to ${server.url} with zenml-api-key: CredentialsNotValid: bad key .*\\. Fix: the API key is wrong, inactive or expired\\.`
      )
    )
    assert.deepEqual(
      secretForms('ZENKEY_wrong/key+1').filter((form) => error.message.includes(form)),
      []
    )
    assert.equal(logins(), 2, 'the good key once, the wrong one once: a 401 is not retried')
    assert.equal(receiver.requests.length, 0, 'nothing was triggered')
    assert.deepEqual(masks, ['token-1-a'], 'only the token of the login that succeeded')
  })

  test('a wrong key on the first target fails before the next one is even connected', async () => {
    const { server, logins } = await loginServer()
    const { context: ctx } = await context()
    const error = await rejection(
      connectTargets(
        new Map<string, Resolved>([
          ['wrong', zenml('wrong', server.url, 'default', 'ZENKEY_wrong/key+1')],
          ['good', zenml('good', server.url, 'research')]
        ]),
        ctx
      )
    )
    assert.match(error.message, /HTTP 401 while logging in/)
    assert.equal(logins(), 1)
  })

  test('a lost login is tried again on the context clock, with the wait logged; a server too old is not', async () => {
    const { server, logins } = await loginServer((req, i) =>
      req.path === '/api/v1/info' && i === 0
        ? { status: 503, headers: { 'retry-after': '3' }, body: { detail: 'starting' } }
        : req.path === '/api/v1/info' && i === 1
          ? 'reset'
          : undefined
    )
    const { context: ctx, clock, logs } = await context()
    const before = clock.now()
    const targets = await connectTargets(new Map<string, Resolved>([['a', zenml('a', server.url)]]), ctx)
    assert.ok(targets.get('a') instanceof ZenmlTarget)
    assert.equal(logins(), 1)
    assert.equal(server.requests.filter((r) => r.path === '/api/v1/info').length, 3)
    const retries = logs.filter((line) => /Trying again in/.test(line))
    assert.equal(retries.length, 2)
    assert.match(
      retries[0]!,
      /^ZenML server: HTTP 503 while reading .*\/api\/v1\/info .*: starting\. .* Trying again in 3\.0s\.$/
    )
    assert.match(retries[1]!, /closed the connection before answering \(ECONNRESET\)\..* Trying again in \d+\.\ds\.$/)
    assert.ok(clock.now() - before >= 3000, 'the Retry-After was waited on the fake clock')

    const old = await scripted(() => ({ status: 200, body: { version: '0.58.0' } }))
    const { context: ctx2 } = await context()
    const error = await rejection(connectTargets(new Map<string, Resolved>([['a', zenml('a', old.url)]]), ctx2))
    assert.match(error.message, /runs 0\.58\.0; the action needs 0\.63 or newer/)
    assert.equal(old.requests.length, 1)
  })

  test('targets without a server connect to nothing, and mask only what they carry', async () => {
    const { context: ctx, masks } = await context()
    const targets = await connectTargets(
      new Map<string, Resolved>([
        ['local', command('local')],
        ['trigger-api', http('trigger-api', 'https://api.example.com/trigger')],
        ['evaluate', workflow('evaluate', 'https://api.github.com')]
      ]),
      ctx
    )
    assert.equal(targets.size, 3)
    assert.deepEqual(masks, [WORKFLOW_TOKEN])
  })
})
