/* eslint-disable @typescript-eslint/no-explicit-any -- GitHub's examples and request bodies are read loosely, as in the tests */
/**
 * A fake of GitHub's check-runs, commit-statuses and workflow-run listing endpoints, on
 * 127.0.0.1, for one repository. GitHub cannot run here, so this one follows the published
 * contract: every request body and every JSON response is validated against @octokit/openapi
 * (github-openapi.ts), and the collected `contractErrors` must be empty at the end of a test.
 * A request body that breaks the schema also gets GitHub's 422 "Invalid request.".
 *
 * The behaviour it models, from GitHub's REST docs and the error texts GitHub answers:
 * - Tokens map to identities: an installation token of an app, with its permissions, or a
 *   personal access token. An unknown token gets 401 "Bad credentials".
 * - Only a GitHub App installation with `checks: write` creates or updates check runs; a personal
 *   token gets 403 "Resource not accessible by personal access token", an installation without
 *   the permission 403 "Resource not accessible by integration". Reading needs `checks: read`.
 * - A check run can only be modified by the app that created it (GitHub's 403 "Invalid app_id").
 *   The check is by app, not by token: two workflow runs' GITHUB_TOKENs are both the Actions
 *   app (15368), so either may complete the other's check run. No docs page says so; public
 *   workflows rely on it (one workflow creates a check run, a later one completes it).
 * - A conclusion completes a check run (status `completed`, `completed_at` now unless given);
 *   `status: completed` or `completed_at` without a conclusion is refused; `stale` is GitHub's
 *   own, and `waiting`/`requested`/`pending` are GitHub Actions' own.
 * - Listing by ref: `filter=latest` (the default) keeps the newest check run of each name per
 *   app (each app has its own check suite), before `status` is applied. The docs leave that order
 *   open; this is the stricter reading: an open run hidden behind a newer one of the same name is
 *   found only with `filter=all`. At most 1,000 check runs of one name per check suite: older ones are deleted.
 * - Commit statuses need `statuses: write`; a description over 140 characters gets GitHub's 422
 *   "Validation Failed"; at most 1,000 statuses per SHA and context (case-insensitive); listed
 *   newest first. The combined status of a ref (`statuses: read`) has the newest status of each
 *   context, newest first, paged by context; its `state` is failure if any of them is error or
 *   failure, pending if there are none or one is pending, success otherwise (GitHub's docs).
 * - Lists are paged with `per_page` (default 30, at most 100) and `page`, with GitHub's Link header.
 * - Pull requests (seeded with seedPullRequest; setPullHead moves one's head, as a push does) are
 *   read with `pull_requests: read`. Their conversation comments are issue comments: listed in
 *   ascending id order with `issues` or `pull_requests` read, created with either one's write. An
 *   installation's comment is by `<slug>[bot]` (type Bot, author_association NONE, with
 *   performed_via_github_app); a personal token's by its user, with the association the test gives
 *   it (COLLABORATOR by default). A comment is edited or deleted by its author or by an
 *   installation with write; a body over 65,536 characters gets GitHub's 422 "Validation Failed"
 *   ("body is too long (maximum is 65536 characters)"). seedComment adds one by anybody.
 * - `latency` holds each request before GitHub acts on it and/or before the answer goes back, so
 *   a test can make two jobs' calls interleave as they would against the real API.
 * Wordings marked "the fake's own" below are not GitHub's verbatim text.
 */
import { createServer, type IncomingMessage } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { requestErrors, responseErrorsFor } from './github-openapi.js'

const require = createRequire(import.meta.url)
const examples = (
  require('@octokit/openapi/generated/api.github.com.json') as {
    components: { examples: Record<string, { value: any }> }
  }
).components.examples
const CHECK_RUN = examples['check-run']!.value
const STATUS = examples['status']!.value
const COMBINED_STATUS = examples['combined-commit-status']!.value
const WORKFLOW_RUN = examples['workflow-run']!.value
const ISSUE_COMMENT = examples['issue-comment']!.value
const PULL_REQUEST = examples['pull-request']!.value

/** The GitHub Actions app on github.com: every workflow run's GITHUB_TOKEN is one of its installation tokens. */
export const GITHUB_ACTIONS_APP_ID = 15368

export type Permission = 'read' | 'write'
export interface TokenPermissions {
  checks?: Permission
  statuses?: Permission
  actions?: 'read'
  /** GITHUB_TOKEN's `pull-requests`: reading pull requests; reading and writing their comments. */
  pull_requests?: Permission
  /** Issues, and the comments of issues and pull requests alike. */
  issues?: Permission
}

/** GitHub's author_association of a comment: how its author relates to the repository. */
export type AuthorAssociation =
  'COLLABORATOR' | 'CONTRIBUTOR' | 'FIRST_TIMER' | 'FIRST_TIME_CONTRIBUTOR' | 'MANNEQUIN' | 'MEMBER' | 'NONE' | 'OWNER'

/**
 * Who a token is. A personal access token without `permissions` is a classic one with the
 * `repo` scope (statuses and reads allowed); with `permissions` it is a fine-grained one.
 * Neither can create or update check runs.
 */
export type TokenIdentity =
  | { kind: 'installation'; appId: number; slug?: string; permissions: TokenPermissions }
  | {
      kind: 'pat'
      permissions?: TokenPermissions
      /** The token's user, who authors its comments. Default `octocat`. */
      login?: string
      /** How that user relates to the repository, on its comments. Default COLLABORATOR. */
      association?: AuthorAssociation
    }

/** How long a request waits (ms) before GitHub acts on it, and then before its answer goes back. */
export type FakeLatency = (request: { method: string; path: string }) => number | { before?: number; after?: number }

