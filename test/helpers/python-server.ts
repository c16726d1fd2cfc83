/** Starts a Python ASGI app from .venv with uvicorn on a free loopback port; its log goes to a file. */
import { spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { VENV_PYTHON } from './run-action.js'
import { freePort } from '../../scripts/lib/free-port.js'
export { freePort }

export async function startUvicorn(
  app: string,
  appDir: string,
  env: Record<string, string>
): Promise<{ url: string; home: string; log(): string; stop(): Promise<void> }> {
  const home = mkdtempSync(join(tmpdir(), 'pt-uvicorn-'))
  const port = await freePort()
  const logPath = join(home, 'server.log')
  const fd = openSync(logPath, 'w')
  const child = spawn(
    VENV_PYTHON,
    ['-m', 'uvicorn', app, '--app-dir', appDir, '--host', '127.0.0.1', '--port', String(port), '--no-access-log'],
    {
      env: { PATH: process.env.PATH, HOME: home, ...env },
      stdio: ['ignore', fd, fd]
    }
  )
  closeSync(fd)
  const url = `http://127.0.0.1:${port}`
  const log = () => readFileSync(logPath, 'utf8').slice(-3000)
  const deadline = Date.now() + 60_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${app} exited: ${log()}`)
    if (
      await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false
      )
    )
      break
    if (Date.now() > deadline) throw new Error(`${app} did not start: ${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  return {
    url,
    home,
    log,
    stop: async () => {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))
    }
  }
}
