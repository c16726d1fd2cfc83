/** The kubeflow target needs no login: each request carries the bearer token resolve read (and masked). */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { KubeflowApi } from './kubeflow-api.js'
import { KubeflowTarget } from './kubeflow-target.js'
import type { ResolvedKubeflow } from './resolve.js'

export function connectKubeflow(resolved: ResolvedKubeflow, context: ConnectContext): Promise<Target> {
  return Promise.resolve(new KubeflowTarget(resolved, new KubeflowApi(resolved, context.clock), context.log))
}
