/**
 * Runs a child process from an argv array (never a shell), streaming its output to the log.
 * This uses node:child_process rather than @actions/exec because a pipeline that outlives
 * `timeout` must be stopped, and @actions/exec gives no handle on the child to stop it.
 */
import { spawn } from 'node:child_process'

export interface ProcessOutcome {
  exitCode: number | null
  timedOut: boolean
  /** Set when the process could not start (e.g. ENOENT). */
  startError?: Error
}

/** How long a child has after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 10_000

export function runProcess(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number }
): Promise<ProcessOutcome> {
  return new Promise((resolve) => {
    let timedOut = false
    let killTimer: NodeJS.Timeout | undefined
    const child = spawn(file, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'inherit', 'inherit'], shell: false })
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGTERM')
      killTimer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
    }, options.timeoutMs)
    child.on('error', (startError) => {
      clearTimeout(timer)
      resolve({ exitCode: null, timedOut: false, startError })
    })
    child.on('close', (exitCode) => {
      clearTimeout(timer)
      if (killTimer) clearTimeout(killTimer)
      resolve({ exitCode, timedOut })
    })
  })
}
