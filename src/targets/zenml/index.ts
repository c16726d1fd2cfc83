/** The zenml target: a snapshot (≥0.90) or run template (0.63–0.85) run through the server's REST API. */
import type { TargetModule } from '../module.js'
import { zenmlInputs, type ZenmlInputs } from './inputs.js'
import { resolveZenml, type ResolvedZenml } from './resolve.js'
import { schema, type Config } from './schema.js'

export const zenml: TargetModule<'zenml', Config, ResolvedZenml, ZenmlInputs> = {
  type: 'zenml',
  schema,
  inputs: zenmlInputs,
  defaultMaxParallel: 4,
  resolve: resolveZenml,
  connect: async (resolved, context) => (await import('./connect.js')).connectZenml(resolved, context)
}
