/**
 * The `command` target runs the pipeline inside the runner (the ZenML OSS path):
 * argv + `--config <run-config.yaml>`, no shell. Parameters reach the pipeline only through
 * the run config file and PIPELINE_PARAMETERS_JSON; the run id comes back through the JSON
 * file named by PIPELINE_TRIGGER_RESULT, and the exit code decides the status.
 *
 * With a ZenML server (zenml-url, zenml-api-key), the child gets ZENML_STORE_URL and
 * ZENML_STORE_API_KEY in its environment (never on its command line), and status() asks the
 * server about the run it reported, so OSS users get the server's status and a dashboard link.
 * Metrics: the run's metadata on that server, and the JSON file named by PIPELINE_TRIGGER_METRICS.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ResolvedCommand } from './resolve.js'
import { readMetrics, type Metrics, type MetricsReading } from '../../core/metrics.js'
import type { RunState } from '../../core/run-state.js'
import type { RunRequest } from '../../core/run-request.js'
import { UserError, redactDeep } from '../../errors.js'
import type { ZenmlConnection } from '../../zenml/connection.js'
import { runStatus, stateOf } from '../../zenml/run-status.js'
import { chainTags } from '../../zenml/run-tags.js'
import { dashboardUrl } from '../../zenml/zenml-client.js'
import { buildRunConfig } from './run-config.js'
import { startProcess, type ProcessOutcome, type RunningProcess } from './run-process.js'
import { statusFromWord } from '../status-words.js'
import type { RunHandle, Target } from '../target.js'

/** What the command target needs from the runner. */
export interface RunnerContext {
  workspace: string
  /** A per-job directory for run configs and result files (RUNNER_TEMP). */
  tempDir: string
  /** The environment children inherit, without the action's own INPUT_* values. */
  env: Record<string, string>
  /** ZenML tags naming where runs come from (repository, commit, workflow run), as the zenml target sets them. */
  provenance?: string[]
}

interface CommandHandle extends RunHandle {
  process: RunningProcess
  resultPath: string
  metricsPath: string
}

/** Reads `{"run_id", "run_url", "status"}`; anything else is reported, not guessed at. */
export function readResultFile(path: string): { runId?: string; runUrl?: string; status?: string; problem?: string } {
  if (!existsSync(path)) return {}
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return {
      problem: `the result file ${path} is not JSON (${(error as Error).message}); write {"run_id": "...", "run_url": "...", "status": "..."}`
    }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return {
      problem: `the result file ${path} must hold a JSON object like {"run_id": "...", "run_url": "...", "status": "..."}`
    }
  }
  const record = data as Record<string, unknown>
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' || typeof value === 'number' ? String(value) || undefined : undefined
  const runUrl = text(record.run_url)
  return {
    runId: text(record.run_id),
    runUrl: runUrl && /^https?:\/\//.test(runUrl) ? runUrl : undefined,
    status: text(record.status)
  }
}

/** The metrics file (PIPELINE_TRIGGER_METRICS), if the pipeline wrote one: at most 1 MiB of JSON. */
function readMetricsFile(path: string, secrets: (string | undefined)[]): MetricsReading {
  const where = `the metrics file ${path}`
  if (!existsSync(path)) return readMetrics(undefined, where)
  if (statSync(path).size > METRICS_FILE_BYTES)
    return {
      metrics: Object.create(null) as Metrics,
      ignored: [`${where} is over ${METRICS_FILE_BYTES} bytes; not read`]
    }
  try {
    // The metrics go on to check runs and comments: the server key, if the pipeline wrote it, does not.
    return readMetrics(redactDeep(JSON.parse(readFileSync(path, 'utf8')), secrets), where)
  } catch (error) {
    return {
      metrics: Object.create(null) as Metrics,
      ignored: [`${where} is not JSON (${(error as Error).message}); write an object such as {"accuracy": 0.93}`]
    }
  }
}

const METRICS_FILE_BYTES = 1024 * 1024

const exitText = (outcome: ProcessOutcome): string =>
  outcome.exitCode !== null ? `exited with code ${outcome.exitCode}` : `was ended by ${outcome.signal ?? 'a signal'}`

export class CommandTarget implements Target<CommandHandle> {
  readonly name: string
  readonly maxParallel: number
  readonly inRunner = true
  readonly dedupesStarts = false
  readonly cancelOnTimeout = true

  constructor(
    private readonly config: ResolvedCommand,
    private readonly runner: RunnerContext,
    /** The logged-in server of config.server, if any. */
    private readonly server?: ZenmlConnection
  ) {
    this.name = config.name
    this.maxParallel = config.maxParallel
  }

