/** The workflow target: another GitHub Actions workflow (workflow_dispatch or repository_dispatch), followed to its end. */
import type { TargetModule } from '../module.js'
import { workflowInputs, type WorkflowInputs } from './inputs.js'
import { resolveWorkflow, type ResolvedWorkflow } from './resolve.js'
import { schema, type Config } from './schema.js'

export const workflow: TargetModule<'workflow', Config, ResolvedWorkflow, WorkflowInputs> = {
  type: 'workflow',
  schema,
  inputs: workflowInputs,
  defaultMaxParallel: 4,
  resolve: resolveWorkflow,
  connect: async (resolved, context) => (await import('./connect.js')).connectWorkflow(resolved, context)
}
