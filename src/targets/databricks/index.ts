/** The databricks target: a Databricks job run through the Jobs API 2.2. */
import type { TargetModule } from '../module.js'
import { databricksInputs, type DatabricksInputs } from './inputs.js'
import { resolveDatabricks, type ResolvedDatabricks } from './resolve.js'
import { schema, type Config } from './schema.js'

export const databricks: TargetModule<'databricks', Config, ResolvedDatabricks, DatabricksInputs> = {
  type: 'databricks',
  schema,
  inputs: databricksInputs,
  defaultMaxParallel: 4,
  resolve: resolveDatabricks,
  connect: async (resolved, context) => (await import('./connect.js')).connectDatabricks(resolved, context)
}
