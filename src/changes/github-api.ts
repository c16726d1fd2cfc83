/**
 * The GitHub REST calls the changed-file fallback needs, through @actions/github's Octokit with
 * the retry plugin (transient 5xx and network errors) and the throttling plugin (primary and
 * secondary rate limits, honouring Retry-After). GITHUB_API_URL decides the server, as on GHES.
 */
import { UserError } from '../errors.js'
import { loadOctokit } from '../github/octokit.js'
import type { ApiFile, ChangesApi } from './api-changes.js'

/** GitHub's documented ceilings: 3,000 files for a pull request, 300 per compare, 250 commits per compare. */
export const API_LIMITS = { pullFiles: 3000, compareFiles: 300, compareCommits: 250, commitFiles: 3000 } as const

/** Turns a permission or not-found answer into a message that names the missing scope. */
async function api<T>(what: string, scope: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call()
  } catch (error) {
    const status = (error as { status?: number }).status
    if (status === 401 || status === 403 || status === 404) {
      throw new UserError(
        `GitHub API: HTTP ${status} while ${what}: ${(error as Error).message}. Fix: grant the job \`permissions: {${scope}}\` (README, section Permissions), or add actions/checkout so git can answer.`
      )
    }
    throw error
  }
}

/** How many times a rate-limited request waits and tries again. */
const RATE_LIMIT_RETRIES = 2

export function createChangesApi(token: string, repository: string, log: (message: string) => void): ChangesApi {
  const [owner, repo] = repository.split('/') as [string, string]
  const client = loadOctokit(
    token,
    {
      throttle: {
        onRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          retryCount: number
        ) => {
          log(`GitHub API rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s.`)
          return retryCount < RATE_LIMIT_RETRIES
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          options: { method: string; url: string },
          _o: unknown,
          retryCount: number
        ) => {
          log(`GitHub API secondary rate limit on ${options.method} ${options.url}; retrying in ${retryAfter}s.`)
          return retryCount < RATE_LIMIT_RETRIES
        }
      }
    },
    { retry: true }
  )
  const toFile = (f: { filename: string; status: string; previous_filename?: string }): ApiFile => ({
    filename: f.filename,
    status: f.status,
    ...(f.previous_filename ? { previousFilename: f.previous_filename } : {})
  })

  return {
    async pullFiles(pullNumber) {
      const octokit = await client
      return api(`listing the files of pull request #${pullNumber}`, 'pull-requests: read', async () => {
        const files: ApiFile[] = []
        for await (const page of octokit.paginate.iterator(octokit.rest.pulls.listFiles, {
          owner,
          repo,
          pull_number: pullNumber,
          per_page: 100
        })) {
          files.push(...page.data.map(toFile))
        }
        return files
      })
    },
    async compare(base, head) {
      // No paging parameters: then GitHub returns up to 250 commits and the files (with paging, 100 commits a page).
      const octokit = await client
      const { data } = await api(`comparing ${base}...${head}`, 'contents: read', () =>
        octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}` })
      )
      return {
        files: (data.files ?? []).map(toFile),
        commits: data.commits.map((c) => c.sha),
        totalCommits: data.total_commits
      }
    },
    async lastSuccessfulRun(workflowFile, branch, excludeRunId) {
      const octokit = await client
      const { data } = await api(`listing the runs of ${workflowFile}`, 'actions: read', () =>
        octokit.rest.actions.listWorkflowRuns({
          owner,
          repo,
          workflow_id: workflowFile,
          branch,
          status: 'success',
          per_page: 10
        })
      )
      const run = data.workflow_runs.find((r) => String(r.id) !== excludeRunId)
      return run ? { id: String(run.id), headSha: run.head_sha } : undefined
    },
    async commitFiles(sha) {
      // A commit's files come 300 to a page, up to 3,000; each page repeats the commit itself.
      const files: ApiFile[] = []
      const octokit = await client
      for (let page = 1; files.length < API_LIMITS.commitFiles; page++) {
        const { data } = await api(`reading commit ${sha}`, 'contents: read', () =>
          octokit.rest.repos.getCommit({ owner, repo, ref: sha, per_page: 300, page })
        )
        files.push(...(data.files ?? []).map(toFile))
        if ((data.files ?? []).length < 300) break
      }
      return files
    }
  }
}
