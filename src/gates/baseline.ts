/**
 * The baseline: the latest completed run of the same pipeline on the default branch, found in the
 * check runs this action left there. One way for every target: each completed check run of ours
 * carries a hidden record of its pipeline, status and metrics (check-run-fields.ts), and GitHub
 * keeps it; no database of ours, no target-specific query.
 *
 * How: the default branch's recent workflow runs give its commits, newest first (1 call); each
 * commit's check runs are listed (1 call per commit) until every pipeline asked for has
 * HISTORY_POINTS completed runs or MAX_COMMITS commits were read. Every completed check run of
 * ours (our external id, whether it names the target's run id or only the request's key) with a
 * record counts, whatever its target. The commit this step runs on is skipped: a run is not its own baseline.
 * Needs `actions: read` and `checks: read`; without them there is no baseline, and gates that
 * need one say so (neutral).
 */
import type { BaselinePoint } from '../core/judgement.js'
import { errorMessage } from '../errors.js'
import { checksApi } from '../github/checks-api.js'
import type { GitHubClient } from '../github/client.js'
import { workflowRunsApi } from '../github/workflow-runs-api.js'
import { readExternalId, readMetricsRecord } from '../checks/check-run-fields.js'

/** Main's completed runs kept per pipeline: the first is the baseline, all of them the chart. */
export const HISTORY_POINTS = 10
/** Commits of the default branch read at most. */
export const MAX_COMMITS = 20

export interface Baselines {
  /** Per pipeline (the config key), newest first. */
  history: Map<string, BaselinePoint[]>
  /** Why there is none at all (refused, no default branch); undefined when the search ran. */
  problem?: string
  /** GitHub API calls made. */
  calls: number
}

export interface BaselineOptions {
  client: GitHubClient
  /** owner/name */
  repository: string
  /** The default branch, from the event's repository; undefined: asked of GitHub. */
  branch: string | undefined
  /** The commit this step runs on: never its own baseline. */
  sha: string
  pipelines: string[]
}

export async function findBaselines(options: BaselineOptions): Promise<Baselines> {
  const { client, repository, sha, pipelines } = options
  const checks = checksApi(client, repository)
  const runsApi = workflowRunsApi(client, repository)
  const history = new Map<string, BaselinePoint[]>(pipelines.map((pipeline) => [pipeline, []]))
  let calls = 0
  let branch = options.branch
  try {
    if (!branch) {
      // A reconcile pass has no event that names it: the repository says.
      calls++
      branch = await runsApi.defaultBranch(`reading the default branch of ${repository}, to find the baseline`)
    }
    calls++
    const runs = await runsApi.list(`listing the recent workflow runs of ${branch}, to find the baseline`, { branch })
    const shas = [...new Set(runs.map((run) => run.head_sha))].filter((s) => s !== sha)
    const full = () => [...history.values()].every((points) => points.length >= HISTORY_POINTS)
    for (const commit of shas.slice(0, MAX_COMMITS)) {
      if (full()) break
      calls++
      const completed = await checks.listForRef(
        `listing the check runs of ${commit.slice(0, 12)} on ${branch}, to find the baseline`,
        commit,
        { status: 'completed', filter: 'latest' }
      )
      // Newest first within a commit, so a re-run's record wins over the attempt before it. Ours
      // whatever the run part of the id: a `command` run without a server is named by its request's key.
      const ours = completed
        .filter((run) => readExternalId(run.external_id) !== undefined)
        .sort((a, b) => (b.completed_at ?? '').localeCompare(a.completed_at ?? ''))
      const seen = new Set<string>()
      for (const run of ours) {
        const record = readMetricsRecord(run.output?.text)
        const points = record && history.get(record.pipeline)
        if (!record || !points || record.status !== 'completed' || seen.has(record.pipeline)) continue
        if (points.length >= HISTORY_POINTS) continue
        seen.add(record.pipeline)
        points.push({ sha: commit, ...(run.html_url ? { url: run.html_url } : {}), metrics: record.metrics })
      }
    }
    return { history, calls }
  } catch (error) {
    return { history, calls, problem: `the baseline could not be looked up: ${errorMessage(error)}` }
  }
}
