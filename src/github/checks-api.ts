/**
 * The check-run calls of the verdict, the later passes and the baseline, through the one GitHub
 * client. Each call says what it is doing (the caller's words) and which permission a refusal
 * most likely lacks. Reads and updates are retried under the one policy; a create is not, since a
 * create whose answer was lost may have made the check run.
 */
import type { GitHubClient } from './client.js'

/** What a check run is made or updated with: the fields this action sets, as GitHub names them. */
export interface CheckRunUpdate {
  name?: string
  external_id?: string
  details_url?: string
  status?: 'in_progress' | 'completed'
  conclusion?: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out'
  completed_at?: string
  output?: { title: string; summary: string; text?: string }
}
export type CheckRunFields = CheckRunUpdate & { name: string }

export interface CheckRunFilter {
  status?: 'in_progress' | 'completed'
  /** Only the check runs of this name. */
  name?: string
  /** `latest`: the newest of each name (GitHub's default); `all`: every attempt. */
  filter: 'latest' | 'all'
  page?: number
}

export function checksApi(client: GitHubClient, repository: string) {
  const [owner = '', repo = ''] = repository.split('/')
  const read = { permission: '`checks: read`', retry: true }
  return {
    /** One page (100) of a commit's check runs. */
    async listForRef(what: string, ref: string, filter: CheckRunFilter) {
      const { data } = await client.call(what, read, (octokit) =>
        octokit.rest.checks.listForRef({
          owner,
          repo,
          ref,
          filter: filter.filter,
          ...(filter.status ? { status: filter.status } : {}),
          ...(filter.name ? { check_name: filter.name } : {}),
          per_page: 100,
          page: filter.page ?? 1
        })
      )
      return data.check_runs
    },
    async get(id: number) {
      const { data } = await client.call(`reading check run ${id}`, read, (octokit) =>
        octokit.rest.checks.get({ owner, repo, check_run_id: id })
      )
      return data
    },
    async create(what: string, sha: string, fields: CheckRunFields) {
      const { data } = await client.call(what, { permission: '`checks: write`' }, (octokit) =>
        octokit.rest.checks.create({ owner, repo, head_sha: sha, ...fields })
      )
      return data
    },
    async update(what: string, id: number, fields: CheckRunUpdate) {
      const { data } = await client.call(what, { permission: '`checks: write`', retry: true }, (octokit) =>
        octokit.rest.checks.update({ owner, repo, check_run_id: id, ...fields })
      )
      return data
    }
  }
}

export type ChecksApi = ReturnType<typeof checksApi>
