/** The workflow target, through the one GitHub client with its own token (masked first). */
import { GitHubClient } from '../../github/client.js'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { ActionsApi } from './actions-api.js'
import type { ResolvedWorkflow } from './resolve.js'
import { WorkflowTarget } from './workflow-target.js'

export function connectWorkflow(resolved: ResolvedWorkflow, context: ConnectContext): Promise<Target> {
  context.mask(resolved.token)
  const { deadline, clock, log } = context
  const client = new GitHubClient({ token: resolved.token, apiUrl: resolved.apiUrl, deadline, clock, log })
  return Promise.resolve(new WorkflowTarget(resolved, new ActionsApi(client, log), clock))
}
