/**
 * A saved `runs` output (a JSON file) as the report's input, for `pipeline-trigger report`: the
 * same Markdown the pull-request comment and the job summary have, for a terminal or another bot.
 * The file is checked, not trusted: what does not fit is an error naming the entry and the field.
 */
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { readMetrics } from '../core/metrics.js'
import { RUN_STATUSES } from '../core/run-state.js'
import { UserError } from '../errors.js'
import type { ReportInput, ReportRun } from './metrics-report.js'

const metric = z.union([z.number(), z.string()])
const point = z.object({ sha: z.string(), url: z.string().optional(), metrics: z.record(z.string(), z.unknown()) })
const gate = z.object({
  gate: z.string(),
  metric: z.string(),
  outcome: z.enum(['pass', 'fail', 'unknown']),
  value: metric.optional(),
  threshold: metric.optional(),
  baseline: metric.optional(),
  reason: z.string().optional()
})
const VERDICTS = ['success', 'failure', 'neutral', 'timed_out', 'cancelled', 'skipped', 'pending'] as const
const run = z.object({
  pipeline: z.string(),
  'run-id': z.string().nullish(),
  'run-url': z.string().nullish(),
  status: z.enum(RUN_STATUSES as [string, ...string[]]),
  parameters: z.record(z.string(), z.unknown()).optional(),
  metrics: z.record(z.string(), z.unknown()).optional(),
  verdict: z.enum(VERDICTS).optional(),
  'verdict-reason': z.string().optional(),
  gates: z.array(gate).optional(),
  baseline: point.optional(),
  history: z.array(point).optional()
})

/** What a run's status concludes when no gate spoke. */
const BY_STATUS: Record<string, ReportRun['verdict']> = {
  completed: 'success',
  failed: 'failure',
  timed_out: 'timed_out',
  cancelled: 'cancelled',
  not_started: 'skipped',
  running: 'pending'
}

export function readRunsFile(path: string): ReportInput {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UserError(
      `--runs ${path}: not a JSON file (${(error as Error).message}). Save the action's runs output to it.`
    )
  }
  const parsed = z.array(run).safeParse(data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UserError(
      `--runs ${path}: ${issue.path.length ? `at ${issue.path.join('.')}: ` : ''}${issue.message}. Expected the action's runs output: a JSON array of runs.`
    )
  }
  const history: ReportInput['history'] = {}
  const runs = parsed.data.map((entry): ReportRun => {
    if (entry.history && !history[entry.pipeline])
      history[entry.pipeline] = entry.history.map(({ sha, metrics }) => ({
        sha,
        metrics: readMetrics(metrics, 'a run').metrics
      }))
    return {
      pipeline: entry.pipeline,
      name: `pipeline: ${entry.pipeline}${entry['run-id'] ? ` (${entry['run-id']})` : ''}`,
      status: entry.status as ReportRun['status'],
      verdict: entry.verdict ?? BY_STATUS[entry.status]!,
      ...(entry['verdict-reason'] ? { reason: entry['verdict-reason'] } : {}),
      ...(entry['run-id'] ? { runId: entry['run-id'] } : {}),
      ...(entry['run-url'] ? { runUrl: entry['run-url'] } : {}),
      metrics: readMetrics(entry.metrics, 'a run').metrics,
      ...(entry.baseline
        ? {
            baseline: {
              sha: entry.baseline.sha,
              ...(entry.baseline.url ? { url: entry.baseline.url } : {}),
              metrics: readMetrics(entry.baseline.metrics, 'a baseline').metrics
            }
          }
        : {}),
      gates: entry.gates ?? []
    }
  })
  return { runs, history }
}
