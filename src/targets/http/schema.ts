/** The http target's config-file keys. */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('http').describe('POSTs a signed JSON trigger to a URL.'),
    url: z
      .string()
      .min(1)
      .optional()
      .describe('The trigger URL (https; http only on loopback). Default: the http-url input.'),
    preset: z
      .enum(['zenml-deployment'])
      .optional()
      .describe('zenml-deployment: POST <url>/invoke with {parameters, run_name} and a Bearer key.'),
    'api-key': envRef.optional().describe('env:NAME with the API key. Default: the api-key input.'),
    'api-key-header': z
      .string()
      .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, {
        message: "a header name is one token of letters, digits and !#$%&'*+.^_`|~- (no spaces), e.g. X-API-Key"
      })
      .optional()
      .describe('The header for the key (default X-API-Key; Authorization means Bearer).'),
    'signing-secret': envRef.optional().describe('env:NAME with the HMAC secret. Default: the signing-secret input.'),
    body: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Body template; "{parameters}" alone is the parameters object.'),
    'allow-insecure-http': z
      .boolean()
      .optional()
      .describe('Allow http:// to a host that is not loopback (the key would travel in clear text).'),
    'status-url-field': z
      .string()
      .min(1)
      .optional()
      .describe('The reply field with the status URL of a 202 (default status_url; the Location header wins).'),
    'status-url': z
      .string()
      .min(1)
      .optional()
      .describe(
        "Where a run's status is read by its id, e.g. https://api.example.com/runs/{run_id} ({run_id} is filled in, URI-encoded): lets a later pass (reconcile, a callback, a re-run of the job) follow a run, and is used after a 202 that gives no status URL. Same origin as url, so the key goes nowhere else."
      ),
    'run-id-field': z.string().min(1).optional().describe('The reply field with the run id (default run_id, then id).'),
    'run-url-field': z.string().min(1).optional().describe('The reply field with the run URL (default run_url).'),
    'metrics-field': z
      .string()
      .min(1)
      .optional()
      .describe("The field of the final reply with the run's metrics, an object (default metrics)."),
    'max-parallel': maxParallel
  })
  .describe('Calls a trigger API, a Lambda behind API Gateway, or a ZenML pipeline deployment.')

export type Config = z.infer<typeof schema>
