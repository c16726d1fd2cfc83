/**
 * A stand-in for Vertex AI Pipelines (the aiplatform.v1 REST API's pipelineJobs methods) on
 * 127.0.0.1. Vertex AI cannot run here; this is a fake, kept honest by the service's published
 * model: every request it receives and every reply it sends is checked against the aiplatform.v1
 * discovery document (test/helpers/vertex-model.ts), a request the model refuses is answered with
 * Google's own error shape (400 INVALID_ARGUMENT), and every violation is recorded so each test can
 * assert there were none.
 *
 * What it does, as the service documents it:
 * - every request needs `Authorization: Bearer <token>`: none or another token is 401
 *   UNAUTHENTICATED; a token whose principal lacks the permission is 403 PERMISSION_DENIED naming
 *   it (aiplatform.pipelineJobs.create/get/list/cancel; iam.serviceAccounts.actAs for serviceAccount);
 * - create: pipelineJobId is the client's; a second create with the same id is 409 ALREADY_EXISTS
 *   (the job is not touched); the template must be one it holds (templateUri, the Artifact Registry
 *   URL), and parameterValues must fit the template's root.inputDefinitions.parameters (an unknown
 *   name, a wrong type or a missing required one is 400 INVALID_ARGUMENT, and no job is made);
 * - a job's `name` carries the project NUMBER, as Vertex answers; paths take the id or the number;
 * - get: the state moves QUEUED → PENDING → RUNNING by time, then to the job's scripted end
 *   (SUCCEEDED with system.Metrics output artifacts per task, FAILED with the job's and the task's
 *   error, or RUNNING until cancelled); `fields` keeps only the top-level members it names;
 * - cancel: CANCELLING, then CANCELLED with error {code: 1} at the next read; a job already over is
 *   400 FAILED_PRECONDITION.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { replyErrors, requestErrors, type Method } from './vertex-model.js'

/** KFP's parameter types, as a compiled template's root.inputDefinitions.parameters gives them. */
export type ParameterType = 'STRING' | 'NUMBER_INTEGER' | 'NUMBER_DOUBLE' | 'BOOLEAN' | 'LIST' | 'STRUCT'
export interface TemplateParameter {
  parameterType: ParameterType
  isOptional?: boolean
}

export interface Outcome {
  end: 'succeed' | 'fail' | 'hang'
  /** Metrics each task logs (system.Metrics artifacts), on success. */
  metrics?: Record<string, Record<string, unknown>>
  /** The failing task, and its error message. */
  failedTask?: string
  reason?: string
}

export interface Job {
  id: string
  body: Record<string, unknown>
  createdAt: number
  outcome: Outcome
  cancelledAt?: number
}

export interface SeenRequest {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body?: unknown
}

export interface FakeVertexOptions {
  project: string
  projectNumber?: string
  location: string
  /** Tokens it knows, and what each principal may do. */
  tokens: Record<string, { permissions: string[]; actAs?: string[] }>
  /** The templates in its Artifact Registry, by URL. */
  templates: Record<string, Record<string, TemplateParameter>>
  /** A job's end, from its parameters (default: it succeeds, logging no metrics). */
  outcome?: (parameters: Record<string, unknown>) => Outcome
  /** How long a job runs before its end (ms). */
  runMs?: number
  /** Where the job's artifacts point (e.g. another loopback port that must never see the token). */
  artifactBase?: string
}

export interface FakeVertex {
  url: string
  requests: SeenRequest[]
  violations: string[]
  jobs: Map<string, Job>
  /** The next `count` requests matching `path` are answered `status` (429, 503) in Google's shape. */
  failNext(status: number, count: number, match?: RegExp): void
  close(): Promise<void>
}

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ALREADY_EXISTS',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE'
}

const PERMISSIONS: Record<string, string> = {
  'aiplatform.projects.locations.pipelineJobs.create': 'aiplatform.pipelineJobs.create',
  'aiplatform.projects.locations.pipelineJobs.get': 'aiplatform.pipelineJobs.get',
  'aiplatform.projects.locations.pipelineJobs.list': 'aiplatform.pipelineJobs.list',
  'aiplatform.projects.locations.pipelineJobs.cancel': 'aiplatform.pipelineJobs.cancel'
}

/** The permissions of roles/aiplatform.user that the target's calls need. */
export const AIPLATFORM_USER = Object.values(PERMISSIONS)

const FITS: Record<ParameterType, (value: unknown) => boolean> = {
  STRING: (v) => typeof v === 'string',
  NUMBER_INTEGER: (v) => Number.isInteger(v),
  NUMBER_DOUBLE: (v) => typeof v === 'number',
  BOOLEAN: (v) => typeof v === 'boolean',
  LIST: (v) => Array.isArray(v),
  STRUCT: (v) => v !== null && typeof v === 'object' && !Array.isArray(v)
}

class Refusal {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly name = STATUS_NAMES[status] ?? 'UNKNOWN'
  ) {}
}

