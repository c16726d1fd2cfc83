/** The sagemaker target's config-file keys (no action inputs of its own: the config file is the way). */
import { z } from 'zod'
import { maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z
      .literal('sagemaker')
      .describe('Starts an Amazon SageMaker Pipelines execution, signed with the AWS credentials of the job.'),
    pipeline: z
      .string()
      .regex(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/, {
        message: 'a SageMaker pipeline name is letters, digits and hyphens, starting with a letter or digit'
      })
      .optional()
      .describe("The SageMaker pipeline's name. Default: the pipeline's name on the target."),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { message: 'an AWS region, e.g. us-east-1' })
      .optional()
      .describe(
        'The AWS region of the pipeline, e.g. eu-west-1. Default: AWS_REGION, else AWS_DEFAULT_REGION (aws-actions/configure-aws-credentials sets both from aws-region).'
      ),
    'role-arn': z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/?[a-zA-Z_0-9+=,.@\-/]+$/, { message: 'an IAM role ARN' })
      .optional()
      .describe(
        "The IAM role the execution runs as (StartPipelineExecution's RoleArn). Default: the role the pipeline was created with."
      ),
    'display-name': z
      .string()
      .min(1)
      .optional()
      .describe(
        "The execution's display name, a template with {pipeline}, {run_name} and {idempotency_key} (default {run_name}); characters SageMaker does not take become -, and it is cut to 82."
      ),
    endpoint: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The SageMaker API endpoint (default https://api.sagemaker.<region>.amazonaws.com): a VPC interface endpoint's DNS name, say. https; http only on loopback. The credentials are sent only there."
      ),
    'cancel-on-timeout': z
      .boolean()
      .optional()
      .describe(
        'Stop the execution (StopPipelineExecution) when timeout runs out (default: the cancel-on-timeout input).'
      ),
    'max-parallel': maxParallel
  })
  .describe(
    "Starts a SageMaker Pipelines execution with the job's AWS credentials (OIDC through aws-actions/configure-aws-credentials) and reads its training steps' final metrics."
  )

export type Config = z.infer<typeof schema>
