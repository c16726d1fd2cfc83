/**
 * A fake of the few GitHub REST endpoints the changed-file fallback calls, on 127.0.0.1. The
 * real API cannot run here, so this one follows the published contract: every body is checked
 * against @octokit/openapi (github-openapi.ts) before it is sent, pagination uses Link headers,
 * and GitHub's documented ceilings apply (3,000 PR files, 300 compare files, 250 compare commits,
 * 300 files per page of a commit).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { responseErrors } from './github-openapi.js'

export interface FakeFile {
  filename: string
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged'
  previous_filename?: string
}

export interface FakeRepository {
  owner: string
  repo: string
  pulls?: Record<number, FakeFile[]>
  /** Keyed by `base...head`: every changed file and every commit (oldest first) of the range. */
  compares?: Record<string, { files: FakeFile[]; commits: string[] }>
  commits?: Record<string, FakeFile[]>
  /** Runs of each workflow file, newest first. */
  workflowRuns?: Record<
    string,
    { id: number; head_sha: string; head_branch: string; conclusion: 'success' | 'failure' }[]
  >
}

// Workflow runs have dozens of required fields: start from GitHub's own published example.
const require = createRequire(import.meta.url)
const runExample = (
  require('@octokit/openapi/generated/api.github.com.json') as {
    components: { examples: Record<string, { value: { workflow_runs: object[] } }> }
  }
).components.examples['workflow-run-paginated']!.value.workflow_runs[0]!

export interface FakeGitHub {
  url: string
  requests: string[]
  schemaErrors: string[]
  /** Answer the next N requests with 503, to exercise retries. */
  failNext(count: number): void
  close(): Promise<void>
}

const API = 'https://api.github.com'
const hex = (seed: string) => Buffer.from(seed).toString('hex').padEnd(40, '0').slice(0, 40)

function user() {
  const u = `${API}/users/octocat`
  return {
    login: 'octocat',
    id: 1,
    node_id: 'MDQ6VXNlcjE=',
    avatar_url: 'https://github.com/images/error/octocat_happy.gif',
    gravatar_id: '',
    url: u,
    html_url: 'https://github.com/octocat',
    followers_url: `${u}/followers`,
    following_url: `${u}/following{/other_user}`,
    gists_url: `${u}/gists{/gist_id}`,
    starred_url: `${u}/starred{/owner}{/repo}`,
    subscriptions_url: `${u}/subscriptions`,
    organizations_url: `${u}/orgs`,
    repos_url: `${u}/repos`,
    events_url: `${u}/events{/privacy}`,
    received_events_url: `${u}/received_events`,
    type: 'User',
    site_admin: false
  }
}

function diffEntry(repo: FakeRepository, file: FakeFile) {
  const base = `https://github.com/${repo.owner}/${repo.repo}`
  return {
    sha: hex(file.filename),
    filename: file.filename,
    status: file.status,
    additions: 1,
    deletions: file.status === 'removed' ? 1 : 0,
    changes: 1,
    blob_url: `${base}/blob/main/${encodeURIComponent(file.filename)}`,
    raw_url: `${base}/raw/main/${encodeURIComponent(file.filename)}`,
    contents_url: `${API}/repos/${repo.owner}/${repo.repo}/contents/${encodeURIComponent(file.filename)}`,
    ...(file.previous_filename ? { previous_filename: file.previous_filename } : {})
  }
}

function commit(repo: FakeRepository, sha: string, files?: FakeFile[]) {
  const api = `${API}/repos/${repo.owner}/${repo.repo}`
  const person = { name: 'Octo Cat', email: 'octocat@github.com', date: '2026-11-01T00:00:00Z' }
  return {
    url: `${api}/commits/${sha}`,
    sha,
    node_id: `C_${sha.slice(0, 8)}`,
    html_url: `https://github.com/${repo.owner}/${repo.repo}/commit/${sha}`,
    comments_url: `${api}/commits/${sha}/comments`,
    commit: {
      url: `${api}/git/commits/${sha}`,
      author: person,
      committer: person,
      message: 'change',
      comment_count: 0,
      tree: { sha: hex(`tree${sha}`), url: `${api}/git/trees/${hex(`tree${sha}`)}` }
    },
    author: user(),
    committer: user(),
    parents: [{ sha: hex(`parent${sha}`), url: `${api}/commits/${hex(`parent${sha}`)}` }],
    ...(files
      ? {
          files: files.map((f) => diffEntry(repo, f)),
          stats: { additions: files.length, deletions: 0, total: files.length }
        }
      : {})
  }
}

function page<T>(items: T[], url: URL, perPageDefault: number, perPageMax: number, ceiling: number) {
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? perPageDefault), perPageMax)
  const number = Number(url.searchParams.get('page') ?? 1)
  const visible = items.slice(0, ceiling)
  const slice = visible.slice((number - 1) * perPage, number * perPage)
  const last = Math.max(1, Math.ceil(visible.length / perPage))
  const link = (p: number) => {
    const next = new URL(url)
    next.searchParams.set('page', String(p))
    next.searchParams.set('per_page', String(perPage))
    return next.toString()
  }
  const links = number < last ? `<${link(number + 1)}>; rel="next", <${link(last)}>; rel="last"` : ''
  return { slice, links }
}

