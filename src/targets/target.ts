import type { TriggerRequest } from '../plan/trigger-request.js'
import type { ZenmlConnection } from '../zenml/connection.js'

/** completed and failed are final; running is an asynchronous run still going. */
export type RunStatus = 'completed' | 'failed' | 'running' | 'timed_out'

export interface RunState {
  status: RunStatus
  runId?: string
  runUrl?: string
  /** Why a run failed, in the target's words. */
  message?: string
}

/** Where pipelines run. One implementation per target type, one file each. */
export interface Target {
  /** Starts (or, for the command target, runs) the pipeline for one request. */
  trigger(request: TriggerRequest): Promise<RunState>
}

/** What every target may need from the runner, gathered once in main.ts. */
export interface TargetContext {
  workspace: string
  /** A per-job directory for run configs and result files (RUNNER_TEMP). */
  tempDir: string
  timeoutMs: number
  /** The environment children inherit, without the action's own INPUT_* values. */
  env: Record<string, string>
  /** The ZenML server the command reports to, when zenml-url and zenml-api-key are set. */
  zenml?: ZenmlConnection
  log: (message: string) => void
}
