/** The kubeflow target: a Kubeflow Pipelines v2 run through the REST API v2beta1. */
import type { TargetModule } from '../module.js'
import { kubeflowInputs, type KubeflowInputs } from './inputs.js'
import { resolveKubeflow, type ResolvedKubeflow } from './resolve.js'
import { schema, type Config } from './schema.js'

export const kubeflow: TargetModule<'kubeflow', Config, ResolvedKubeflow, KubeflowInputs> = {
  type: 'kubeflow',
  schema,
  inputs: kubeflowInputs,
  defaultMaxParallel: 4,
  resolve: resolveKubeflow,
  connect: async (resolved, context) => (await import('./connect.js')).connectKubeflow(resolved, context)
}
