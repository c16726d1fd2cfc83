/**
 * A small adapter over @actions/exec for git: argv only (never a shell), output as bytes,
 * LC_ALL=C, no prompts, and never a change to the user's git config.
 */
import * as exec from '@actions/exec'

export interface GitResult {
  code: number
  stdout: Buffer
  stderr: string
}

export interface Git {
  run(args: string[]): Promise<GitResult>
}

export function createGit(cwd: string): Git {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value
  Object.assign(env, {
    LC_ALL: 'C',
    GIT_TERMINAL_PROMPT: '0', // a missing credential fails at once instead of hanging the job
    GIT_HTTP_LOW_SPEED_LIMIT: '1000', // a stalled fetch fails after a minute instead of hanging
    GIT_HTTP_LOW_SPEED_TIME: '60'
  })
  return {
    async run(args) {
      const stdout: Buffer[] = []
      const stderr: Buffer[] = []
      const code = await exec.exec('git', args, {
        cwd,
        env,
        silent: true,
        ignoreReturnCode: true,
        listeners: { stdout: (data) => stdout.push(data), stderr: (data) => stderr.push(data) }
      })
      return { code, stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr).toString('utf8').trim() }
    }
  }
}
