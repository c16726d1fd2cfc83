/**
 * A fake of the GitHub REST endpoints the workflow target calls, on 127.0.0.1: repositories,
 * workflow files (contents API), workflow_dispatch, repository_dispatch, workflow runs, cancel.
 * GitHub cannot run here, so this one follows the published contract
 * (GitHub's REST API documentation for workflow dispatches and runs, and @octokit/openapi): every request body and every
 * JSON response is validated against the OpenAPI description, and the collected errors must be
 * empty at the end of each test.
 * - 'github.com': a dispatch under API version 2026-03-10, or with return_run_details, answers
 *   200 with the run; a plain one 204.
 * - 'ghes-3.20': the version header and return_run_details are refused with 400; the plain
 *   dispatch answers 204, and the run is found by its run-name.
 * - Inputs a workflow does not declare get GitHub's 422 "Unexpected inputs provided".
 * - A run's run-name is rendered from the workflow's `run-name:` line, with ${{ inputs.X }} and
 *   ${{ github.event.client_payload.X }} substituted as GitHub would.
 * - Artifacts, seeded per run (seedArtifacts): listed by run (and ?name=); their download
 *   (/actions/artifacts/{id}/zip) answers 302 to a signed URL on a second server on 127.0.0.1, another
 *   origin as GitHub's blob storage is, which serves the zip only with a valid signature, answers
 *   400 to an Authorization header as Azure Blob Storage does to one next to a signature, and
 *   records every request's headers. An expired artifact's download is 410.
 */
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { parse } from 'yaml'
import { requestErrors, responseErrorsFor } from './github-openapi.js'

const require = createRequire(import.meta.url)
const examples = (
  require('@octokit/openapi/generated/api.github.com.json') as {
    components: { examples: Record<string, { value: any }> }
  }
).components.examples
const RUN = examples['workflow-run']!.value
const REPOSITORY = examples['full-repository']!.value
const WORKFLOW = examples['workflow']!.value
const FILE = examples['content-file-response-if-content-is-a-file']!.value
const ARTIFACT = examples['artifact']!.value
const paths = (
  require('@octokit/openapi/generated/api.github.com.json') as {
    paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>
  }
).paths
const DOWNLOAD_TEMPLATE = '/repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}'
// The download answers with a redirect, which has no body to validate: its documented form is checked once here.
if (!paths[DOWNLOAD_TEMPLATE]?.get?.responses['302']?.headers?.['Location'])
  throw new Error(`@octokit/openapi no longer documents GET ${DOWNLOAD_TEMPLATE} → 302 with a Location`)

export interface FakeWorkflow {
  id: number
  text: string
}

export interface FakeRun {
  id: number
  repository: string
  workflow: string
  event: 'workflow_dispatch' | 'repository_dispatch'
  title: string
  inputs: Record<string, unknown>
  createdAt: number
  cancelled: boolean
}

export interface FakeArtifact {
  name: string
  /** The zip the blob storage serves. */
  zip: Uint8Array
  /** What the listing says of its size: the zip's length unless set. */
  sizeInBytes?: number
  /** Expired: listed as such, and its download is 410; 'at-download': listed live, but expired by the time it is downloaded. */
  expired?: boolean | 'at-download'
  /** The digest listed: sha256 of the zip unless set (null: none, as for upload-artifact before v4). */
  digest?: string | null
  /** How the blob storage answers the download: the zip (default), a TCP reset, or never. */
  blob?: 'serve' | 'reset' | 'hang'
}

export interface BlobRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
}

export interface FakeActionsOptions {
  token: string
  server: 'github.com' | 'ghes-3.20'
  repositories: Record<string, { defaultBranch: string; workflows: Record<string, FakeWorkflow> }>
  /** How a run ends and when: default success after 1.5 s. */
  outcome?: (run: FakeRun) => { conclusion: 'success' | 'failure' | 'cancelled'; afterMs: number }
  /** Answer dispatches with 403, as for a token without actions: write. */
  forbidDispatch?: boolean
  /** Make the first dispatch's run, then drop the connection before answering (a lost answer). */
  loseFirstDispatchAnswer?: boolean
}

export interface FakeActions {
  url: string
  requests: { method: string; path: string; body: unknown; headers: IncomingMessage['headers'] }[]
  runs: FakeRun[]
  contractErrors: string[]
  /** The most dispatch requests that were being answered at once. */
  maxConcurrentDispatches: number
  /** Gives run `runId` of `repository` these artifacts (the run exists for the artifact endpoints even if never dispatched); returns their ids. */
  seedArtifacts(repository: string, runId: number, artifacts: FakeArtifact[]): number[]
  /** The blob storage: another origin than `url`. */
  blob: { url: string; requests: BlobRequest[] }
  close(): Promise<void>
}

