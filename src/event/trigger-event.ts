import type { ChainContext } from '../core/chain.js'

/** One normalised shape for every GitHub event the action understands. */

export const SUPPORTED_EVENTS = [
  'push',
  'pull_request',
  'pull_request_target',
  'merge_group',
  'schedule',
  'workflow_dispatch',
  'workflow_call',
  'repository_dispatch',
  'workflow_run'
] as const

/** The rule family a GitHub event is planned with (pull_request_target uses pull_request rules). */
export type EventKind =
  | 'push'
  | 'pull_request'
  | 'merge_group'
  | 'schedule'
  | 'workflow_dispatch'
  | 'workflow_call'
  | 'repository_dispatch'
  | 'workflow_run'

/** workflow_run: the upstream run that completed, the identity a downstream pipeline builds on. */
export interface UpstreamRun {
  runId: string
  sha: string
  workflow: string
  conclusion: string
  htmlUrl: string
  branch: string
  /** owner/repo whose code the upstream run built; another repository for a fork's pull request. */
  headRepository: string
}

export interface PushInfo {
  before: string
  after: string
  created: boolean
  deleted: boolean
  forced: boolean
}

export interface PullRequestInfo {
  number: number
  baseSha: string
  headSha: string
  baseRef: string
  headRef: string
  /** The number of changed files GitHub counted; tells whether an API list is complete. */
  changedFiles?: number
}

export interface TriggerEvent {
  /** The rule family, or undefined for an event the action does not handle. */
  kind?: EventKind
  /** The GitHub event name as delivered (for workflow_call: the caller's event). */
  name: string
  /** owner/repo */
  repository: string
  sha: string
  /** The full ref, e.g. refs/heads/main. */
  ref: string
  /** The short branch or tag name ({ref}); for pull requests the head branch. */
  refName: string
  isTag: boolean
  defaultBranch?: string
  push?: PushInfo
  pullRequest?: PullRequestInfo
  mergeGroup?: { baseSha: string; headSha: string; headRef: string }
  /** schedule: the cron line that fired. */
  cron?: string
  /** workflow_dispatch / workflow_call inputs, or repository_dispatch client_payload. */
  inputs?: Record<string, unknown>
  /** repository_dispatch: the event type (`action`). */
  dispatchType?: string
  /** workflow_run: the upstream run. */
  upstream?: UpstreamRun
  /** The chain context an upstream trigger sent; undefined at the start of a chain. */
  chain?: ChainContext
  /** The workflow run; workflowRef is GITHUB_WORKFLOW_REF (owner/repo/.github/workflows/x.yml@ref). */
  run: { id: string; attempt: number; serverUrl: string; workflow: string; workflowRef?: string }
}

export const ZERO_SHA = /^0+$/
