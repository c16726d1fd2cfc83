/** The prefect target resolved: the API root, its credentials, the deployment, the metrics artifact. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSafe, secretFromEnv, type ResolveContext } from '../resolve-context.js'
import type { PrefectInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedPrefect extends ResolvedCommon<'prefect'> {
  /** The API root without a trailing slash: a server's …/api or a Cloud workspace URL. */
  url: string
  /** The Authorization header's value, when the server needs one (Bearer key or Basic user:password). */
  authorization?: string
  /** The raw secrets, for redacting a server's words in every encoding. */
  secrets: string[]
  /** flow/deployment for every pipeline of the target; else the pipeline's own name. */
  deployment?: string
  metricsArtifact: string
  workQueue?: string
  cancelOnTimeout: boolean
}

export function resolvePrefect(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<PrefectInputs>
): ResolvedPrefect {
  const url = checkUrl(config.url, `Target ${name} url`)
  // Every call is url + path: a query or fragment (even an empty one, "…/api?") would carry the path after its ? or #.
  if (/[?#]/.test(url.href))
    throw new UserError(
      `Target ${name} url: ${JSON.stringify(config.url)} has a query or fragment. Fix: the API root only, e.g. https://prefect.example.com/api or https://api.prefect.cloud/api/accounts/<account id>/workspaces/<workspace id>.`
    )
  if (config['api-key'] && config['auth-string'])
    throw new UserError(
      `Target ${name}: both api-key and auth-string are set. Fix: api-key for Prefect Cloud (Bearer), auth-string for a self-hosted server with PREFECT_SERVER_API_AUTH_STRING (HTTP Basic); keep one.`
    )
  const apiKey = headerSafe(name, 'api-key', secretFromEnv(name, 'api-key', config['api-key'], secrets))
  const authString = headerSafe(name, 'auth-string', secretFromEnv(name, 'auth-string', config['auth-string'], secrets))
  if (authString !== undefined && !authString.includes(':'))
    throw new UserError(
      `Target ${name}: auth-string (${config['auth-string']}) holds no ":" (${authString.length} characters); Prefect's auth string is user:password. Fix: store the server's PREFECT_SERVER_API_AUTH_STRING value as it is.`
    )
  const authorization = apiKey
    ? `Bearer ${apiKey}`
    : authString
      ? `Basic ${Buffer.from(authString, 'utf8').toString('base64')}`
      : undefined
  return {
    type: 'prefect',
    name,
    maxParallel,
    url: url.href.replace(/\/+$/, ''),
    ...(authorization ? { authorization } : {}),
    secrets: [apiKey, authString, authorization].filter((secret): secret is string => secret !== undefined),
    ...(config.deployment ? { deployment: config.deployment } : {}),
    metricsArtifact: config['metrics-artifact'] ?? 'metrics',
    ...(config['work-queue'] ? { workQueue: config['work-queue'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
