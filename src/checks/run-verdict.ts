/**
 * A judged run as the report shows it (src/report/metrics-report.ts), and what its check run
 * carries: the conclusion the gates decided, the reason, and the text (the run's metrics table
 * and the hidden record a later step reads as its baseline).
 */
import type { RunState } from '../core/run-state.js'
import type { ReportedRun } from '../report/reported-run.js'
import { renderReport, renderRunMetrics, type ReportInput, type ReportRun } from '../report/metrics-report.js'
import { checkRunName, metricsRecord, type RunOutcome } from './check-run-fields.js'
import type { BaselinePoint, Judgement } from '../core/judgement.js'

export function toReportRun(
  pipeline: string,
  state: RunState,
  judged: Judgement | undefined,
  name: string,
  checkRunUrl?: string
): ReportRun {
  return {
    pipeline,
    name,
    status: state.status,
    verdict: judged?.conclusion ?? 'pending',
    ...(judged?.reason ? { reason: judged.reason } : {}),
    ...(state.runId ? { runId: state.runId } : {}),
    ...(state.runUrl ? { runUrl: state.runUrl } : {}),
    ...(checkRunUrl ? { checkRunUrl } : {}),
    metrics: state.metrics ?? {},
    ...(judged?.baseline
      ? {
          baseline: {
            sha: judged.baseline.sha,
            ...(judged.baseline.url ? { url: judged.baseline.url } : {}),
            metrics: judged.baseline.metrics
          }
        }
      : {}),
    gates: judged?.gates ?? []
  }
}

/** The report's input for these results: each run under its check run's name, and each pipeline's history. */
export function reportInput(
  results: ReportedRun[],
  sha: string,
  checkRunUrl: (result: ReportedRun) => string | undefined
): ReportInput {
  const siblings = new Map<string, number>()
  for (const { request } of results) siblings.set(request.pipelineName, (siblings.get(request.pipelineName) ?? 0) + 1)
  const history: ReportInput['history'] = {}
  for (const { request, judgement } of results)
    if (judgement?.history.length && !history[request.pipeline]) history[request.pipeline] = chartHistory(judgement)
  return {
    runs: results.map((result) =>
      toReportRun(
        result.request.pipeline,
        result.state,
        result.judgement,
        checkRunName(result.request, siblings.get(result.request.pipelineName) ?? 1),
        checkRunUrl(result)
      )
    ),
    history,
    sha
  }
}

/** The judgement's history as a chart reads it, left to right: oldest first. */
export const chartHistory = (judgement: Judgement): BaselinePoint[] =>
  [...judgement.history].reverse().map(({ sha, metrics }) => ({ sha, metrics }))

/** GitHub's page of a check run: /<owner>/<repo>/runs/<id>. */
export const checkRunPage = (repository: string, id: number): string =>
  `${process.env.GITHUB_SERVER_URL || 'https://github.com'}/${repository}/runs/${id}`

/** A run's check run page, where it has one. */
export const pageOf = (repository: string) => (result: ReportedRun) =>
  result.checkRunId === undefined ? undefined : checkRunPage(repository, result.checkRunId)

/** The report of these runs, for the job summary (the pull-request comment's section renders the same). */
export function runsReport(results: ReportedRun[], repository: string, sha: string): string {
  return renderReport(reportInput(results, sha, pageOf(repository)))
}

/** The check run's share of the judgement. */
export function verdictOf(
  pipeline: string,
  state: RunState,
  judged: Judgement,
  name: string
): Pick<RunOutcome, 'conclusion' | 'verdictReason' | 'text'> {
  const completed = state.status === 'completed'
  const shown = completed && (judged.gates.length > 0 || state.metrics !== undefined || state.metricsProblem)
  const text = [
    ...(shown ? [renderRunMetrics(toReportRun(pipeline, state, judged, name))] : []),
    ...(state.metricsProblem ? [state.metricsProblem] : []),
    // Every completed run leaves its record: main's runs are the next pull request's baseline.
    ...(completed ? [metricsRecord({ pipeline, status: state.status, metrics: state.metrics ?? {} })] : [])
  ].join('\n\n')
  return {
    ...(judged.conclusion ? { conclusion: judged.conclusion } : {}),
    ...(judged.reason && judged.gates.length ? { verdictReason: judged.reason } : {}),
    ...(text ? { text } : {})
  }
}