export interface FakeChecksOptions {
  tokens: Record<string, TokenIdentity>
  /** `owner/name`; other repositories answer 404. Default `octo-org/octo-repo`. */
  repository?: string
  /** Branch or tag names the `commits/{ref}/…` endpoints resolve, to a SHA. */
  refs?: Record<string, string>
  /** Milliseconds since the epoch, for timestamps. Default Date.now. */
  now?: () => number
  /** Per request: a number is all before GitHub acts (its state changes then); default none. */
  latency?: FakeLatency
  /**
   * A refusal of a create for a reason the fake does not model (a server without the checks API
   * or a token that cannot see the repository answers 404; a request GitHub will not take, 422),
   * asked after the request body passed the schema. Undefined: the fake's own rules decide.
   */
  refuseCreate?: (what: 'check-run' | 'status') => { status: 404 | 422; message: string } | undefined
}

export interface CheckRunOutput {
  title: string | null
  summary: string | null
  text: string | null
  annotations_count: number
  annotations_url: string
}

/** A check run as GitHub answers it (the fields a test reads are typed; the rest is GitHub's example). */
export interface CheckRunJson {
  id: number
  name: string
  head_sha: string
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
  conclusion: string | null
  started_at: string | null
  completed_at: string | null
  external_id: string | null
  details_url: string | null
  html_url: string | null
  url: string
  output: CheckRunOutput
  app: { id: number; slug: string; [key: string]: unknown }
  check_suite: { id: number } | null
  [key: string]: unknown
}

export interface FakeCheckRun {
  id: number
  appId: number
  /** The check run as GET answers it now. */
  current: CheckRunJson
  /** Every accepted create (first) and update, in order: the request body, who sent it, and the result. */
  history: {
    method: 'POST' | 'PATCH'
    at: string
    identity: TokenIdentity
    request: Record<string, unknown>
    result: CheckRunJson
  }[]
  /** Deleted by GitHub's 1,000-per-name-per-suite rule: no longer listed or found. */
  deleted: boolean
}

export interface StatusJson {
  id: number
  state: string
  description: string | null
  target_url: string | null
  context: string
  created_at: string
  [key: string]: unknown
}

export interface FakeStatus {
  sha: string
  identity: TokenIdentity
  current: StatusJson
}

export interface FakeChecksRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  /** Undefined when the request carried no known token. */
  identity: TokenIdentity | undefined
  /** The status the fake answered. */
  status?: number
}

/** A workflow run to list: GitHub's example run with these fields over it. */
export type WorkflowRunSeed = {
  id: number
  head_sha: string
  created_at: string
  status?: 'queued' | 'in_progress' | 'completed' | 'requested' | 'waiting' | 'pending'
  conclusion?: string | null
} & Record<string, unknown>

/** A comment as GitHub answers it (the fields a test reads are typed; the rest is GitHub's example). */
export interface IssueCommentJson {
  id: number
  body: string
  html_url: string
  issue_url: string
  user: { login: string; id: number; type: string; [key: string]: unknown }
  author_association: AuthorAssociation
  created_at: string
  updated_at: string
  [key: string]: unknown
}

export interface FakeComment {
  id: number
  /** The pull request (issue) number it is on. */
  number: number
  /** Who wrote it: the token's identity, or undefined for a seeded comment. */
  identity: TokenIdentity | undefined
  /** The comment as GET answers it now. */
  current: IssueCommentJson
  /** Every accepted create (or seed, first) and edit, in order: the body sent and by whom. */
  history: { method: 'POST' | 'PATCH' | 'SEED'; at: string; identity: TokenIdentity | undefined; body: string }[]
}

export interface PullRequestSeed {
  number: number
  headSha: string
  /** Default `open`. */
  state?: 'open' | 'closed'
  title?: string
}

export interface CommentSeed {
  number: number
  body: string
  /** The author's login (a User), or the user itself. */
  user: string | { login: string; type?: 'User' | 'Bot' | 'Organization' }
  author_association: AuthorAssociation
}

export interface FakeChecks {
  url: string
  checkRuns: FakeCheckRun[]
  statuses: FakeStatus[]
  /** The comments there are now, on every pull request, in creation order; a deleted one is gone from here. */
  comments: FakeComment[]
  requests: FakeChecksRequest[]
  contractErrors: string[]
  seedWorkflowRun(run: WorkflowRunSeed): void
  /** A pull request of the repository, with its head commit. */
  seedPullRequest(pull: PullRequestSeed): void
  /** A push to the pull request's branch: its head is now `sha`. */
  setPullHead(number: number, sha: string): void
  /** A comment on a seeded pull request by anyone (a fork's author, a maintainer); returns it. */
  seedComment(comment: CommentSeed): IssueCommentJson
  close(): Promise<void>
}

const DOCS = {
  createCheckRun: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
  updateCheckRun: 'https://docs.github.com/rest/checks/runs#update-a-check-run',
  getCheckRun: 'https://docs.github.com/rest/checks/runs#get-a-check-run',
  listCheckRuns: 'https://docs.github.com/rest/checks/runs#list-check-runs-for-a-git-reference',
  createStatus: 'https://docs.github.com/rest/commits/statuses#create-a-commit-status',
  listStatuses: 'https://docs.github.com/rest/commits/statuses#list-commit-statuses-for-a-reference',
  combinedStatus: 'https://docs.github.com/rest/commits/statuses#get-the-combined-status-for-a-specific-reference',
  listRuns: 'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository',
  getPull: 'https://docs.github.com/rest/pulls/pulls#get-a-pull-request',
  listComments: 'https://docs.github.com/rest/issues/comments#list-issue-comments',
  createComment: 'https://docs.github.com/rest/issues/comments#create-an-issue-comment',
  getComment: 'https://docs.github.com/rest/issues/comments#get-an-issue-comment',
  updateComment: 'https://docs.github.com/rest/issues/comments#update-an-issue-comment',
  deleteComment: 'https://docs.github.com/rest/issues/comments#delete-an-issue-comment',
  root: 'https://docs.github.com/rest'
}

