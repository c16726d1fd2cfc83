/** The command target: the pipeline runs inside the runner with a ZenML YAML run config. */
import type { TargetModule } from '../module.js'
import { commandInputs, type CommandInputs } from './inputs.js'
import { resolveCommand, type ResolvedCommand } from './resolve.js'
import { schema, type Config } from './schema.js'

export const command: TargetModule<'command', Config, ResolvedCommand, CommandInputs> = {
  type: 'command',
  schema,
  inputs: commandInputs,
  // The pipeline runs on the runner's own CPUs.
  defaultMaxParallel: 1,
  resolve: resolveCommand,
  connect: async (resolved, context) => (await import('./connect.js')).connectCommand(resolved, context)
}
