/** The fake of GitHub's checks, statuses and workflow-run listing API: scripts/lib/fake-github-checks.ts, which the bench uses too. */
export * from '../../scripts/lib/fake-github-checks.js'

import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../../scripts/lib/fake-github-checks.js'

/**
 * The fake as a trigger step and a later pass see it: the step's github.token may write check
 * runs; a later workflow's token (the same GitHub Actions app) may also list workflow runs.
 */
export function fakeGitHubForLaterPass(repository: string, token: string, laterToken: string): Promise<FakeChecks> {
  return startFakeGitHubChecks({
    repository,
    tokens: {
      [token]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write' } },
      [laterToken]: {
        kind: 'installation',
        appId: GITHUB_ACTIONS_APP_ID,
        permissions: { checks: 'write', actions: 'read' }
      }
    }
  })
}
