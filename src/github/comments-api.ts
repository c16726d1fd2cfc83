/**
 * The pull-request calls of the report comment, through the one GitHub client. Reads, edits and
 * deletes are retried under the one policy (the same body written twice is the same comment); a
 * create is not, since a create whose answer was lost may have made the comment.
 */
import type { GitHubClient } from './client.js'

const READ = '`pull-requests: read`'
const WRITE = '`pull-requests: write`'

/** A comment as the report reads it: its author tells a trusted comment from anyone's. */
export interface IssueComment {
  id: number
  body: string
  url: string
  user?: { type?: string | null } | null
  authorAssociation?: string
}

const toComment = (data: {
  id: number
  body?: string | null
  html_url: string
  user?: { type?: string | null } | null
  author_association?: string
}): IssueComment => ({
  id: data.id,
  body: data.body ?? '',
  url: data.html_url,
  ...(data.user !== undefined ? { user: data.user } : {}),
  ...(data.author_association !== undefined ? { authorAssociation: data.author_association } : {})
})

export function commentsApi(client: GitHubClient, repository: string, pullNumber: number) {
  const [owner = '', repo = ''] = repository.split('/')
  const pr = `pull request #${pullNumber}`
  return {
    async headSha(): Promise<string> {
      const { data } = await client.call(`reading the head of ${pr}`, { permission: READ, retry: true }, (octokit) =>
        octokit.rest.pulls.get({ owner, repo, pull_number: pullNumber })
      )
      return data.head.sha
    },
    /** One page (100) of the pull request's comments, and whether another follows. */
    async list(page: number): Promise<{ comments: IssueComment[]; more: boolean }> {
      const { data, headers } = await client.call(
        `listing the comments of ${pr}`,
        { permission: READ, retry: true },
        (octokit) => octokit.rest.issues.listComments({ owner, repo, issue_number: pullNumber, per_page: 100, page })
      )
      return { comments: data.map(toComment), more: /rel="next"/.test(headers.link ?? '') }
    },
    async get(id: number): Promise<IssueComment> {
      const { data } = await client.call(
        `reading back the report comment ${id} of ${pr}`,
        { permission: READ, retry: true },
        (octokit) => octokit.rest.issues.getComment({ owner, repo, comment_id: id })
      )
      return toComment(data)
    },
    async create(body: string): Promise<IssueComment> {
      const { data } = await client.call(`creating the report comment of ${pr}`, { permission: WRITE }, (octokit) =>
        octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body })
      )
      return toComment(data)
    },
    async update(id: number, body: string): Promise<IssueComment> {
      const { data } = await client.call(
        `editing the report comment ${id} of ${pr}`,
        { permission: WRITE, retry: true },
        (octokit) => octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body })
      )
      return toComment(data)
    },
    async delete(id: number): Promise<void> {
      await client.call(
        `deleting the duplicate report comment ${id} of ${pr}`,
        { permission: WRITE, retry: true },
        (octokit) => octokit.rest.issues.deleteComment({ owner, repo, comment_id: id })
      )
    }
  }
}

export type CommentsApi = ReturnType<typeof commentsApi>
