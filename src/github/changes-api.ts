/**
 * The GitHub REST calls the changed-file fallback needs, through the one GitHub client: each is a
 * read, so lost answers, 5xx and rate limits are retried under the one policy, inside the deadline.
 */
import type { GitHubClient } from './client.js'
import { API_LIMITS, type ApiFile, type ChangesApi } from './changes-contract.js'
import { commitReply, compareReply, pullFilesReply, successfulRunsReply } from './replies.js'

/** Without git, a checkout is the other way out of a permission error. */
const OTHERWISE = 'or add actions/checkout before this step so git can answer'
const PULL_FILES_PER_PAGE = 100
const COMMIT_FILES_PER_PAGE = 300

const toFile = (f: { filename: string; status: string; previous_filename?: string }): ApiFile => ({
  filename: f.filename,
  status: f.status,
  ...(f.previous_filename ? { previousFilename: f.previous_filename } : {})
})

export function createChangesApi(client: GitHubClient, repository: string): ChangesApi {
  const [owner, repo] = repository.split('/') as [string, string]
  const read = (permission: string) => ({ permission, otherwise: OTHERWISE, retry: true })

  return {
    async pullFiles(pullNumber) {
      // Page by page, each page one retried call: a lost page is asked again, not the whole list.
      const files: ApiFile[] = []
      for (let page = 1; files.length < API_LIMITS.pullFiles; page++) {
        const what = `listing the files of pull request #${pullNumber} (page ${page})`
        const { data: reply } = await client.call(what, read('`pull-requests: read`'), (octokit) =>
          octokit.rest.pulls.listFiles({ owner, repo, pull_number: pullNumber, per_page: PULL_FILES_PER_PAGE, page })
        )
        const data = client.read(pullFilesReply, reply, what)
        files.push(...data.map(toFile))
        if (data.length < PULL_FILES_PER_PAGE) break
      }
      return files
    },
    async compare(base, head) {
      // No paging parameters: then GitHub returns up to 250 commits and the files (with paging, 100 commits a page).
      const what = `comparing ${base}...${head}`
      const { data: reply } = await client.call(what, read('`contents: read`'), (octokit) =>
        octokit.rest.repos.compareCommitsWithBasehead({ owner, repo, basehead: `${base}...${head}` })
      )
      const data = client.read(compareReply, reply, what)
      return {
        files: (data.files ?? []).map(toFile),
        commits: data.commits.map((c) => c.sha),
        totalCommits: data.total_commits
      }
    },
    async lastSuccessfulRun(workflowFile, branch, excludeRunId) {
      const what = `listing the successful runs of ${workflowFile} on ${branch}`
      const { data: reply } = await client.call(what, read('`actions: read`'), (octokit) =>
        octokit.rest.actions.listWorkflowRuns({
          owner,
          repo,
          workflow_id: workflowFile,
          branch,
          status: 'success',
          per_page: 10
        })
      )
      const data = client.read(successfulRunsReply, reply, what)
      const run = data.workflow_runs.find((r) => String(r.id) !== excludeRunId)
      return run ? { id: String(run.id), headSha: run.head_sha } : undefined
    },
    async commitFiles(sha) {
      // A commit's files come 300 to a page, up to 3,000; each page repeats the commit itself.
      const files: ApiFile[] = []
      for (let page = 1; files.length < API_LIMITS.commitFiles; page++) {
        const what = `reading commit ${sha} (page ${page})`
        const { data: reply } = await client.call(what, read('`contents: read`'), (octokit) =>
          octokit.rest.repos.getCommit({ owner, repo, ref: sha, per_page: COMMIT_FILES_PER_PAGE, page })
        )
        const data = client.read(commitReply, reply, what)
        files.push(...(data.files ?? []).map(toFile))
        if ((data.files ?? []).length < COMMIT_FILES_PER_PAGE) break
      }
      return files
    }
  }
}
