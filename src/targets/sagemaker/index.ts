/** The sagemaker target: an Amazon SageMaker Pipelines execution. Its code and the AWS signer load only when it is used. */
import type { TargetModule } from '../module.js'
import { sagemakerInputs, type SageMakerInputs } from './inputs.js'
import { resolveSageMaker, type ResolvedSageMaker } from './resolve.js'
import { schema, type Config } from './schema.js'

export const sagemaker: TargetModule<'sagemaker', Config, ResolvedSageMaker, SageMakerInputs> = {
  type: 'sagemaker',
  schema,
  inputs: sagemakerInputs,
  defaultMaxParallel: 4,
  resolve: resolveSageMaker,
  connect: async (resolved, context) => (await import('./connect.js')).connectSageMaker(resolved, context)
}