/**
 * GitHub's compare rules: without paging parameters, up to 250 commits and up to 300 files; with
 * per_page/page, commits come 100 at most a page and the files only on page 1.
 */
function compareCommitsAndFiles(repository: FakeRepository, range: { files: FakeFile[]; commits: string[] }, url: URL) {
  const paged = url.searchParams.has('per_page') || url.searchParams.has('page')
  const files = range.files.slice(0, 300).map((f) => diffEntry(repository, f))
  if (!paged) return { commits: range.commits.slice(0, 250).map((sha) => commit(repository, sha)), files }
  const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100)
  const number = Number(url.searchParams.get('page') ?? 1)
  const commits = range.commits.slice((number - 1) * perPage, number * perPage).map((sha) => commit(repository, sha))
  return number === 1 ? { commits, files } : { commits }
}

export async function startFakeGitHub(repository: FakeRepository, token: string): Promise<FakeGitHub> {
  const requests: string[] = []
  const schemaErrors: string[] = []
  let failures = 0

  const send = (res: ServerResponse, status: number, body: unknown, template?: string, link = '') => {
    if (template && status === 200) schemaErrors.push(...responseErrors(template, body))
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...(link ? { link } : {}) })
    res.end(JSON.stringify(body))
  }

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    requests.push(`${req.method} ${url.pathname}${url.search}`)
    if (failures > 0) {
      failures--
      return send(res, 503, { message: 'Service Unavailable' })
    }
    if (req.headers.authorization !== `token ${token}` && req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest' })
    }
    const prefix = `/repos/${repository.owner}/${repository.repo}`
    const path = decodeURIComponent(url.pathname)
    let match: RegExpExecArray | null
    if ((match = new RegExp(`^${prefix}/pulls/(\\d+)/files$`).exec(path))) {
      const files = repository.pulls?.[Number(match[1])]
      if (!files) return send(res, 404, { message: 'Not Found' })
      const { slice, links } = page(files, url, 30, 100, 3000)
      return send(
        res,
        200,
        slice.map((f) => diffEntry(repository, f)),
        '/repos/{owner}/{repo}/pulls/{pull_number}/files',
        links
      )
    }
    if ((match = new RegExp(`^${prefix}/compare/(.+)$`).exec(path))) {
      const range = repository.compares?.[match[1]!]
      if (!range) return send(res, 404, { message: 'Not Found' })
      const base = match[1]!.split('...')[0]!
      const body = {
        url: `${API}${prefix}/compare/${match[1]}`,
        html_url: `https://github.com/${repository.owner}/${repository.repo}/compare/${match[1]}`,
        permalink_url: `https://github.com/${repository.owner}/${repository.repo}/compare/${match[1]}`,
        diff_url: `https://github.com/${repository.owner}/${repository.repo}/compare/${match[1]}.diff`,
        patch_url: `https://github.com/${repository.owner}/${repository.repo}/compare/${match[1]}.patch`,
        base_commit: commit(repository, /^[0-9a-f]{40}$/.test(base) ? base : hex(base)),
        merge_base_commit: commit(repository, /^[0-9a-f]{40}$/.test(base) ? base : hex(base)),
        status: 'ahead',
        ahead_by: range.commits.length,
        behind_by: 0,
        total_commits: range.commits.length,
        ...compareCommitsAndFiles(repository, range, url)
      }
      return send(res, 200, body, '/repos/{owner}/{repo}/compare/{basehead}')
    }
    if ((match = new RegExp(`^${prefix}/actions/workflows/([^/]+)/runs$`).exec(path))) {
      const branch = url.searchParams.get('branch')
      const status = url.searchParams.get('status')
      const runs = (repository.workflowRuns?.[match[1]!] ?? []).filter(
        (r) => (!branch || r.head_branch === branch) && (!status || r.conclusion === status)
      )
      const { slice, links } = page(runs, url, 30, 100, 1000)
      const body = {
        total_count: runs.length,
        workflow_runs: slice.map((r) => ({
          ...structuredClone(runExample),
          id: r.id,
          head_sha: r.head_sha,
          head_branch: r.head_branch,
          status: 'completed',
          conclusion: r.conclusion
        }))
      }
      return send(res, 200, body, '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', links)
    }
    if ((match = new RegExp(`^${prefix}/commits/([0-9a-f]{40})$`).exec(path))) {
      const files = repository.commits?.[match[1]!]
      if (!files) return send(res, 404, { message: 'No commit found for SHA' })
      const { slice, links } = page(files, url, 300, 300, 3000)
      return send(res, 200, commit(repository, match[1]!, slice), '/repos/{owner}/{repo}/commits/{ref}', links)
    }
    return send(res, 404, { message: 'Not Found' })
  }

  // A bug in the fake must answer 500 (and fail the schema check), never leave a request hanging.
  const server = createServer((req, res) => {
    try {
      handle(req, res)
    } catch (error) {
      schemaErrors.push(`fake server error: ${(error as Error).message}`)
      send(res, 500, { message: 'fake server error' })
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    schemaErrors,
    failNext: (count) => void (failures = count),
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
