/** The workflow target resolved: the repository, the workflow or event type, the ref, and the token for it. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, type ResolveContext } from '../resolve-context.js'
import type { WorkflowInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedWorkflow extends ResolvedCommon<'workflow'> {
  /** The repository with the workflow. */
  owner: string
  repo: string
  event: 'workflow_dispatch' | 'repository_dispatch'
  /** workflow_dispatch: the file name under .github/workflows, or the workflow's id. */
  workflow?: string
  /** workflow_dispatch: the ref to run; undefined = the repository's default branch (read before anything starts). */
  ref?: string
  /** repository_dispatch: the event type. */
  eventType?: string
  token: string
  /** The REST API root (GITHUB_API_URL: api.github.com or a GHES /api/v3). */
  apiUrl: string
  cancelOnTimeout: boolean
}

export function resolveWorkflow(
  name: string,
  config: Config,
  { inputs: github, secrets, maxParallel }: ResolveContext<WorkflowInputs>
): ResolvedWorkflow {
  const repository = config.repo ?? github.repository
  const [owner = '', repo = ''] = repository.split('/')
  const token = headerSecret(name, 'token', config.token, github.token, secrets) ?? ''
  if (!token)
    throw new UserError(
      `Target ${name}: no token. Leave the token input at its default (github.token), or set token: env:NAME to a token that may start workflows in ${repository}.`
    )
  const event = config.event ?? 'workflow_dispatch'
  // This repository runs on this run's branch by default; another one on its default branch.
  const ref = config.ref ?? (repository === github.repository && github.refName ? github.refName : undefined)
  return {
    type: 'workflow',
    name,
    maxParallel,
    owner,
    repo,
    event,
    ...(config.workflow ? { workflow: config.workflow } : {}),
    ...(event === 'workflow_dispatch' && ref ? { ref } : {}),
    ...(config['event-type'] ? { eventType: config['event-type'] } : {}),
    token,
    apiUrl: checkUrl(github.apiUrl, 'GITHUB_API_URL').href.replace(/\/+$/, ''),
    cancelOnTimeout: config['cancel-on-timeout'] ?? github.cancelOnTimeout
  }
}
