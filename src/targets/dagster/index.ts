/** The dagster target: a job launched through a Dagster webserver's GraphQL API (OSS or Dagster+). */
import type { TargetModule } from '../module.js'
import { dagsterInputs, type DagsterInputs } from './inputs.js'
import { resolveDagster, type ResolvedDagster } from './resolve.js'
import { schema, type Config } from './schema.js'

export const dagster: TargetModule<'dagster', Config, ResolvedDagster, DagsterInputs> = {
  type: 'dagster',
  schema,
  inputs: dagsterInputs,
  defaultMaxParallel: 4,
  resolve: resolveDagster,
  connect: async (resolved, context) => (await import('./connect.js')).connectDagster(resolved, context)
}
