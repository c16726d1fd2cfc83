/** The http target needs no login: each request carries its key. */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { HttpTarget } from './http-target.js'
import type { ResolvedHttp } from './resolve.js'

export function connectHttp(resolved: ResolvedHttp, context: ConnectContext): Promise<Target> {
  return Promise.resolve(new HttpTarget(resolved, context.clock, context.log))
}