export async function startFakeVertex(options: FakeVertexOptions): Promise<FakeVertex> {
  const number = options.projectNumber ?? '123456789012'
  const runMs = options.runMs ?? 400
  const requests: SeenRequest[] = []
  const violations: string[] = []
  const jobs = new Map<string, Job>()
  const failures: { status: number; count: number; match: RegExp }[] = []

  const jobName = (id: string) => `projects/${number}/locations/${options.location}/pipelineJobs/${id}`
  const isProject = (p: string | undefined) => p === options.project || p === number

  /** The job as get answers it now: the state by time, the end as scripted. */
  function view(job: Job): Record<string, unknown> {
    const now = Date.now()
    const age = now - job.createdAt
    const at = (ms: number) => new Date(job.createdAt + ms).toISOString()
    const base = { ...job.body, createTime: at(0), updateTime: new Date(now).toISOString() }
    if (job.cancelledAt !== undefined) {
      // Vertex cancels asynchronously: CANCELLING for a moment, then CANCELLED.
      const done = now - job.cancelledAt >= 100
      return {
        ...base,
        state: done ? 'PIPELINE_STATE_CANCELLED' : 'PIPELINE_STATE_CANCELLING',
        ...(done ? { error: { code: 1, message: 'CANCELLED' }, endTime: new Date(now).toISOString() } : {})
      }
    }
    if (age < runMs / 4) return { ...base, state: 'PIPELINE_STATE_QUEUED' }
    if (age < runMs / 2) return { ...base, state: 'PIPELINE_STATE_PENDING' }
    const { outcome } = job
    const task = (name: string, state: string, extra: Record<string, unknown> = {}) => ({
      taskId: String(1000 + name.length),
      taskName: name,
      taskUniqueName: name,
      createTime: at(runMs / 2),
      state,
      ...extra
    })
    if (age < runMs || outcome.end === 'hang')
      return {
        ...base,
        state: 'PIPELINE_STATE_RUNNING',
        startTime: at(runMs / 2),
        jobDetail: { taskDetails: [task('train', 'RUNNING')] }
      }
    if (outcome.end === 'fail') {
      const failed = outcome.failedTask ?? 'train'
      return {
        ...base,
        state: 'PIPELINE_STATE_FAILED',
        startTime: at(runMs / 2),
        endTime: at(runMs),
        error: {
          code: 9,
          message: `The DAG failed because some tasks failed. The failed tasks are: [${failed}].; Job (project_id = ${options.project}, job_id = ${job.id}) is failed due to the above error.`
        },
        jobDetail: {
          taskDetails: [
            task(failed, 'FAILED', {
              endTime: at(runMs),
              error: {
                code: 3,
                message: outcome.reason ?? 'The replica workerpool0-0 exited with a non-zero status of 1.'
              }
            })
          ]
        }
      }
    }
    const metrics = Object.entries(outcome.metrics ?? {})
    return {
      ...base,
      state: 'PIPELINE_STATE_SUCCEEDED',
      startTime: at(runMs / 2),
      endTime: at(runMs),
      jobDetail: {
        taskDetails: (metrics.length ? metrics : [['train', undefined] as const]).map(([name, logged]) =>
          task(name, 'SUCCEEDED', {
            endTime: at(runMs),
            outputs: logged
              ? {
                  metrics: {
                    artifacts: [
                      {
                        name: `projects/${number}/locations/${options.location}/metadataStores/default/artifacts/${job.id}-${name}`,
                        displayName: 'metrics',
                        schemaTitle: 'system.Metrics',
                        schemaVersion: '0.0.1',
                        state: 'LIVE',
                        uri: `${options.artifactBase ?? 'gs://bucket'}/${job.id}/${name}/metrics`,
                        metadata: { display_name: 'metrics', ...logged }
                      }
                    ]
                  },
                  model: {
                    artifacts: [
                      {
                        schemaTitle: 'system.Model',
                        uri: `${options.artifactBase ?? 'gs://bucket'}/${job.id}/${name}/model`,
                        metadata: { framework: 'sklearn', size: 3 }
                      }
                    ]
                  }
                }
              : {}
          })
        )
      }
    }
  }

  function fields(job: Record<string, unknown>, selector: string | undefined): Record<string, unknown> {
    if (!selector) return job
    const top = new Set(selector.split(/,(?![^(]*\))/).map((f) => f.replace(/\(.*$/, '').split('/')[0]!.trim()))
    return Object.fromEntries(Object.entries(job).filter(([key]) => top.has(key)))
  }

  function authorize(headers: IncomingHttpHeaders, method: Method): { permissions: string[]; actAs?: string[] } {
    const header = headers.authorization ?? ''
    const token = /^Bearer (.+)$/.exec(header)?.[1]
    const principal = token && Object.hasOwn(options.tokens, token) ? options.tokens[token] : undefined
    if (!principal)
      throw new Refusal(
        401,
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.'
      )
    const needed = PERMISSIONS[method.id]
    if (needed && !principal.permissions.includes(needed))
      throw new Refusal(
        403,
        `Permission '${needed}' denied on resource '//aiplatform.googleapis.com/projects/${options.project}/locations/${options.location}' (or it may not exist).`
      )
    return principal
  }

  function create(
    params: Record<string, string>,
    body: Record<string, unknown>,
    actAs: string[]
  ): Record<string, unknown> {
    const id = params.pipelineJobId
    if (!id) throw new Refusal(400, 'This stand-in needs pipelineJobId: the target always sends one.')
    if (jobs.has(id)) throw new Refusal(409, `PipelineJob ${jobName(id)} already exists.`)
    const account = body.serviceAccount as string | undefined
    if (account && !actAs.includes(account))
      throw new Refusal(
        403,
        `Permission 'iam.serviceAccounts.actAs' denied on service account ${account} (or it may not exist).`
      )
    const uri = body.templateUri as string | undefined
    const template = uri && Object.hasOwn(options.templates, uri) ? options.templates[uri] : undefined
    if (!template) throw new Refusal(400, `Failed to fetch the pipeline template from ${uri ?? 'nowhere'}: not found.`)
    const values = ((body.runtimeConfig as Record<string, unknown> | undefined)?.parameterValues ?? {}) as Record<
      string,
      unknown
    >
    for (const [name, value] of Object.entries(values)) {
      const spec = template[name]
      if (!spec)
        throw new Refusal(400, `The pipeline parameter ${name} is not found in the pipeline job input definitions.`)
      if (!FITS[spec.parameterType](value))
        throw new Refusal(400, `The value of pipeline parameter ${name} is not of type ${spec.parameterType}.`)
    }
    for (const [name, spec] of Object.entries(template))
      if (!spec.isOptional && !Object.hasOwn(values, name))
        throw new Refusal(400, `The pipeline parameter ${name} is required but not provided.`)
    const outcome = options.outcome?.(values) ?? { end: 'succeed' }
    const job: Job = {
      id,
      outcome,
      createdAt: Date.now(),
      body: { ...body, name: jobName(id), templateMetadata: { version: `sha256:${'ab'.repeat(32)}` } }
    }
    jobs.set(id, job)
    return { ...view(job), state: 'PIPELINE_STATE_PENDING' }
  }

  function jobOf(params: Record<string, string>): Job {
    const [, project, , location, , id] = (params.name ?? '').split('/')
    const job = isProject(project) && location === options.location ? jobs.get(id ?? '') : undefined
    if (!job) throw new Refusal(404, `The PipelineJob ${params.name ?? ''} does not exist.`)
    return job
  }

  function answer(request: SeenRequest, method: Method, params: Record<string, string>): [number, unknown] {
    const failure = failures.find((f) => f.count > 0 && f.match.test(request.path))
    if (failure) {
      failure.count--
      throw new Refusal(
        failure.status,
        failure.status === 429
          ? 'Quota exceeded for aiplatform.googleapis.com.'
          : 'The service is currently unavailable.'
      )
    }
    const principal = authorize(request.headers, method)
    const parent = params.parent ?? params.name ?? ''
    const [, project, , location] = parent.split('/')
    if (!isProject(project) || location !== options.location)
      throw new Refusal(
        404,
        `Location ${parent.split('/').slice(0, 4).join('/')} is not found, or the project has no Vertex AI.`
      )
    const query = new URLSearchParams(request.path.split('?')[1] ?? '')
    switch (method.id.split('.').pop()) {
      case 'create':
        return [200, create(params, request.body as Record<string, unknown>, principal.actAs ?? [])]
      case 'get':
        return [200, fields(view(jobOf(params)), query.get('fields') ?? undefined)]
      case 'list':
        return [200, { pipelineJobs: [...jobs.values()].slice(0, Number(query.get('pageSize') ?? 100)).map(view) }]
      case 'cancel': {
        const job = jobOf(params)
        const state = view(job).state as string
        if (!['PIPELINE_STATE_QUEUED', 'PIPELINE_STATE_PENDING', 'PIPELINE_STATE_RUNNING'].includes(state))
          throw new Refusal(400, `Cannot cancel a PipelineJob in state ${state}.`, 'FAILED_PRECONDITION')
        job.cancelledAt = Date.now()
        return [200, {}]
      }
      default:
        throw new Refusal(501, `${method.id} is not implemented by this stand-in.`, 'UNIMPLEMENTED')
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8')
      let body: unknown
      try {
        body = text ? JSON.parse(text) : undefined
      } catch {
        body = text
      }
      const seen: SeenRequest = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body }
      requests.push(seen)
      const checked = requestErrors(seen.method, seen.path, body)
      let status: number
      let reply: unknown
      if (checked.errors.length) {
        violations.push(...checked.errors)
        ;[status, reply] = [
          400,
          { error: { code: 400, message: checked.errors.join('; '), status: 'INVALID_ARGUMENT' } }
        ]
      } else {
        try {
          ;[status, reply] = answer(seen, checked.method!, checked.params)
        } catch (error) {
          if (!(error instanceof Refusal)) throw error
          ;[status, reply] = [
            error.status,
            { error: { code: error.status, message: error.message, status: error.name } }
          ]
        }
        violations.push(...replyErrors(checked.method!, status, reply))
      }
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' })
      res.end(JSON.stringify(reply))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    violations,
    jobs,
    failNext: (status, count, match = /./) => failures.push({ status, count, match }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
