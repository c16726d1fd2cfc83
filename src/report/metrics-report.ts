/**
 * The metrics and gates report, rendered once and pure: one table of the runs (verdict, run,
 * status, gates, metrics with the change against the baseline), then a Mermaid `xychart-beta` of
 * each gated number over the default branch's last runs and this one. The pull-request comment,
 * the job summary and `pipeline-trigger report` show this same Markdown; each check run shows its
 * own rows (renderRunMetrics).
 *
 * Bounded: never more than `limit` characters (GitHub cuts a comment at 65,536). Charts go first,
 * then rows, each with a line saying what was left out. Everything a user or a server wrote is
 * escaped; chart labels keep only characters that cannot leave their quotes or the fence.
 */
import type { GateResult } from '../core/gate.js'
import type { BaselinePoint } from '../core/judgement.js'
import { formatMetric, type MetricValue, type Metrics } from '../core/metrics.js'
import type { RunStatus } from '../core/run-state.js'
import { escapeMarkdown, markdownLink } from './markdown.js'

export type Verdict = 'success' | 'failure' | 'neutral' | 'timed_out' | 'cancelled' | 'skipped' | 'pending'

export interface ReportRun {
  /** The pipeline (the config key): runs of one pipeline share a chart. */
  pipeline: string
  /** The check run's name, e.g. `pipeline: training (data/a.csv)`. */
  name: string
  status: RunStatus
  verdict: Verdict
  reason?: string
  runId?: string
  runUrl?: string
  checkRunUrl?: string
  metrics: Metrics
  baseline?: { sha: string; url?: string; metrics: Metrics }
  gates: GateResult[]
}

export interface ReportInput {
  runs: ReportRun[]
  /** Per pipeline, the default branch's last runs, oldest first. */
  history: Record<string, BaselinePoint[]>
  /** The commit this report is about. */
  sha?: string
}

export const REPORT_LIMIT = 60_000
/** Metrics shown per run in the table; the check run and the runs output have them all. */
const CELL_METRICS = 8

const VERDICT_WORD: Record<Verdict, string> = {
  success: '✅ success',
  failure: '❌ failure',
  neutral: '⚠️ neutral',
  timed_out: '⏱️ timed out',
  cancelled: '⏹️ cancelled',
  skipped: '⏭️ skipped',
  pending: '⏳ pending'
}

const md = (text: string): string => escapeMarkdown(text)
/** A number needs no escaping; a string a server sent does. */
const shown = (value: MetricValue | undefined): string => (typeof value === 'string' ? md(value) : formatMetric(value))

/** `+0.012`, `-3`: the change against the baseline, for numbers present in both. */
export function delta(value: MetricValue | undefined, base: MetricValue | undefined): string | undefined {
  if (typeof value !== 'number' || typeof base !== 'number') return undefined
  const change = Number((value - base).toPrecision(6))
  return `${change > 0 ? '+' : change < 0 ? '' : '±'}${change}`
}

function metricsCell(run: ReportRun): string {
  const entries = Object.entries(run.metrics)
  const cells = entries.slice(0, CELL_METRICS).map(([name, value]) => {
    const change = delta(value, run.baseline?.metrics[name])
    return `${md(name)} ${shown(value)}${change ? ` (${change})` : ''}`
  })
  if (entries.length > CELL_METRICS) cells.push(`… ${entries.length - CELL_METRICS} more`)
  return cells.join('<br>') || '—'
}

const gatesCell = (run: ReportRun): string =>
  run.gates.map((gate) => md(describe(gate))).join('<br>') || (run.reason ? md(run.reason) : '—')

function describe(gate: GateResult): string {
  const word = gate.outcome === 'pass' ? 'passed' : gate.outcome === 'fail' ? 'failed' : 'unknown'
  const value = gate.value !== undefined ? `: ${formatMetric(gate.value)}` : ''
  const base = gate.baseline !== undefined ? ` (baseline ${formatMetric(gate.baseline)})` : ''
  return `${gate.gate} ${word}${value}${base}${gate.outcome === 'unknown' && gate.reason ? `, ${gate.reason}` : ''}`
}

function row(run: ReportRun): string {
  const name = markdownLink(run.name, run.checkRunUrl)
  const link = run.runId ? markdownLink(run.runId, run.runUrl) : '—'
  return `| ${VERDICT_WORD[run.verdict]} | ${name} | ${link} | ${md(run.status)} | ${gatesCell(run)} | ${metricsCell(run)} |`
}

