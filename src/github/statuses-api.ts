/**
 * The commit-status calls of the verdict and the later passes, through the one GitHub client.
 * Setting a status is retried: the same status set twice is one status.
 */
import type { GitHubClient } from './client.js'

/** A commit status as this action sets it, in GitHub's names. */
export interface CommitStatus {
  sha: string
  state: 'pending' | 'success' | 'failure' | 'error'
  context: string
  description: string
  target_url?: string
}

export function statusesApi(client: GitHubClient, repository: string) {
  const [owner = '', repo = ''] = repository.split('/')
  return {
    async set(what: string, status: CommitStatus) {
      const { data } = await client.call(what, { permission: '`statuses: write`', retry: true }, (octokit) =>
        octokit.rest.repos.createCommitStatus({ owner, repo, ...status })
      )
      return data
    },
    /** One page (100) of a commit's combined status: the newest status of each context. */
    async combined(sha: string, page: number) {
      const { data } = await client.call(
        `reading the commit statuses of ${sha.slice(0, 12)}`,
        { permission: '`statuses: read`', retry: true },
        (octokit) => octokit.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha, per_page: 100, page })
      )
      return data.statuses
    }
  }
}

export type StatusesApi = ReturnType<typeof statusesApi>
