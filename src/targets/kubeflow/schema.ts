/** The kubeflow target's config-file keys (no action inputs of its own: the config file is the way). */
import { z } from 'zod'
import { envRef, maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z
      .literal('kubeflow')
      .describe('Runs a pipeline version on Kubeflow Pipelines v2 through its REST API (/apis/v2beta1).'),
    url: z
      .string()
      .min(1)
      .describe(
        "The Kubeflow Pipelines endpoint, as in the browser without the #: https://kubeflow.example.com/pipeline behind a full Kubeflow's gateway, or the ml-pipeline-ui service's address; /apis/v2beta1 is added. https; http only on loopback."
      ),
    pipeline: z
      .string()
      .min(1)
      .optional()
      .describe("The pipeline's name (or display name) or id. Default: the pipeline's name in this file."),
    'pipeline-version': z
      .string()
      .min(1)
      .optional()
      .describe("The pipeline version's name (or display name) or id. Default: the pipeline's newest version."),
    experiment: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The experiment's name or id the runs go in (it must exist). Default: the server's default experiment; multi-user Kubeflow needs one in namespace."
      ),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { message: 'a Kubernetes namespace: lowercase letters, digits and -' })
      .optional()
      .describe(
        'Multi-user Kubeflow: the profile namespace whose pipelines and experiments are looked up and whose runs are listed. Default: none (single-user mode, or shared pipelines).'
      ),
    token: envRef
      .optional()
      .describe(
        'env:NAME with the bearer token the deployment accepts (a Kubernetes service account token, an IAP or Dex ID token), sent as Authorization: Bearer to url only.'
      ),
    'service-account': z
      .string()
      .min(1)
      .optional()
      .describe("The Kubernetes service account the run's pods use. Default: the server's (pipeline-runner)."),
    'pipeline-root': z
      .string()
      .min(1)
      .optional()
      .describe("Where the run's artifacts go (gs://, s3://, minio://). Default: the pipeline's or the server's."),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe('Terminate the run when timeout runs out (default: the cancel-on-timeout input).'),
    'max-parallel': maxParallel
  })
  .describe(
    'Runs a Kubeflow Pipelines v2 pipeline version and follows it; no metrics (the v2beta1 API does not serve them).'
  )

export type Config = z.infer<typeof schema>
