/**
 * A later `mode: reconcile` pass, as the reusable reconcile-verdicts.yml runs it on its schedule:
 * its own job on the default branch, with its own token, asking the targets about the check runs
 * a trigger step left open. The targets' e2e files run it after a `wait: false` step.
 */
import type { FakeChecks } from './fake-github-checks.js'
import { runAction, type ActionRun } from './run-action.js'

export function reconcilePass(options: {
  workspace: string
  repository: string
  github: FakeChecks
  /** The pass's own token (its job's permissions). */
  token: string
  /** What the targets' config reads from the environment (their credentials). */
  env?: Record<string, string>
}): Promise<ActionRun> {
  return runAction({
    eventName: 'schedule',
    payload: { schedule: '*/10 * * * *', repository: { full_name: options.repository } },
    workspace: options.workspace,
    repository: options.repository,
    sha: 'f'.repeat(40),
    ref: 'refs/heads/main',
    inputs: { token: options.token, mode: 'reconcile' },
    env: { ...options.env, GITHUB_API_URL: options.github.url }
  })
}
