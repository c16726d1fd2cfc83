/** The prefect target's config-file keys (no action inputs of its own: the config file is the way). */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('prefect').describe('Runs a Prefect 3 deployment (a self-hosted server or Prefect Cloud).'),
    url: z
      .string()
      .min(1)
      .describe(
        "The API root: a self-hosted server's .../api (e.g. https://prefect.example.com/api), or the Prefect Cloud workspace URL https://api.prefect.cloud/api/accounts/<account id>/workspaces/<workspace id>. https; http only on loopback."
      ),
    deployment: z
      .string()
      .regex(/^[^/]+\/[^/]+$/, { message: 'write flow/deployment, e.g. train/nightly' })
      .optional()
      .describe(
        "The deployment as flow/deployment (e.g. train/nightly). Default: the pipeline's name on the target, when it is written flow/deployment."
      ),
    'api-key': envRef
      .optional()
      .describe('env:NAME with a Prefect Cloud API key, sent as a Bearer token. Not with auth-string.'),
    'auth-string': envRef
      .optional()
      .describe(
        "env:NAME with a self-hosted server's user:password (its PREFECT_SERVER_API_AUTH_STRING), sent as HTTP Basic. Not with api-key."
      ),
    'metrics-artifact': z
      .string()
      .regex(/^[a-z0-9-]+$/, { message: 'an artifact key is lowercase letters, digits and dashes' })
      .optional()
      .describe(
        "The key of the run's artifact with its metrics (default metrics): a table artifact (its first row) or one whose data is a JSON object."
      ),
    'work-queue': z
      .string()
      .min(1)
      .optional()
      .describe(
        "The work queue of the deployment's work pool to send runs to (default: the deployment's own). Checked before any run starts: the pool has it, it is not paused, and a worker polls it. A flow.serve() deployment has no work pool, so no work queue."
      ),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe('Cancel the flow run when timeout runs out (default: the cancel-on-timeout input).'),
    'max-parallel': maxParallel
  })
  .refine((target) => !(target['api-key'] && target['auth-string']), {
    message: 'give api-key (Prefect Cloud, Bearer) or auth-string (self-hosted, HTTP Basic), not both',
    path: ['auth-string']
  })
  .describe('Runs a deployment on a Prefect 3 server or Prefect Cloud, and reads its metrics from an artifact.')

export type Config = z.infer<typeof schema>
