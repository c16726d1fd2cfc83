/**
 * A real Airflow 3 server (apache-airflow 3.3.2 from .venv-airflow) for the tests: `airflow
 * standalone` (API server, scheduler, DAG processor, triggerer) on a free loopback port, in a
 * throwaway AIRFLOW_HOME, with the simple auth manager's generated admin. PARALLELISM=2 keeps the
 * LocalExecutor from forking 32 idle workers (0.9 GB instead of 1.1–1.4 GB here). It is spawned
 * in its own session, so stop() ends every process it forked, a task's supervisor included.
 */
import { spawn } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './run-action.js'
import { freePort } from './free-port.js'

export const AIRFLOW_VENV = join(ROOT, '.venv-airflow')
const READY_WITHIN_MS = 120_000

export interface AirflowServer {
  url: string
  /** The admin, and its password. */
  username: string
  password: string
  /** Every user's password (the simple auth manager generates them): admin and `options.users`. */
  passwords: Record<string, string>
  /** A bearer token for checks outside the action (what a run's state is); it expires as any other. */
  token: string
  /** A fresh token of the admin, for checks outside the action when tokens expire quickly. */
  mint(): Promise<string>
  home: string
  /** How long the server took to answer and parse the DAGs, in ms. */
  startedInMs: number
  log(): string
  stop(): Promise<void>
}

/**
 * The processes of a session (Linux /proc; elsewhere none): the group alone misses a task's
 * supervisor, which starts a process group of its own, and would outlive the server.
 */
function sessionMembers(sid: number): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((pid) => {
        try {
          // pid (comm) state ppid pgrp session …; comm may hold spaces and parentheses.
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]) === sid
        } catch {
          return false
        }
      })
      .map(Number)
  } catch {
    return []
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * @param dags the DAG ids the tests need: ready means each is parsed and served.
 * @param users more users of the simple auth manager besides admin, as `name:role` (e.g. `ci:user`).
 * @param jwtExpirationS the API tokens' lifetime ([api_auth] jwt_expiration_time, default a day),
 *   with no leeway, for a test that outlasts a token.
 */
export async function startAirflowServer(options: {
  dagsFolder: string
  dags: string[]
  users?: string[]
  jwtExpirationS?: number
}): Promise<AirflowServer> {
  if (!existsSync(join(AIRFLOW_VENV, 'bin/airflow')))
    throw new Error(`${AIRFLOW_VENV} is missing: run bash scripts/setup-python.sh`)
  const began = Date.now()
  const home = mkdtempSync(join(tmpdir(), 'pt-airflow-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // A file, not a pipe: a test that blocks its event loop must not stall the server on a full pipe.
  const logPath = join(home, 'server.log')
  const logFd = openSync(logPath, 'w')
  const child = spawn(join(AIRFLOW_VENV, 'bin/airflow'), ['standalone'], {
    detached: true,
    // Only what the server needs: no inherited AIRFLOW_* variable can point it elsewhere.
    env: {
      PATH: `${join(AIRFLOW_VENV, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: home,
      AIRFLOW_HOME: home,
      AIRFLOW__CORE__DAGS_FOLDER: options.dagsFolder,
      AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
      AIRFLOW__CORE__PARALLELISM: '2',
      AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${url}/execution/`,
      AIRFLOW__API__HOST: '127.0.0.1',
      AIRFLOW__API__PORT: String(port),
      AIRFLOW__API__BASE_URL: url,
      AIRFLOW__API_AUTH__JWT_SECRET: 'test-only-secret-for-the-airflow-e2e',
      AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '5',
      AIRFLOW__SCHEDULER__STANDALONE_DAG_PROCESSOR: 'True',
      AIRFLOW__CORE__UNIT_TEST_MODE: 'False',
      AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: ['admin:admin', ...(options.users ?? [])].join(','),
      ...(options.jwtExpirationS
        ? {
            AIRFLOW__API_AUTH__JWT_EXPIRATION_TIME: String(options.jwtExpirationS),
            AIRFLOW__API_AUTH__JWT_LEEWAY: '0'
          }
        : {})
    },
    stdio: ['ignore', logFd, logFd]
  })
  closeSync(logFd)
  const log = () => readFileSync(logPath, 'utf8').slice(-3000)
  const stop = async () => {
    if (child.pid !== undefined) {
      const group = (signal: NodeJS.Signals) => {
        for (const pid of [-child.pid!, ...sessionMembers(child.pid!)]) {
          try {
            process.kill(pid, signal)
          } catch {
            // already gone
          }
        }
      }
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        group('SIGTERM')
        const timer = setTimeout(() => group('SIGKILL'), 8_000)
        await exited
        clearTimeout(timer)
      }
      // A task's supervisor ("airflow worker --") moves to a group of its own, but stays in the session.
      group('SIGKILL')
      // Bounded: a killed process may take a moment to be reaped.
      for (let i = 0; i < 20 && sessionMembers(child.pid).length > 0; i++) await sleep(250)
    }
    rmSync(home, { recursive: true, force: true })
  }
  try {
    const deadline = began + READY_WITHIN_MS
    const waitFor = async (what: string, ready: () => Promise<boolean>) => {
      for (;;) {
        if (child.exitCode !== null) throw new Error(`airflow standalone exited (${child.exitCode}): ${log()}`)
        if (await ready().catch(() => false)) return
        if (Date.now() > deadline) throw new Error(`Airflow: ${what} not within ${READY_WITHIN_MS / 1000} s: ${log()}`)
        await sleep(500)
      }
    }
    await waitFor('the API', async () => (await fetch(`${url}/api/v2/monitor/health`)).ok)
    const passwords = join(home, 'simple_auth_manager_passwords.json.generated')
    await waitFor('the admin password', () => Promise.resolve(existsSync(passwords)))
    const users = JSON.parse(readFileSync(passwords, 'utf8')) as Record<string, string>
    const username = 'admin'
    const password = users[username]!
    const mint = async () => {
      const reply = await fetch(`${url}/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password })
      })
      if (reply.status !== 201) throw new Error(`Airflow: /auth/token answered ${reply.status}`)
      return ((await reply.json()) as { access_token: string }).access_token
    }
    let token = ''
    await waitFor('a token', async () => {
      token = await mint()
      return true
    })
    for (const dag of options.dags)
      await waitFor(
        `DAG ${dag} parsed`,
        async () =>
          (await fetch(`${url}/api/v2/dags/${dag}`, { headers: { authorization: `Bearer ${await mint()}` } })).ok
      )
    return {
      url,
      username,
      password,
      passwords: users,
      token,
      mint,
      home,
      startedInMs: Date.now() - began,
      log,
      stop
    }
  } catch (error) {
    await stop()
    throw error
  }
}
