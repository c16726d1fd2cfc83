/** The airflow target's config-file keys. */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z
      .literal('airflow')
      .describe('Triggers a DAG run through the Airflow 3 REST API (/api/v2; Astronomer, Cloud Composer, MWAA).'),
    url: z
      .string()
      .min(1)
      .describe(
        "The Airflow web server's base URL, as in the browser (https; http only on loopback), e.g. https://airflow.example.com; /api/v2 is added."
      ),
    dag: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { message: 'a DAG id is letters, digits, _ . and -' })
      .optional()
      .describe("The DAG id. Default: the pipeline's name."),
    token: envRef
      .optional()
      .describe('env:NAME with a bearer token from the platform (Astronomer, Composer). Or username + password.'),
    username: z.string().min(1).optional().describe('The user that mints a token at /auth/token, with password.'),
    password: envRef.optional().describe("env:NAME with username's password."),
    'metrics-task': z
      .string()
      .min(1)
      .optional()
      .describe("The task whose XCom holds the run's metrics (what it returns). Default: no metrics."),
    'metrics-key': z.string().min(1).optional().describe('The XCom key of the metrics (default return_value).'),
    unpause: z
      .boolean()
      .optional()
      .describe(
        'Unpause a paused DAG before the first run (default false: a paused DAG is refused, since its runs would wait forever).'
      ),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe('Mark the DAG run failed when timeout runs out (reported cancelled).'),
    'max-parallel': maxParallel
  })
  .describe('Triggers an Airflow 3 DAG run and follows it; metrics from an XCom entry.')

export type Config = z.infer<typeof schema>
