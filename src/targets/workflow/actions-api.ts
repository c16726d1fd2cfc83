/**
 * The GitHub REST calls the workflow target makes: read the target workflow file, dispatch it
 * (or a repository_dispatch), find, read and cancel its run, and find its metrics artifact,
 * through the one GitHub client. Retries are the executor's, but for the artifact reads: errors
 * come back sorted into transient (429, 5xx, no answer), the deadline, and final errors that name
 * the permission to grant.
 */
import { z } from 'zod'
import { UserError, preview } from '../../errors.js'
import { GitHubRefusal, type GitHubClient, type Octokit } from '../../github/client.js'
import { isLoopback } from '../../http/url.js'
import {
  contentReply,
  dispatchReply,
  repositoryReply,
  runListReply,
  runReply,
  workflowReply
} from '../../github/replies.js'

/** The API version under which a workflow dispatch answers with its run (github.com, GHES ≥ 3.21). */
export const DISPATCH_API_VERSION = '2026-03-10'

export interface WorkflowRun {
  id: number
  status: string
  conclusion: string | null
  htmlUrl: string
  /** The run's name as shown (run-name), where a correlation id can be put. */
  title: string
}

/** An artifact a workflow run uploaded (actions/upload-artifact), as the action reads it. */
export interface RunArtifact {
  id: number
  name: string
  sizeInBytes: number
  expired: boolean
  /** `sha256:<hex>` of the zip, where GitHub gives it (artifacts of upload-artifact v4 and later). */
  digest?: string
}

/** GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts: the fields read from it. */
const artifactListReply = z.object({
  artifacts: z.array(
    z.object({
      id: z.number().int().positive(),
      name: z.string(),
      size_in_bytes: z.number().int().nonnegative(),
      expired: z.boolean(),
      digest: z.string().nullish()
    })
  )
})

export interface Dispatched {
  runId?: number
  htmlUrl?: string
}

export class ActionsApi {
  constructor(
    private readonly client: GitHubClient,
    private readonly log: (message: string) => void
  ) {}

  get apiUrl(): string {
    return this.client.apiUrl
  }

  get isGithubCom(): boolean {
    return this.client.isGithubCom
  }

  /** One call, not retried here: the executor decides whether a start may be tried again. */
  private call<T>(
    what: string,
    permission: string,
    signal: AbortSignal,
    request: (octokit: Octokit) => Promise<T>
  ): Promise<T> {
    return this.client.call(what, { permission, signal }, request)
  }

  async defaultBranch(owner: string, repo: string, signal: AbortSignal): Promise<string> {
    const what = `reading ${owner}/${repo}`
    const { data } = await this.call(what, '`contents: read` (or `metadata: read`)', signal, (octokit) =>
      octokit.rest.repos.get({ owner, repo, request: { signal } })
    )
    return this.client.read(repositoryReply, data, what).default_branch
  }

