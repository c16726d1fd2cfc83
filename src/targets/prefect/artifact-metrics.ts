/**
 * A run's metrics from its Prefect artifact: `data` comes back as a JSON string. A table artifact
 * (create_table_artifact) gives its first row, or the first value of each column; an artifact
 * whose data is a JSON object gives that object. readMetrics bounds what is kept.
 */
import { readMetrics, type MetricsReading } from '../../core/metrics.js'

export interface Artifact {
  key?: string
  type?: string
  data?: unknown
}

export function artifactMetrics(artifact: Artifact | undefined, where: string): MetricsReading {
  if (!artifact) return { metrics: Object.create(null) as MetricsReading['metrics'], ignored: [] }
  let data = artifact.data
  if (typeof data === 'string') {
    try {
      data = JSON.parse(data) as unknown
    } catch {
      return readMetrics(data, `${where} (not JSON)`)
    }
  }
  if (Array.isArray(data)) {
    const [first] = data as unknown[]
    const rows = data.length > 1 ? `; the first of its ${data.length} rows was read` : ''
    const reading = readMetrics(first, `the first row of ${where}`)
    if (rows) reading.ignored.push(`${where} has ${data.length} rows${rows}`)
    return reading
  }
  if (data !== null && typeof data === 'object') {
    const columns = Object.values(data)
    if (columns.length > 0 && columns.every(Array.isArray))
      return readMetrics(
        Object.fromEntries(Object.entries(data).map(([name, values]) => [name, (values as unknown[])[0]])),
        `the first value of each column of ${where}`
      )
  }
  return readMetrics(data, where)
}
