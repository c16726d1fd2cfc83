/** The prefect target: a deployment on a Prefect 3 server or Prefect Cloud. */
import type { TargetModule } from '../module.js'
import { prefectInputs, type PrefectInputs } from './inputs.js'
import { resolvePrefect, type ResolvedPrefect } from './resolve.js'
import { schema, type Config } from './schema.js'

export const prefect: TargetModule<'prefect', Config, ResolvedPrefect, PrefectInputs> = {
  type: 'prefect',
  schema,
  inputs: prefectInputs,
  defaultMaxParallel: 4,
  resolve: resolvePrefect,
  connect: async (resolved, context) => (await import('./connect.js')).connectPrefect(resolved, context)
}
