/** The dagster target needs no login: each request carries the token, if any (masked when resolved). */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { DagsterTarget } from './dagster-target.js'
import { DagsterGraphql } from './graphql-client.js'
import type { ResolvedDagster } from './resolve.js'

export function connectDagster(resolved: ResolvedDagster, context: ConnectContext): Promise<Target> {
  const api = new DagsterGraphql(
    {
      name: resolved.name,
      base: resolved.base,
      ...(resolved.apiToken ? { apiToken: resolved.apiToken } : {}),
      ...(resolved.deployment ? { deployment: resolved.deployment } : {})
    },
    context.clock
  )
  return Promise.resolve(new DagsterTarget(resolved, api, context.provenance))
}