/** Only letters, digits and a few signs survive in a chart's quoted labels. */
const label = (text: string): string => text.replace(/[^\p{L}\p{N} _.:/#()+-]/gu, '').slice(0, 60)

/**
 * A number as Mermaid's xychart reads one, `[+-]?(\d+(\.\d+)?|\.\d+)`: 1e-7 is written out
 * (0.0000001, to six significant digits); one too large to write so (1e21 and up) is not plotted.
 */
function plotted(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined
  const shown = formatMetric(value)
  if (/^-?\d+(\.\d+)?$/.test(shown)) return shown
  if (Math.abs(value) >= 1e21) return undefined
  const decimals = Math.min(100, Math.max(0, 5 - Math.floor(Math.log10(Math.abs(value)))))
  const fixed = Number(value.toPrecision(6)).toFixed(decimals)
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed
}

/** A chart per gated numeric metric of each pipeline with at least two points. */
function charts(input: ReportInput): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const run of input.runs) {
    for (const metric of new Set(run.gates.map((gate) => gate.metric))) {
      const key = `${run.pipeline}\u0000${metric}`
      if (seen.has(key) || typeof run.metrics[metric] !== 'number') continue
      seen.add(key)
      const points = [
        ...(input.history[run.pipeline] ?? []).map((point) => ({ x: point.sha.slice(0, 7), y: point.metrics[metric] })),
        { x: 'this', y: run.metrics[metric] }
      ]
        .map((point) => ({ x: point.x, y: typeof point.y === 'number' ? plotted(point.y) : undefined }))
        .filter((point): point is { x: string; y: string } => point.y !== undefined)
      if (points.length < 2) continue
      out.push(
        [
          '```mermaid',
          'xychart-beta',
          `  title "${label(`${run.pipeline}: ${metric}`)}"`,
          `  x-axis [${points.map((point) => `"${label(point.x)}"`).join(', ')}]`,
          `  y-axis "${label(metric)}"`,
          `  line [${points.map((point) => point.y).join(', ')}]`,
          '```'
        ].join('\n')
      )
    }
  }
  return out
}

const HEADER = [
  '| Verdict | Run | On the target | Status | Gates | Metrics (Δ to baseline) |',
  '|---|---|---|---|---|---|'
]

export function renderReport(input: ReportInput, limit = REPORT_LIMIT): string {
  const { runs } = input
  const counts = new Map<Verdict, number>()
  for (const run of runs) counts.set(run.verdict, (counts.get(run.verdict) ?? 0) + 1)
  const heading = `**${runs.length} run${runs.length === 1 ? '' : 's'}**${input.sha ? ` on \`${input.sha.slice(0, 12).replace(/[^0-9a-f]/g, '')}\`` : ''}: ${[...counts].map(([verdict, n]) => `${n} ${verdict.replace('_', ' ')}`).join(', ')}`
  const baselines = [...new Set(runs.flatMap((run) => (run.baseline ? [run.baseline.sha.slice(0, 7)] : [])))]
  const intro = [
    heading,
    '',
    baselines.length
      ? `Δ: the change against the default branch's latest completed run of the pipeline (${baselines.map((sha) => `\`${sha.replace(/[^0-9a-f]/g, '')}\``).join(', ')}).`
      : 'No baseline: the default branch has no completed run of these pipelines with metrics yet.',
    ''
  ]
  const rows = runs.map(row)
  const drawn = charts(input)
  const compose = (rowCount: number, chartCount: number): string => {
    const cutRows = rows.length - rowCount
    const cutCharts = drawn.length - chartCount
    return [
      ...intro,
      ...HEADER,
      ...rows.slice(0, rowCount),
      ...(cutRows ? ['', `…and ${cutRows} more runs; every run is in the job summary and on its check run.`] : []),
      ...(chartCount ? ['', ...drawn.slice(0, chartCount).flatMap((chart) => [chart, ''])] : []),
      ...(cutCharts ? [`${cutCharts} chart${cutCharts === 1 ? '' : 's'} left out for length.`] : [])
    ].join('\n')
  }
  // Charts go first, then rows: the table is the verdict, the charts its illustration.
  for (let charted = drawn.length; charted >= 0; charted--) {
    const text = compose(rows.length, charted)
    if (text.length <= limit) return text
  }
  let low = 0
  let high = rows.length
  while (low < high) {
    const mid = Math.ceil((low + high) / 2)
    if (compose(mid, 0).length <= limit) low = mid
    else high = mid - 1
  }
  return compose(low, 0).slice(0, limit)
}

/** One run's metrics for its check run: metric, value, baseline, change, and the gates. */
export function renderRunMetrics(run: ReportRun, limit = REPORT_LIMIT): string {
  const lines = ['| Metric | Value | Baseline | Δ |', '|---|---|---|---|']
  for (const [name, value] of Object.entries(run.metrics)) {
    const base = run.baseline?.metrics[name]
    lines.push(`| ${md(name)} | ${shown(value)} | ${shown(base)} | ${delta(value, base) ?? ''} |`)
  }
  if (run.gates.length)
    lines.push(
      '',
      '| Gate | Outcome |',
      '|---|---|',
      ...run.gates.map((gate) => `| ${md(gate.gate)} | ${md(describe(gate))} |`)
    )
  const text = lines.join('\n')
  return text.length <= limit ? text : `${text.slice(0, limit - 60)}\n\n(cut at ${limit} characters)`
}
