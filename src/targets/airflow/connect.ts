/**
 * The airflow target with its bearer token: the platform's, or one minted at /auth/token, once
 * per server and user for the whole step (targets of the same server and user share it).
 */
import { createHash } from 'node:crypto'
import { retry } from '../../retry.js'
import { headerSafe } from '../resolve-context.js'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { AirflowApi, mintToken } from './airflow-api.js'
import { AirflowTarget } from './airflow-target.js'
import type { ResolvedAirflow } from './resolve.js'

export async function connectAirflow(resolved: ResolvedAirflow, context: ConnectContext): Promise<Target> {
  const { auth, base } = resolved
  let bearer: string | undefined
  if (auth.kind === 'token') bearer = auth.token
  else if (auth.kind === 'login') {
    // The key holds the password's digest only, so two targets with different passwords never share a token.
    const digest = createHash('sha256').update(auth.password).digest('hex')
    bearer = await context.shared(JSON.stringify(['airflow-login', base, auth.username, digest]), async () => {
      const token = await retry(
        () => mintToken(base, auth.username, auth.password, context.deadline.signal, context.clock),
        {
          clock: context.clock,
          deadline: context.deadline,
          onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
        }
      )
      context.mask(token)
      // A line break in the minted token would put `Bearer <token>` into the HTTP client's error.
      return headerSafe(resolved.name, `the token minted at ${base}/auth/token`, token)!
    })
  }
  const secrets = [bearer, auth.kind === 'login' ? auth.password : undefined]
  return new AirflowTarget(resolved, new AirflowApi(base, bearer, secrets, context.clock), context.log)
}
