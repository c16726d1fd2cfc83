/** The sagemaker target needs no login: each request is signed with the job's AWS credentials (masked at resolve). */
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { SageMakerApi } from './sagemaker-api.js'
import { SageMakerTarget } from './sagemaker-target.js'
import type { ResolvedSageMaker } from './resolve.js'

export function connectSageMaker(resolved: ResolvedSageMaker, context: ConnectContext): Promise<Target> {
  return Promise.resolve(new SageMakerTarget(resolved, new SageMakerApi(resolved, context.clock), context.log))
}
