/**
 * Triggering: the plan's targets resolved from config and inputs, connected (logins first, so a
 * wrong URL or key fails before anything starts), and every request run by the executor.
 * Loaded by main.ts only when something is triggered: a dry run never loads a target.
 */
import { createHash } from 'node:crypto'
import { Deadline, realClock } from '../clock.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import { executePlan, type RunResult } from '../execute/execute.js'
import type { ReportedRun } from '../report/reported-run.js'
import { jobClient, type GitHubClient } from '../github/client.js'
import type { Settings } from '../inputs/settings.js'
import type { Plan, TriggerRequest } from '../plan/trigger-request.js'
import { attemptLine, resultLine } from '../report/log-lines.js'
import * as core from '../runner/commands.js'
import { errorMessage } from '../errors.js'
import { CommitVerdict } from '../checks/commit-verdict.js'
import { Gatekeeper } from '../gates/gatekeeper.js'
import { postPullRequestReport } from '../pr-comment/post-report.js'
import { runsReport } from '../checks/run-verdict.js'
import { awaitsLaterPass, renderSection, reportSection, sectionRecord } from '../pr-comment/report-section.js'
import { reattaching } from '../checks/reattach.js'
import { provenanceTags } from '../zenml/run-tags.js'
import { connectStepTargets } from '../step-targets.js'

/** The runs as the step reports them, and their report (metrics, gates, deltas) where one is shown. */
export interface Triggered {
  runs: ReportedRun[]
  /** The report of the runs, rendered once for the job summary and the pull-request comment. */
  report?: string
}

export async function trigger(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  context: { workspace: string; deadline: Deadline; env: Record<string, string> }
): Promise<Triggered> {
  const { workspace, deadline } = context
  const targets = await connectStepTargets(
    plan.requests.map((request) => [request.target, request.targetConfig]),
    settings,
    { workspace, deadline, env: context.env, provenance: provenanceTags(event) }
  )
  const inRunner = [...targets].filter(([, target]) => target.inRunner).map(([name]) => name)
  if (!settings.wait && inRunner.length > 0) {
    core.notice(
      `wait is false, but ${inRunner.length === 1 ? `target ${inRunner[0]} runs its pipeline` : `targets ${inRunner.join(', ')} run their pipelines`} inside this job, so the step waits for ${inRunner.length === 1 ? 'it' : 'them'}.`
    )
  }
  const github = openGitHub(settings, deadline)
  const gatekeeper = new Gatekeeper({
    client: github?.client,
    repository: event.repository,
    defaultBranch: event.defaultBranch,
    sha: verdictSha(event),
    pipelines: plan.requests.map((request) => request.pipeline),
    wantBaseline: wantsReport(event, settings),
    log: (message) => core.info(message)
  })
  const verdict =
    github &&
    openVerdict(plan, event, settings, github.client, gatekeeper, (request) => !!targets.get(request.target)?.follow)
  // A re-run of the job follows what an earlier attempt started, found through its check runs.
  const reattach = verdict && event.run.attempt > 1 && settings.rerun === 'reattach'
  const targetFor = new Map(
    [...targets].map(([name, target]) => [
      name,
      reattach
        ? reattaching(target, {
            earlier: (request) => verdict.earlier(request),
            adopt: (request, id) => verdict.adopt(request, id),
            log: (message) => core.info(message)
          })
        : target
    ])
  )
  try {
    const results = await executePlanWithVerdict()
    const judged: ReportedRun[] = await Promise.all(
      results.map(async (result) => {
        const checkRunId = verdict?.checkRunId(result.request)
        const judgement = await gatekeeper.judgement(result.request)
        return {
          ...result,
          ...(checkRunId !== undefined ? { checkRunId } : {}),
          ...(judgement ? { judgement } : {})
        }
      })
    )
    // Rendered once: the job summary and the pull-request comment's section show the same report.
    const report =
      wantsReport(event, settings) || judged.some((run) => run.state.metrics || run.judgement?.gates.length)
        ? runsReport(judged, event.repository, verdictSha(event))
        : undefined
    if (github && report !== undefined && wantsReport(event, settings))
      await postReport(judged, report, event, settings, github.client)
    return { runs: judged, ...(report !== undefined ? { report } : {}) }
  } finally {
    // Its timer would hold the process open: disposed whatever happened, a refusal before any start too.
    github?.deadline.dispose()
  }

  async function executePlanWithVerdict(): Promise<RunResult[]> {
    try {
      return await executePlan(plan.requests, (request) => targetFor.get(request.target)!, {
        wait: settings.wait,
        failFast: settings.failFast,
        cancelOnFailFast: settings.cancelOnFailFast,
        deadline,
        clock: realClock,
        log: (message) => core.info(message),
        observer: {
          attempt: (request) => core.info(attemptLine(request)),
          finished: (result) => core.info(resultLine(result)),
          // The verdict judges each run as it settles, to complete its check run; without one, the gates still judge it.
          ...(verdict
            ? {
                started: (request, ids) => verdict.started(request, ids),
                settled: (request, state, durationMs) => verdict.settled(request, state, durationMs)
              }
            : { settled: (request, state) => void gatekeeper.judge(request, state) })
        }
      })
    } finally {
      // Whatever happened, the check runs get their last word before the step ends.
      await verdict?.flush()
    }
  }
}

