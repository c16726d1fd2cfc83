/**
 * A stand-in for a Databricks workspace's Jobs API 2.2 and its OAuth token endpoint, on loopback:
 * Databricks cannot run here. It keeps to the service's documented semantics, and checks EVERY
 * request it receives and EVERY reply it sends against the pinned databricks-sdk 0.167.0
 * (test/helpers/databricks-model.ts: the weakest of the cloud contracts, the SDK's own calls and
 * dataclasses, since Databricks publishes no OpenAPI file); a request the SDK would not send is
 * answered as Databricks answers a bad request, 400 {error_code: INVALID_PARAMETER_VALUE, message},
 * and every violation is kept in `violations` for the tests to assert there were none.
 *
 * - run-now: `idempotency_token` (at most 64 characters, the documented limit the SDK does not
 *   check) returns the run it already made ("does not create a new run but returns the ID of the
 *   existing run"); `job_parameters` names the job does not define are refused (400).
 * - A run is PENDING, then RUNNING for `sleep_s` (a job parameter, default 0.3 s), then
 *   TERMINATED with termination_details SUCCESS, or RUN_EXECUTION_ERROR when the job parameter
 *   `fail` is "true"; runs/cancel makes it TERMINATING, then TERMINATED USER_CANCELED.
 * - Each task is a notebook task run of its own (tasks[].run_id); runs/get-output of the task
 *   `metricsTask` gives `notebook_output.result`, its dbutils.notebook.exit value: the JSON of
 *   {accuracy: 0.9, lr: <the lr parameter as a number>}; of a job whose tasks are Python scripts
 *   (`python: true`, spark_python_task), `logs`, the script's stdout, whose last line is that JSON;
 *   of a multi-task job run, 400 as documented.
 * - Credentials on every /api call: `Authorization: Bearer` with the PAT or a token this stand-in
 *   minted and that has not expired; else 401. A token in `readOnly` gets 403 PERMISSION_DENIED
 *   on run-now and runs/cancel (no CAN MANAGE RUN on the job).
 * - POST /oidc/v1/token, as Databricks documents it: client_credentials with HTTP Basic client id
 *   and secret and scope all-apis (OAuth M2M), or token-exchange of a GitHub Actions ID token
 *   (OIDC federation: a JWT the GitHub ID token stand-in issued, for the policy's audience and
 *   subject) with client_id; it answers {access_token, token_type, expires_in, scope}.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomBytes } from 'node:crypto'
import { DatabricksModel } from './databricks-model.js'

export interface FakeJob {
  job_id: number
  name: string
  /** Job-level parameters (JobParameterDefinition). */
  parameters?: { name: string; default: string }[]
  /** Task keys, each a notebook task. */
  tasks: string[]
  /** The task whose notebook exits with the metrics (or whose script prints them last). */
  metricsTask?: string
  /** Python script tasks (spark_python_task), whose output is their stdout, instead of notebooks. */
  python?: boolean
}

export interface FakeDatabricksOptions {
  jobs: FakeJob[]
  /** A personal access token the workspace takes. */
  pat?: string
  /** A service principal's OAuth secret (M2M). */
  servicePrincipal?: { clientId: string; clientSecret: string }
  /** A federation policy: GitHub ID tokens with this audience and subject, for this service principal. */
  federation?: { clientId: string; audience: string; subject: string; verify: (jwt: string) => boolean }
  /** How long a minted token lives (default 3600 s). */
  tokenLifetimeS?: number
  /** Tokens without CAN MANAGE RUN: they read jobs, they may not run or cancel them. */
  readOnly?: string[]
  /** The origin of run_page_url (default: this stand-in's own). */
  runPageOrigin?: string
}

export interface SeenDatabricksRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: IncomingHttpHeaders
  body: string
  json?: unknown
}

interface FakeRun {
  run_id: number
  job: FakeJob
  parameters: Record<string, string>
  token?: string
  createdAt: number
  runMs: number
  fail: boolean
  cancelledAt?: number
  taskRunIds: number[]
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> }

const error = (status: number, error_code: string, message: string): Answer => ({
  status,
  body: { error_code, message }
})

