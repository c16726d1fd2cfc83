/** The vertex target needs no login: each request carries the access token resolve read (and masked). */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import type { ResolvedVertex } from './resolve.js'
import { VertexApi } from './vertex-api.js'
import { VertexTarget } from './vertex-target.js'

export function connectVertex(resolved: ResolvedVertex, context: ConnectContext): Promise<Target> {
  return Promise.resolve(new VertexTarget(resolved, new VertexApi(resolved, context.clock), context.provenance))
}
