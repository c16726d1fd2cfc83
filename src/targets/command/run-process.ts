/**
 * Starts a child process from an argv array (never a shell), streaming its output to the log.
 * This uses node:child_process rather than @actions/exec because a pipeline that outlives
 * `timeout` must be stopped, and @actions/exec gives no handle on the child to stop it.
 */
import { spawn } from 'node:child_process'
import { stopGroup } from '../../process-group.js'

export interface ProcessOutcome {
  exitCode: number | null
  /** The signal that ended it, if one did. */
  signal?: string
  /** Set when the process could not start (e.g. ENOENT). */
  startError?: Error
}

export interface RunningProcess {
  /** Resolves (never rejects) when the process has ended or could not start. */
  exited: Promise<ProcessOutcome>
  /** Set once it has ended. */
  outcome?: ProcessOutcome
  /**
   * SIGTERM to its whole process group, then SIGKILL if it is still there after the grace period,
   * so a wrapper (bash, uv run, poetry run) cannot leave the pipeline behind; resolves when it has ended.
   */
  stop(): Promise<ProcessOutcome>
}

/** How long a child has after SIGTERM before SIGKILL: time for ZenML to mark its run stopped. */
export const KILL_GRACE_MS = 10_000

export function startProcess(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> }
): RunningProcess {
  // detached: its own process group, which stop() signals as a whole.
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'inherit', 'inherit'],
    shell: false,
    detached: true
  })
  const running: RunningProcess = {
    exited: new Promise((resolve) => {
      const settle = (outcome: ProcessOutcome) => {
        running.outcome ??= outcome
        resolve(running.outcome)
      }
      child.on('error', (startError) => settle({ exitCode: null, startError }))
      child.on('close', (exitCode, signal) => settle({ exitCode, ...(signal ? { signal } : {}) }))
    }),
    async stop() {
      if (running.outcome) return running.outcome
      stopGroup(child, KILL_GRACE_MS)
      return running.exited
    }
  }
  return running
}
