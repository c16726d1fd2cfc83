/**
 * A small adapter over @actions/exec for git: argv only (never a shell), output as bytes,
 * LC_ALL=C, no prompts, and never a change to the user's git config.
 *
 * With a token, git authenticates to the GitHub server with it through configuration passed in
 * the git process's own environment (GIT_CONFIG_COUNT): never on a command line, never written to
 * disk. Workflows can therefore check out with `persist-credentials: false`, and a pipeline the
 * action runs later finds no token in `.git/config`. An empty value first clears any header the
 * checkout persisted, so git never sends two.
 */
import * as exec from '@actions/exec'

export interface GitResult {
  code: number
  stdout: Buffer
  stderr: string
}

export interface Git {
  /** `input` is written to git's standard input. */
  run(args: string[], input?: Buffer): Promise<GitResult>
}

export function createGit(cwd: string, auth?: { token: string; serverUrl: string }): Git {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  if (auth?.token) {
    // Appended after any GIT_CONFIG_* entries the job already sets.
    const first = Number(env.GIT_CONFIG_COUNT) > 0 ? Number(env.GIT_CONFIG_COUNT) : 0
    const key = `http.${auth.serverUrl.replace(/\/+$/, '')}/.extraheader`
    Object.assign(env, {
      GIT_CONFIG_COUNT: String(first + 2),
      [`GIT_CONFIG_KEY_${first}`]: key,
      [`GIT_CONFIG_VALUE_${first}`]: '',
      [`GIT_CONFIG_KEY_${first + 1}`]: key,
      [`GIT_CONFIG_VALUE_${first + 1}`]: `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${auth.token}`).toString('base64')}`
    })
  }
  Object.assign(env, {
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0', // a missing credential fails at once instead of hanging the job
    GIT_HTTP_LOW_SPEED_LIMIT: '1000', // a stalled fetch fails after a minute instead of hanging
    GIT_HTTP_LOW_SPEED_TIME: '60'
  })
  return {
    async run(args, input) {
      const stdout: Buffer[] = []
      const stderr: Buffer[] = []
      const code = await exec.exec('git', args, {
        cwd,
        env,
        silent: true,
        ignoreReturnCode: true,
        ...(input ? { input } : {}),
        listeners: { stdout: (data) => stdout.push(data), stderr: (data) => stderr.push(data) }
      })
      return { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8').trim() }
    }
  }
}