  /** The workflow file's path and text at `ref`; a numeric id is resolved to its path first. */
  async workflowFile(
    owner: string,
    repo: string,
    workflow: string,
    ref: string,
    signal: AbortSignal
  ): Promise<{ path: string; text: string }> {
    let path = `.github/workflows/${workflow}`
    if (/^\d+$/.test(workflow)) {
      const what = `reading workflow ${workflow} of ${owner}/${repo}`
      const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
        octokit.rest.actions.getWorkflow({ owner, repo, workflow_id: Number(workflow), request: { signal } })
      )
      path = this.client.read(workflowReply, data, what).path
    }
    const what = `reading ${path} at ${ref} in ${owner}/${repo}`
    const { data } = await this.call(what, '`contents: read`', signal, (octokit) =>
      octokit.rest.repos.getContent({ owner, repo, path, ref, request: { signal } })
    )
    const content = this.client.read(contentReply, data, what)
    if (Array.isArray(content) || content.type !== 'file' || content.content === undefined)
      throw new UserError(`${owner}/${repo}: ${path} at ${ref} is not a file. Check workflow and ref.`)
    return { path, text: Buffer.from(content.content, 'base64').toString('utf8') }
  }

  /**
   * workflow_dispatch, asking for the run: API version 2026-03-10 answers 200 with it. A server
   * that refuses that version (400, older GHES) is asked with return_run_details, and one that
   * refuses that too gets the plain dispatch (204, no run: the caller finds it by correlation).
   * A 400 means nothing was dispatched, so asking again cannot start a second run.
   */
  async dispatchWorkflow(
    owner: string,
    repo: string,
    workflow: string,
    ref: string,
    inputs: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<Dispatched> {
    const route = 'POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches' as const
    const base = {
      owner,
      repo,
      workflow_id: /^\d+$/.test(workflow) ? Number(workflow) : workflow,
      ref,
      inputs,
      request: { signal }
    }
    const what = `dispatching ${workflow} on ${ref} in ${owner}/${repo}`
    const attempts: Record<string, unknown>[] = [
      { headers: { 'x-github-api-version': DISPATCH_API_VERSION } },
      { return_run_details: true },
      {}
    ]
    for (const [i, extra] of attempts.entries()) {
      try {
        const { data } = await this.call(what, '`actions: write`', signal, (octokit) =>
          octokit.request(route, { ...base, ...extra } as never)
        )
        // GitHub accepted the dispatch: an unreadable answer only loses the run's id, which the caller finds by correlation.
        const parsed = dispatchReply.safeParse(data || undefined)
        if (!parsed.success)
          this.log(
            `${what}: accepted, but the answer did not name the run (${preview(data)}); finding it by its pipeline-trigger-id.`
          )
        const details = (parsed.success && parsed.data) || {}
        return {
          ...(details.workflow_run_id ? { runId: details.workflow_run_id } : {}),
          ...(details.html_url ? { htmlUrl: details.html_url } : {})
        }
      } catch (error) {
        if (i === attempts.length - 1 || !(error instanceof GitHubRefusal && error.status === 400)) throw error
        this.log(
          `${what}: the server refused ${i === 0 ? `API version ${DISPATCH_API_VERSION}` : 'return_run_details'} (older GitHub Enterprise Server); asking ${i === 0 ? 'with return_run_details' : 'without run details'}.`
        )
      }
    }
    throw new UserError(`${what}: no dispatch was accepted.`)
  }

  async dispatchRepository(
    owner: string,
    repo: string,
    eventType: string,
    payload: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<void> {
    await this.call(
      `sending repository_dispatch ${JSON.stringify(eventType)} to ${owner}/${repo}`,
      '`contents: write`',
      signal,
      (octokit) =>
        octokit.rest.repos.createDispatchEvent({
          owner,
          repo,
          event_type: eventType,
          client_payload: payload,
          request: { signal }
        })
    )
  }

  /** The newest run created since `since` (ISO time) whose run-name carries `correlation`. */
  async findRun(
    owner: string,
    repo: string,
    by: { workflow?: string; event: string; correlation: string; since: string },
    signal: AbortSignal
  ): Promise<WorkflowRun | undefined> {
    const what = `looking for the run of ${by.workflow ?? by.event} in ${owner}/${repo}`
    // Whole seconds, as GitHub's search syntax documents.
    const since = by.since.replace(/\.\d{3}Z$/, 'Z')
    const query = { owner, repo, event: by.event, created: `>=${since}`, per_page: 100, request: { signal } }
    const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
      by.workflow
        ? octokit.rest.actions.listWorkflowRuns({
            ...query,
            workflow_id: /^\d+$/.test(by.workflow) ? Number(by.workflow) : by.workflow
          })
        : octokit.rest.actions.listWorkflowRunsForRepo(query)
    )
    const run = this.client
      .read(runListReply, data, what)
      .workflow_runs.find((r) => (r.display_title ?? '').includes(by.correlation))
    return run ? toRun(run) : undefined
  }

  async getRun(owner: string, repo: string, id: number, signal: AbortSignal): Promise<WorkflowRun> {
    const what = `reading workflow run ${id} of ${owner}/${repo}`
    const { data } = await this.call(what, '`actions: read`', signal, (octokit) =>
      octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: id, request: { signal } })
    )
    return toRun(this.client.read(runReply, data, what))
  }

  /** The run's artifacts called `name`, newest first (read, so retried on a lost answer). */
  async runArtifacts(
    owner: string,
    repo: string,
    runId: number,
    name: string,
    signal: AbortSignal
  ): Promise<RunArtifact[]> {
    const what = `listing the artifacts of workflow run ${runId} of ${owner}/${repo}`
    const { data } = await this.client.call(what, { permission: '`actions: read`', signal, retry: true }, (octokit) =>
      octokit.rest.actions.listWorkflowRunArtifacts({
        owner,
        repo,
        run_id: runId,
        name,
        per_page: 100,
        request: { signal }
      })
    )
    return this.client
      .read(artifactListReply, data, what)
      .artifacts.filter((a) => a.name === name)
      .sort((a, b) => b.id - a.id)
      .map((a) => ({
        id: a.id,
        name: a.name,
        sizeInBytes: a.size_in_bytes,
        expired: a.expired,
        ...(a.digest ? { digest: a.digest } : {})
      }))
  }

  /**
   * Where an artifact's zip can be downloaded: GitHub answers 302 with a short-lived signed URL on
   * another host (its blob storage). The redirect is not followed here, so the token goes to the
   * API and nowhere else; the caller fetches that URL without it. An expired artifact (410) is
   * 'expired'.
   */
  async artifactDownload(
    owner: string,
    repo: string,
    artifactId: number,
    signal: AbortSignal
  ): Promise<URL | 'expired'> {
    const what = `asking where to download artifact ${artifactId} of ${owner}/${repo}`
    let response: { status: number; headers: { location?: string | undefined }; data: unknown }
    try {
      response = await this.client.call(what, { permission: '`actions: read`', signal, retry: true }, (octokit) =>
        octokit.rest.actions.downloadArtifact({
          owner,
          repo,
          artifact_id: artifactId,
          archive_format: 'zip',
          request: { signal, redirect: 'manual', parseSuccessResponseBody: false }
        })
      )
    } catch (error) {
      if (error instanceof GitHubRefusal && error.status === 410) return 'expired'
      throw error
    }
    // Whatever body came with the answer is not read.
    await (response.data as ReadableStream | null | undefined)?.cancel().catch(() => undefined)
    const fix =
      'check that GITHUB_API_URL points at the GitHub REST API (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), not a proxy in front of it'
    const location = response.headers.location
    if (response.status < 300 || response.status >= 400 || !location)
      throw new UserError(
        `GitHub API: ${what}: HTTP ${response.status} without a Location to download from, where GitHub answers 302 with one. Fix: ${fix}.`
      )
    let url: URL
    try {
      url = new URL(location, this.apiUrl)
    } catch {
      throw new UserError(`GitHub API: ${what}: the Location it answered with is not a URL. Fix: ${fix}.`)
    }
    // The signed URL is itself a credential: messages name its host only.
    if ((url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopback(url))) || url.username || url.password)
      throw new UserError(
        `GitHub API: ${what}: the download is at ${url.protocol}//${url.host}, not an https URL, so the action does not fetch it. Fix: ${fix}.`
      )
    return url
  }

  async cancelRun(owner: string, repo: string, id: number, signal: AbortSignal): Promise<void> {
    await this.call(`cancelling workflow run ${id} of ${owner}/${repo}`, '`actions: write`', signal, (octokit) =>
      octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: id, request: { signal } })
    )
  }
}

function toRun(run: z.infer<typeof runReply>): WorkflowRun {
  return {
    id: run.id,
    status: run.status ?? 'queued',
    conclusion: run.conclusion ?? null,
    htmlUrl: run.html_url,
    title: run.display_title ?? ''
  }
}
