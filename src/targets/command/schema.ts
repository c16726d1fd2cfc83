/** The command target's config-file keys. */
import { z } from 'zod'
import { maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('command').describe('Runs the pipeline inside the runner.'),
    run: z.array(z.string().min(1)).min(1).describe('argv of the command, no shell: e.g. [python, run.py].'),
    'config-arg': z.string().min(1).optional().describe('The flag before the run config path (default --config).'),
    'working-directory': z.string().min(1).optional().describe('Where the command runs, relative to the workspace.'),
    'max-parallel': maxParallel
  })
  .describe('Runs the pipeline inside the runner with a ZenML YAML run config.')

export type Config = z.infer<typeof schema>