/** A pull request shows the checks of its head commit, not of the merge commit the job ran on. */
const verdictSha = (event: TriggerEvent): string => event.pullRequest?.headSha || event.sha

/** The report comment goes on a pull request, unless turned off. */
const wantsReport = (event: TriggerEvent, settings: Settings): boolean =>
  settings.report === 'auto' && event.pullRequest !== undefined

/** The one report comment of the pull request, this job's section in it; never fails the step. */
async function postReport(
  results: ReportedRun[],
  report: string,
  event: TriggerEvent,
  settings: Settings,
  client: GitHubClient
): Promise<void> {
  const pull = event.pullRequest!
  const job = [process.env.GITHUB_WORKFLOW, process.env.GITHUB_JOB, settings.requestIndex]
    .filter((part) => part !== undefined && part !== '')
    .join(' / ')
  // Rendered from its rows, which go with it as a hidden record: a later pass re-renders it when it completes their check runs.
  const section = reportSection(results, event.repository, verdictSha(event), job || 'pipeline-trigger')
  const markdown = renderSection(section, report)
  const record = awaitsLaterPass(section) ? sectionRecord(section) : undefined
  if (awaitsLaterPass(section) && !record)
    core.info(
      'The report section has too many rows to carry their record: a later pass completes their check runs, not their rows in the comment.'
    )
  // What the job ran tells apart the legs of a matrix, which share a job name; the same on a re-run of the job.
  const ran = createHash('sha256')
    .update(JSON.stringify(results.map(({ request }) => [request.pipeline, request.target, request.parameters])))
    .digest('hex')
    .slice(0, 8)
  try {
    const posted = await postPullRequestReport({
      client,
      repository: event.repository,
      pullNumber: pull.number,
      headSha: verdictSha(event),
      section: `${job || 'pipeline-trigger'} / ${ran}`,
      markdown,
      ...(record ? { record } : {}),
      clock: realClock,
      log: (message) => core.info(message)
    })
    core.info(posted.posted ? `Report: ${posted.url}` : `No report comment: ${posted.reason}.`)
  } catch (error) {
    core.info(`No report comment: ${errorMessage(error)}`)
  }
}

/** Completing the check runs may take this long past the step's deadline: a timed-out run still gets its verdict. */
export const VERDICT_GRACE_MS = 15_000

/**
 * The GitHub client of the verdict, the baseline and the report, with its own deadline: the
 * step's plus VERDICT_GRACE_MS, so a timed-out run still gets its verdict.
 */
function openGitHub(
  settings: Settings,
  stepDeadline: Deadline
): { client: GitHubClient; deadline: Deadline } | undefined {
  if (!settings.token) {
    core.info(
      'No verdict on the commit and no baseline: the token input is empty (leave it at its default, github.token).'
    )
    return undefined
  }
  const deadline = new Deadline(realClock, stepDeadline.remaining() + VERDICT_GRACE_MS)
  return { client: jobClient(settings.token, deadline, (message) => core.info(message)), deadline }
}

/** The verdict on the commit, unless it is off. */
function openVerdict(
  plan: Plan,
  event: TriggerEvent,
  settings: Settings,
  client: GitHubClient,
  gatekeeper: Gatekeeper,
  followable: (request: TriggerRequest) => boolean
): CommitVerdict | undefined {
  if (settings.verdict === 'off' || plan.requests.length === 0) return undefined
  return new CommitVerdict({
    client,
    repository: event.repository,
    sha: verdictSha(event),
    mode: settings.verdict,
    wait: settings.wait,
    followable,
    ...(wantsReport(event, settings) ? { pullRequest: event.pullRequest!.number } : {}),
    requests: plan.requests,
    judge: (request, state) => gatekeeper.judge(request, state),
    log: (message) => core.info(message),
    warn: (message) => core.warning(message)
  })
}
