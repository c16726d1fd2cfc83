/**
 * The sagemaker target resolved: the region, the endpoint, and the AWS credentials the job has in
 * its environment, as aws-actions/configure-aws-credentials leaves them (an OIDC role's temporary
 * credentials), each masked at once. No I/O.
 */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSafe, type ResolveContext } from '../resolve-context.js'
import type { SageMakerInputs } from './inputs.js'
import type { Config } from './schema.js'
import type { AwsCredentials } from './sigv4.js'

export interface ResolvedSageMaker extends ResolvedCommon<'sagemaker'> {
  region: string
  /** The API's origin, e.g. https://api.sagemaker.us-east-1.amazonaws.com: the only place the credentials go. */
  endpoint: string
  credentials: AwsCredentials
  /** undefined: each pipeline's own name. */
  pipeline?: string
  roleArn?: string
  displayName: string
  cancelOnTimeout: boolean
}

/** What configure-aws-credentials sets, OIDC included; the fix when it is missing. */
const CREDENTIALS_FIX =
  'add a step before this one, uses: aws-actions/configure-aws-credentials with role-to-assume: <the IAM role ARN> and aws-region, and give the job permissions: id-token: write, so GitHub OIDC gives it short-lived credentials (no long-lived key in a secret).'

export function resolveSageMaker(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<SageMakerInputs>
): ResolvedSageMaker {
  const env = (key: string) => (Object.hasOwn(secrets.env, key) ? secrets.env[key] : undefined) || undefined
  const accessKeyId = env('AWS_ACCESS_KEY_ID')
  const secretAccessKey = env('AWS_SECRET_ACCESS_KEY')
  const sessionToken = env('AWS_SESSION_TOKEN')
  // Masked first, before anything could print them; the key id too (it names the account's credential).
  for (const secret of [accessKeyId, secretAccessKey, sessionToken]) if (secret) secrets.mask(secret)
  if (!accessKeyId || !secretAccessKey)
    throw new UserError(
      `Target ${name}: no AWS credentials in the environment (${[!accessKeyId && 'AWS_ACCESS_KEY_ID', !secretAccessKey && 'AWS_SECRET_ACCESS_KEY'].filter(Boolean).join(' and ')} empty). Fix: ${CREDENTIALS_FIX}`
    )
  const region = config.region ?? env('AWS_REGION') ?? env('AWS_DEFAULT_REGION')
  if (!region)
    throw new UserError(
      `Target ${name}: no AWS region: the config has no region key, and AWS_REGION and AWS_DEFAULT_REGION are empty. Fix: set region on target ${name}, or aws-region on aws-actions/configure-aws-credentials.`
    )
  if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))
    throw new UserError(
      `Target ${name}: ${JSON.stringify(region)} (from ${config.region ? 'region' : 'AWS_REGION or AWS_DEFAULT_REGION'}) is not an AWS region. Fix: e.g. us-east-1.`
    )
  const domain = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com'
  const url = checkUrl(config.endpoint ?? `https://api.sagemaker.${region}.${domain}`, `Target ${name} endpoint`)
  if (url.pathname !== '/' || url.href.includes('?') || url.href.includes('#'))
    throw new UserError(
      `Target ${name} endpoint: ${JSON.stringify(config.endpoint)} has a path, query or fragment; SageMaker's API is POST / on its host. Fix: the endpoint's origin only, e.g. https://api.sagemaker.${region}.${domain}.`
    )
  return {
    type: 'sagemaker',
    name,
    maxParallel,
    region,
    endpoint: url.origin,
    credentials: {
      accessKeyId: headerSafe(name, 'AWS_ACCESS_KEY_ID', accessKeyId)!,
      secretAccessKey,
      ...(sessionToken ? { sessionToken: headerSafe(name, 'AWS_SESSION_TOKEN', sessionToken)! } : {})
    },
    ...(config.pipeline ? { pipeline: config.pipeline } : {}),
    ...(config['role-arn'] ? { roleArn: config['role-arn'] } : {}),
    displayName: config['display-name'] ?? '{run_name}',
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
