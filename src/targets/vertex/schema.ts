/** The vertex target's config-file keys (no action inputs of its own: the config file is the way). */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('vertex').describe('Runs a Vertex AI Pipelines job (a compiled KFP pipeline) on Google Cloud.'),
    project: z
      .string()
      .regex(/^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})$/, {
        message: 'a Google Cloud project id (6 to 30 lowercase letters, digits and -) or a project number'
      })
      .describe('The Google Cloud project id (or number) the pipeline jobs run in.'),
    location: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,40}[a-z0-9]$/, { message: 'a Vertex AI region such as us-central1 or europe-west4' })
      .describe(
        'The Vertex AI region, e.g. us-central1 or europe-west4: the jobs run there and the API is its regional endpoint.'
      ),
    'template-uri': z
      .string()
      .min(1)
      .optional()
      .describe(
        "The compiled pipeline in Artifact Registry: https://<region>-kfp.pkg.dev/<project>/<repository>/<package>/<tag or sha256:…>, which Vertex AI downloads itself. Default: the pipeline's name on the target, when it is such a URL."
      ),
    'pipeline-root': z
      .string()
      .regex(/^gs:\/\/[a-z0-9][a-z0-9._-]{1,221}[a-z0-9](\/.*)?$/, {
        message: 'a Cloud Storage path, gs://bucket/path'
      })
      .describe(
        "The job's root output directory (runtimeConfig.gcsOutputDirectory), gs://bucket/path: its artifacts go under it."
      ),
    'service-account': z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*@[a-z0-9.-]+\.[a-z]+$/, { message: 'a service account e-mail address' })
      .optional()
      .describe(
        "The service account the pipeline's steps run as (default: the project's Compute Engine default service account). The caller needs roles/iam.serviceAccountUser on it."
      ),
    token: envRef.describe(
      'env:NAME with an OAuth 2 access token for the cloud-platform scope, e.g. the access_token output of google-github-actions/auth (token_format: access_token). Sent as a Bearer token, only to the endpoint.'
    ),
    endpoint: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The API endpoint (default https://<location>-aiplatform.googleapis.com), e.g. a Private Service Connect endpoint. https; http only on loopback.'
      ),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe('Cancel the pipeline job when timeout runs out (default: the cancel-on-timeout input).'),
    'max-parallel': maxParallel
  })
  .describe(
    'Runs a Vertex AI pipeline job from a compiled template in Artifact Registry; metrics from its tasks’ system.Metrics artifacts.'
  )

export type Config = z.infer<typeof schema>