/** GitHub's timestamps: ISO 8601 in UTC, to the second. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
const normalizeStamp = (value: string) => (Number.isNaN(Date.parse(value)) ? value : stamp(Date.parse(value)))

const GITHUB_ORG = {
  ...structuredClone(CHECK_RUN.app.owner),
  login: 'github',
  id: 9919,
  node_id: 'MDEyOk9yZ2FuaXphdGlvbjk5MTk=',
  url: 'https://api.github.com/users/github',
  html_url: 'https://github.com/github',
  avatar_url: 'https://avatars.githubusercontent.com/u/9919?v=4',
  type: 'Organization',
  site_admin: false
}

function appJson(identity: Extract<TokenIdentity, { kind: 'installation' }>) {
  const actions = identity.appId === GITHUB_ACTIONS_APP_ID
  const slug = identity.slug ?? (actions ? 'github-actions' : `app-${identity.appId}`)
  return {
    id: identity.appId,
    slug,
    node_id: Buffer.from(`03:App${identity.appId}`).toString('base64'),
    owner: actions ? structuredClone(GITHUB_ORG) : structuredClone(CHECK_RUN.app.owner),
    name: actions ? 'GitHub Actions' : `App ${identity.appId}`,
    description: actions ? 'Automate your workflow from idea to production' : '',
    external_url: actions ? 'https://help.github.com/en/actions' : `https://example.com/apps/${slug}`,
    html_url: `https://github.com/apps/${slug}`,
    created_at: '2018-07-30T09:30:17Z',
    updated_at: '2019-12-10T19:04:12Z',
    permissions: { metadata: 'read', ...identity.permissions } as Record<string, string>,
    events: actions ? ['check_run', 'check_suite', 'push', 'pull_request', 'workflow_dispatch'] : []
  }
}

function creatorJson(identity: TokenIdentity) {
  const base = structuredClone(STATUS.creator)
  if (identity.kind === 'pat') return base
  const app = appJson(identity)
  const login = `${app.slug}[bot]`
  const id = identity.appId === GITHUB_ACTIONS_APP_ID ? 41898282 : 10_000_000 + identity.appId
  return {
    ...userJson(login, id, 'Bot', base),
    avatar_url: `https://avatars.githubusercontent.com/in/${identity.appId}?v=4`,
    html_url: `https://github.com/apps/${app.slug}`
  }
}

/** A user as GitHub shows one (on a comment, or `example`'s shape): octocat with this login, id and type, every URL its own. */
function userJson(login: string, id: number, type: string, example: Record<string, unknown> = ISSUE_COMMENT.user) {
  const url = `https://api.github.com/users/${encodeURIComponent(login)}`
  return {
    ...structuredClone(example),
    login,
    id,
    node_id: Buffer.from(`04:${type}${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    site_admin: false
  }
}

/** A stable user id for a login (the fake's own: GitHub's ids are its database's). */
const userId = (login: string) => {
  if (login === 'octocat') return 1
  let hash = 0
  for (const c of login) hash = (hash * 31 + c.codePointAt(0)!) % 90_000_000
  return 100_000_000 + hash
}

/** Who authors a token's comments, and how GitHub shows them. */
function commentAuthor(identity: TokenIdentity): { login: string; user: any; association: AuthorAssociation } {
  if (identity.kind === 'installation') {
    const user = creatorJson(identity)
    // An app's bot has no relation to the repository of its own: GitHub shows NONE.
    return { login: user.login, user, association: 'NONE' }
  }
  const login = identity.login ?? 'octocat'
  return { login, user: userJson(login, userId(login), 'User'), association: identity.association ?? 'COLLABORATOR' }
}

/** GitHub's comment body limit, in characters. */
const COMMENT_LIMIT = 65_536

/** `created` in GitHub's search syntax for dates: `>=X`, `>X`, `<=X`, `<X`, `A..B` (either may be `*`), or `X`. */
function createdMatcher(expression: string): ((ms: number) => boolean) | undefined {
  // A date alone covers its whole day (UTC); a time without a zone is UTC.
  const bounds = (value: string): [number, number] | undefined => {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      const start = Date.parse(`${value}T00:00:00Z`)
      return Number.isNaN(start) ? undefined : [start, start + 86_400_000 - 1]
    }
    const at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`)
    return Number.isNaN(at) ? undefined : [at, at]
  }
  const range = /^(.+)\.\.(.+)$/.exec(expression)
  if (range) {
    const from = range[1] === '*' ? [-Infinity, -Infinity] : bounds(range[1]!)
    const to = range[2] === '*' ? [Infinity, Infinity] : bounds(range[2]!)
    return from && to ? (ms) => ms >= from[0]! && ms <= to[1]! : undefined
  }
  const compare = /^(>=|<=|>|<)?(.+)$/.exec(expression)!
  const at = bounds(compare[2]!)
  if (!at) return undefined
  switch (compare[1]) {
    case '>=':
      return (ms) => ms >= at[0]
    case '>':
      return (ms) => ms > at[1]
    case '<=':
      return (ms) => ms <= at[1]
    case '<':
      return (ms) => ms < at[0]
    default:
      return (ms) => ms >= at[0] && ms <= at[1]
  }
}

