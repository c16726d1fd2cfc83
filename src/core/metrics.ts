/**
 * What a run reports about itself, in one bounded shape whatever the target: a flat map of names
 * to finite numbers or short strings. Every target's raw metrics (ZenML run metadata, a JSON file,
 * a field of a status reply, a workflow's artifact) pass through readMetrics once; what does not
 * fit is left out and said, never guessed at.
 */

export type MetricValue = number | string
/** Metric name → value. A null-prototype object: a name such as `__proto__` is only a name. */
export type Metrics = Record<string, MetricValue>

export const METRIC_LIMITS = {
  /** Metrics kept per run. */
  count: 100,
  /** Characters of a metric's name (a step's metric is `step::name`, a nested one `a.b`). */
  name: 100,
  /** Characters of a string value. */
  string: 200,
  /** Levels of nested objects flattened into dotted names. */
  depth: 3
} as const

export interface MetricsReading {
  metrics: Metrics
  /** What was left out and why, one line each, for a note in the log. */
  ignored: string[]
}

const NAME = /^[\p{L}\p{N}_.:-]+$/u

/**
 * Keeps the numbers and short strings of a JSON object, flattening nested objects into dotted
 * names (`{"eval": {"accuracy": 0.9}}` → `eval.accuracy`). Booleans, nulls, lists, non-finite
 * numbers, long strings, odd names and everything past the count are left out, each said once.
 */
export function readMetrics(raw: unknown, where: string): MetricsReading {
  const metrics: Metrics = Object.create(null) as Metrics
  const ignored: string[] = []
  if (raw === undefined || raw === null) return { metrics, ignored }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    ignored.push(`${where} is ${describe(raw)}, not an object of metric names and values; no metrics were read`)
    return { metrics, ignored }
  }
  let dropped = 0
  const visit = (object: object, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(object)) {
      const name = prefix ? `${prefix}.${key}` : key
      if (!NAME.test(key) || name.length > METRIC_LIMITS.name) {
        ignored.push(`${quote(name)}: a metric name is up to ${METRIC_LIMITS.name} letters, digits and _ . : -`)
        continue
      }
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        if (depth >= METRIC_LIMITS.depth)
          ignored.push(`${quote(name)}: nested deeper than ${METRIC_LIMITS.depth} levels`)
        else visit(value, name, depth + 1)
        continue
      }
      const why = unfit(value)
      if (why) {
        ignored.push(`${quote(name)}: ${why}`)
        continue
      }
      if (Object.keys(metrics).length >= METRIC_LIMITS.count) {
        dropped++
        continue
      }
      metrics[name] = value as MetricValue
    }
  }
  visit(raw, '', 1)
  if (dropped) ignored.push(`${dropped} more past the first ${METRIC_LIMITS.count} metrics`)
  return { metrics, ignored }
}

function unfit(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${String(value)} is not a finite number`
  if (typeof value === 'string')
    return value.length <= METRIC_LIMITS.string
      ? undefined
      : `a string of ${value.length} characters (at most ${METRIC_LIMITS.string})`
  return `${describe(value)}: only numbers and short strings are metrics`
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}

const quote = (name: string): string => JSON.stringify(name.length > 60 ? `${name.slice(0, 59)}…` : name)

/** The value as the report shows it: numbers without float noise, strings as they are. */
export function formatMetric(value: MetricValue | undefined): string {
  if (value === undefined) return '—'
  if (typeof value === 'string') return value
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)))
}