  async start(request: RunRequest): Promise<CommandHandle> {
    const dir = join(this.runner.tempDir, 'pipeline-trigger')
    mkdirSync(dir, { recursive: true })
    const configPath = join(dir, `${request.idempotencyKey}.yaml`)
    const resultPath = join(dir, `${request.idempotencyKey}.result.json`)
    const metricsPath = join(dir, `${request.idempotencyKey}.metrics.json`)
    // The same tags the zenml target puts on its runs: a hook inside the pipeline, and a later pass, find where it came from.
    const tags = [...(this.runner.provenance ?? []), ...chainTags(request.chain)]
    writeFileSync(configPath, buildRunConfig(request.parameters, request.runName, tags))
    rmSync(resultPath, { force: true })
    rmSync(metricsPath, { force: true })

    const [file, ...args] = this.config.run
    const server = this.server
    // ZenML's client saves the key it logs in with to its config directory. Unless the job chose one,
    // that directory is this run's own, and it is removed when the pipeline ends: no key stays on disk.
    const zenmlConfig =
      server && !this.runner.env.ZENML_CONFIG_PATH ? join(dir, `${request.idempotencyKey}.zenml`) : undefined
    const process = startProcess(file!, [...args, this.config.configArg, configPath], {
      cwd: resolve(this.runner.workspace, this.config.workingDirectory),
      env: {
        ...this.runner.env,
        ...(server ? { ZENML_STORE_URL: server.client.url, ZENML_STORE_API_KEY: server.apiKey } : {}),
        ...(zenmlConfig ? { ZENML_CONFIG_PATH: zenmlConfig } : {}),
        PIPELINE_NAME: request.pipelineName,
        PIPELINE_RUN_NAME: request.runName,
        PIPELINE_PARAMETERS_JSON: JSON.stringify(request.parameters),
        PIPELINE_TRIGGER_RESULT: resultPath,
        // Where the pipeline may write its metrics as a JSON object (without a server, the only way).
        PIPELINE_TRIGGER_METRICS: metricsPath,
        PIPELINE_TRIGGER_IDEMPOTENCY_KEY: request.idempotencyKey,
        // A pipeline that triggers others passes this on as their pipeline-context (chain guard).
        PIPELINE_CONTEXT: JSON.stringify(request.chain)
      }
    })
    const exited = zenmlConfig
      ? process.exited.then((outcome) => (rmSync(zenmlConfig, { recursive: true, force: true }), outcome))
      : process.exited
    return { process, resultPath, metricsPath, changed: exited }
  }

  async status(handle: CommandHandle, signal: AbortSignal): Promise<RunState> {
    const outcome = handle.process.outcome
    if (!outcome) return { status: 'running' }
    if (outcome.startError) {
      const code = (outcome.startError as NodeJS.ErrnoException).code
      const cwd = resolve(this.runner.workspace, this.config.workingDirectory)
      const hint =
        code === 'ENOENT'
          ? `${JSON.stringify(this.config.run[0])} was not found in ${cwd} or on PATH; install it in an earlier step or fix the first line of command`
          : outcome.startError.message
      return { status: 'failed', message: `the command could not start: ${hint}` }
    }
    const result = readResultFile(handle.resultPath)
    const ids = {
      ...(result.runId ? { runId: result.runId } : {}),
      ...(result.runUrl ? { runUrl: result.runUrl } : {})
    }
    if (this.server && result.runId) return this.onServer(result.runId, outcome, signal)
    if (outcome.exitCode !== 0) return { status: 'failed', ...ids, message: `the command ${exitText(outcome)}` }
    if (result.problem) return { status: 'failed', ...ids, message: result.problem }
    const reported = statusFromWord(result.status)
    if (result.status && (reported === 'failed' || reported === 'cancelled')) {
      return {
        status: 'failed',
        ...ids,
        message: `the command exited 0 but reported status ${JSON.stringify(result.status)}`
      }
    }
    return { status: 'completed', ...ids }
  }

  /** The server's word on the run the command reported; a failed command fails the run whatever the server still says. */
  private async onServer(runId: string, outcome: ProcessOutcome, signal: AbortSignal): Promise<RunState> {
    const { client, project } = this.server!
    const run = await client.getRun(runId, signal)
    const state = stateOf(run, { runId: run.id, runUrl: dashboardUrl(client.url, project, run.id) })
    if (outcome.exitCode === 0 || state.status === 'failed' || state.status === 'cancelled') return state
    const still = state.status === 'running' ? `was still ${run.status} on the server` : 'completed on the server'
    return {
      ...state,
      status: 'failed',
      message: `the run ${run.name || run.id} ${still}, but the command ${exitText(outcome)}`
    }
  }

  /**
   * The run's metadata on the server, when there is one and the command reported its run, with
   * the metrics file laid over it: what the pipeline wrote itself is the last word.
   */
  async metrics(handle: CommandHandle, signal: AbortSignal): Promise<MetricsReading> {
    const runId = readResultFile(handle.resultPath).runId
    const fromServer =
      this.server && runId
        ? readMetrics(await this.server.client.getRunMetadata(runId, signal), `the metadata of run ${runId}`)
        : undefined
    const fromFile = readMetricsFile(handle.metricsPath, [this.server?.apiKey])
    return {
      metrics: Object.assign(Object.create(null) as Metrics, fromServer?.metrics, fromFile.metrics),
      ignored: [...(fromServer?.ignored ?? []), ...fromFile.ignored]
    }
  }

  /** Stops the process (its whole group) and, when it reported a run to the server, that run too: a killed pipeline cannot tell the server itself. */
  async cancel(handle: CommandHandle, signal: AbortSignal): Promise<void> {
    if (!handle.process.outcome) {
      const gaveUp = new Promise<never>((_, reject) =>
        signal.addEventListener(
          'abort',
          () =>
            reject(new UserError(`the command did not end after SIGTERM and SIGKILL; it may be stuck in the kernel`)),
          { once: true }
        )
      )
      await Promise.race([handle.process.stop(), gaveUp])
    }
    const runId = readResultFile(handle.resultPath).runId
    if (this.server && runId) {
      const run = await this.server.client.getRun(runId, signal)
      if (runStatus(run) === 'running') await this.server.client.stopRun(runId, signal)
    }
  }
}
