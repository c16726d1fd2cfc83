/** The fake of GitHub's checks, statuses and workflow-run listing API: scripts/lib/fake-github-checks.ts, which the bench uses too. */
export * from '../../scripts/lib/fake-github-checks.js'
