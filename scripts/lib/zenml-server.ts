/**
 * A real ZenML server (zenml[server] 0.98.0 from .venv) for the tests and the demo: uvicorn on a
 * free loopback port with OAUTH2_PASSWORD_BEARER, so API keys really matter; activated with an
 * admin, plus a service account and an API key created through the REST API, as a user would.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VENV_PYTHON } from './run-action.js'
import { freePort } from './free-port.js'

/** The server's admin, for the dashboard (npm run demo -- --serve). */
export const ADMIN = { username: 'admin', password: 'Admin-pass-1!' }

export interface ZenmlServer {
  url: string
  apiKey: string
  /** The admin's bearer token, for checks outside the action (e.g. that a run exists). */
  token: string
  home: string
  stop(): Promise<void>
}

/** The JSON reply of a REST call that must succeed, as the caller expects it to look. */
async function json<Reply>(url: string, init: RequestInit): Promise<Reply> {
  const response = await fetch(url, init)
  const body: unknown = await response.json()
  if (!response.ok) throw new Error(`${init.method} ${url}: ${response.status} ${JSON.stringify(body)}`)
  return body as Reply
}

/** @param workloadManager enable OSS's in-memory workload manager, so the snapshot run route exists. */
export async function startZenmlServer(options: { workloadManager?: boolean } = {}): Promise<ZenmlServer> {
  const home = mkdtempSync(join(tmpdir(), 'pt-zenml-server-'))
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  // The log goes to a file, not a pipe: a test that blocks its event loop (execFileSync) must not
  // stall the server on a full pipe.
  const logPath = join(home, 'server.log')
  const logFd = openSync(logPath, 'w')
  const child: ChildProcess = spawn(
    VENV_PYTHON,
    [
      '-m',
      'uvicorn',
      'zenml.zen_server.zen_server_api:app',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--no-access-log'
    ],
    {
      // Only what the server needs: no inherited ZENML_* variable can point it elsewhere.
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ZENML_CONFIG_PATH: join(home, 'server-config'),
        ZENML_LOCAL_STORES_PATH: join(home, 'stores'),
        ZENML_STORE_URL: `sqlite:///${join(home, 'zenml.db')}`,
        ZENML_STORE_TYPE: 'sql',
        ZENML_SERVER: 'true',
        ZENML_SERVER_AUTH_SCHEME: 'OAUTH2_PASSWORD_BEARER',
        ZENML_SERVER_AUTO_ACTIVATE: 'false',
        ZENML_SERVER_JWT_SECRET_KEY: 'test-only-secret',
        ZENML_ANALYTICS_OPT_IN: 'false',
        AUTO_OPEN_DASHBOARD: 'false',
        ...(options.workloadManager
          ? {
              ZENML_SERVER_WORKLOAD_MANAGER_IMPLEMENTATION_SOURCE:
                'zenml.zen_server.pipeline_execution.in_memory_workload_manager.InMemoryWorkloadManager',
              ZENML_SERVER_SERVER_URL: url
            }
          : {})
      },
      stdio: ['ignore', logFd, logFd]
    }
  )
  closeSync(logFd)
  const log = () => readFileSync(logPath, 'utf8').slice(-2000)
  const deadline = Date.now() + 90_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ZenML server exited: ${log()}`)
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false
    )
    if (up) break
    if (Date.now() > deadline) throw new Error(`the ZenML server did not start in 90 s: ${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }

  const headers = { 'content-type': 'application/json' }
  await json(`${url}/api/v1/activate`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ admin_username: ADMIN.username, admin_password: ADMIN.password })
  })
  const login = await json<{ access_token: string }>(`${url}/api/v1/login`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'password', username: ADMIN.username, password: ADMIN.password })
  })
  const auth = { ...headers, authorization: `Bearer ${login.access_token}` }
  const account = await json<{ id: string }>(`${url}/api/v1/service_accounts`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'github-actions', active: true })
  })
  const key = await json<{ body: { key: string } }>(`${url}/api/v1/service_accounts/${account.id}/api_keys`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ name: 'ci' })
  })

  return {
    url,
    apiKey: key.body.key,
    token: login.access_token,
    home,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))
      rmSync(home, { recursive: true, force: true })
    }
  }
}
