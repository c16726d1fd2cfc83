/** The zenml target's config-file keys. */
import { z } from 'zod'
import { maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('zenml').describe('Runs a snapshot or run template through the ZenML server REST API.'),
    snapshot: z
      .string()
      .min(1)
      .optional()
      .describe('Snapshot name or id (ZenML ≥0.90); default: the newest runnable named snapshot of the pipeline.'),
    template: z.string().min(1).optional().describe('Legacy run template name or id (ZenML 0.63–0.85).'),
    stack: z.string().min(1).optional().describe('Only snapshots on this stack.'),
    url: z
      .string()
      .min(1)
      .optional()
      .describe('The server URL (https; http only on loopback). Default: the zenml-url input.'),
    project: z.string().min(1).optional().describe('The ZenML project. Default: the project input.'),
    'api-key': z
      .string()
      .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, {
        message: 'write env:NAME, the environment variable that holds the key; secrets never go in this file'
      })
      .optional()
      .describe('env:NAME: the environment variable with the service-account key. Default: the zenml-api-key input.'),
    tags: z.array(z.string().min(1)).optional().describe('Extra run tags for this target.'),
    'enable-cache': z.boolean().optional().describe("Override the snapshot's step caching."),
    'cancel-on-timeout': z.boolean().optional().describe('Stop the run when timeout runs out.'),
    'max-parallel': maxParallel
  })
  .describe(
    'Runs a snapshot or run template on a ZenML server (by default the one of the zenml-url and zenml-api-key inputs).'
  )

export type Config = z.infer<typeof schema>
