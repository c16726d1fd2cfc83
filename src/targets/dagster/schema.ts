/** The dagster target's config-file keys. */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('dagster').describe("Launches a Dagster job through the webserver's GraphQL API."),
    url: z
      .string()
      .min(1)
      .describe(
        'The webserver (https; http only on loopback): http://127.0.0.1:3000 for dagster dev, https://<org>.dagster.cloud/<deployment> for Dagster+. GraphQL is at <url>/graphql.'
      ),
    'api-token': envRef
      .optional()
      .describe('Dagster+: env:NAME with a user or agent token, sent as Dagster-Cloud-Api-Token. None for OSS.'),
    deployment: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'a deployment name: letters, digits, - and _')
      .optional()
      .describe(
        'Dagster+: the deployment (prod), sent as Dagster-Cloud-Deployment; url is then https://<org>.dagster.cloud (or already ends in /<deployment>). Needs api-token.'
      ),
    location: z
      .string()
      .min(1)
      .describe(
        'The code location: with dagster dev -f <file>, the file name (train_job.py); else its workspace name.'
      ),
    repository: z
      .string()
      .min(1)
      .optional()
      .describe('The repository in the location (default __repository__, what a Definitions object is).'),
    job: z.string().min(1).optional().describe("The job to launch (default: the pipeline's name)."),
    op: z
      .string()
      .min(1)
      .optional()
      .describe('The op whose config takes the parameters: they become ops.<op>.config.<name> in the run config.'),
    'run-config': z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'A run config template; a value "{parameters}" is replaced by the parameters object, strings may use {pipeline} {run_name} {idempotency_key}. E.g. {ops: {train: {config: "{parameters}"}}, execution: {config: {in_process: {}}}}.'
      ),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe('Terminate the run when timeout runs out. Default: the cancel-on-timeout input.'),
    'max-parallel': maxParallel
  })
  .describe(
    'Launches a job on a Dagster webserver (OSS dagster dev or dagster-webserver, or Dagster+) through its GraphQL API.'
  )

export type Config = z.infer<typeof schema>
