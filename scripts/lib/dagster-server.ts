/**
 * A real Dagster webserver (dagster + dagster-webserver 1.13.28 from .venv-dagster) for the tests:
 * `dagster dev -f <job file>` on a free loopback port, with its own DAGSTER_HOME (telemetry off),
 * ready when the webserver answers and the job file's code location has loaded.
 *
 * `dagster dev` is five processes (webserver, daemon, code server, its gRPC server). It is spawned
 * in its own process group (detached) so stop() can end them all at once: SIGTERM to the group,
 * SIGKILL after a few seconds. Started from a shell with a bare `&` it would ignore SIGTERM
 * (Dagster maps SIGTERM onto SIGINT's handler, which such a shell sets to ignored); a Node child
 * starts with the default dispositions.
 */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from './free-port.js'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const DAGSTER_VENV_BIN = join(ROOT, '.venv-dagster', 'bin')
const READY_WITHIN_MS = 90_000
const STOP_GRACE_MS = 10_000

export interface DagsterServer {
  /** The webserver's base URL, e.g. http://127.0.0.1:41234 (GraphQL at /graphql). */
  url: string
  /** The code location's name: the job file's name, as `dagster dev -f` names it. */
  location: string
  /** Seconds from spawn to ready (webserver up and the code location loaded). */
  startSeconds: number
  /** The last lines of the server's log, for a failing test's message. */
  log(): string
  stop(): Promise<void>
}

/** Whether any process of the group is still there (signal 0 only checks). */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0)
    return true
  } catch {
    return false
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** The code location's load status, or undefined while the webserver does not answer yet. */
async function locationStatus(url: string, location: string): Promise<string | undefined> {
  const query = '{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus } } } }'
  try {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query })
    })
    if (!response.ok) return undefined
    const reply = (await response.json()) as {
      data?: { workspaceOrError?: { locationEntries?: { name: string; loadStatus: string }[] } }
    }
    return reply.data?.workspaceOrError?.locationEntries?.find((entry) => entry.name === location)?.loadStatus
  } catch {
    return undefined
  }
}

/** @param others more job files served beside it (e.g. one that fails to load); not waited for. */
export async function startDagsterServer(jobFile: string, others: string[] = []): Promise<DagsterServer> {
  const home = mkdtempSync(join(tmpdir(), 'pt-dagster-'))
  writeFileSync(join(home, 'dagster.yaml'), 'telemetry:\n  enabled: false\n')
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const logPath = join(home, 'server.log')
  const logFd = openSync(logPath, 'w')
  const started = Date.now()
  const child = spawn(
    join(DAGSTER_VENV_BIN, 'dagster'),
    ['dev', '-f', jobFile, ...others.flatMap((file) => ['-f', file]), '-h', '127.0.0.1', '-p', String(port)],
    {
      cwd: dirname(jobFile),
      detached: true,
      // Only what the server needs: no inherited DAGSTER_* variable can point it elsewhere.
      env: {
        PATH: `${DAGSTER_VENV_BIN}:${process.env.PATH ?? ''}`,
        HOME: home,
        DAGSTER_HOME: home,
        DAGSTER_DISABLE_TELEMETRY: '1',
        PYTHONUNBUFFERED: '1'
      },
      stdio: ['ignore', logFd, logFd]
    }
  )
  closeSync(logFd)
  const pgid = child.pid!
  const log = () => readFileSync(logPath, 'utf8').slice(-3000)
  const stop = async () => {
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGTERM')
    const until = Date.now() + STOP_GRACE_MS
    while (groupAlive(pgid) && Date.now() < until) await sleep(200)
    if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL')
    while (groupAlive(pgid)) await sleep(100)
    rmSync(home, { recursive: true, force: true })
  }
  const location = basename(jobFile)
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`dagster dev exited (${child.exitCode}): ${log()}`)
      const status = await locationStatus(url, location)
      if (status === 'LOADED') break
      if (Date.now() - started > READY_WITHIN_MS)
        throw new Error(`dagster dev was not ready in ${READY_WITHIN_MS / 1000} s (location: ${status}): ${log()}`)
      await sleep(500)
    }
  } catch (error) {
    await stop()
    throw error
  }
  return { url, location, startSeconds: (Date.now() - started) / 1000, log, stop }
}
