/** A push event's payload as GitHub delivers it, for the tests, the demo and the bench. */
export function pushPayload(options: {
  ref: string
  before: string
  after: string
  repository?: string
  forced?: boolean
}): Record<string, unknown> {
  const created = /^0+$/.test(options.before)
  return {
    ref: options.ref,
    before: options.before,
    after: options.after,
    created,
    deleted: false,
    forced: options.forced ?? false,
    base_ref: null,
    compare: `https://github.com/${options.repository ?? 'octo-org/ml-repo'}/compare/${options.before.slice(0, 12)}...${options.after.slice(0, 12)}`,
    commits: [],
    head_commit: { id: options.after, message: 'change' },
    repository: { full_name: options.repository ?? 'octo-org/ml-repo', default_branch: 'main', name: 'ml-repo' },
    pusher: { name: 'octocat' },
    sender: { login: 'octocat' }
  }
}
