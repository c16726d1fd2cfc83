/**
 * ZenML's ExecutionStatus, as the action reads it. `in_progress` (newer servers) wins; without it
 * a known final status ends the wait. Unknown statuses count as still running.
 */
export const SUCCESSFUL = new Set(['completed', 'cached', 'skipped'])
export const FINISHED = new Set([...SUCCESSFUL, 'failed', 'stopped', 'cancelled', 'retried'])

export interface ZenmlRun {
  id: string
  name: string
  status: string
  inProgress?: boolean
  statusReason?: string
}

export function isFinished(run: ZenmlRun): boolean {
  return run.inProgress !== undefined ? !run.inProgress : FINISHED.has(run.status)
}

export function isSuccessful(run: ZenmlRun): boolean {
  return SUCCESSFUL.has(run.status)
}
