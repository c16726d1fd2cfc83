/**
 * Runs the bundled action (dist/index.js) exactly as the runner does: a clean environment,
 * INPUT_<NAME> variables with hyphens kept and action.yml defaults filled in, the event JSON
 * at GITHUB_EVENT_PATH, and pre-created file-command files that are read back afterwards.
 * Shared by the tests, the demo and the bench.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parse } from 'yaml'

export const ROOT = resolve(import.meta.dirname, '../..')
export const ACTION = join(ROOT, 'dist/index.js')
export const VENV_PYTHON = join(ROOT, '.venv/bin/python')
/** The fake token the runner would put in `token`; every run checks it never leaks (the secrets sweep below). */
export const FAKE_TOKEN = 'ghs_FAKEtokenFORtests0123456789abcdefABCDEF'

export interface ActionRun {
  exitCode: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /** Lines the runner would turn into annotations, e.g. `::error::…`. */
  commands: string[]
}

export interface RunOptions {
  eventName: string
  payload: Record<string, unknown>
  inputs?: Record<string, string>
  workspace: string
  sha?: string
  ref?: string
  repository?: string
  runId?: string
  runAttempt?: string
  env?: Record<string, string>
  node?: string
  timeoutMs?: number
  /** The bundle to run; default this repository's dist/index.js. */
  action?: string
  /** Handed the action's process once it runs (to send it the runner's signals). */
  onStart?: (child: ChildProcess) => void
  /** The event file's bytes as given, instead of the payload as JSON (for broken event files); null writes none. */
  rawEvent?: Buffer | string | null
}

/** action.yml defaults, as the runner applies them (expressions resolved to test values). */
function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, spec]) => [
      name,
      spec.default === '${{ github.token }}' ? FAKE_TOKEN : (spec.default ?? '')
    ])
  )
}

/** Parses GITHUB_OUTPUT's `name<<delimiter` blocks. */
export function parseFileCommands(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!match) continue
    const [, name, delimiter] = match
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    result[name!] = value.join('\n')
  }
  return result
}

export async function runAction(options: RunOptions): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'pt-runner-'))
  const files = {
    GITHUB_OUTPUT: 'output',
    GITHUB_STEP_SUMMARY: 'summary',
    GITHUB_ENV: 'env',
    GITHUB_STATE: 'state',
    GITHUB_PATH: 'path'
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_REPOSITORY: options.repository ?? 'octo-org/ml-repo',
    GITHUB_SHA: options.sha ?? '',
    GITHUB_REF: options.ref ?? '',
    GITHUB_RUN_ID: options.runId ?? '9100',
    GITHUB_RUN_ATTEMPT: options.runAttempt ?? '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_WORKFLOW: 'train',
    GITHUB_WORKFLOW_REF: `${options.repository ?? 'octo-org/ml-repo'}/.github/workflows/train.yml@${options.ref || 'refs/heads/main'}`,
    RUNNER_TEMP: join(dir, 'runner-temp'),
    GIT_CONFIG_NOSYSTEM: '1',
    ...options.env
  }
  for (const [variable, file] of Object.entries(files)) {
    env[variable] = join(dir, file)
    writeFileSync(join(dir, file), '')
    // An empty value in options.env removes the variable, as on a runner that does not provide it.
    if (options.env?.[variable] === '') delete env[variable]
  }
  mkdirSync(env.RUNNER_TEMP!, { recursive: true }) // the runner creates it for every job
  if (options.rawEvent !== null)
    writeFileSync(env.GITHUB_EVENT_PATH!, options.rawEvent ?? JSON.stringify(options.payload))
  // GitHub's checks API cannot run here: the verdict is off unless a test sets it (and points GITHUB_API_URL at a fake).
  for (const [name, value] of Object.entries({ ...actionDefaults(), verdict: 'off', ...options.inputs })) {
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }

  const child = spawn(options.node ?? process.execPath, [options.action ?? ACTION], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  options.onStart?.(child)
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const exitCode = await new Promise<number | null>((done) => child.on('close', done))
  clearTimeout(timer)
  const result = {
    exitCode,
    stdout,
    stderr,
    outputs: env.GITHUB_OUTPUT ? parseFileCommands(readFileSync(env.GITHUB_OUTPUT, 'utf8')) : {},
    summary: env.GITHUB_STEP_SUMMARY ? readFileSync(env.GITHUB_STEP_SUMMARY, 'utf8') : '',
    commands: stdout.split('\n').filter((line) => line.startsWith('::'))
  }
  sweepSecrets(options, dir, result)
  return result
}

/**
 * The secrets sweep, run after every bundle run (tests and demo alike): no secret given to the
 * action (the secret inputs, and env values named like keys, tokens or secrets) may appear in any
 * encoding in stdout (`::add-mask::` lines aside), stderr, any GITHUB_* file, or anything left in
 * RUNNER_TEMP. A find throws, failing the test (or the demo) that made the run.
 */
function sweepSecrets(options: RunOptions, dir: string, result: { stdout: string; stderr: string }): void {
  const secrets = new Set<string>()
  for (const name of ['token', 'zenml-api-key', 'api-key', 'signing-secret']) {
    const value = options.inputs?.[name] ?? (name === 'token' ? FAKE_TOKEN : '')
    if (value.length >= 8) secrets.add(value)
  }
  for (const [name, value] of Object.entries(options.env ?? {}))
    if (/KEY|TOKEN|SECRET/i.test(name) && value.length >= 8) secrets.add(value)
  const texts = [
    result.stdout
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n'),
    result.stderr
  ]
  const visit = (path: string): void => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) visit(full)
      else if (entry.isFile() && !full.endsWith('event.json')) texts.push(readFileSync(full, 'utf8'))
    }
  }
  visit(dir) // GITHUB_OUTPUT, the summary, GITHUB_ENV/STATE/PATH and RUNNER_TEMP all live here
  for (const secret of secrets) {
    const bytes = Buffer.from(secret, 'utf8')
    for (const form of [
      secret,
      bytes.toString('base64'),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      encodeURIComponent(secret)
    ]) {
      const found = texts.find((text) => text.includes(form))
      if (found !== undefined)
        throw new Error(
          `secrets sweep: a secret (${secret.length} characters) appears ${form === secret ? 'as is' : 'encoded'} in what the action wrote: …${found.slice(Math.max(0, found.indexOf(form) - 60), found.indexOf(form) + form.length + 20).replace(form, '<SECRET>')}…`
        )
    }
  }
}
