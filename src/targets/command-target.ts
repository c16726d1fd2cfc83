/**
 * The `command` target runs the pipeline inside the runner (the ZenML OSS path):
 * argv + `--config <run-config.yaml>`, no shell. Parameters reach the pipeline only through
 * the run config file and PIPELINE_PARAMETERS_JSON; the run id comes back through the JSON
 * file named by PIPELINE_TRIGGER_RESULT, and the exit code decides the status.
 *
 * With a ZenML server (zenml-url, zenml-api-key), the child gets ZENML_STORE_URL and
 * ZENML_STORE_API_KEY in its environment (never on its command line), and the action then follows
 * the run it reported on the server, so OSS users get the server's status and a dashboard link.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TargetConfig } from '../config/schema.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { dashboardUrl, followRun } from '../zenml/follow-run.js'
import { isSuccessful } from '../zenml/run-status.js'
import { buildRunConfig } from './run-config.js'
import { runProcess } from './run-process.js'
import type { RunState, Target, TargetContext } from './target.js'

type CommandConfig = Extract<TargetConfig, { type: 'command' }>

/** Reads `{"run_id", "run_url", "status"}`; anything else is reported, not guessed at. */
export function readResultFile(path: string): { runId?: string; runUrl?: string; status?: string; problem?: string } {
  if (!existsSync(path)) return {}
  let data: unknown
  try {
    data = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    return { problem: `the result file ${path} is not JSON (${(error as Error).message}); write {"run_id": "...", "run_url": "...", "status": "..."}` }
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { problem: `the result file ${path} must hold a JSON object like {"run_id": "...", "run_url": "...", "status": "..."}` }
  }
  const record = data as Record<string, unknown>
  const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) || undefined : undefined)
  const runUrl = text(record.run_url)
  return {
    runId: text(record.run_id),
    runUrl: runUrl && /^https?:\/\//.test(runUrl) ? runUrl : undefined,
    status: text(record.status)
  }
}

const FAILED_STATUSES = new Set(['failed', 'stopped', 'cancelled', 'canceled', 'error'])

export class CommandTarget implements Target {
  constructor(
    private readonly config: CommandConfig,
    private readonly context: TargetContext
  ) {}

  async trigger(request: TriggerRequest): Promise<RunState> {
    const dir = join(this.context.tempDir, 'pipeline-trigger')
    mkdirSync(dir, { recursive: true })
    const configPath = join(dir, `${request.idempotencyKey}.yaml`)
    const resultPath = join(dir, `${request.idempotencyKey}.result.json`)
    writeFileSync(configPath, buildRunConfig(request.parameters, request.runName))
    rmSync(resultPath, { force: true })

    const [file, ...args] = this.config.run
    const cwd = resolve(this.context.workspace, this.config['working-directory'] ?? '.')
    const zenml = this.context.zenml
    const started = Date.now()
    const outcome = await runProcess(file!, [...args, this.config['config-arg'] ?? '--config', configPath], {
      cwd,
      timeoutMs: this.context.timeoutMs,
      env: {
        ...this.context.env,
        ...(zenml ? { ZENML_STORE_URL: zenml.client.url, ZENML_STORE_API_KEY: zenml.apiKey } : {}),
        PIPELINE_NAME: request.pipelineName,
        PIPELINE_RUN_NAME: request.runName,
        PIPELINE_PARAMETERS_JSON: JSON.stringify(request.parameters),
        PIPELINE_TRIGGER_RESULT: resultPath,
        PIPELINE_TRIGGER_IDEMPOTENCY_KEY: request.idempotencyKey,
        // A pipeline that triggers others passes this on as their pipeline-context (chain guard).
        PIPELINE_CONTEXT: JSON.stringify(request.chain)
      }
    })

    if (outcome.startError) {
      const code = (outcome.startError as NodeJS.ErrnoException).code
      const hint = code === 'ENOENT' ? `${JSON.stringify(file)} was not found in ${cwd} or on PATH; install it in an earlier step or fix the first line of command` : outcome.startError.message
      return { status: 'failed', message: `the command could not start: ${hint}` }
    }
    const result = readResultFile(resultPath)
    const ids = { ...(result.runId ? { runId: result.runId } : {}), ...(result.runUrl ? { runUrl: result.runUrl } : {}) }
    if (zenml && result.runId && !outcome.timedOut) {
      return this.followOnServer(result.runId, this.context.timeoutMs - (Date.now() - started), outcome.exitCode)
    }
    if (outcome.timedOut) {
      return { status: 'timed_out', ...ids, message: `the command ran longer than timeout (${Math.round(this.context.timeoutMs / 1000)}s) and was stopped` }
    }
    if (outcome.exitCode !== 0) {
      return { status: 'failed', ...ids, message: `the command exited with code ${outcome.exitCode ?? 'none (killed by a signal)'}` }
    }
    if (result.problem) return { status: 'failed', ...ids, message: result.problem }
    if (result.status && FAILED_STATUSES.has(result.status.toLowerCase())) {
      return { status: 'failed', ...ids, message: `the command exited 0 but reported status ${JSON.stringify(result.status)}` }
    }
    return { status: 'completed', ...ids }
  }

  /** The server's word on the run the command started: its final status, reason and page. */
  private async followOnServer(runId: string, remainingMs: number, exitCode: number | null): Promise<RunState> {
    const { client, project } = this.context.zenml!
    const run = await followRun(client, runId, { timeoutMs: Math.max(remainingMs, 0), log: this.context.log })
    const ids = { runId: run.id, runUrl: dashboardUrl(client.url, project, run.id) }
    if (run.timedOut) return { status: 'timed_out', ...ids, message: `the run was still ${run.status} on the server when timeout ran out` }
    if (!isSuccessful(run)) {
      return { status: 'failed', ...ids, message: `the run ${run.name} ended ${run.status}${run.statusReason ? `: ${run.statusReason}` : ''}` }
    }
    if (exitCode !== 0) return { status: 'failed', ...ids, message: `the run ${run.name} completed, but the command exited with code ${exitCode}` }
    return { status: 'completed', ...ids }
  }
}
