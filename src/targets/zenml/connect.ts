/** The zenml target, logged in to its server (one login per server and key, shared). */
import { sharedLogin } from '../../zenml/shared-login.js'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import type { ResolvedZenml } from './resolve.js'
import { ZenmlTarget } from './zenml-target.js'

export async function connectZenml(resolved: ResolvedZenml, context: ConnectContext): Promise<Target> {
  return new ZenmlTarget(resolved, await sharedLogin(resolved.server, context), context.provenance)
}