/**
 * Errors of a response against GitHub's description, but one. The check-run `conclusion` is
 * described as a nullable enum whose values leave out null, so Ajv refuses the null that GitHub
 * answers for every check run not yet completed (and that GitHub's own in-progress example has).
 * Only that error, on a `conclusion` that is null, is dropped.
 */
export function responseContractErrors(method: string, template: string, status: number, body: unknown): string[] {
  const valueAt = (pointer: string) =>
    pointer
      .split('/')
      .slice(1)
      .reduce<any>((node, key) => node?.[key.replaceAll('~1', '/').replaceAll('~0', '~')], body)
  return responseErrorsFor(method, template, status, body).filter((error) => {
    const enumError = / → \d+: (\S*\/conclusion) must be equal to one of the allowed values$/.exec(error)
    return !(enumError && valueAt(enumError[1]!) === null)
  })
}

const WORKFLOW_RUN_STATUSES = ['queued', 'in_progress', 'completed', 'requested', 'waiting', 'pending']

export async function startFakeGitHubChecks(options: FakeChecksOptions): Promise<FakeChecks> {
  const repository = options.repository ?? 'octo-org/octo-repo'
  const now = options.now ?? Date.now
  const checkRuns: FakeCheckRun[] = []
  const statuses: FakeStatus[] = []
  const workflowRuns: any[] = []
  const requests: FakeChecksRequest[] = []
  const contractErrors: string[] = []
  const suites = new Map<string, number>()
  let nextCheckRunId = 4_000_000_001
  let nextStatusId = 30_000_000_001
  let nextCommentId = 2_000_000_001
  const pulls = new Map<number, any>()
  const comments: FakeComment[] = []
  let base = ''

  const suiteFor = (appId: number, sha: string) => {
    const key = `${appId}:${sha}`
    if (!suites.has(key)) suites.set(key, 20_000_000_001 + suites.size)
    return suites.get(key)!
  }

  /** Answers; a 2xx body is validated against the documented response of `template`. */
  type Reply = (status: number, body?: unknown, headers?: Record<string, string>, template?: string) => void

  /** Pages `items` as GitHub does, with `rel` links in GitHub's order: prev, next, last, first. */
  const paginate = <T>(items: T[], url: URL) => {
    const perPage = Math.min(Math.max(Number(url.searchParams.get('per_page') ?? 30) || 30, 1), 100)
    const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1)
    const last = Math.max(1, Math.ceil(items.length / perPage))
    const link = (p: number) => {
      const target = new URL(`${base}${url.pathname}${url.search}`)
      target.searchParams.set('per_page', String(perPage))
      target.searchParams.set('page', String(p))
      return `<${target.toString()}>`
    }
    const rels: string[] = []
    if (page > 1) rels.push(`${link(Math.min(page - 1, last))}; rel="prev"`)
    if (page < last) rels.push(`${link(page + 1)}; rel="next"`, `${link(last)}; rel="last"`)
    if (page > 1) rels.push(`${link(1)}; rel="first"`)
    const headers: Record<string, string> = rels.length ? { link: rels.join(', ') } : {}
    return { slice: items.slice((page - 1) * perPage, page * perPage), headers }
  }

  const resolveRef = (ref: string): string | undefined =>
    /^[0-9a-f]{40}$/.test(ref)
      ? ref
      : (options.refs?.[ref] ?? options.refs?.[ref.replace(/^(refs\/)?(heads|tags)\//, '')])

  const allowed = (identity: TokenIdentity, scope: keyof TokenPermissions, need: Permission): boolean => {
    if (identity.kind === 'pat' && !identity.permissions) return scope !== 'checks' || need === 'read'
    if (identity.kind === 'pat' && scope === 'checks' && need === 'write') return false
    const granted = identity.permissions?.[scope]
    return granted === 'write' || (granted === 'read' && need === 'read')
  }
  const forbidden = (identity: TokenIdentity) =>
    identity.kind === 'pat'
      ? 'Resource not accessible by personal access token'
      : 'Resource not accessible by integration'

  const checkRunUrls = (id: number) => ({
    url: `${base}/repos/${repository}/check-runs/${id}`,
    html_url: `https://github.com/${repository}/runs/${id}`,
    annotations_url: `${base}/repos/${repository}/check-runs/${id}/annotations`
  })

  /**
   * The fields a create or an update sets. Returns the fake's 422 message when GitHub would refuse.
   * Before this, the body has passed the OpenAPI request schema.
   */
  const apply = (run: CheckRunJson, body: Record<string, any>, creating: boolean): string | undefined => {
    if (body.conclusion === 'stale')
      // The fake's own wording; GitHub documents that only it can set `stale`.
      return 'Invalid request.\n\nOnly GitHub can set a conclusion of "stale".'
    if (!creating && ['waiting', 'requested', 'pending'].includes(body.status))
      // The fake's own wording; GitHub documents that only GitHub Actions can set these.
      return `Invalid request.\n\nOnly GitHub Actions can set a status of "${body.status}".`
    if ((body.status === 'completed' || body.completed_at !== undefined) && body.conclusion === undefined) {
      contractErrors.push(
        `${creating ? 'POST' : 'PATCH'} check run: conclusion is required with status completed or completed_at`
      )
      return 'Invalid request.\n\n"conclusion" wasn\'t supplied.'
    }
    for (const key of ['name', 'details_url', 'external_id'] as const) if (body[key] !== undefined) run[key] = body[key]
    if (body.started_at !== undefined) run.started_at = normalizeStamp(body.started_at)
    if (body.output) {
      run.output = {
        ...run.output,
        ...(body.output.title !== undefined ? { title: body.output.title } : {}),
        summary: body.output.summary ?? run.output.summary,
        ...(body.output.text !== undefined ? { text: body.output.text } : {}),
        // Annotations are appended to those already there.
        annotations_count: run.output.annotations_count + (body.output.annotations?.length ?? 0)
      }
    }
    if (body.conclusion !== undefined) {
      run.status = 'completed'
      run.conclusion = body.conclusion
      run.completed_at = normalizeStamp(body.completed_at ?? stamp(now()))
    } else if (body.status !== undefined) {
      // Reopening a completed check run clears its conclusion (not documented; the simplest reading).
      run.status = body.status
      run.conclusion = null
      run.completed_at = null
    }
    return undefined
  }

  const handle = (req: IncomingMessage, raw: string, record: FakeChecksRequest, reply: Reply) => {
    const url = new URL(req.url ?? '/', 'http://fake')
    const method = req.method ?? 'GET'
    const fail = (status: number, message: string, docs = DOCS.root, extra: object = {}) =>
      reply(status, { message, ...extra, documentation_url: docs })
    let body: any
    try {
      body = raw ? JSON.parse(raw) : undefined
    } catch {
      return fail(400, 'Problems parsing JSON')
    }
    record.body = body

    const authorization = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')
    if (!authorization) return fail(401, 'Requires authentication')
    const identity = options.tokens[authorization[1]!]
    if (!identity) return fail(401, 'Bad credentials')
    record.identity = identity
    const version = req.headers['x-github-api-version']
    if (version && version !== '2022-11-28' && version !== '2026-03-10')
      return fail(
        400,
        `The version you specified in the X-GitHub-API-Version request header (${String(version)}) is not a supported version.`
      )

    const prefix = `/repos/${repository}`
    const path = decodeURIComponent(url.pathname)
    if (path !== prefix && !path.startsWith(`${prefix}/`)) return fail(404, 'Not Found')
    const rest = path.slice(prefix.length)
    const valid = (template: string, docs: string): boolean => {
      const errors = requestErrors(method, template, body ?? {})
      if (!errors.length) return true
      contractErrors.push(...errors)
      fail(422, `Invalid request.\n\n${errors.join('\n')}`, docs)
      return false
    }
    let m: RegExpExecArray | null

    // Create a check run.
    if (rest === '/check-runs' && method === 'POST') {
      const template = '/repos/{owner}/{repo}/check-runs'
      if (!allowed(identity, 'checks', 'write')) return fail(403, forbidden(identity), DOCS.createCheckRun)
      if (!valid(template, DOCS.createCheckRun)) return
      const refusedCreate = options.refuseCreate?.('check-run')
      if (refusedCreate) return fail(refusedCreate.status, refusedCreate.message, DOCS.createCheckRun)
      const app = identity as Extract<TokenIdentity, { kind: 'installation' }>
      const id = nextCheckRunId++
      const urls = checkRunUrls(id)
      const appBody = appJson(app)
      const run: CheckRunJson = {
        ...structuredClone(CHECK_RUN),
        id,
        node_id: `CR_${Buffer.from(`checkrun:${id}`).toString('base64url')}`,
        head_sha: body.head_sha,
        name: body.name,
        url: urls.url,
        html_url: urls.html_url,
        // "If the integrator does not provide this, then the homepage of the GitHub app is used."
        details_url: appBody.external_url,
        external_id: '',
        status: 'queued',
        conclusion: null,
        started_at: stamp(now()),
        completed_at: null,
        output: { title: null, summary: null, text: null, annotations_count: 0, annotations_url: urls.annotations_url },
        check_suite: { id: suiteFor(app.appId, body.head_sha) },
        app: appBody,
        pull_requests: []
      }
      const refused = apply(run, body, true)
      if (refused) return fail(422, refused, DOCS.createCheckRun)
      const created: FakeCheckRun = {
        id,
        appId: app.appId,
        current: run,
        history: [{ method: 'POST', at: stamp(now()), identity, request: body, result: structuredClone(run) }],
        deleted: false
      }
      checkRuns.push(created)
      // "In a check suite, GitHub limits the number of check runs with the same name to 1000."
      const sameName = checkRuns.filter(
        (c) => !c.deleted && c.current.check_suite?.id === run.check_suite?.id && c.current.name === run.name
      )
      for (const old of sameName.slice(0, Math.max(0, sameName.length - 1000))) old.deleted = true
      return reply(201, structuredClone(run), {}, template)
    }

    // Get or update one check run.
    if ((m = /^\/check-runs\/(\d+)$/.exec(rest)) && (method === 'GET' || method === 'PATCH')) {
      const template = '/repos/{owner}/{repo}/check-runs/{check_run_id}'
      const docs = method === 'GET' ? DOCS.getCheckRun : DOCS.updateCheckRun
      if (!allowed(identity, 'checks', method === 'GET' ? 'read' : 'write')) return fail(403, forbidden(identity), docs)
      const found = checkRuns.find((c) => c.id === Number(m![1]) && !c.deleted)
      if (method === 'GET') {
        if (!found) return fail(404, 'Not Found', docs)
        return reply(200, structuredClone(found.current), {}, template)
      }
      if (!valid(template, docs)) return
      if (!found) return fail(404, 'Not Found', docs)
      const appId = (identity as Extract<TokenIdentity, { kind: 'installation' }>).appId
      if (appId !== found.appId)
        return fail(
          403,
          `Invalid app_id \`${appId}\` - check run can only be modified by the GitHub App that created it.`,
          docs
        )
      const next = structuredClone(found.current)
      const refused = apply(next, body, false)
      if (refused) return fail(422, refused, docs)
      found.current = next
      found.history.push({ method: 'PATCH', at: stamp(now()), identity, request: body, result: structuredClone(next) })
      return reply(200, structuredClone(next), {}, template)
    }

    // List check runs for a ref.
    if ((m = /^\/commits\/(.+)\/check-runs$/.exec(rest)) && method === 'GET') {
      const template = '/repos/{owner}/{repo}/commits/{ref}/check-runs'
      if (!allowed(identity, 'checks', 'read')) return fail(403, forbidden(identity), DOCS.listCheckRuns)
      const sha = resolveRef(m[1]!)
      if (!sha) return fail(422, `No commit found for SHA: ${m[1]}`, DOCS.listCheckRuns)
      const query = url.searchParams
      const filter = query.get('filter') ?? 'latest'
      const status = query.get('status')
      if (!['latest', 'all'].includes(filter) || (status && !['queued', 'in_progress', 'completed'].includes(status)))
        return fail(422, 'Validation Failed', DOCS.listCheckRuns)
      // Newest first.
      let found = checkRuns.filter((c) => !c.deleted && c.current.head_sha === sha).reverse()
      if (filter === 'latest') {
        const seen = new Set<string>()
        found = found.filter((c) => {
          const key = `${c.appId}\u0000${c.current.name}`
          if (seen.has(key)) return false
          seen.add(key)
          return true
        })
      }
      const name = query.get('check_name')
      const appId = query.get('app_id')
      found = found.filter(
        (c) =>
          (name === null || c.current.name === name) &&
          (status === null || c.current.status === status) &&
          (appId === null || c.appId === Number(appId))
      )
      const { slice, headers } = paginate(found, url)
      return reply(
        200,
        { total_count: found.length, check_runs: slice.map((c) => structuredClone(c.current)) },
        headers,
        template
      )
    }

    // Create a commit status.
    if ((m = /^\/statuses\/([^/]+)$/.exec(rest)) && method === 'POST') {
      const template = '/repos/{owner}/{repo}/statuses/{sha}'
      if (!allowed(identity, 'statuses', 'write')) return fail(403, forbidden(identity), DOCS.createStatus)
      if (!valid(template, DOCS.createStatus)) return
      const refusedCreate = options.refuseCreate?.('status')
      if (refusedCreate) return fail(refusedCreate.status, refusedCreate.message, DOCS.createStatus)
      const sha = m[1]!
      if (!/^[0-9a-f]{40}$/.test(sha)) return fail(422, `No commit found for SHA: ${sha}`, DOCS.createStatus)
      const context: string = body.context ?? 'default'
      if (typeof body.description === 'string' && body.description.length > 140)
        return fail(422, 'Validation Failed', DOCS.createStatus, {
          errors: [
            {
              resource: 'Status',
              code: 'custom',
              field: 'description',
              message: 'description is too long (maximum is 140 characters)'
            }
          ]
        })
      const sameContext = statuses.filter(
        (s) => s.sha === sha && s.current.context.toLowerCase() === context.toLowerCase()
      )
      if (sameContext.length >= 1000)
        return fail(422, 'This SHA and context has reached the maximum number of statuses.', DOCS.createStatus)
      const id = nextStatusId++
      const at = stamp(now())
      const creator = creatorJson(identity)
      const status: StatusJson = {
        ...structuredClone(STATUS),
        url: `${base}/repos/${repository}/statuses/${sha}`,
        avatar_url: creator.avatar_url,
        id,
        node_id: `SC_${Buffer.from(`status:${id}`).toString('base64url')}`,
        state: body.state,
        description: body.description ?? null,
        target_url: body.target_url ?? null,
        context,
        created_at: at,
        updated_at: at,
        creator
      }
      statuses.push({ sha, identity, current: status })
      return reply(201, structuredClone(status), { location: status.url as string }, template)
    }

    // List commit statuses for a ref, newest first.
    if ((m = /^\/commits\/(.+)\/statuses$/.exec(rest)) && method === 'GET') {
      const template = '/repos/{owner}/{repo}/commits/{ref}/statuses'
      if (!allowed(identity, 'statuses', 'read')) return fail(403, forbidden(identity), DOCS.listStatuses)
      const sha = resolveRef(m[1]!)
      if (!sha) return fail(422, `No commit found for SHA: ${m[1]}`, DOCS.listStatuses)
      const found = statuses.filter((s) => s.sha === sha).reverse()
      const { slice, headers } = paginate(found, url)
      return reply(
        200,
        slice.map((s) => structuredClone(s.current)),
        headers,
        template
      )
    }

    // The combined status of a ref: the newest status of each context.
    if ((m = /^\/commits\/(.+)\/status$/.exec(rest)) && method === 'GET') {
      const template = '/repos/{owner}/{repo}/commits/{ref}/status'
      if (!allowed(identity, 'statuses', 'read')) return fail(403, forbidden(identity), DOCS.combinedStatus)
      const sha = resolveRef(m[1]!)
      if (!sha) return fail(422, `No commit found for SHA: ${m[1]}`, DOCS.combinedStatus)
      const newest = new Map<string, StatusJson>()
      for (const s of statuses.filter((s) => s.sha === sha).reverse())
        if (!newest.has(s.current.context.toLowerCase())) newest.set(s.current.context.toLowerCase(), s.current)
      const all = [...newest.values()]
      const state = all.some((s) => s.state === 'error' || s.state === 'failure')
        ? 'failure'
        : all.length === 0 || all.some((s) => s.state === 'pending')
          ? 'pending'
          : 'success'
      const { slice, headers } = paginate(all, url)
      const simple = (s: StatusJson) => {
        const { url, avatar_url, id, node_id, state, description, target_url, context, created_at, updated_at } = s
        return { url, avatar_url, id, node_id, state, description, target_url, context, created_at, updated_at }
      }
      const repositoryJson = JSON.parse(
        JSON.stringify(COMBINED_STATUS.repository).replaceAll('octocat/Hello-World', repository)
      )
      return reply(
        200,
        {
          state,
          statuses: slice.map(simple),
          sha,
          total_count: all.length,
          repository: repositoryJson,
          commit_url: `${base}/repos/${repository}/commits/${sha}`,
          url: `${base}/repos/${repository}/commits/${sha}/status`
        },
        headers,
        template
      )
    }

    // List workflow runs for the repository, newest first.
    if (rest === '/actions/runs' && method === 'GET') {
      const template = '/repos/{owner}/{repo}/actions/runs'
      if (!allowed(identity, 'actions', 'read')) return fail(403, forbidden(identity), DOCS.listRuns)
      const query = url.searchParams
      const created = query.get('created')
      const inCreated = created === null ? () => true : createdMatcher(created)
      if (!inCreated) return fail(422, 'Validation Failed', DOCS.listRuns)
      const status = query.get('status')
      const matches = (run: any) =>
        inCreated(Date.parse(run.created_at)) &&
        (status === null ||
          (WORKFLOW_RUN_STATUSES.includes(status) ? run.status === status : run.conclusion === status)) &&
        (query.get('head_sha') === null || run.head_sha === query.get('head_sha')) &&
        (query.get('event') === null || run.event === query.get('event')) &&
        (query.get('branch') === null || run.head_branch === query.get('branch'))
      let found = workflowRuns
        .filter(matches)
        .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)
      // "This endpoint will return up to 1,000 results for each search when using the following parameters."
      if (['actor', 'branch', 'check_suite_id', 'created', 'event', 'head_sha', 'status'].some((p) => query.has(p)))
        found = found.slice(0, 1000)
      const { slice, headers } = paginate(found, url)
      return reply(
        200,
        { total_count: found.length, workflow_runs: slice.map((r) => structuredClone(r)) },
        headers,
        template
      )
    }

    // Get a pull request.
    if ((m = /^\/pulls\/(\d+)$/.exec(rest)) && method === 'GET') {
      const template = '/repos/{owner}/{repo}/pulls/{pull_number}'
      if (!allowed(identity, 'pull_requests', 'read')) return fail(403, forbidden(identity), DOCS.getPull)
      const pull = pulls.get(Number(m[1]))
      if (!pull) return fail(404, 'Not Found', DOCS.getPull)
      return reply(200, structuredClone(pull), {}, template)
    }

    // The comments of a pull request (an issue): list, create.
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest)) && (method === 'GET' || method === 'POST')) {
      const template = '/repos/{owner}/{repo}/issues/{issue_number}/comments'
      const number = Number(m[1])
      if (method === 'GET') {
        if (!commentsAllowed(identity, 'read')) return fail(403, forbidden(identity), DOCS.listComments)
        if (!pulls.has(number)) return fail(404, 'Not Found', DOCS.listComments)
        const since = url.searchParams.get('since')
        const found = comments.filter(
          (c) => c.number === number && (since === null || Date.parse(c.current.updated_at) >= Date.parse(since))
        )
        const { slice, headers } = paginate(found, url)
        return reply(
          200,
          slice.map((c) => structuredClone(c.current)),
          headers,
          template
        )
      }
      if (!commentsAllowed(identity, 'write')) return fail(403, forbidden(identity), DOCS.createComment)
      if (!valid(template, DOCS.createComment)) return
      if (!pulls.has(number)) return fail(404, 'Not Found', DOCS.createComment)
      if (tooLong(body.body)) return fail(422, 'Validation Failed', DOCS.createComment, tooLongErrors)
      const author = commentAuthor(identity)
      const comment = addComment(number, body.body, author.user, author.association, identity)
      if (identity.kind === 'installation') comment.current.performed_via_github_app = appJson(identity)
      comment.history.push({ method: 'POST', at: comment.current.created_at, identity, body: body.body })
      return reply(201, structuredClone(comment.current), { location: comment.current.url as string }, template)
    }

    // One comment: get, edit, delete.
    if ((m = /^\/issues\/comments\/(\d+)$/.exec(rest)) && ['GET', 'PATCH', 'DELETE'].includes(method)) {
      const template = '/repos/{owner}/{repo}/issues/comments/{comment_id}'
      const docs = { GET: DOCS.getComment, PATCH: DOCS.updateComment, DELETE: DOCS.deleteComment }[method]!
      const need: Permission = method === 'GET' ? 'read' : 'write'
      if (!commentsAllowed(identity, need)) return fail(403, forbidden(identity), docs)
      const index = comments.findIndex((c) => c.id === Number(m![1]))
      const found = comments[index]
      if (method === 'PATCH' && !valid(template, docs)) return
      if (!found) return fail(404, 'Not Found', docs)
      if (method === 'GET') return reply(200, structuredClone(found.current), {}, template)
      // Its author, or an installation with write, may change it; others may not.
      if (identity.kind !== 'installation' && found.current.user.login !== commentAuthor(identity).login)
        // The fake's own wording.
        return fail(403, 'You cannot edit or delete a comment another user wrote.', docs)
      if (method === 'DELETE') {
        comments.splice(index, 1)
        return reply(204)
      }
      if (tooLong(body.body)) return fail(422, 'Validation Failed', docs, tooLongErrors)
      const at = stamp(now())
      found.current = { ...structuredClone(found.current), body: body.body, updated_at: at }
      found.history.push({ method: 'PATCH', at, identity, body: body.body })
      return reply(200, structuredClone(found.current), {}, template)
    }

    return fail(404, 'Not Found')
  }

  /** Comments on a pull request are reachable with either `issues` or `pull_requests`. */
  const commentsAllowed = (identity: TokenIdentity, need: Permission) =>
    allowed(identity, 'pull_requests', need) || allowed(identity, 'issues', need)
  /** GitHub counts characters (code points), not UTF-16 units. */
  const tooLong = (text: string) => text.length > COMMENT_LIMIT && [...text].length > COMMENT_LIMIT
  const tooLongErrors = {
    errors: [
      {
        resource: 'IssueComment',
        code: 'custom',
        field: 'body',
        message: `body is too long (maximum is ${COMMENT_LIMIT} characters)`
      }
    ]
  }

  const addComment = (
    number: number,
    text: string,
    user: any,
    association: AuthorAssociation,
    identity: TokenIdentity | undefined
  ): FakeComment => {
    const id = nextCommentId++
    const at = stamp(now())
    const current: IssueCommentJson = {
      ...structuredClone(ISSUE_COMMENT),
      id,
      node_id: `IC_${Buffer.from(`comment:${id}`).toString('base64url')}`,
      url: `${base}/repos/${repository}/issues/comments/${id}`,
      html_url: `https://github.com/${repository}/pull/${number}#issuecomment-${id}`,
      issue_url: `${base}/repos/${repository}/issues/${number}`,
      body: text,
      user,
      author_association: association,
      created_at: at,
      updated_at: at
    }
    const comment: FakeComment = { id, number, identity, current, history: [] }
    comments.push(comment)
    return comment
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      // Decoded once: a character split across two chunks stays one character.
      const raw = Buffer.concat(chunks).toString('utf8')
      const url = new URL(req.url ?? '/', 'http://fake')
      const record: FakeChecksRequest = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: Object.fromEntries(url.searchParams),
        body: undefined,
        identity: undefined
      }
      requests.push(record)
      const delay = options.latency?.({ method: record.method, path: record.path }) ?? 0
      const { before = 0, after = 0 } = typeof delay === 'number' ? { before: delay } : delay
      const reply = (status: number, body?: unknown, headers: Record<string, string> = {}, template?: string) => {
        if (template && status < 300)
          contractErrors.push(...responseContractErrors(record.method, template, status, body))
        record.status = status
        const send = () => {
          res.writeHead(status, {
            ...headers,
            ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' })
          })
          res.end(body === undefined ? undefined : JSON.stringify(body))
        }
        if (after > 0) setTimeout(send, after)
        else send()
      }
      const act = () => {
        try {
          handle(req, raw, record, reply)
        } catch (failure) {
          // A bug in the fake answers 500 and fails the test, never leaves a request hanging.
          contractErrors.push(`fake server error: ${(failure as Error).stack ?? String(failure)}`)
          if (record.status === undefined) reply(500, { message: 'fake server error' })
        }
      }
      // GitHub acts on the request only after `before`: the state it reads and changes is the state then.
      if (before > 0) setTimeout(act, before)
      else act()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: base,
    checkRuns,
    statuses,
    comments,
    requests,
    contractErrors,
    seedWorkflowRun(seed) {
      const status = seed.status ?? 'completed'
      const text = JSON.stringify(WORKFLOW_RUN)
        .replaceAll(`/actions/runs/${WORKFLOW_RUN.id}`, `/actions/runs/${seed.id}`)
        .replaceAll('octo-org/octo-repo', repository)
      workflowRuns.push({
        ...JSON.parse(text),
        updated_at: seed.created_at,
        run_started_at: seed.created_at,
        conclusion: status === 'completed' ? 'success' : null,
        ...seed,
        status
      })
    },
    seedPullRequest(seed) {
      const text = JSON.stringify(PULL_REQUEST)
        .replaceAll(`/pulls/${PULL_REQUEST.number}`, `/pulls/${seed.number}`)
        .replaceAll(`/pull/${PULL_REQUEST.number}`, `/pull/${seed.number}`)
        .replaceAll(`/issues/${PULL_REQUEST.number}`, `/issues/${seed.number}`)
        .replaceAll('octocat/Hello-World', repository)
        .replaceAll('https://api.github.com/repos/', `${base}/repos/`)
      const pull = JSON.parse(text)
      const at = stamp(now())
      pulls.set(seed.number, {
        ...pull,
        id: 1_000_000_000 + seed.number,
        node_id: `PR_${Buffer.from(`pull:${seed.number}`).toString('base64url')}`,
        number: seed.number,
        state: seed.state ?? 'open',
        title: seed.title ?? pull.title,
        // GitHub's example names a team without its `type`, which its own schema requires.
        requested_teams: [],
        created_at: at,
        updated_at: at,
        closed_at: seed.state === 'closed' ? at : null,
        merged_at: null,
        merged: false,
        head: { ...pull.head, sha: seed.headSha }
      })
    },
    setPullHead(number, sha) {
      const pull = pulls.get(number)
      if (!pull) throw new Error(`setPullHead: no pull request #${number} was seeded`)
      pull.head.sha = sha
      pull.updated_at = stamp(now())
    },
    seedComment(seed) {
      if (!pulls.has(seed.number)) throw new Error(`seedComment: no pull request #${seed.number} was seeded`)
      const { login, type = 'User' } = typeof seed.user === 'string' ? { login: seed.user } : seed.user
      const comment = addComment(
        seed.number,
        seed.body,
        userJson(login, userId(login), type),
        seed.author_association,
        undefined
      )
      comment.history.push({ method: 'SEED', at: comment.current.created_at, identity: undefined, body: seed.body })
      return structuredClone(comment.current)
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
