/**
 * The databricks target with its bearer token: the one token: names, or one minted at
 * <api>/oidc/v1/token (OAuth M2M or GitHub OIDC federation) and renewed before it expires, shared
 * by the step's targets of one workspace and service principal.
 */
import { createHash } from 'node:crypto'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { DatabricksApi } from './databricks-api.js'
import { DatabricksTarget } from './databricks-target.js'
import type { ResolvedDatabricks } from './resolve.js'
import { WorkspaceToken } from './workspace-token.js'

export async function connectDatabricks(resolved: ResolvedDatabricks, context: ConnectContext): Promise<Target> {
  const { auth, api } = resolved
  let bearer: string | WorkspaceToken
  if (auth.kind === 'token') bearer = auth.token
  else {
    // The key holds the secret's digest only, so two targets with different secrets never share a token.
    const secret = auth.kind === 'm2m' ? createHash('sha256').update(auth.clientSecret).digest('hex') : auth.audience
    bearer = await context.shared(JSON.stringify(['databricks-token', api, auth.kind, auth.clientId, secret]), () =>
      Promise.resolve(
        new WorkspaceToken(
          resolved.name,
          api,
          auth,
          { url: context.env.ACTIONS_ID_TOKEN_REQUEST_URL, token: context.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN },
          context.clock,
          (value) => context.mask(value)
        )
      )
    )
  }
  return new DatabricksTarget(resolved, new DatabricksApi(resolved, bearer, context.clock), context.log)
}
