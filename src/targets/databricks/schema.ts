/** The databricks target's config-file keys. */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z
      .literal('databricks')
      .describe('Triggers a Databricks job run through the Jobs API 2.2 (run-now) and follows it.'),
    host: z
      .string()
      .min(1)
      .describe(
        'The workspace URL, as in the browser (https), e.g. https://adb-1234567890123456.7.azuredatabricks.net or https://dbc-a1b2c3d4-e5f6.cloud.databricks.com; links to runs point here.'
      ),
    endpoint: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Where the API calls and the credentials go instead of host (a private endpoint; https, http only on loopback). Default: host.'
      ),
    job: z
      .union([z.number().int().positive(), z.string().min(1)])
      .optional()
      .describe(
        "The job: its id (the number in its URL), or its exact name, looked up once per step (one job must have it). Default: the pipeline's name."
      ),
    token: envRef
      .optional()
      .describe('env:NAME with a bearer token: a personal access token, or one minted before the step. Or client-id.'),
    'client-id': z
      .string()
      .min(1)
      .optional()
      .describe(
        "A service principal's application (client) id: with client-secret (OAuth M2M), or with oidc-audience (GitHub OIDC federation)."
      ),
    'client-secret': envRef
      .optional()
      .describe("env:NAME with the service principal's OAuth secret (OAuth M2M, with client-id)."),
    'oidc-audience': z
      .string()
      .min(1)
      .optional()
      .describe(
        "GitHub OIDC federation (with client-id, and permissions id-token: write): the audience of the service principal's federation policy (by default the Databricks account id). The job's GitHub ID token is exchanged for a workspace token."
      ),
    'metrics-task': z
      .string()
      .min(1)
      .optional()
      .describe(
        "The task (its task_key) whose output holds the run's metrics: a notebook's dbutils.notebook.exit value, or the last line of a Python script or wheel task's output, a JSON object. Default: no metrics."
      ),
    'cancel-on-timeout': z.boolean().optional().describe('Cancel the job run (runs/cancel) when timeout runs out.'),
    'max-parallel': maxParallel
  })
  .describe("Triggers a Databricks job run (Jobs API 2.2) and follows it; metrics from a task run's output.")

export type Config = z.infer<typeof schema>
