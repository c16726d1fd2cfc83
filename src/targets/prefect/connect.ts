/** The prefect target needs no login: each request carries its key; the derived Basic credential is masked too. */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { PrefectApi } from './prefect-api.js'
import { PrefectTarget } from './prefect-target.js'
import type { ResolvedPrefect } from './resolve.js'

export function connectPrefect(resolved: ResolvedPrefect, context: ConnectContext): Promise<Target> {
  // The credential after the scheme: masking it hides the whole header value and the bare base64 too.
  if (resolved.authorization) context.mask(resolved.authorization.replace(/^\S+ /, ''))
  return Promise.resolve(new PrefectTarget(resolved, new PrefectApi(resolved, context.clock), context.provenance))
}
