/**
 * The kubeflow target against the Kubeflow Pipelines stand-in (test/helpers/fake-kubeflow.ts,
 * which checks every request and reply against the pinned kfp-server-api 2.17.3 model) and, for
 * what no real server says on purpose (a 503, a lost answer, a sign-in redirect, a server echoing
 * the token), scripted servers whose error replies are checked against google.rpc.Status: the
 * request it sends, prepare's lookups and refusals before any start (pipeline, version,
 * experiment, parameters against the version's IR), every RuntimeState, a failure's reason,
 * terminate, find by display name, follow by run id, and the token in none of its forms in any
 * message.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, afterEach, before, describe, test } from 'node:test'
import type { RunRequest } from '../../src/core/run-request.js'
import { UserError } from '../../src/errors.js'
import { isTransient } from '../../src/retry.js'
import { KubeflowApi } from '../../src/targets/kubeflow/kubeflow-api.js'
import { KubeflowTarget, MAX_DISPLAY_NAME, displayName } from '../../src/targets/kubeflow/kubeflow-target.js'
import { declaredParameters } from '../../src/targets/kubeflow/pipeline-parameters.js'
import { resolveKubeflow, type ResolvedKubeflow } from '../../src/targets/kubeflow/resolve.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { startFakeKubeflow, type FakeKubeflow, type FakeKubeflowOptions } from '../helpers/fake-kubeflow.js'
import { kubeflowModel, kubeflowOperation, kubeflowReplyErrors } from '../helpers/kubeflow-model.js'
import { rejection } from '../helpers/rejection.js'
import { runRequest } from '../helpers/run-request.js'
import { echoing, scriptedServer, secretForms, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.kfp/"sa"+token=7'
const KEY = 'pt-0123456789abcdef0123456789abcdef'

const cleanups: (() => Promise<void>)[] = []
const fakes: FakeKubeflow[] = []
const contractErrors: string[] = []
afterEach(async () => {
  for (const fake of fakes.splice(0))
    assert.deepEqual(fake.violations, [], "the stand-in saw only what KFP's model allows")
  assert.deepEqual(contractErrors.splice(0), [], 'scripted replies keep to the model')
  for (const cleanup of cleanups.splice(0)) await cleanup()
})
// The model is dumped once (a child process), before any request waits on a server.
before(() => kubeflowModel())
after(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const SEED: FakeKubeflowOptions = {
  token: TOKEN,
  pipelines: [
    {
      name: 'train',
      displayName: 'Train the model',
      versions: [
        { name: 'v1', parameters: { learning_rate: { parameterType: 'NUMBER_DOUBLE' } } },
        {
          name: 'v2',
          parameters: {
            learning_rate: { parameterType: 'NUMBER_DOUBLE' },
            epochs: { parameterType: 'NUMBER_INTEGER', isOptional: true, defaultValue: 3 },
            fail: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false },
            forever: { parameterType: 'BOOLEAN', isOptional: true, defaultValue: false },
            tags: { parameterType: 'LIST', isOptional: true },
            data: { parameterType: 'STRUCT', isOptional: true }
          }
        }
      ]
    }
  ],
  experiments: [{ name: 'ci' }]
}

async function fake(options: Partial<FakeKubeflowOptions> = {}): Promise<FakeKubeflow> {
  const server = await startFakeKubeflow({ ...SEED, ...options })
  fakes.push(server)
  cleanups.push(() => server.close())
  return server
}

function config(url: string, overrides: Partial<ResolvedKubeflow> = {}): ResolvedKubeflow {
  return {
    type: 'kubeflow',
    name: 'kfp',
    maxParallel: 4,
    base: url,
    token: TOKEN,
    pipeline: 'train',
    cancelOnTimeout: false,
    ...overrides
  }
}

const logs: string[] = []
const target = (url: string, overrides: Partial<ResolvedKubeflow> = {}) => {
  const resolved = config(url, overrides)
  return new KubeflowTarget(resolved, new KubeflowApi(resolved, new FakeClock()), (line) => logs.push(line))
}
const request = (overrides: Partial<RunRequest> = {}) =>
  runRequest({ target: 'kfp', parameters: { learning_rate: 0.01, epochs: 5 }, idempotencyKey: KEY, ...overrides })
const signal = () => AbortSignal.timeout(15_000)

describe('kubeflow target: prepare and start', () => {
  test('looks the pipeline and its newest version up once, then creates the run with the version, parameters, display name and experiment', async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url, { experiment: 'ci', serviceAccount: 'ci-runner', pipelineRoot: 's3://ml/root' })
    await kubeflow.prepare(request(), signal())
    await kubeflow.prepare(request({ index: 1 }), signal())
    const handle = await kubeflow.start(request(), signal())
    const lookups = kfp.requests.filter((r) => r.method === 'GET').map((r) => r.operation)
    assert.deepEqual(
      lookups,
      [
        'pipeline_service_list_pipelines',
        'pipeline_service_list_pipeline_versions',
        'experiment_service_list_experiments'
      ],
      'one lookup each for the whole step'
    )
    const versions = kfp.requests.find((r) => r.operation === 'pipeline_service_list_pipeline_versions')!
    assert.match(versions.path, /sort_by=created_at%20desc/, 'the newest first')
    const create = kfp.requests.find((r) => r.operation === 'run_service_create_run')!
    const ci = kfp.experiments.find((e) => e.display_name === 'ci')!
    const v2 = kfp.versions.find((v) => v.name === 'v2')!
    assert.equal(create.path, `/apis/v2beta1/runs?experiment_id=${String(ci.experiment_id)}`)
    assert.equal(create.headers.authorization, `Bearer ${TOKEN}`)
    const body = create.body as Record<string, unknown>
    assert.deepEqual(body.pipeline_version_reference, {
      pipeline_id: v2.pipeline_id,
      pipeline_version_id: v2.pipeline_version_id
    })
    assert.deepEqual(body.runtime_config, {
      parameters: { learning_rate: 0.01, epochs: 5 },
      pipeline_root: 's3://ml/root'
    })
    assert.equal(body.service_account, 'ci-runner')
    assert.equal(body.experiment_id, ci.experiment_id)
    assert.equal(body.display_name, `training_pipeline-gh-1-1-0 [${KEY}]`)
    assert.match(
      String(body.description),
      /^test\npipeline-context: \{"root":"https:\/\/github.com\/o\/r\/actions\/runs\/1","depth":1,/
    )
    assert.equal(handle.runId, kfp.runs[0]!.run_id)
    assert.equal(handle.runUrl, `${kfp.url}/#/runs/details/${handle.runId}`, "the UI's run page")
  })

  test('every state on the way: PENDING and RUNNING are running, SUCCEEDED completed', async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url)
    const handle = await kubeflow.start(request(), signal())
    const seen = []
    for (let i = 0; i < 4; i++) seen.push(await kubeflow.status(handle, signal()))
    assert.deepEqual(
      seen.map((s) => [s.status, s.detail]),
      [
        ['running', 'RUNNING'],
        ['running', 'RUNNING'],
        ['completed', 'SUCCEEDED'],
        ['completed', 'SUCCEEDED']
      ]
    )
  })

  test('finds the pipeline by display name, and by id; pipeline-version by name and by id', async () => {
    const kfp = await fake()
    const pipeline = kfp.pipelines[0]!
    const v1 = kfp.versions.find((v) => v.name === 'v1')!
    for (const overrides of [
      { pipeline: 'Train the model', pipelineVersion: 'v1' },
      { pipeline: String(pipeline.pipeline_id), pipelineVersion: String(v1.pipeline_version_id) }
    ]) {
      const kubeflow = target(kfp.url, overrides)
      await kubeflow.prepare(request({ parameters: { learning_rate: 0.5 } }), signal())
      await kubeflow.start(request({ parameters: { learning_rate: 0.5 } }), signal())
    }
    for (const run of kfp.runs)
      assert.equal(
        (run.pipeline_version_reference as { pipeline_version_id: string }).pipeline_version_id,
        v1.pipeline_version_id
      )
  })

  test('without pipeline, the pipeline is the name in the config', async () => {
    const kfp = await fake()
    await target(kfp.url, { pipeline: undefined }).prepare(request({ pipelineName: 'train' }), signal())
    const error = await rejection(target(kfp.url, { pipeline: undefined }).prepare(request(), signal()))
    assert.match(
      error.message,
      /kfp: looking up pipeline training_pipeline on http:\/\/127\.0\.0\.1:\d+: no pipeline has that name or display name\. Fix: the server has no pipeline training_pipeline; upload it/
    )
  })
})

describe('kubeflow target: refusals before any run starts', () => {
  test('an unknown version or experiment, with the fix', async () => {
    const kfp = await fake()
    const version = await rejection(target(kfp.url, { pipelineVersion: 'v9' }).prepare(request(), signal()))
    assert.match(
      version.message,
      /pipeline train has no version named v9\. Fix: set pipeline-version to one of its versions/
    )
    const experiment = await rejection(
      target(kfp.url, { experiment: 'nightly', namespace: 'team-ml' }).prepare(request(), signal())
    )
    assert.match(
      experiment.message,
      /looking up experiment nightly in namespace team-ml .*no experiment has that name\. Fix: create it \(kfp experiment create nightly --namespace team-ml/
    )
    const byId = await rejection(
      target(kfp.url, { pipeline: '00000000-0000-0000-0000-000000000000' }).prepare(request(), signal())
    )
    assert.match(
      byId.message,
      /HTTP 404: Pipeline 00000000-0000-0000-0000-000000000000 not found\. Fix: the server has no pipeline/
    )
    assert.equal(kfp.runs.length, 0)
  })

  test("an unknown parameter, a wrong type and a missing required one, with the version's list", async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url)
    const error = await rejection(
      kubeflow.prepare(request({ parameters: { learning_rat: 0.1, epochs: 2.5, tags: 'a,b' } }), signal())
    )
    assert.ok(error instanceof UserError)
    assert.match(
      error.message,
      /kfp: checking the parameters of training: pipeline train, version v2 has no parameter "learning_rat"/
    )
    assert.match(error.message, /parameter epochs is NUMBER_INTEGER \(an integer\), and the pipeline gives 2\.5/)
    assert.match(error.message, /parameter tags is LIST \(a list\), and the pipeline gives "a,b"/)
    assert.match(error.message, /needs learning_rate, which the pipeline does not give/)
    assert.match(
      error.message,
      /takes: learning_rate \(NUMBER_DOUBLE\), epochs \(NUMBER_INTEGER, optional\), fail \(BOOLEAN, optional\)/
    )
    await kubeflow.prepare(request({ parameters: { learning_rate: 1, tags: ['a'], data: { rows: 3 } } }), signal())
    assert.equal(kfp.runs.length, 0)
  })

  test("the server's own refusal at start (a parameter the spec does not declare) names it and the fix", async () => {
    const kfp = await fake()
    const error = await rejection(
      target(kfp.url).start(request({ parameters: { learning_rate: 0.1, extra: 1 } }), signal())
    )
    assert.ok(!isTransient(error))
    assert.match(
      error.message,
      /kfp: starting pipeline train, version v2 on .*: POST 127\.0\.0\.1:\d+\/apis\/v2beta1\/runs answered HTTP 400: Failed to create a run: input parameter extra is not defined in the pipeline spec\. Fix: the server refused the run/
    )
  })
})

describe('kubeflow target: outcomes, terminate, find and follow', () => {
  test("a failed run's error and failed task are in the message", async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url)
    const handle = await kubeflow.start(request({ parameters: { learning_rate: 0.1, fail: true } }), signal())
    let state = await kubeflow.status(handle, signal())
    while (state.status === 'running') state = await kubeflow.status(handle, signal())
    assert.equal(state.status, 'failed')
    assert.equal(
      state.message,
      'Kubeflow reports FAILED: task train failed: train: loss is NaN (exit code 1) (failed tasks: train: train: loss is NaN (exit code 1))'
    )
  })

  test('terminate: CANCELING is still going, CANCELED is cancelled; a run that ended is left alone', async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url)
    const handle = await kubeflow.start(request({ parameters: { learning_rate: 0.1, forever: true } }), signal())
    assert.equal((await kubeflow.status(handle, signal())).detail, 'RUNNING')
    await kubeflow.cancel(handle, signal())
    assert.ok(
      kfp.requests.some(
        (r) => r.operation === 'run_service_terminate_run' && r.path === `/apis/v2beta1/runs/${handle.runId}:terminate`
      )
    )
    assert.deepEqual(kfp.runs[0]!.state, 'CANCELING')
    const state = await kubeflow.status(handle, signal())
    assert.deepEqual([state.status, state.message], ['cancelled', 'Kubeflow reports CANCELED: the run was terminated'])
    const terminations = kfp.requests.filter((r) => r.operation === 'run_service_terminate_run').length
    await kubeflow.cancel(handle, signal())
    assert.equal(
      kfp.requests.filter((r) => r.operation === 'run_service_terminate_run').length,
      terminations,
      'not terminated twice'
    )
  })

  test("find takes no one else's run of the same display name: another pipeline version or experiment is not this request's", async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url, { experiment: 'ci' })
    const started = await kubeflow.start(request(), signal())
    // Someone else's run under the same display name (another version, or another experiment) is not this request's.
    const mine = kfp.runs.find((r) => r.run_id === started.runId)!
    const other = kfp.versions.find((v) => v.pipeline_version_id !== placementOf(mine).pipeline_version_id)!
    kfp.runs.splice(kfp.runs.indexOf(mine), 1)
    try {
      for (const impostor of [
        {
          ...mine,
          run_id: randomUUID(),
          pipeline_version_reference: { pipeline_id: other.pipeline_id, pipeline_version_id: other.pipeline_version_id }
        },
        { ...mine, run_id: randomUUID(), experiment_id: kfp.experiments[0]!.experiment_id }
      ]) {
        kfp.runs.push(impostor)
        assert.equal(await kubeflow.find(request(), signal()), undefined, JSON.stringify(impostor))
        kfp.runs.pop()
      }
    } finally {
      kfp.runs.push(mine)
    }
    assert.equal((await kubeflow.find(request(), signal()))?.runId, started.runId)
  })

  test('find lists the runs by display name: the run a request made, and none for another key', async () => {
    const kfp = await fake()
    const kubeflow = target(kfp.url, { experiment: 'ci' })
    assert.equal(await kubeflow.find(request(), signal()), undefined)
    const started = await kubeflow.start(request(), signal())
    assert.equal((await kubeflow.find(request(), signal()))?.runId, started.runId)
    assert.equal(
      await kubeflow.find(request({ idempotencyKey: 'pt-ffffffffffffffffffffffffffffffff' }), signal()),
      undefined
    )
    const list = kfp.requests.filter((r) => r.operation === 'run_service_list_runs').at(-1)!
    const filter = JSON.parse(new URL(list.path, 'http://x').searchParams.get('filter')!) as unknown
    assert.deepEqual(filter, {
      predicates: [
        {
          key: 'display_name',
          operation: 'EQUALS',
          string_value: 'training_pipeline-gh-1-1-0 [pt-ffffffffffffffffffffffffffffffff]'
        }
      ]
    })
    assert.match(list.path, /experiment_id=/, 'scoped to the experiment, as multi-user mode needs')
  })

  test('the display name keeps the whole key within its length, however long the run name', () => {
    const name = displayName(request({ runName: 'x'.repeat(300) }))
    assert.equal(name.length, MAX_DISPLAY_NAME)
    assert.ok(name.endsWith(` [${KEY}]`))
  })

  test('follow takes a recorded run id, and refuses anything that could leave the run path', async () => {
    const kfp = await fake()
    const first = await target(kfp.url).start(request(), signal())
    const later = target(kfp.url)
    const handle = later.follow(first.runId!)
    assert.equal(handle.runUrl, first.runUrl)
    assert.equal((await later.status(handle, signal())).status, 'running')
    for (const bad of ['../pipelines', 'a/b', 'x:terminate', ''])
      assert.throws(() => later.follow(bad), /is not a Kubeflow run id/)
  })
})

describe('kubeflow target: the wire', () => {
  async function serve(script: (request: SeenRequest) => Answer) {
    const server = await scriptedServer((seen) => {
      const answer = script(seen)
      const operation = kubeflowOperation(seen.method, seen.path.split('?')[0]!)
      if (answer !== 'reset' && operation && answer.status >= 400 && typeof answer.body === 'object')
        contractErrors.push(...kubeflowReplyErrors(operation, answer.status, answer.body))
      return answer
    })
    cleanups.push(() => server.close())
    return server
  }

  test('401 and 403 name the token and the role; the token in no form in the message', async () => {
    const server = await serve((seen) =>
      seen.path.startsWith('/apis/v2beta1/pipelines')
        ? { status: 401, body: { code: 16, message: `token ${echoing(TOKEN)} expired` } }
        : { status: 403, body: { code: 7, message: 'PermissionDenied: not authorized' } }
    )
    const unauthorized = await rejection(target(server.url).prepare(request(), signal()))
    assert.match(
      unauthorized.message,
      /HTTP 401: token .* expired\. Fix: the server \(or the proxy in front of it\) did not accept token/
    )
    for (const form of secretForms(TOKEN)) assert.ok(!unauthorized.message.includes(form), `no ${form}`)
    const forbidden = await rejection(
      target(server.url, { namespace: 'team-ml' }).status(target(server.url).follow('r1'), signal())
    )
    assert.match(
      forbidden.message,
      /HTTP 403: PermissionDenied: not authorized\. Fix: the token's identity may not do this in namespace team-ml: .*RoleBinding to kubeflow-edit/
    )
  })

  test('a 503 with Retry-After and a lost answer are transient; a sign-in redirect is refused and not followed', async () => {
    const elsewhere = await serve(() => ({ status: 200, body: {} }))
    const server = await serve((seen): Answer =>
      seen.path.includes('/runs/r1')
        ? { status: 503, headers: { 'retry-after': '7' }, body: { code: 14, message: 'unavailable' } }
        : seen.path.includes('/runs/r2')
          ? 'reset'
          : { status: 302, headers: { location: `${elsewhere.url}/oauth2/start?rd=%2Fapis` } }
    )
    const kubeflow = target(server.url)
    const busy = await rejection(kubeflow.status(kubeflow.follow('r1'), signal()))
    assert.ok(isTransient(busy))
    assert.equal((busy as { retryAfterMs?: number }).retryAfterMs, 7000)
    assert.ok(isTransient(await rejection(kubeflow.status(kubeflow.follow('r2'), signal()))))
    const redirected = await rejection(kubeflow.prepare(request(), signal()))
    assert.ok(!isTransient(redirected))
    assert.match(
      redirected.message,
      new RegExp(
        `answered HTTP 302, a redirect to ${elsewhere.url.replace(/\./g, '\\.')} that the action does not follow, so the token stays on ${server.url.replace(/\./g, '\\.')}\\. Fix: the proxy in front of Kubeflow`
      )
    )
    assert.equal(elsewhere.requests.length, 0, 'nothing went to the sign-in host')
  })

  test('a 200 that is not JSON (a sign-in page) says url is not the API', async () => {
    const server = await serve(() => ({ status: 200, body: '<html>Sign in</html>' }))
    const error = await rejection(target(server.url).prepare(request(), signal()))
    assert.match(
      error.message,
      /answered HTTP 200 with "<html>Sign in<\/html>", not a JSON object\. Fix: set url to the Kubeflow Pipelines endpoint/
    )
  })
})

describe('kubeflow target: the IR it reads parameters from', () => {
  test('a spec wrapped with its platform_spec, and the pre-2.0 `type` words, read the same', () => {
    const root = {
      inputDefinitions: {
        parameters: { lr: { type: 'DOUBLE' }, n: { parameterType: 'NUMBER_INTEGER', defaultValue: 2 } }
      }
    }
    const expected = { lr: { type: 'NUMBER_DOUBLE', required: true }, n: { type: 'NUMBER_INTEGER', required: false } }
    assert.deepEqual(declaredParameters({ root }), expected)
    assert.deepEqual(declaredParameters({ pipeline_spec: { root }, platform_spec: {} }), expected)
    assert.equal(declaredParameters({ components: {} }), undefined, 'no root: the server is left to judge')
    assert.deepEqual(declaredParameters({ root: {} }), {}, 'a root without inputs takes no parameters')
  })
})

describe('kubeflow target: resolve', () => {
  const secrets = (env: Record<string, string>) => ({ env, mask: () => undefined })
  const resolve = (config: Record<string, unknown>, env: Record<string, string> = { KFP_TOKEN: TOKEN }) =>
    resolveKubeflow('kfp', { type: 'kubeflow', url: 'https://kubeflow.example.com/pipeline/', ...config } as never, {
      inputs: { cancelOnTimeout: true },
      secrets: secrets(env),
      maxParallel: 2
    })

  test('fills in the defaults and reads the token', () => {
    const resolved = resolve({ token: 'env:KFP_TOKEN', experiment: 'ci' })
    assert.equal(resolved.base, 'https://kubeflow.example.com/pipeline')
    assert.equal(resolved.token, TOKEN)
    assert.equal(resolved.cancelOnTimeout, true)
    assert.equal(resolved.pipeline, undefined)
  })

  test('refuses http off loopback, a fragment, and an empty token variable', () => {
    assert.throws(() => resolve({ url: 'http://ml-pipeline-ui.kubeflow' }), /must use https/)
    assert.throws(
      () => resolve({ url: 'https://kubeflow.example.com/pipeline/#/runs' }),
      /has a query or fragment \(#\)/
    )
    assert.throws(() => resolve({ token: 'env:KFP_TOKEN' }, {}), /KFP_TOKEN .* is empty/)
  })
})

function placementOf(run: Record<string, unknown>) {
  return run.pipeline_version_reference as { pipeline_id: string; pipeline_version_id: string }
}

describe('kubeflow target: replies outside the model', () => {
  const RUN = '6a1e3f7e-1b2c-4d5e-8f90-0123456789ab'
  test('a status reply without the run, about another run, or with a state v2beta1 does not have is an error, not "running" until the timeout', async () => {
    for (const [body, said] of [
      [{}, /answered run_id nothing, not run 6a1e/],
      [{ run_id: 'another-run', state: 'RUNNING' }, /answered run_id "another-run"/],
      [
        { run_id: RUN, state: 'EXPLODED' },
        /answered state "EXPLODED", not run .* in one of v2beta1's states \(.*SKIPPED.*\)/
      ],
      [{ run_id: RUN, state: 4 }, /answered state 4/]
    ] as const) {
      const server = await scriptedServer(() => ({ status: 200, body }))
      try {
        const kfp = target(server.url)
        const error = await rejection(kfp.status(kfp.follow(RUN), signal()))
        assert.ok(error instanceof UserError, error.message)
        assert.match(
          error.message,
          /^kfp: reading run 6a1e3f7e-1b2c-4d5e-8f90-0123456789ab: http:\/\/127\.0\.0\.1:\d+ answered /
        )
        assert.match(error.message, said)
        assert.match(error.message, /Fix: check that url is a Kubeflow Pipelines 2\.x endpoint/)
      } finally {
        await server.close()
      }
    }
    // No state at all is protobuf's zero, RUNTIME_STATE_UNSPECIFIED: a run just made.
    const server = await scriptedServer(() => ({ status: 200, body: { run_id: RUN } }))
    try {
      const kfp = target(server.url)
      assert.equal((await kfp.status(kfp.follow(RUN), signal())).status, 'running')
    } finally {
      await server.close()
    }
  })

  test('a run id from the server that could move a path is neither followed after start nor taken by find', async () => {
    const server = await scriptedServer((seen) => {
      const path = seen.path.replace(/\?.*$/, '')
      if (path.endsWith('/pipelines'))
        return { status: 200, body: { pipelines: [{ pipeline_id: RUN, name: 'train' }] } }
      if (path.endsWith('/versions'))
        return { status: 200, body: { pipeline_versions: [{ pipeline_version_id: RUN, display_name: 'v1' }] } }
      if (path.endsWith(`/versions/${RUN}`)) return { status: 200, body: { pipeline_version_id: RUN } }
      if (seen.method === 'POST') return { status: 200, body: { run_id: '../pipelines/x' } }
      return { status: 200, body: { runs: [{ run_id: '..', display_name: displayName(request()) }] } }
    })
    try {
      const kfp = target(server.url)
      const error = await rejection(kfp.start(request(), signal()))
      assert.match(error.message, /answered run_id "\.\.\/pipelines\/x", not a run id, so the run cannot be followed/)
      assert.equal(await kfp.find(request(), signal()), undefined)
    } finally {
      await server.close()
    }
  })

  test("a failed run's message carries no token, even one a task's name echoes", async () => {
    const server = await scriptedServer(() => ({
      status: 200,
      body: {
        run_id: RUN,
        state: 'FAILED',
        run_details: { task_details: [{ display_name: `train-${TOKEN}`, state: 'FAILED', error: { message: 'boom' } }] }
      }
    }))
    try {
      const kfp = target(server.url)
      const state = await kfp.status(kfp.follow(RUN), signal())
      assert.match(state.message!, /failed tasks: train-\*\*\*: boom/)
      for (const form of secretForms(TOKEN)) assert.ok(!state.message!.includes(form), form)
    } finally {
      await server.close()
    }
  })

  test('a pipeline id that could move a path is refused before it goes into one; an experiment name two experiments share is refused', async () => {
    for (const [pipelines, experiments, said] of [
      [[{ pipeline_id: '..', name: 'train' }], [], /answered pipeline_id "\.\.", not an id/],
      [
        [{ pipeline_id: RUN, name: 'train' }],
        [
          { experiment_id: RUN, display_name: 'ci' },
          { experiment_id: RUN.replace('6a', '7b'), display_name: 'ci' }
        ],
        /2 experiments have that name .* Fix: set experiment to the id of the one the runs go in, or namespace/
      ]
    ] as const) {
      const server = await scriptedServer((seen) => {
        const path = seen.path.replace(/\?.*$/, '')
        if (path.endsWith('/pipelines')) return { status: 200, body: { pipelines } }
        if (path.endsWith('/experiments')) return { status: 200, body: { experiments } }
        if (path.endsWith('/versions'))
          return { status: 200, body: { pipeline_versions: [{ pipeline_version_id: RUN, display_name: 'v1' }] } }
        if (path.endsWith(`/versions/${RUN}`)) return { status: 200, body: { pipeline_version_id: RUN } }
        return { status: 404, body: { code: 5, message: `no ${path}` } }
      })
      try {
        const error = await rejection(target(server.url, { experiment: 'ci' }).prepare(request(), signal()))
        assert.ok(error instanceof UserError, error.message)
        assert.match(error.message, said)
        assert.ok(
          !server.requests.some((r) => /\/pipelines\/\.\.|\/apis\/v2beta1\/versions/.test(r.path)),
          'no path moved'
        )
      } finally {
        await server.close()
      }
    }
  })

  test('a run that ends between the read and the terminate keeps its outcome: cancel is no error', async () => {
    let reads = 0
    const server = await scriptedServer((seen) =>
      seen.method === 'POST'
        ? { status: 400, body: { code: 9, message: `Run ${RUN} is already SUCCEEDED.` } }
        : { status: 200, body: { run_id: RUN, state: reads++ === 0 ? 'RUNNING' : 'SUCCEEDED' } }
    )
    try {
      const kfp = target(server.url)
      await kfp.cancel(kfp.follow(RUN), signal())
      assert.deepEqual(
        server.requests.map((r) => r.method),
        ['GET', 'POST', 'GET']
      )
      assert.equal((await kfp.status(kfp.follow(RUN), signal())).status, 'completed')
    } finally {
      await server.close()
    }
  })
})