/** GitHub's run-name rendering, for the two expressions a receiving workflow uses here. */
function renderTitle(
  text: string,
  inputs: Record<string, unknown>,
  payload: Record<string, unknown>,
  fallback: string
): string {
  const runName = (parse(text) as { 'run-name'?: string } | null)?.['run-name']
  if (!runName) return fallback
  return runName.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)/.exec(expression)
    if (input) return String(inputs[input[1]!] ?? '')
    const key = /^github\.event\.client_payload\.([\w-]+)/.exec(expression)
    if (key) return String(payload[key[1]!] ?? '')
    return ''
  })
}

export async function startFakeActions(options: FakeActionsOptions): Promise<FakeActions> {
  const requests: FakeActions['requests'] = []
  const runs: FakeRun[] = []
  const contractErrors: string[] = []
  let inDispatch = 0
  const state = { maxConcurrentDispatches: 0 }
  let nextId = 70_000
  let base = ''
  let blobBase = ''
  const artifacts: (FakeArtifact & { id: number; repository: string; runId: number; signature: string })[] = []
  let nextArtifactId = 880_000
  const blobRequests: BlobRequest[] = []
  const seededRuns = new Set<string>()

  const send = (res: ServerResponse, method: string, template: string | undefined, status: number, body?: unknown) => {
    if (template && body !== undefined && status < 300)
      contractErrors.push(...responseErrorsFor(method, template, status, body))
    res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' })
    res.end(body === undefined ? undefined : JSON.stringify(body))
  }
  const error = (res: ServerResponse, status: number, message: string) =>
    send(res, 'GET', undefined, status, { message, documentation_url: 'https://docs.github.com/rest' })

  const runBody = (run: FakeRun) => {
    const { conclusion, afterMs } = run.cancelled
      ? { conclusion: 'cancelled' as const, afterMs: 0 }
      : (options.outcome?.(run) ?? { conclusion: 'success' as const, afterMs: 1500 })
    const age = Date.now() - run.createdAt
    const done = run.cancelled || age >= afterMs
    return {
      ...structuredClone(RUN),
      id: run.id,
      name: run.workflow,
      display_title: run.title,
      event: run.event,
      status: done ? 'completed' : age < 200 ? 'queued' : 'in_progress',
      conclusion: done ? conclusion : null,
      created_at: new Date(run.createdAt).toISOString(),
      html_url: `https://github.com/${run.repository}/actions/runs/${run.id}`,
      url: `${base}/repos/${run.repository}/actions/runs/${run.id}`
    }
  }

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const path = decodeURIComponent(url.pathname)
    const method = req.method ?? 'GET'
    let body: unknown
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      return error(res, 400, 'Problems parsing JSON')
    }
    requests.push({ method, path: `${path}${url.search}`, body, headers: req.headers })
    if (
      req.headers.authorization !== `token ${options.token}` &&
      req.headers.authorization !== `Bearer ${options.token}`
    )
      return error(res, 401, 'Bad credentials')
    const version = req.headers['x-github-api-version']
    if (version && version !== '2022-11-28' && !(options.server === 'github.com' && version === '2026-03-10')) {
      return error(
        res,
        400,
        `The version you specified in the X-GitHub-API-Version request header (${String(version)}) is not a supported version.`
      )
    }

    const match = /^\/repos\/([^/]+\/[^/]+)(\/.*)?$/.exec(path)
    const repository = match ? options.repositories[match[1]!] : undefined
    if (!match || !repository) return error(res, 404, 'Not Found')
    const name = match[1]!
    const rest = match[2] ?? ''
    let m: RegExpExecArray | null

    if (rest === '' && method === 'GET') {
      return send(res, method, '/repos/{owner}/{repo}', 200, {
        ...structuredClone(REPOSITORY),
        has_discussions: false,
        full_name: name,
        name: name.split('/')[1],
        default_branch: repository.defaultBranch
      })
    }
    if ((m = /^\/contents\/\.github\/workflows\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const workflow = repository.workflows[m[1]!]
      if (!workflow) return error(res, 404, 'Not Found')
      const content = Buffer.from(workflow.text).toString('base64')
      return send(res, method, '/repos/{owner}/{repo}/contents/{path}', 200, {
        ...structuredClone(FILE),
        name: m[1],
        path: `.github/workflows/${m[1]}`,
        content,
        size: workflow.text.length,
        encoding: 'base64'
      })
    }
    if ((m = /^\/actions\/workflows\/(\d+)$/.exec(rest)) && method === 'GET') {
      const found = Object.entries(repository.workflows).find(([, w]) => w.id === Number(m![1]))
      if (!found) return error(res, 404, 'Not Found')
      return send(res, method, '/repos/{owner}/{repo}/actions/workflows/{workflow_id}', 200, {
        ...structuredClone(WORKFLOW),
        id: found[1].id,
        path: `.github/workflows/${found[0]}`
      })
    }
    if ((m = /^\/actions\/workflows\/([^/]+)\/dispatches$/.exec(rest)) && method === 'POST') {
      contractErrors.push(
        ...requestErrors('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', body)
      )
      const file = /^\d+$/.test(m[1]!)
        ? Object.keys(repository.workflows).find((k) => repository.workflows[k]!.id === Number(m![1]))
        : m[1]!
      const workflow = file ? repository.workflows[file] : undefined
      if (!workflow) return error(res, 404, 'Not Found')
      if (options.forbidDispatch) return error(res, 403, 'Resource not accessible by integration')
      const request = (body ?? {}) as { ref?: string; inputs?: Record<string, unknown>; return_run_details?: boolean }
      if (options.server === 'ghes-3.20' && 'return_run_details' in request)
        return error(res, 400, 'Invalid request.\n\n"return_run_details" is not a permitted key.')
      const declared = Object.keys(
        (parse(workflow.text) as { on?: { workflow_dispatch?: { inputs?: object } } }).on?.workflow_dispatch?.inputs ??
          {}
      )
      const unexpected = Object.keys(request.inputs ?? {}).filter((k) => !declared.includes(k))
      if (unexpected.length) return error(res, 422, `Unexpected inputs provided: ${JSON.stringify(unexpected)}`)
      const run: FakeRun = {
        id: nextId++,
        repository: name,
        workflow: file!,
        event: 'workflow_dispatch',
        title: '',
        inputs: request.inputs ?? {},
        createdAt: Date.now(),
        cancelled: false
      }
      run.title = renderTitle(workflow.text, run.inputs, {}, file!)
      runs.push(run)
      if (options.loseFirstDispatchAnswer && runs.length === 1) return req.socket.destroy()
      inDispatch++
      state.maxConcurrentDispatches = Math.max(state.maxConcurrentDispatches, inDispatch)
      // A dispatch takes a moment to answer, so overlapping dispatches would show.
      setTimeout(() => {
        inDispatch--
        if (version === '2026-03-10' || request.return_run_details) {
          return send(res, method, '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', 200, {
            workflow_run_id: run.id,
            run_url: `${base}/repos/${name}/actions/runs/${run.id}`,
            html_url: `https://github.com/${name}/actions/runs/${run.id}`
          })
        }
        send(res, method, undefined, 204)
      }, 100)
      return
    }
    if (rest === '/dispatches' && method === 'POST') {
      contractErrors.push(...requestErrors('POST', '/repos/{owner}/{repo}/dispatches', body))
      const request = (body ?? {}) as { event_type?: string; client_payload?: Record<string, unknown> }
      if (Object.keys(request.client_payload ?? {}).length > 10)
        return error(res, 422, 'No more than 10 properties are allowed')
      for (const [file, workflow] of Object.entries(repository.workflows)) {
        const on = (parse(workflow.text) as { on?: { repository_dispatch?: { types?: string[] } } }).on
        if (
          !on?.repository_dispatch ||
          (on.repository_dispatch.types && !on.repository_dispatch.types.includes(request.event_type!))
        )
          continue
        const run: FakeRun = {
          id: nextId++,
          repository: name,
          workflow: file,
          event: 'repository_dispatch',
          title: '',
          inputs: request.client_payload ?? {},
          createdAt: Date.now(),
          cancelled: false
        }
        run.title = renderTitle(workflow.text, {}, run.inputs, file)
        runs.push(run)
      }
      return send(res, method, undefined, 204)
    }
    const list = (template: string, selected: FakeRun[]) => {
      const event = url.searchParams.get('event')
      const since = url.searchParams.get('created')?.replace(/^>=/, '')
      const found = selected
        .filter((r) => (!event || r.event === event) && (!since || r.createdAt >= Date.parse(since)))
        .reverse()
      return send(res, method, template, 200, {
        total_count: found.length,
        workflow_runs: found.slice(0, Number(url.searchParams.get('per_page') ?? 30)).map(runBody)
      })
    }
    if ((m = /^\/actions\/workflows\/([^/]+)\/runs$/.exec(rest)) && method === 'GET') {
      return list(
        '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
        runs.filter((r) => r.repository === name && r.workflow === m![1])
      )
    }
    if (rest === '/actions/runs' && method === 'GET')
      return list(
        '/repos/{owner}/{repo}/actions/runs',
        runs.filter((r) => r.repository === name)
      )
    if ((m = /^\/actions\/runs\/(\d+)\/artifacts$/.exec(rest)) && method === 'GET') {
      const runId = Number(m[1])
      const seeded = artifacts.filter((a) => a.repository === name && a.runId === runId)
      if (!seededRuns.has(`${name}#${runId}`) && !runs.some((r) => r.repository === name && r.id === runId))
        return error(res, 404, 'Not Found')
      const wanted = url.searchParams.get('name')
      const found = seeded.filter((a) => wanted === null || a.name === wanted)
      const perPage = Number(url.searchParams.get('per_page') ?? 30)
      return send(res, method, '/repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', 200, {
        total_count: found.length,
        artifacts: found.slice(0, perPage).map((a) => ({
          ...structuredClone(ARTIFACT),
          id: a.id,
          node_id: Buffer.from(`Artifact${a.id}`).toString('base64'),
          name: a.name,
          size_in_bytes: a.sizeInBytes ?? a.zip.length,
          url: `${base}/repos/${name}/actions/artifacts/${a.id}`,
          archive_download_url: `${base}/repos/${name}/actions/artifacts/${a.id}/zip`,
          expired: a.expired === true,
          digest: a.digest === undefined ? `sha256:${createHash('sha256').update(a.zip).digest('hex')}` : a.digest,
          workflow_run: { ...structuredClone(ARTIFACT.workflow_run), id: runId }
        }))
      })
    }
    if ((m = /^\/actions\/artifacts\/(\d+)\/([^/]+)$/.exec(rest)) && method === 'GET') {
      const artifact = artifacts.find((a) => a.repository === name && a.id === Number(m![1]))
      // GitHub offers artifacts as zip only.
      if (!artifact || m[2] !== 'zip') return error(res, 404, 'Not Found')
      if (artifact.expired) return error(res, 410, 'Artifact has expired')
      // A signed blob storage URL, valid for a minute, as GitHub gives.
      const expires = new Date(Date.now() + 60_000).toISOString()
      res.writeHead(302, {
        location: `${blobBase}/actions-results/${artifact.id}/artifact.zip?sv=2025-01-05&se=${encodeURIComponent(expires)}&sp=r&sig=${encodeURIComponent(artifact.signature)}`
      })
      return res.end()
    }
    if ((m = /^\/actions\/runs\/(\d+)(\/cancel)?$/.exec(rest))) {
      const run = runs.find((r) => r.repository === name && r.id === Number(m![1]))
      if (!run) return error(res, 404, 'Not Found')
      if (m[2] && method === 'POST') {
        if (runBody(run).status === 'completed')
          return error(res, 409, 'Cannot cancel a workflow run that is completed.')
        run.cancelled = true
        return send(res, method, undefined, 202, {})
      }
      if (method === 'GET') return send(res, method, '/repos/{owner}/{repo}/actions/runs/{run_id}', 200, runBody(run))
    }
    return error(res, 404, 'Not Found')
  }

  const server = createServer((req, res) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')))
    req.on('end', () => {
      try {
        handle(req, res, raw)
      } catch (failure) {
        contractErrors.push(`fake server error: ${(failure as Error).message}`)
        error(res, 500, 'fake server error')
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  // GitHub's blob storage: knows nothing of tokens; the URL's signature is the credential.
  const blob = createServer((req, res) => {
    blobRequests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers })
    const url = new URL(req.url ?? '/', 'http://blob')
    const m = /^\/actions-results\/(\d+)\/artifact\.zip$/.exec(url.pathname)
    const artifact = m ? artifacts.find((a) => a.id === Number(m[1])) : undefined
    const fail = (status: number, code: string) => {
      res.writeHead(status, { 'content-type': 'application/xml' })
      res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code></Error>`)
    }
    if (req.headers.authorization) return fail(400, 'InvalidAuthenticationInfo')
    if (!artifact || url.searchParams.get('sig') !== artifact.signature) return fail(403, 'AuthenticationFailed')
    if (artifact.blob === 'reset') return req.socket.resetAndDestroy()
    if (artifact.blob === 'hang') return
    res.writeHead(200, { 'content-type': 'application/zip', 'content-length': String(artifact.zip.length) })
    res.end(artifact.zip)
  })
  await new Promise<void>((resolve) => blob.listen(0, '127.0.0.1', resolve))
  blobBase = `http://127.0.0.1:${(blob.address() as AddressInfo).port}`

  return {
    url: base,
    requests,
    runs,
    contractErrors,
    get maxConcurrentDispatches() {
      return state.maxConcurrentDispatches
    },
    seedArtifacts: (repository, runId, seeded) => {
      seededRuns.add(`${repository}#${runId}`)
      return seeded.map((artifact) => {
        const id = nextArtifactId++
        artifacts.push({ ...artifact, id, repository, runId, signature: randomBytes(24).toString('base64') })
        return id
      })
    },
    blob: { url: blobBase, requests: blobRequests },
    close: async () => {
      // A download left hanging must not keep the blob storage open.
      blob.closeAllConnections()
      await Promise.all([
        new Promise<void>((resolve) => server.close(() => resolve())),
        new Promise<void>((resolve) => blob.close(() => resolve()))
      ])
    }
  }
}
