/**
 * The repository calls the later passes and the baseline make to find commits worth reading:
 * recent workflow runs, and the default branch. Reads, retried under the one policy.
 */
import type { GitHubClient } from './client.js'

export interface WorkflowRunFilter {
  /** GitHub's search form, e.g. `>=2026-11-23`. */
  created?: string
  branch?: string
  page?: number
}

export function workflowRunsApi(client: GitHubClient, repository: string) {
  const [owner = '', repo = ''] = repository.split('/')
  return {
    /** One page (100) of the repository's workflow runs, newest first. */
    async list(what: string, filter: WorkflowRunFilter) {
      const { data } = await client.call(what, { permission: '`actions: read`', retry: true }, (octokit) =>
        octokit.rest.actions.listWorkflowRunsForRepo({
          owner,
          repo,
          ...(filter.created ? { created: filter.created } : {}),
          ...(filter.branch ? { branch: filter.branch } : {}),
          per_page: 100,
          page: filter.page ?? 1
        })
      )
      return data.workflow_runs
    },
    async defaultBranch(what: string) {
      const { data } = await client.call(what, { permission: '`contents: read`', retry: true }, (octokit) =>
        octokit.rest.repos.get({ owner, repo })
      )
      return data.default_branch
    }
  }
}

export type WorkflowRunsApi = ReturnType<typeof workflowRunsApi>
