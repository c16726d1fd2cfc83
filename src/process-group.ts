/**
 * Stopping a child started with `detached: true` (its own process group) as a whole: SIGTERM to
 * the group, then SIGKILL if anything of it is still there after the grace period. A wrapper
 * (bash, uv run, git and its remote helper) then cannot leave a process behind.
 */
import type { ChildProcess } from 'node:child_process'

/** Sends `name` to the child's process group; to the child alone when the group is gone or was never made. */
export function signalGroup(child: ChildProcess, name: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, name)
  } catch {
    child.kill(name)
  }
}

/**
 * SIGTERM now, SIGKILL after `graceMs` unless the child closed by then. With `keepAlive` false the
 * escalation timer does not hold the process open: for a step that is ending anyway.
 */
export function stopGroup(child: ChildProcess, graceMs: number, keepAlive = true): void {
  if (child.exitCode !== null || child.signalCode !== null) return
  signalGroup(child, 'SIGTERM')
  const escalate = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs)
  if (!keepAlive) escalate.unref()
  child.once('close', () => clearTimeout(escalate))
}
