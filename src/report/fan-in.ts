/**
 * Fan-in: after a fan-out (one job per planned request, see .github/workflows/fan-out.yml),
 * gathers what every job triggered into one list. Each job saved its `runs` output as
 * `<index>.json`; the plan job's `matrix` says which indexes to expect, so a job that died
 * before saving anything shows up as missing instead of vanishing from the report.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { UserError, preview } from '../errors.js'
import type { GateResult } from '../core/gate.js'
import type { BaselinePoint } from '../core/judgement.js'
import type { Metrics } from '../core/metrics.js'
import { isSuccess } from '../core/run-state.js'

/** One entry of the `runs` output. */
export interface RunOutput {
  pipeline: string
  target: string
  'run-id': string | null
  'run-url': string | null
  status: string
  parameters: Record<string, unknown>
  /** The run's check run on the commit, where the verdict made one. */
  'check-run-id'?: number
  /** What the completed run reported about itself. */
  metrics?: Metrics
  /** Its verdict once the gates have spoken: success, failure, neutral… */
  verdict?: string
  /** Why, when gates decided it. */
  'verdict-reason'?: string
  gates?: GateResult[]
  /** The default branch's run it was compared with. */
  baseline?: BaselinePoint
  /** The default branch's earlier runs of the pipeline (gated metrics only, oldest first), on its first run: the report's charts. */
  history?: BaselinePoint[]
}

export interface Collected {
  index: number
  pipeline: string
  target: string
  runName: string
  /** Undefined when the job saved no result. */
  runs?: RunOutput[]
}

const FIX =
  "Set fan-in-matrix to the plan job's matrix output, and fan-in-dir to the directory the trigger jobs' <index>.json files were downloaded to."

function expectedRequests(matrixText: string): Omit<Collected, 'runs'>[] {
  let matrix: unknown
  try {
    matrix = JSON.parse(matrixText)
  } catch {
    throw new UserError(`Input fan-in-matrix: ${preview(matrixText)} is not JSON. ${FIX}`)
  }
  const include = (matrix as { include?: unknown } | null)?.include
  if (!Array.isArray(include))
    throw new UserError(`Input fan-in-matrix: ${preview(matrixText)} has no include list. ${FIX}`)
  return include.map((entry: Record<string, unknown>, i) => {
    if (typeof entry?.index !== 'number' || typeof entry.pipeline !== 'string') {
      throw new UserError(
        `Input fan-in-matrix: include[${i}] is ${preview(entry)}, without a numeric index and a pipeline. ${FIX}`
      )
    }
    return {
      index: entry.index,
      pipeline: entry.pipeline,
      target: String(entry.target ?? ''),
      runName: String(entry['run-name'] ?? '')
    }
  })
}

function readRuns(path: string): RunOutput[] {
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UserError(
      `Fan-in: ${path} is not JSON (${(error as Error).message}). It must hold a trigger job's runs output unchanged.`
    )
  }
  if (!Array.isArray(data) || data.some((run) => typeof run?.status !== 'string')) {
    throw new UserError(
      `Fan-in: ${path} is ${preview(data)}, not a runs list. It must hold a trigger job's runs output unchanged.`
    )
  }
  return data as RunOutput[]
}

export function collectFanIn(dir: string, matrixText: string): Collected[] {
  const expected = expectedRequests(matrixText)
  if (!existsSync(dir)) {
    // Every trigger job failing before it saved a result leaves nothing to download.
    return expected
  }
  const known = new Set(expected.map((e) => e.index))
  const strays = readdirSync(dir).filter(
    (name) => name.endsWith('.json') && !known.has(Number(name.slice(0, -'.json'.length)))
  )
  if (strays.length > 0)
    throw new UserError(
      `Fan-in: ${strays.map((s) => JSON.stringify(s)).join(', ')} in ${dir} match no request of fan-in-matrix. ${FIX}`
    )
  return expected.map((entry) => {
    const path = join(dir, `${entry.index}.json`)
    return existsSync(path) ? { ...entry, runs: readRuns(path) } : entry
  })
}

/** A request fails the fan-in when its job saved nothing or one of its runs did not succeed (failed, timed out, cancelled, not started, or failed a gate). */
export function fanInFailures(collected: Collected[]): string[] {
  return collected.flatMap((entry) => {
    if (!entry.runs)
      return [`#${entry.index} ${entry.pipeline}: no result (its job failed before triggering, or was cancelled)`]
    // A run that completed but failed a gate fails the fan-in, as it failed its own job.
    return entry.runs
      .filter((run) => !isSuccess(run.status) || run.verdict === 'failure')
      .map((run) =>
        isSuccess(run.status)
          ? `#${entry.index} ${run.pipeline}: ${run.status}, but a gate failed: ${run['verdict-reason'] ?? ''}`
          : `#${entry.index} ${run.pipeline}: ${run.status}`
      )
  })
}
