/**
 * One job's section of the pull request's report comment: its rows, rendered by the one renderer
 * (renderReport, as the job summary and `pipeline-trigger report` render them), and a hidden record
 * of the same rows, so that a later pass (reconcile, a callback) can re-render the section with the
 * rows of the check runs it completed replaced, and the others as they were.
 *
 * The record is kept while a row is pending on an open check run (awaitsLaterPass). It is one line,
 * `<!-- pipeline-trigger:rows {JSON} -->`, after the section's open marker (post-report.ts keeps it
 * whole when a section is shortened). `<`, `>`, `&` and the Unicode line separators are escaped
 * inside the JSON (still JSON), so no value can close the comment early, open another, or break the
 * line. It is bounded (RECORD_LIMIT characters: the charts' history is left out first, then the
 * record altogether, and a later pass then leaves the section as it is) and read back field by
 * field, with the same bounds: a record that does not fit is not read.
 *
 * What a record says is data to show, never a verdict: a later pass replaces a row only with what it
 * learned from the run's target, matched by the row's check run id.
 */
import { z } from 'zod'
import { pageOf, reportInput } from '../checks/run-verdict.js'
import type { ReportedRun } from '../report/reported-run.js'
import type { BaselinePoint } from '../core/judgement.js'
import { readMetrics } from '../core/metrics.js'
import { RUN_STATUSES } from '../core/run-state.js'
import { escapeMarkdown } from '../report/markdown.js'
import { renderReport, type ReportRun } from '../report/metrics-report.js'

/** A row of the section: the report's run, and the check run it is shown on, if it has one. */
export interface SectionRun extends ReportRun {
  checkRunId?: number
}

export interface ReportSection {
  /** The job: `workflow / job / index`. */
  title: string
  /** The commit the rows are about. */
  sha: string
  runs: SectionRun[]
  /** Per pipeline, the default branch's last runs, oldest first (the charts). */
  history: Record<string, BaselinePoint[]>
}

/** The record's most characters: a comment holds 65,536, shared by every job's section. */
export const RECORD_LIMIT = 12_000
const RECORD_OPEN = '<!-- pipeline-trigger:rows '
const RECORD_CLOSE = ' -->'
/** Bounds on what a record is read with (a longer value is what no writer of ours makes). */
const MAX = { rows: 500, text: 2_000, gates: 50, points: 50 } as const

/** The section's Markdown: the job's name, then the report of its rows (`body` where the step rendered it already). */
export function renderSection(section: ReportSection, body?: string): string {
  const { runs, history, sha } = section
  return `**${escapeMarkdown(section.title)}**\n\n${body ?? renderReport({ runs, history, sha })}`
}

/** Whether a later pass may still fill in a row: one is pending on an open check run. Otherwise no record is needed. */
export const awaitsLaterPass = (section: ReportSection): boolean =>
  section.runs.some((run) => run.verdict === 'pending' && run.checkRunId !== undefined)

/**
 * The record of the section's rows as one hidden line; without the charts' history when that does
 * not fit RECORD_LIMIT, and undefined when the rows alone do not.
 */
export function sectionRecord(section: ReportSection): string | undefined {
  for (const kept of [section, { ...section, history: {} }]) {
    const json = JSON.stringify({ v: 1, ...kept }).replace(
      /[<>&\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
    )
    const line = `${RECORD_OPEN}${json}${RECORD_CLOSE}`
    if (line.length <= RECORD_LIMIT) return line
  }
  return undefined
}

const text = z.string().max(MAX.text)
const metric = z.union([z.number(), z.string()])
// Read from the parsed JSON itself, not a copy zod makes: a metric named `__proto__` is only a name.
const metrics = z.unknown().transform((raw) => readMetrics(raw, 'a report row').metrics)
const point = z.object({ sha: text, url: text.optional(), metrics })
const gate = z.object({
  gate: text,
  metric: text,
  outcome: z.enum(['pass', 'fail', 'unknown']),
  value: metric.optional(),
  threshold: metric.optional(),
  baseline: metric.optional(),
  reason: text.optional()
})
const row = z.object({
  checkRunId: z.number().int().positive().optional(),
  pipeline: text,
  name: text,
  status: z.enum(RUN_STATUSES as [string, ...string[]]),
  verdict: z.enum(['success', 'failure', 'neutral', 'timed_out', 'cancelled', 'skipped', 'pending']),
  reason: text.optional(),
  runId: text.optional(),
  runUrl: text.optional(),
  checkRunUrl: text.optional(),
  metrics,
  baseline: point.optional(),
  gates: z.array(gate).max(MAX.gates)
})
const record = z.object({
  v: z.literal(1),
  title: text,
  sha: text,
  runs: z.array(row).max(MAX.rows),
  history: z.unknown().transform((raw, context) => {
    // A null-prototype map, filled from the parsed JSON's own keys: a pipeline named `__proto__` is only a name.
    const history = Object.create(null) as Record<string, BaselinePoint[]>
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      context.addIssue({ code: 'custom', message: 'history is not an object' })
      return z.NEVER
    }
    for (const [pipeline, points] of Object.entries(raw)) {
      const parsed = z.array(point).max(MAX.points).safeParse(points)
      if (!parsed.success) {
        context.addIssue({ code: 'custom', message: `history of ${pipeline}` })
        return z.NEVER
      }
      history[pipeline] = parsed.data
    }
    return history
  })
})

/** The section a record line describes; undefined when it is not one of ours, or does not fit the bounds. */
export function readSectionRecord(line: string | undefined): ReportSection | undefined {
  if (!line || line.length > RECORD_LIMIT || !line.startsWith(RECORD_OPEN) || !line.endsWith(RECORD_CLOSE))
    return undefined
  try {
    const parsed = record.safeParse(JSON.parse(line.slice(RECORD_OPEN.length, -RECORD_CLOSE.length)))
    if (!parsed.success) return undefined
    const { v: _version, ...section } = parsed.data
    return section as ReportSection
  } catch {
    return undefined
  }
}

/** A row a later pass made from the target's answer, and the pipeline's history it judged against. */
export interface CompletedRow {
  run: SectionRun & { checkRunId: number }
  /** Oldest first; empty when the pass looked up no baseline. */
  history: BaselinePoint[]
}

/**
 * The section with the rows of these check runs replaced (the rest as they were), or undefined
 * when none of its rows is one of them.
 */
export function withCompletedRows(
  section: ReportSection,
  completed: ReadonlyMap<number, CompletedRow>
): ReportSection | undefined {
  const history = Object.assign(Object.create(null) as Record<string, BaselinePoint[]>, section.history)
  let replaced = 0
  const runs = section.runs.map((run) => {
    const done = run.checkRunId === undefined ? undefined : completed.get(run.checkRunId)
    if (!done) return run
    replaced++
    if (done.history.length) history[done.run.pipeline] = done.history
    // A link the pass did not learn (a target that gives none) stays as the row had it.
    return { ...(run.runUrl && !done.run.runUrl ? { runUrl: run.runUrl } : {}), ...done.run }
  })
  return replaced ? { ...section, runs, history } : undefined
}

/** These runs as a job's section of the pull-request report: each row with its check run's id, for a later pass. */
export function reportSection(results: ReportedRun[], repository: string, sha: string, title: string): ReportSection {
  const { runs, history } = reportInput(results, sha, pageOf(repository))
  return {
    title,
    sha,
    runs: runs.map((run, i) => {
      const checkRunId = results[i]!.checkRunId
      return checkRunId === undefined ? run : { ...run, checkRunId }
    }),
    history
  }
}
