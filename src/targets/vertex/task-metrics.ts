/**
 * A completed job's metrics: the system.Metrics artifacts its tasks output (a KFP component's
 * `Output[Metrics]`, whose log_metric values are the artifact's metadata), named `<task>::<metric>`
 * as the other targets name a step's metrics. readMetrics bounds what is kept.
 */
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import type { TaskDetail } from './replies.js'

/** KFP's own key in a Metrics artifact's metadata (its display name), not a metric. */
const NOT_METRICS = new Set(['display_name'])

export function taskMetrics(tasks: TaskDetail[], where: string): MetricsReading {
  const named: Record<string, unknown> = {}
  let found = 0
  for (const task of tasks)
    for (const list of Object.values(task.outputs ?? {}))
      for (const artifact of list.artifacts ?? []) {
        if (artifact.schemaTitle !== 'system.Metrics') continue
        found++
        for (const [key, value] of Object.entries(artifact.metadata ?? {}))
          if (!NOT_METRICS.has(key)) named[`${task.taskName ?? 'task'}::${key}`] = value
      }
  const reading = readMetrics(named, `the system.Metrics artifacts of ${where}`)
  if (!found)
    reading.ignored.push(
      `${where} has no system.Metrics output artifact: a component reports metrics with an Output[Metrics] parameter (metrics.log_metric("accuracy", 0.9))`
    )
  return reading
}
