/**
 * The airflow target with its bearer token: the platform's, or one minted at /auth/token, once
 * per server and user for the whole step (targets of the same server and user share it, and its
 * renewal when it expires).
 */
import { createHash } from 'node:crypto'
import { retry } from '../../retry.js'
import { headerSafe } from '../resolve-context.js'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { AirflowApi, mintToken } from './airflow-api.js'
import { AirflowTarget } from './airflow-target.js'
import { MintedToken } from './minted-token.js'
import type { ResolvedAirflow } from './resolve.js'

export async function connectAirflow(resolved: ResolvedAirflow, context: ConnectContext): Promise<Target> {
  const { auth, base } = resolved
  let bearer: string | MintedToken | undefined
  if (auth.kind === 'token') bearer = auth.token
  else if (auth.kind === 'login') {
    // One login, its token masked and checked before any header carries it.
    const login = async (signal: AbortSignal) => {
      const token = await mintToken(base, auth.username, auth.password, signal, context.clock)
      context.mask(token)
      // A line break in the minted token would put `Bearer <token>` into the HTTP client's error.
      return headerSafe(resolved.name, `the token minted at ${base}/auth/token`, token)!
    }
    // The key holds the password's digest only, so two targets with different passwords never share a token.
    const digest = createHash('sha256').update(auth.password).digest('hex')
    bearer = await context.shared(JSON.stringify(['airflow-login', base, auth.username, digest]), async () => {
      const first = await retry(() => login(context.deadline.signal), {
        clock: context.clock,
        deadline: context.deadline,
        onRetry: (error, ms) => context.log(`${error.message} Trying again in ${(ms / 1000).toFixed(1)}s.`)
      })
      // A renewal (the token expired in a long wait) is one login under the call's own signal.
      return new MintedToken(Promise.resolve(first), login)
    })
  }
  const secrets = [auth.kind === 'token' ? auth.token : undefined, auth.kind === 'login' ? auth.password : undefined]
  return new AirflowTarget(resolved, new AirflowApi(base, bearer, secrets, context.clock, context.log), context.log)
}