export class FakeDatabricks {
  readonly requests: SeenDatabricksRequest[] = []
  readonly violations: string[] = []
  readonly runs: FakeRun[] = []
  /** Tokens minted at /oidc/v1/token, with when each expires (ms). */
  readonly minted = new Map<string, number>()
  url = ''
  private nextId = 1000
  private readonly byToken = new Map<string, number>()
  /** Answers queued for the next requests to a path (a 429, a 503, a redirect). */
  private readonly queued = new Map<string, Answer[]>()
  private server = createServer((req, res) => this.handle(req, res))

  private constructor(
    readonly options: FakeDatabricksOptions,
    private readonly model: DatabricksModel
  ) {}

  static async start(options: FakeDatabricksOptions): Promise<FakeDatabricks> {
    const fake = new FakeDatabricks(options, await DatabricksModel.start())
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve))
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`
    return fake
  }

  /** The next request to `path` gets this answer instead (validated like any other). */
  answerNext(path: string, answer: Answer): void {
    this.queued.set(path, [...(this.queued.get(path) ?? []), answer])
  }

  /** The runs of a job, as the service counts them. */
  runsOf(jobId: number): FakeRun[] {
    return this.runs.filter((run) => run.job.job_id === jobId)
  }

  async close(): Promise<void> {
    this.model.close()
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stand-in')
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }
      const seen: SeenDatabricksRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
        ...(json !== undefined ? { json } : {})
      }
      this.requests.push(seen)
      this.answer(seen).then(
        ({ status, body: payload, headers }) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers })
          res.end(payload === undefined ? undefined : JSON.stringify(payload))
        },
        (failure: unknown) => {
          this.violations.push(`the stand-in failed on ${seen.method} ${seen.path}: ${String(failure)}`)
          res.writeHead(500, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ error_code: 'INTERNAL_ERROR', message: String(failure) }))
        }
      )
    })
  }

  private async answer(seen: SeenDatabricksRequest): Promise<Answer> {
    if (seen.path === '/oidc/v1/token') return this.token(seen)
    const exchange = { method: seen.method, path: seen.path }
    const queued = this.queued.get(seen.path)?.shift()
    let answer: Answer
    if (queued) answer = queued
    else {
      const token = this.bearer(seen)
      if (!token)
        return error(401, 'UNAUTHENTICATED', 'Credential was not sent or was of an unsupported type for this API.')
      const refused = await this.model.requestErrors(
        exchange,
        seen.query,
        seen.method === 'GET' ? undefined : (seen.json ?? seen.body)
      )
      if (refused.length) {
        this.violations.push(...refused)
        return error(400, 'INVALID_PARAMETER_VALUE', refused.join('; '))
      }
      answer = this.route(seen, token)
    }
    if (answer.status < 300 || answer.status >= 400) {
      const wrong = await this.model.replyErrors(exchange, answer.status, answer.body)
      this.violations.push(...wrong.map((w) => `the stand-in's own reply: ${w}`))
    }
    return answer
  }

  /** The bearer token, when it is the PAT or a minted token still alive. */
  private bearer(seen: SeenDatabricksRequest): string | undefined {
    const match = /^Bearer (\S+)$/.exec(String(seen.headers.authorization ?? ''))
    const token = match?.[1]
    if (!token) return undefined
    if (token === this.options.pat || this.options.readOnly?.includes(token)) return token
    const expires = this.minted.get(token)
    return expires !== undefined && expires > Date.now() ? token : undefined
  }

  private route(seen: SeenDatabricksRequest, token: string): Answer {
    const body = (seen.json ?? {}) as Record<string, unknown>
    switch (`${seen.method} ${seen.path}`) {
      case 'GET /api/2.2/jobs/get': {
        const job = this.job(Number(seen.query.job_id))
        if (!job) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Job ${seen.query.job_id} does not exist.`)
        return { status: 200, body: this.jobBody(job) }
      }
      case 'GET /api/2.2/jobs/list': {
        const jobs = this.options.jobs.filter((job) => seen.query.name === undefined || job.name === seen.query.name)
        return {
          status: 200,
          body: {
            ...(jobs.length ? { jobs: jobs.map((job) => this.jobBody(job)) } : {}),
            has_more: false
          }
        }
      }
      case 'POST /api/2.2/jobs/run-now':
        return this.runNow(body, token)
      case 'GET /api/2.2/jobs/runs/get': {
        const run = this.runs.find((r) => r.run_id === Number(seen.query.run_id))
        if (!run) return error(400, 'INVALID_PARAMETER_VALUE', `Run ${seen.query.run_id} does not exist.`)
        return { status: 200, body: this.runBody(run) }
      }
      case 'POST /api/2.2/jobs/runs/cancel': {
        const run = this.runs.find((r) => r.run_id === body.run_id)
        if (!run) return error(400, 'INVALID_PARAMETER_VALUE', `Run ${String(body.run_id)} does not exist.`)
        if (this.options.readOnly?.includes(token))
          return error(403, 'PERMISSION_DENIED', `User does not have Manage Run permissions on job ${run.job.job_id}.`)
        if (this.state(run).state !== 'TERMINATED') run.cancelledAt ??= Date.now()
        return { status: 200, body: {} }
      }
      case 'GET /api/2.2/jobs/runs/get-output':
        return this.output(Number(seen.query.run_id))
      default:
        return error(404, 'ENDPOINT_NOT_FOUND', `No API found for '${seen.method} ${seen.path}'`)
    }
  }

  private job(id: number): FakeJob | undefined {
    return this.options.jobs.find((job) => job.job_id === id)
  }

  private jobBody(job: FakeJob) {
    return {
      job_id: job.job_id,
      created_time: 1_700_000_000_000,
      creator_user_name: 'ml-team@example.com',
      settings: {
        name: job.name,
        ...(job.parameters?.length ? { parameters: job.parameters } : {}),
        tasks: job.tasks.map((task_key) => ({ task_key, ...taskKind(job, task_key) })),
        max_concurrent_runs: 10
      }
    }
  }

  private runNow(body: Record<string, unknown>, token: string): Answer {
    const job = this.job(Number(body.job_id))
    if (!job) return error(404, 'RESOURCE_DOES_NOT_EXIST', `Job ${String(body.job_id)} does not exist.`)
    if (this.options.readOnly?.includes(token))
      return error(403, 'PERMISSION_DENIED', `User does not have Manage Run permissions on job ${job.job_id}.`)
    const idempotency = body.idempotency_token as string | undefined
    if (idempotency !== undefined && idempotency.length > 64) {
      this.violations.push(`idempotency_token has ${idempotency.length} characters; the service takes at most 64`)
      return error(400, 'INVALID_PARAMETER_VALUE', 'The idempotency token must be at most 64 characters long.')
    }
    const parameters = (body.job_parameters ?? {}) as Record<string, string>
    const defined = (job.parameters ?? []).map((p) => p.name)
    const unknown = Object.keys(parameters).filter((name) => !defined.includes(name))
    if (unknown.length)
      return error(
        400,
        'INVALID_PARAMETER_VALUE',
        `Job parameter(s) ${unknown.join(', ')} are not defined in job ${job.job_id}.`
      )
    const existing = idempotency !== undefined ? this.byToken.get(idempotency) : undefined
    if (existing !== undefined) return { status: 200, body: { run_id: existing, number_in_job: existing } }
    const values = Object.fromEntries((job.parameters ?? []).map((p) => [p.name, parameters[p.name] ?? p.default]))
    const run: FakeRun = {
      run_id: this.nextId++,
      job,
      parameters: values,
      token,
      createdAt: Date.now(),
      runMs: values.sleep_s !== undefined && values.sleep_s !== '' ? Number(values.sleep_s) * 1000 : 300,
      fail: values.fail === 'true',
      taskRunIds: job.tasks.map(() => this.nextId++)
    }
    this.runs.push(run)
    if (idempotency !== undefined) this.byToken.set(idempotency, run.run_id)
    return { status: 200, body: { run_id: run.run_id, number_in_job: run.run_id } }
  }

  /** The run's status now: PENDING for 100 ms, RUNNING, then TERMINATED (or TERMINATING after a cancel). */
  private state(run: FakeRun): {
    state: string
    termination_details?: { code: string; type: string; message: string }
  } {
    const now = Date.now()
    const ended = run.createdAt + 100 + run.runMs
    if (run.cancelledAt !== undefined && run.cancelledAt < ended)
      return now < run.cancelledAt + 100
        ? { state: 'TERMINATING' }
        : {
            state: 'TERMINATED',
            termination_details: {
              code: 'USER_CANCELED',
              type: 'SUCCESS',
              message: 'The run was canceled by a user.'
            }
          }
    if (now < run.createdAt + 100) return { state: 'PENDING' }
    if (now < ended) return { state: 'RUNNING' }
    return run.fail
      ? {
          state: 'TERMINATED',
          termination_details: {
            code: 'RUN_EXECUTION_ERROR',
            type: 'CLIENT_ERROR',
            message: `Task ${run.job.metricsTask ?? run.job.tasks[0]} failed with message: ValueError: loss is NaN.`
          }
        }
      : {
          state: 'TERMINATED',
          termination_details: { code: 'SUCCESS', type: 'SUCCESS', message: '' }
        }
  }

  private runBody(run: FakeRun) {
    const status = this.state(run)
    return {
      job_id: run.job.job_id,
      run_id: run.run_id,
      number_in_job: run.run_id,
      run_name: run.job.name,
      creator_user_name: 'ml-team@example.com',
      start_time: run.createdAt,
      run_page_url: `${this.options.runPageOrigin ?? this.url}/jobs/${run.job.job_id}/runs/${run.run_id}`,
      run_type: 'JOB_RUN',
      ...(Object.keys(run.parameters).length
        ? {
            job_parameters: Object.entries(run.parameters).map(([name, value]) => ({
              name,
              default: run.job.parameters!.find((p) => p.name === name)!.default,
              value
            }))
          }
        : {}),
      status,
      tasks: run.job.tasks.map((task_key, i) => ({
        task_key,
        run_id: run.taskRunIds[i]!,
        ...taskKind(run.job, task_key),
        status
      }))
    }
  }

  private output(runId: number): Answer {
    const run = this.runs.find((r) => r.run_id === runId)
    if (run && run.job.tasks.length > 1)
      return error(
        400,
        'INVALID_PARAMETER_VALUE',
        `Retrieving the output of runs with multiple tasks is not supported. Please retrieve the output of each individual task run instead.`
      )
    const parent = run ?? this.runs.find((r) => r.taskRunIds.includes(runId))
    if (!parent) return error(400, 'INVALID_PARAMETER_VALUE', `Run ${runId} does not exist.`)
    const task = parent.job.tasks[run ? 0 : parent.taskRunIds.indexOf(runId)]!
    const status = this.state(parent)
    const done = status.state === 'TERMINATED' && status.termination_details?.code === 'SUCCESS'
    const result =
      done && task === parent.job.metricsTask
        ? JSON.stringify({ accuracy: 0.9, lr: Number(parent.parameters.lr ?? '0') })
        : undefined
    return {
      status: 200,
      body: {
        ...(result === undefined
          ? {}
          : parent.job.python
            ? { logs: `epoch 1 loss 0.4\nepoch 2 loss 0.2\n${result}\n`, logs_truncated: false }
            : { notebook_output: { result, truncated: false } }),
        ...(parent.fail && status.state === 'TERMINATED' && !parent.cancelledAt
          ? { error: 'ValueError: loss is NaN' }
          : {}),
        metadata: { job_id: parent.job.job_id, run_id: runId, status }
      }
    }
  }

  /** POST /oidc/v1/token (form-encoded), checked against Databricks' documented requests by hand: no SDK dataclass covers it. */
  private token(seen: SeenDatabricksRequest): Answer {
    const oauthError = (status: number, code: string, description: string): Answer => ({
      status,
      body: { error: code, error_description: description }
    })
    if (seen.method !== 'POST') return oauthError(405, 'invalid_request', 'POST only')
    if (!String(seen.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      this.violations.push('/oidc/v1/token: the body must be application/x-www-form-urlencoded')
      return oauthError(400, 'invalid_request', 'form-encoded body expected')
    }
    const form = Object.fromEntries(new URLSearchParams(seen.body))
    if (form.scope !== 'all-apis') {
      this.violations.push(`/oidc/v1/token: scope ${form.scope} (Databricks documents all-apis)`)
      return oauthError(400, 'invalid_scope', 'scope must be all-apis')
    }
    if (form.grant_type === 'client_credentials') {
      const sp = this.options.servicePrincipal
      const basic = /^Basic (\S+)$/.exec(String(seen.headers.authorization ?? ''))?.[1]
      const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : []
      if (!sp || id !== sp.clientId || secret !== sp.clientSecret)
        return oauthError(401, 'invalid_client', 'Client authentication failed')
    } else if (form.grant_type === 'urn:ietf:params:oauth:grant-type:token-exchange') {
      const policy = this.options.federation
      if (form.subject_token_type !== 'urn:ietf:params:oauth:token-type:jwt') {
        this.violations.push(`/oidc/v1/token: subject_token_type ${form.subject_token_type}`)
        return oauthError(400, 'invalid_request', 'subject_token_type must be urn:ietf:params:oauth:token-type:jwt')
      }
      if (!policy || form.client_id !== policy.clientId)
        return oauthError(400, 'invalid_request', 'No federation policy for this client_id')
      const claims = jwtClaims(form.subject_token ?? '')
      if (!policy.verify(form.subject_token ?? '') || claims?.aud !== policy.audience || claims.sub !== policy.subject)
        return oauthError(401, 'invalid_grant', 'The subject token does not match the federation policy')
    } else {
      this.violations.push(`/oidc/v1/token: grant_type ${form.grant_type}`)
      return oauthError(400, 'unsupported_grant_type', `unsupported grant_type ${form.grant_type}`)
    }
    const lifetime = this.options.tokenLifetimeS ?? 3600
    const access = `eyJraWQi.${randomBytes(24).toString('base64url')}`
    this.minted.set(access, Date.now() + lifetime * 1000)
    return {
      status: 200,
      body: { access_token: access, token_type: 'Bearer', expires_in: lifetime, scope: 'all-apis' }
    }
  }
}

/** A task's kind as jobs/get and runs/get give it: a notebook, or a Python script on the workspace. */
function taskKind(job: FakeJob, taskKey: string) {
  return job.python
    ? { spark_python_task: { python_file: `/Workspace/ml/${taskKey}.py` } }
    : { notebook_task: { notebook_path: `/Repos/ml/${taskKey}` } }
}

function jwtClaims(jwt: string): { aud?: string; sub?: string } | undefined {
  try {
    return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
      aud?: string
      sub?: string
    }
  } catch {
    return undefined
  }
}

/**
 * GitHub's ID token endpoint for a job with `id-token: write` (ACTIONS_ID_TOKEN_REQUEST_URL,
 * `&audience=` added, Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN) → {value: <JWT>}. The JWTs are
 * unsigned stand-ins: `issued` is what the Databricks stand-in's policy trusts.
 */
export async function startFakeGitHubIdTokens(requestToken: string, subject: string) {
  const issued = new Set<string>()
  const requests: { url: string; authorization: string | undefined }[] = []
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', authorization: req.headers.authorization })
    const url = new URL(req.url ?? '/', 'http://stand-in')
    if (req.headers.authorization !== `Bearer ${requestToken}`) {
      res.writeHead(401, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ message: 'Bad credentials' }))
    }
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
    const jwt = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
      iss: 'https://token.actions.githubusercontent.com',
      aud: url.searchParams.get('audience') ?? 'https://github.com/octo-org',
      sub: subject,
      exp: Math.floor(Date.now() / 1000) + 300
    })}.${randomBytes(32).toString('base64url')}`
    issued.add(jwt)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ count: 1, value: jwt }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    /** What the runner puts in ACTIONS_ID_TOKEN_REQUEST_URL (GitHub's carries a query already). */
    requestUrl: `${base}/_apis/distributedtask/hubs/build/plans/1/jobs/1/idtoken?api-version=2.0`,
    issued,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
