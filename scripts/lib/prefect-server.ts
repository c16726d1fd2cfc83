/**
 * A real Prefect 3 server (prefect==3.9.1 from .venv-prefect, scripts/python-servers/prefect.txt)
 * for the prefect target's tests: `prefect server start` on a free loopback port with HTTP Basic
 * auth (PREFECT_SERVER_API_AUTH_STRING), so credentials really matter; PREFECT_HOME in a temp dir,
 * analytics and UI off. `serve(file)` starts a flow's `flow.serve()` runner beside it, polling
 * every second. Each process is its own group (detached), stopped whole: SIGTERM, then SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './run-action.js'
import { freePort } from './free-port.js'

export const PREFECT_PYTHON = join(ROOT, '.venv-prefect/bin/python')
const PREFECT_CLI = join(ROOT, '.venv-prefect/bin/prefect')
const START_LIMIT_MS = 90_000
const STOP_GRACE_MS = 5_000
const BUSY_ATTEMPTS = 25

export interface PrefectRunner {
  /** Stops the runner; `flow.serve()` pauses its deployments as it shuts down. */
  stop(): Promise<void>
}

export interface PrefectServer {
  /** The API root, e.g. http://127.0.0.1:4321/api. */
  url: string
  /** user:password, as PREFECT_API_AUTH_STRING takes it. */
  authString: string
  /** The Authorization header for checks outside the action. */
  authorization: string
  home: string
  /** Starts `python <flowFile>` (a `flow.serve(name=…)`) and waits until `flow/deployment` is READY. */
  serve(flowFile: string, deployment: string): Promise<PrefectRunner>
  /** A REST call that must succeed, for setting up and checking a test (a 503 of a locked SQLite is sent again). */
  api<Reply>(method: string, path: string, body?: unknown): Promise<Reply>
  stop(): Promise<void>
}

/** Its own process group, its output to a file (a pipe left unread would stall it). */
function spawnLogged(
  command: string,
  args: string[],
  env: Record<string, string>,
  logPath: string
): { child: ChildProcess; log: () => string } {
  const fd = openSync(logPath, 'w')
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    stdio: ['ignore', fd, fd],
    detached: true
  })
  closeSync(fd)
  return { child, log: () => readFileSync(logPath, 'utf8').slice(-3000) }
}

/** SIGTERM to the whole group, SIGKILL after the grace period; resolves when the leader is gone. */
async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, name)
    } catch {
      /* the group is gone */
    }
  }
  signal('SIGTERM')
  const escalate = setTimeout(() => signal('SIGKILL'), STOP_GRACE_MS)
  await exited
  clearTimeout(escalate)
  // Anything of the group still there (a flow subprocess) goes too.
  signal('SIGKILL')
}

async function waitFor(
  what: string,
  limitMs: number,
  ready: () => Promise<boolean>,
  log: () => string,
  child: ChildProcess
) {
  const deadline = Date.now() + limitMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${what}: the process exited (${child.exitCode}): ${log()}`)
    if (await ready().catch(() => false)) return
    if (Date.now() > deadline) throw new Error(`${what}: not ready within ${limitMs / 1000} s: ${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
}

export async function startPrefectServer(): Promise<PrefectServer> {
  const home = mkdtempSync(join(tmpdir(), 'pt-prefect-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}/api`
  const authString = 'ci:prefect-test-auth'
  const authorization = `Basic ${Buffer.from(authString).toString('base64')}`
  // Only what Prefect needs: no inherited PREFECT_* variable can point it elsewhere.
  const common = {
    HOME: home,
    PREFECT_HOME: join(home, 'prefect'),
    PREFECT_SERVER_ANALYTICS_ENABLED: 'false',
    PREFECT_SERVER_UI_ENABLED: 'false',
    PREFECT_UI_ENABLED: 'false',
    PREFECT_CLI_PROMPT: 'false'
  }
  const server = spawnLogged(
    PREFECT_CLI,
    ['server', 'start', '--host', '127.0.0.1', '--port', String(port), '--no-ui', '--analytics-off'],
    { ...common, PREFECT_SERVER_API_AUTH_STRING: authString },
    join(home, 'server.log')
  )
  const runners: ChildProcess[] = []
  const stop = async () => {
    await Promise.all(runners.map(stopGroup))
    await stopGroup(server.child)
    rmSync(home, { recursive: true, force: true })
  }
  try {
    await waitFor(
      'the Prefect server',
      START_LIMIT_MS,
      async () => (await fetch(`${url}/health`)).ok,
      server.log,
      server.child
    )
  } catch (error) {
    await stop()
    throw error
  }

  async function api<Reply>(method: string, path: string, body?: unknown): Promise<Reply> {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: { authorization, 'content-type': 'application/json' },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {})
      })
      const text = await response.text()
      // 503: SQLite was locked by another writer (the runner, a background service) and the write
      // was rolled back; on a loaded machine a test's setup call is sent again until it gets through.
      if (response.status === 503 && attempt < BUSY_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        continue
      }
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`)
      return (text ? JSON.parse(text) : undefined) as Reply
    }
  }

  return {
    url,
    authString,
    authorization,
    home,
    api,
    async serve(flowFile, deployment) {
      const runner = spawnLogged(
        PREFECT_PYTHON,
        [flowFile],
        { ...common, PREFECT_API_URL: url, PREFECT_API_AUTH_STRING: authString, PREFECT_RUNNER_POLL_FREQUENCY: '1' },
        join(home, `runner-${runners.length}.log`)
      )
      runners.push(runner.child)
      await waitFor(
        `the runner of ${deployment}`,
        START_LIMIT_MS,
        async () => {
          const found = await api<{ status?: string; paused?: boolean }>('GET', `/deployments/name/${deployment}`)
          return found.status === 'READY' && found.paused !== true
        },
        runner.log,
        runner.child
      )
      return { stop: () => stopGroup(runner.child) }
    },
    stop
  }
}
