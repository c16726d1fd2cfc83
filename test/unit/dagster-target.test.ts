/**
 * The dagster target driven directly against scripted GraphQL servers on 127.0.0.1, replaying the
 * replies recorded from a real `dagster dev` (1.13.28, test/fixtures/dagster/train_job.py): what
 * each call sends (query, variables, headers), every RunStatus word, each refusal (a __typename in
 * an HTTP 200, an HTTP 400, a 401, a 404, a redirect) with its fix, a 5xx, a PythonError and a lost
 * answer as transient, metrics from output and materialization metadata, and the token in none of
 * its forms in any message. Every query the target sends is also validated against the GraphQL
 * schema of the pinned dagster-graphql (.venv-dagster), the server's own contract.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, test } from 'node:test'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { realClock } from '../../src/clock.js'
import { connectDagster } from '../../src/targets/dagster/connect.js'
import { DagsterTarget } from '../../src/targets/dagster/dagster-target.js'
import { DagsterGraphql } from '../../src/targets/dagster/graphql-client.js'
import * as QUERIES from '../../src/targets/dagster/queries.js'
import { resolveDagster, type ResolvedDagster } from '../../src/targets/dagster/resolve.js'
import { schema } from '../../src/targets/dagster/schema.js'
import { statusOf } from '../../src/targets/dagster/run-status.js'
import type { RunRequest } from '../../src/core/run-request.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'
import { RECORDED, RUN_ID } from '../fixtures/dagster/recorded-replies.js'

const TOKEN = 'dagster+"agent"/token=42'

const servers: { close(): Promise<void> }[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

interface Sent {
  query: string
  variables: Record<string, any>
}
const sent = (request: SeenRequest): Sent => request.json as Sent

async function serve(script: (request: SeenRequest, index: number) => Answer | Promise<Answer>) {
  const server = await scriptedServer(script)
  servers.push(server)
  return server
}

function resolved(url: string, overrides: Partial<ResolvedDagster> = {}): ResolvedDagster {
  return {
    type: 'dagster',
    name: 'dagster',
    maxParallel: 4,
    base: url,
    location: 'train_job.py',
    repository: '__repository__',
    op: 'train',
    cancelOnTimeout: false,
    ...overrides
  }
}

function target(url: string, overrides: Partial<ResolvedDagster> = {}, provenance = ['repo:o/r', 'github-actions']) {
  const config = resolved(url, overrides)
  const api = new DagsterGraphql(
    { name: config.name, base: config.base, ...(config.apiToken ? { apiToken: config.apiToken } : {}) },
    realClock
  )
  return new DagsterTarget(config, api, provenance)
}

const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({
    target: 'dagster',
    pipelineName: 'train_job',
    parameters: { learning_rate: 0.02, epochs: 3 },
    ...overrides
  })

const signal = () => AbortSignal.timeout(15_000)
const ok = (body: unknown): Answer => ({ status: 200, body })

describe('dagster target: prepare checks the job and its run config before any run', () => {
  test('one request: the job by its selector, and the run config with the parameters in ops.<op>.config', async () => {
    const server = await serve(() => ok(RECORDED.prepareValid))
    await target(server.url).prepare(request(), signal())
    assert.equal(server.requests.length, 1)
    const [seen] = server.requests
    assert.equal(seen!.method, 'POST')
    assert.equal(seen!.path, '/graphql')
    assert.equal(seen!.headers['content-type'], 'application/json')
    assert.equal(seen!.headers['dagster-cloud-api-token'], undefined, 'OSS: no token, no header')
    const { query, variables } = sent(seen!)
    assert.match(query, /pipelineOrError\(params: \$selector\)/)
    assert.match(
      query,
      /isPipelineConfigValid\(pipeline: \$selector, mode: "default", runConfigData: \$runConfigData\)/
    )
    assert.deepEqual(variables, {
      selector: { repositoryLocationName: 'train_job.py', repositoryName: '__repository__', pipelineName: 'train_job' },
      runConfigData: { ops: { train: { config: { learning_rate: 0.02, epochs: 3 } } } }
    })
  })

  test('RunConfigValidationInvalid names every error and where the parameters went', async () => {
    const server = await serve(() => ok(RECORDED.prepareInvalid))
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.match(
      error.message,
      /^dagster: checking job train_job \(location train_job\.py, repository __repository__\): Dagster webserver 127\.0\.0\.1:\d+ answered RunConfigValidationInvalid: Received unexpected config entry "nope" at path root:ops:train:config\..*; Invalid scalar at path root:ops:train:config:learning_rate\..*\. Fix: give the pipeline's parameters the names and types the job's config schema has \(they go in by op: train\)\.$/
    )
  })

  test('PipelineNotFoundError lists the jobs the server has, by location and repository', async () => {
    const server = await serve((req) =>
      sent(req).query.includes('workspaceOrError') ? ok(RECORDED.workspace()) : ok(RECORDED.prepareNotFound)
    )
    const error = await rejection(target(server.url, { job: 'nope' }).prepare(request(), signal()))
    assert.match(
      error.message,
      /answered PipelineNotFoundError: Could not find Pipeline train_job\.py\.__repository__\.nope\. Fix: check location, repository \(default __repository__\) and job in the target; the server has location train_job\.py, repository __repository__: train_job\.$/
    )
    assert.equal(sent(server.requests[0]!).variables.selector.pipelineName, 'nope', 'job wins over the pipeline name')
  })

  test('a code location that failed to load is refused at once with its error and the fix; one still loading is transient', async () => {
    const notFound = (location: string) => ({
      data: {
        pipelineOrError: {
          __typename: 'PipelineNotFoundError',
          message: `Could not find Pipeline ${location}.__repository__.train_job`
        },
        isPipelineConfigValid: {
          __typename: 'PipelineNotFoundError',
          message: `Could not find Pipeline ${location}.__repository__.train_job`
        }
      }
    })
    const failed = await serve((req) =>
      sent(req).query.includes('workspaceOrError') ? ok(RECORDED.workspace()) : ok(notFound('broken_job.py'))
    )
    const error = await rejection(target(failed.url, { location: 'broken_job.py' }).prepare(request(), signal()))
    assert.ok(error instanceof UserError && !isTransient(error), error.message)
    assert.match(
      error.message,
      /^dagster: checking job train_job \(location broken_job\.py, repository __repository__\): Dagster webserver 127\.0\.0\.1:\d+ has code location broken_job\.py, but it failed to load: dagster\._core\.errors\.DagsterUserCodeLoadError: Error occurred during the loading .* ← RuntimeError: broken on purpose: this code location does not load\. Fix: correct the code location's error \(the traceback is in the code location's log: dagster dev's output.*then reload the code location/
    )
    const loading = await serve((req) =>
      sent(req).query.includes('workspaceOrError') ? ok(RECORDED.workspace('LOADING')) : ok(notFound('train_job.py'))
    )
    const still = await rejection(target(loading.url).prepare(request(), signal()))
    assert.ok(isTransient(still), still.message)
    assert.match(
      still.message,
      /code location train_job\.py is still loading on Dagster webserver 127\.0\.0\.1:\d+; asking again/
    )
    // A PythonError for the job is told apart too: final when the location failed, else transient.
    const python = (req: SeenRequest) =>
      sent(req).query.includes('workspaceOrError')
        ? ok(RECORDED.workspace())
        : ok({
            data: {
              pipelineOrError: { __typename: 'PythonError', message: 'grpc: location unavailable' },
              isPipelineConfigValid: { __typename: 'PythonError', message: 'grpc: location unavailable' }
            }
          })
    const pythonFailed = await serve(python)
    const failedError = await rejection(
      target(pythonFailed.url, { location: 'broken_job.py' }).prepare(request(), signal())
    )
    assert.ok(!isTransient(failedError) && /failed to load: .*broken on purpose/.test(failedError.message))
    const pythonLoaded = await serve(python)
    const passing = await rejection(target(pythonLoaded.url).prepare(request(), signal()))
    assert.ok(isTransient(passing), passing.message)
    assert.match(passing.message, /answered PythonError: grpc: location unavailable\. If it persists/)
    // A launch answered PipelineNotFoundError is told apart the same way.
    const launch = await serve((req) =>
      sent(req).query.includes('workspaceOrError')
        ? ok(RECORDED.workspace())
        : ok({ data: { launchRun: notFound('broken_job.py').data.pipelineOrError } })
    )
    const launchError = await rejection(target(launch.url, { location: 'broken_job.py' }).start(request(), signal()))
    assert.match(launchError.message, /^dagster: launching job train_job .*failed to load: .*broken on purpose/)
  })

  test('parameters with nowhere to go are refused before anything is sent', async () => {
    const server = await serve(() => ok(RECORDED.prepareValid))
    const error = await rejection(target(server.url, { op: undefined }).prepare(request(), signal()))
    assert.match(
      error.message,
      /pipeline training has parameters \(learning_rate, epochs\) but nothing says where they go in the job's run config\. Fix: set op: .* or run-config with "\{parameters\}" where they go/
    )
    assert.equal(server.requests.length, 0)
    // Without parameters, nothing needs a place.
    await target(server.url, { op: undefined }).prepare(request({ parameters: {} }), signal())
    assert.deepEqual(sent(server.requests[0]!).variables.runConfigData, {})
  })

  test('run-config: "{parameters}" is placed, placeholders filled, and op merges into what the template gives', async () => {
    const server = await serve(() => ok(RECORDED.prepareValid))
    const runConfig = {
      ops: { train: { config: '{parameters}' } },
      execution: { config: { in_process: {} } },
      resources: { io: { config: { prefix: '{pipeline}/{run_name}' } } }
    }
    await target(server.url, { op: undefined, runConfig }).prepare(request(), signal())
    assert.deepEqual(sent(server.requests[0]!).variables.runConfigData, {
      ops: { train: { config: { learning_rate: 0.02, epochs: 3 } } },
      execution: { config: { in_process: {} } },
      resources: { io: { config: { prefix: 'train_job/training_pipeline-gh-1-1-0' } } }
    })
    const merged = { ops: { train: { config: { epochs: 1, fail: false } } }, execution: { config: { in_process: {} } } }
    await target(server.url, { runConfig: merged }).prepare(request(), signal())
    assert.deepEqual(sent(server.requests[1]!).variables.runConfigData, {
      ops: { train: { config: { epochs: 3, fail: false, learning_rate: 0.02 } } },
      execution: { config: { in_process: {} } }
    })
  })
})

describe('dagster target: launch, find, status, cancel', () => {
  test('launchRun: the job, the run config and our tags; the handle links to the run page', async () => {
    const server = await serve(() => ok(RECORDED.launched))
    const handle = await target(`${server.url}/prod`, { apiToken: TOKEN }).start(request(), signal())
    assert.deepEqual(handle, { runId: RUN_ID, runUrl: `${server.url}/prod/runs/${RUN_ID}` })
    const [seen] = server.requests
    assert.equal(seen!.path, '/prod/graphql', 'a Dagster+ deployment URL keeps its path')
    assert.equal(seen!.headers['dagster-cloud-api-token'], TOKEN)
    const { query, variables } = sent(seen!)
    assert.match(query, /launchRun\(executionParams: \$executionParams\)/)
    const params = variables.executionParams
    assert.deepEqual(params.selector, {
      repositoryLocationName: 'train_job.py',
      repositoryName: '__repository__',
      jobName: 'train_job'
    })
    assert.deepEqual(params.runConfigData, { ops: { train: { config: { learning_rate: 0.02, epochs: 3 } } } })
    assert.deepEqual(params.executionMetadata.tags.slice(0, 4), [
      { key: 'pipeline-trigger/key', value: 'pt-0123456789abcdef' },
      { key: 'pipeline-trigger/run-name', value: 'training_pipeline-gh-1-1-0' },
      { key: 'pipeline-trigger/repo', value: 'o/r' },
      { key: 'pipeline-trigger/github-actions', value: 'true' }
    ])
    assert.ok(
      params.executionMetadata.tags.some(
        (t: { key: string; value: string }) => t.key === 'pipeline-trigger/pipeline-chain-depth' && t.value === '1'
      )
    )
  })

  test('a slow launch is waited for until the deadline, not given up after 30 s; other calls keep the 30 s limit', async () => {
    // Time runs 100 times faster for per-request limits: fetchWithin's 30 s is 300 ms here. The
    // deadline is an AbortController, so it is not compressed.
    const timeout = AbortSignal.timeout.bind(AbortSignal)
    AbortSignal.timeout = (ms: number) => timeout(ms / 100)
    try {
      const slow = (body: unknown) => new Promise<Answer>((resolve) => setTimeout(() => resolve(ok(body)), 1000))
      const server = await serve((req) =>
        slow(/launchRun/.test(sent(req).query) ? RECORDED.launched : RECORDED.run('STARTED'))
      )
      const deadline = new AbortController().signal
      const dagster = target(server.url)
      const handle = await dagster.start(request(), deadline)
      assert.equal(handle.runId, RUN_ID, 'the launch answered after "30 s" is read, so no second launch follows')
      const status = await rejection(dagster.status(handle, deadline))
      assert.ok(isTransient(status))
      assert.match(status.message, /^dagster: reading run .* did not answer within 30s/)
    } finally {
      AbortSignal.timeout = timeout
    }
  })

  test('a launch refused with RunConfigValidationInvalid or PipelineNotFoundError is final, with its fix', async () => {
    const answers = [RECORDED.launchInvalid, { data: { launchRun: RECORDED.prepareNotFound.data.pipelineOrError } }]
    const server = await serve((_req, i) => ok(answers[i]))
    const invalid = await rejection(target(server.url).start(request(), signal()))
    assert.ok(!isTransient(invalid))
    assert.match(
      invalid.message,
      /^dagster: launching job train_job .*answered RunConfigValidationInvalid: Invalid scalar.*Fix: give the pipeline's parameters/
    )
    const missing = await rejection(target(server.url).start(request(), signal()))
    assert.ok(!isTransient(missing))
    assert.match(
      missing.message,
      /answered PipelineNotFoundError: Could not find Pipeline .*Fix: check location, repository/
    )
  })

  test('find looks the run up by our tag and the job; none found is undefined', async () => {
    const answers = [RECORDED.found, RECORDED.notFound]
    const server = await serve((_req, i) => ok(answers[i]))
    const found = await target(server.url).find(request(), signal())
    assert.deepEqual(found, { runId: RUN_ID, runUrl: `${server.url}/runs/${RUN_ID}` })
    assert.deepEqual(sent(server.requests[0]!).variables, {
      filter: { pipelineName: 'train_job', tags: [{ key: 'pipeline-trigger/key', value: 'pt-0123456789abcdef' }] }
    })
    assert.equal(await target(server.url).find(request(), signal()), undefined)
  })

  test("every RunStatus word in the action's vocabulary, Dagster's word kept as detail", async () => {
    const words = {
      QUEUED: 'running',
      NOT_STARTED: 'running',
      MANAGED: 'running',
      STARTING: 'running',
      STARTED: 'running',
      SUSPENDED: 'running',
      CANCELING: 'running',
      SUCCESS: 'completed',
      CANCELED: 'cancelled',
      SOMETHING_NEW: 'running'
    }
    for (const [word, status] of Object.entries(words)) {
      assert.equal(statusOf(word), status, word)
      const server = await serve(() => ok(RECORDED.run(word)))
      const dagster = target(server.url)
      const state = await dagster.status(dagster.follow(RUN_ID), signal())
      assert.equal(state.status, status, word)
      assert.equal(state.detail, word)
      assert.equal(state.runUrl, `${server.url}/runs/${RUN_ID}`)
    }
  })

  test("FAILURE says the failed step's error, read from the run's failure events", async () => {
    const server = await serve((req) =>
      sent(req).query.includes('logsForRun') ? ok(RECORDED.failureEvents) : ok(RECORDED.run('FAILURE'))
    )
    const dagster = target(server.url)
    const state = await dagster.status(dagster.follow(RUN_ID), signal())
    assert.equal(state.status, 'failed')
    assert.equal(state.message, 'Dagster reports FAILURE: train: RuntimeError: failing on purpose (fail: true)')
  })

  test('RunNotFoundError is final and says what to check', async () => {
    const server = await serve(() => ok(RECORDED.runNotFound))
    const dagster = target(server.url)
    const error = await rejection(dagster.status(dagster.follow(RUN_ID), signal()))
    assert.ok(!isTransient(error))
    assert.match(
      error.message,
      /^dagster: reading run 22f77e06-.*answered RunNotFoundError: Pipeline run .* could not be found\. Fix: the run is not on this server: check url/
    )
  })

  test('a __typename that names an Object property (__proto__, constructor) is refused with the generic fix', async () => {
    // Found by the reliability suite's reply fuzzing: "Fix: [object Object]" for a launchRun answered __proto__.
    for (const typename of ['__proto__', 'constructor', 'toString']) {
      const server = await serve(() => ok({ data: { runOrError: { __typename: typename, message: 'odd' } } }))
      const dagster = target(server.url)
      const error = await rejection(dagster.status(dagster.follow(RUN_ID), signal()))
      assert.ok(error instanceof UserError && !isTransient(error))
      assert.match(
        error.message,
        new RegExp(
          `answered ${typename}: odd\\. Fix: see the message; this action speaks Dagster 1\\.x's GraphQL API\\.$`
        )
      )
    }
  })

  test('cancel: terminateRun SAFE_TERMINATE; a run already ended or being terminated is fine, one still STARTING is asked again', async () => {
    const answers = [
      RECORDED.terminated,
      RECORDED.terminateFailure('SUCCESS'),
      RECORDED.terminateFailure('CANCELING'),
      RECORDED.terminateFailure('STARTING')
    ]
    const server = await serve((_req, i) => ok(answers[i]))
    const dagster = target(server.url)
    await dagster.cancel(dagster.follow(RUN_ID), signal())
    assert.match(sent(server.requests[0]!).query, /terminateRun\(runId: \$runId, terminatePolicy: SAFE_TERMINATE\)/)
    assert.deepEqual(sent(server.requests[0]!).variables, { runId: RUN_ID })
    await dagster.cancel(dagster.follow(RUN_ID), signal())
    await dagster.cancel(dagster.follow(RUN_ID), signal())
    const starting = await rejection(dagster.cancel(dagster.follow(RUN_ID), signal()))
    assert.ok(isTransient(starting), 'tried again while the run starts')
    assert.match(starting.message, /cannot terminate it while STARTING/)
  })
})

describe('dagster target: metrics from output and materialization metadata', () => {
  test('step::label for numbers and text; JSON flattened; other kinds named as left out', async () => {
    const server = await serve(() => ok(RECORDED.successEvents))
    const dagster = target(server.url)
    const reading = await dagster.metrics(dagster.follow(RUN_ID), signal())
    assert.deepEqual(
      { ...reading.metrics },
      {
        'train::model_size': 1234,
        'train::accuracy': 0.8,
        'train::learning_rate': 0.01,
        'train::note': 'trained'
      }
    )
    assert.deepEqual(reading.ignored, [])
  })

  test('pages are followed by cursor; a path entry, a NaN and a boolean are left out and said', async () => {
    const page = (events: unknown[], hasMore: boolean, cursor: string) =>
      ok({ data: { logsForRun: { __typename: 'EventConnection', cursor, hasMore, events } } })
    const server = await serve((_req, i) =>
      i === 0
        ? page(
            [
              {
                __typename: 'ExecutionStepOutputEvent',
                stepKey: 'evaluate',
                metadataEntries: [
                  { __typename: 'JsonMetadataEntry', label: 'scores', jsonString: '{"f1": 0.7, "auc": 0.81}' },
                  { __typename: 'PathMetadataEntry', label: 'model_path' }
                ]
              }
            ],
            true,
            'c1'
          )
        : page(
            [
              {
                __typename: 'MaterializationEvent',
                stepKey: 'evaluate',
                metadataEntries: [
                  { __typename: 'FloatMetadataEntry', label: 'loss', floatValue: null, floatRepr: 'nan' },
                  { __typename: 'BoolMetadataEntry', label: 'passed', boolValue: true },
                  { __typename: 'IntMetadataEntry', label: 'rows', intValue: null, intRepr: '12345678901' }
                ]
              }
            ],
            false,
            'c2'
          )
    )
    const dagster = target(server.url)
    const reading = await dagster.metrics(dagster.follow(RUN_ID), signal())
    assert.deepEqual(
      { ...reading.metrics },
      {
        'evaluate::scores.f1': 0.7,
        'evaluate::scores.auc': 0.81,
        'evaluate::rows': 12345678901
      }
    )
    assert.deepEqual(
      server.requests.map((r) => sent(r).variables.afterCursor),
      [null, 'c1']
    )
    assert.equal(reading.ignored.length, 3, reading.ignored.join('\n'))
    assert.match(reading.ignored[0]!, /"evaluate::model_path": a PathMetadataEntry, not a number or text/)
    assert.match(reading.ignored.join('\n'), /"evaluate::loss": NaN is not a finite number/)
    assert.match(reading.ignored.join('\n'), /"evaluate::passed": a boolean/)
  })
})

describe('dagster target: transport and refusals', () => {
  const follow = (url: string, overrides: Partial<ResolvedDagster> = {}) => {
    const dagster = target(url, overrides)
    return dagster.status(dagster.follow(RUN_ID), signal())
  }

  test('a PythonError, a 503 and a lost answer are transient; a 401, a 404 and an HTTP 400 are final with their fix', async () => {
    const cases: [Answer, boolean, RegExp][] = [
      [
        ok({
          data: { runOrError: { __typename: 'PythonError', message: 'sqlite3.OperationalError: database is locked' } }
        }),
        true,
        /answered PythonError: sqlite3\.OperationalError: database is locked\. If it persists, check the webserver's log/
      ],
      [
        { status: 503, headers: { 'retry-after': '7' }, body: 'busy' },
        true,
        /HTTP 503 from http:\/\/127\.0\.0\.1:\d+\/graphql: busy/
      ],
      ['reset', true, /dagster: reading run .*127\.0\.0\.1:\d+/],
      [
        { status: 401, body: 'Unauthorized' },
        false,
        /HTTP 401 .*Fix: the server wants a token: set api-token: env:NAME/
      ],
      [
        { status: 404, body: 'Not Found' },
        false,
        /HTTP 404 .*Fix: nothing at http:\/\/127\.0\.0\.1:\d+\/graphql: url is the webserver's base/
      ],
      [
        RECORDED.badQuery,
        false,
        /refused the GraphQL operation \(HTTP 400\): Cannot query field 'nope' on type 'Query'\. Fix: this action speaks the GraphQL API of Dagster 1\.13; check the server's version at http:\/\/127\.0\.0\.1:\d+\/server_info/
      ],
      [
        { status: 200, headers: { 'content-type': 'text/html' }, body: '<html>Sign in</html>' },
        false,
        /Dagster webserver 127\.0\.0\.1:\d+: the reply to dagster: reading run .* is not what it should be: it is not JSON: .*Fix: check that url points at the Dagster webserver itself/
      ]
    ]
    for (const [answer, transient, says] of cases) {
      const server = await serve(() => answer)
      const error = await rejection(follow(server.url))
      assert.equal(isTransient(error), transient, error.message)
      assert.match(error.message, says)
    }
    const retryAfter = await serve(() => ({ status: 503, headers: { 'retry-after': '7' }, body: 'busy' }))
    const error = (await rejection(follow(retryAfter.url))) as Error & { retryAfterMs?: number }
    assert.equal(error.retryAfterMs, 7000)
  })

  test('a redirect is refused, so the token goes nowhere else', async () => {
    const elsewhere = await serve(() => ok(RECORDED.run('SUCCESS')))
    const server = await serve(() => ({ status: 307, headers: { location: `${elsewhere.url}/graphql` } }))
    const error = await rejection(follow(server.url, { apiToken: TOKEN }))
    assert.ok(!isTransient(error))
    assert.match(error.message, /answered with a redirect, which the action does not follow/)
    assert.equal(elsewhere.requests.length, 0)
  })

  test('the token is in no message, in none of its forms, however the server echoes it', async () => {
    const echo = echoing(TOKEN)
    const answers: Answer[] = [
      ok({ data: { runOrError: { __typename: 'PythonError', message: `boom ${echo}` } } }),
      { status: 403, body: `forbidden ${echo}` },
      { status: 400, body: { errors: [{ message: `bad ${echo}` }] } },
      ok({ data: { runOrError: { __typename: 'Run', runId: RUN_ID, status: 7 } }, echo })
    ]
    for (const answer of answers) {
      const server = await serve(() => answer)
      const error = await rejection(follow(server.url, { apiToken: TOKEN }))
      const leaked = secretForms(TOKEN).filter((form) => error.message.includes(form))
      assert.deepEqual(leaked, [], error.message)
    }
  })
})

describe('dagster target: Dagster+ (a scripted stand-in, not the service)', () => {
  test('a deployment: both headers on every request, the deployment in every path and link, the token in no message', async () => {
    const server = await serve((req) => {
      const { query } = sent(req)
      if (query.includes('isPipelineConfigValid')) return ok(RECORDED.prepareValid)
      if (query.includes('launchRun')) return ok(RECORDED.launched)
      if (query.includes('terminateRun')) return { status: 403, body: `forbidden for ${echoing(TOKEN)}` }
      return ok(RECORDED.run('STARTED'))
    })
    const config = resolveDagster(
      'dagster',
      {
        type: 'dagster',
        url: server.url,
        deployment: 'prod',
        'api-token': 'env:DAGSTER_CLOUD_API_TOKEN',
        location: 'train_job.py',
        op: 'train'
      },
      {
        inputs: { cancelOnTimeout: false },
        secrets: { env: { DAGSTER_CLOUD_API_TOKEN: TOKEN }, mask: () => {} },
        maxParallel: 4
      }
    )
    const dagster = await connectDagster(config, { clock: realClock, provenance: [] } as never)
    await dagster.prepare!(request(), signal())
    const handle = await dagster.start(request(), signal())
    assert.equal(handle.runUrl, `${server.url}/prod/runs/${RUN_ID}`, "the run's page in the deployment")
    assert.equal((await dagster.status(handle, signal())).status, 'running')
    const error = await rejection(dagster.cancel!(handle, signal()))
    assert.match(error.message, /HTTP 403 .*Fix: the token may not do this/)
    assert.deepEqual(
      secretForms(TOKEN).filter((form) => error.message.includes(form)),
      [],
      error.message
    )
    assert.equal(server.requests.length, 4)
    for (const seen of server.requests) {
      assert.equal(seen.path, '/prod/graphql')
      assert.equal(seen.headers['dagster-cloud-api-token'], TOKEN)
      assert.equal(seen.headers['dagster-cloud-deployment'], 'prod')
    }
  })

  test('the organization url gets the deployment appended; one that names another deployment, or no token, is refused', () => {
    const resolve = (keys: Record<string, unknown>) =>
      resolveDagster('dagster', { type: 'dagster', location: 'l.py', 'api-token': 'env:T', ...keys } as never, {
        inputs: { cancelOnTimeout: false },
        secrets: { env: { T: TOKEN }, mask: () => {} },
        maxParallel: 4
      })
    const org = resolve({ url: 'https://acme.dagster.cloud', deployment: 'prod' })
    assert.equal(org.base, 'https://acme.dagster.cloud/prod')
    assert.equal(org.deployment, 'prod')
    const api = new DagsterGraphql({ name: 'dagster', base: org.base }, realClock)
    assert.equal(
      new DagsterTarget(org, api, []).follow(RUN_ID).runUrl,
      `https://acme.dagster.cloud/prod/runs/${RUN_ID}`
    )
    assert.equal(
      resolve({ url: 'https://acme.dagster.cloud/prod/', deployment: 'prod' }).base,
      'https://acme.dagster.cloud/prod'
    )
    assert.throws(
      () => resolve({ url: 'https://acme.dagster.cloud/staging', deployment: 'prod' }),
      /url "https:\/\/acme\.dagster\.cloud\/staging" has the path \/staging, but deployment is prod\. Fix: url is the organization's \(https:\/\/<org>\.dagster\.cloud\) or ends in \/prod\./
    )
    assert.throws(
      () => resolve({ url: 'https://acme.dagster.cloud', deployment: 'prod', 'api-token': undefined }),
      /deployment: prod is for Dagster\+, which wants a token\. Fix: set api-token: env:NAME/
    )
    assert.ok(
      !schema.safeParse({ type: 'dagster', url: 'https://a.dagster.cloud', location: 'l', deployment: 'prod/x' })
        .success
    )
  })
})

describe('dagster target: resolve and schema', () => {
  const resolve = (keys: Record<string, unknown>, env: Record<string, string> = {}) => {
    const masked: string[] = []
    const result = resolveDagster('dagster', { type: 'dagster', location: 'train_job.py', ...keys } as never, {
      inputs: { cancelOnTimeout: false },
      secrets: { env, mask: (secret) => masked.push(secret) },
      maxParallel: 4
    })
    return { result, masked }
  }

  test('defaults, the token read from the environment and masked, https except loopback', () => {
    const { result, masked } = resolve(
      {
        url: 'https://acme.dagster.cloud/prod/',
        'api-token': 'env:DAGSTER_CLOUD_API_TOKEN',
        'cancel-on-timeout': true
      },
      { DAGSTER_CLOUD_API_TOKEN: TOKEN }
    )
    assert.equal(result.base, 'https://acme.dagster.cloud/prod')
    assert.equal(result.repository, '__repository__')
    assert.equal(result.apiToken, TOKEN)
    assert.equal(result.cancelOnTimeout, true)
    assert.deepEqual(masked, [TOKEN])
    assert.equal(resolve({ url: 'http://127.0.0.1:3000' }).result.base, 'http://127.0.0.1:3000')
    assert.throws(() => resolve({ url: 'http://dagster.example.com' }), /https/)
    assert.throws(
      () => resolve({ url: 'https://x.dagster.cloud', 'api-token': 'env:EMPTY' }),
      /environment variable EMPTY .* is empty/
    )
    // <url>/graphql would land in the query or fragment, even after a bare trailing ?.
    for (const url of [
      'https://acme.dagster.cloud/prod?x=1',
      'https://acme.dagster.cloud/prod#runs',
      'http://127.0.0.1:3000/?'
    ]) {
      assert.throws(
        () => resolve({ url }),
        (error: Error) =>
          error instanceof UserError &&
          error.message ===
            `Target dagster url: ${JSON.stringify(url)} has a query or fragment. Fix: the webserver's base URL only, e.g. http://127.0.0.1:3000 or https://<org>.dagster.cloud/<deployment>.`
      )
    }
  })

  test('the schema refuses an unknown key and a token written in the file', () => {
    const base = { type: 'dagster', url: 'http://127.0.0.1:3000', location: 'train_job.py' }
    assert.ok(schema.safeParse({ ...base, op: 'train' }).success)
    assert.ok(!schema.safeParse({ ...base, pipeline: 'x' }).success)
    assert.ok(!schema.safeParse({ ...base, 'api-token': 'user:abc123' }).success)
    assert.ok(!schema.safeParse({ type: 'dagster', url: 'http://127.0.0.1:3000' }).success, 'location is required')
  })
})

const DAGSTER_PYTHON = join(ROOT, '.venv-dagster/bin/python')

describe("every query against the pinned dagster-graphql's own schema", () => {
  test(
    'each operation validates against create_schema() of dagster-graphql 1.13.28',
    { skip: !existsSync(DAGSTER_PYTHON) && 'no .venv-dagster: run bash scripts/setup-python.sh' },
    () => {
      const operations = Object.fromEntries(Object.entries(QUERIES).filter(([, value]) => typeof value === 'string'))
      assert.ok(Object.keys(operations).length >= 7)
      const script = [
        'import json, sys',
        'from graphql import parse, validate',
        'from dagster_graphql.schema import create_schema',
        'schema = create_schema().graphql_schema',
        'problems = {}',
        'for name, query in json.load(sys.stdin).items():',
        '    errors = validate(schema, parse(query))',
        '    if errors: problems[name] = [e.message for e in errors]',
        'print(json.dumps(problems))'
      ].join('\n')
      const out = execFileSync(DAGSTER_PYTHON, ['-c', script], { input: JSON.stringify(operations), encoding: 'utf8' })
      assert.deepEqual(JSON.parse(out.trim().split('\n').pop()!), {})
    }
  )
})
