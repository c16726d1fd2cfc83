/** The databricks target resolved: the workspace, where the API is, the job, how to log in. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, secretFromEnv, type ResolveContext } from '../resolve-context.js'
import type { DatabricksInputs } from './inputs.js'
import type { Config } from './schema.js'

export type DatabricksAuth =
  | { kind: 'token'; token: string; from: string }
  | { kind: 'm2m'; clientId: string; clientSecret: string; from: string }
  | { kind: 'github-oidc'; clientId: string; audience: string }

export interface ResolvedDatabricks extends ResolvedCommon<'databricks'> {
  /** The workspace URL (links), without a trailing slash. */
  host: string
  /** Where the API calls and credentials go: endpoint, else host; without a trailing slash. */
  api: string
  /** A job id, a job name, or undefined: each pipeline's own name. */
  job?: number | string
  auth: DatabricksAuth
  metricsTask?: string
  cancelOnTimeout: boolean
}

function base(name: string, key: string, value: string): string {
  const url = checkUrl(value, `Target ${name} ${key}`)
  // Paths are appended as text: a query, fragment or path would swallow or move them.
  if (/[?#]/.test(url.href) || url.pathname !== '/')
    throw new UserError(
      `Target ${name} ${key}: ${JSON.stringify(value)} has a path, query or fragment; the API is at <${key}>/api/2.2. Fix: the workspace URL only, e.g. https://adb-1234567890123456.7.azuredatabricks.net.`
    )
  return url.origin
}

export function resolveDatabricks(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<DatabricksInputs>
): ResolvedDatabricks {
  const host = base(name, 'host', config.host)
  const api = config.endpoint ? base(name, 'endpoint', config.endpoint) : host
  const ways = [
    config.token && 'token',
    config['client-secret'] && 'client-secret',
    config['oidc-audience'] && 'oidc-audience'
  ].filter(Boolean)
  if (ways.length !== 1)
    throw new UserError(
      `Target ${name}: ${ways.length ? `${ways.join(' and ')} are both set` : 'no credentials'}. Fix: set exactly one of token (env:NAME, a personal access token), client-id + client-secret (OAuth M2M) or client-id + oidc-audience (GitHub OIDC federation).`
    )
  if (config.token && config['client-id'])
    throw new UserError(
      `Target ${name}: both token and client-id are set. Fix: keep token (a personal access token) or client-id with client-secret or oidc-audience (a service principal), not both.`
    )
  if (!config.token && !config['client-id'])
    throw new UserError(
      `Target ${name}: ${config['client-secret'] ? 'client-secret' : 'oidc-audience'} without client-id. Fix: set client-id to the service principal's application id.`
    )
  let auth: DatabricksAuth
  if (config.token)
    auth = { kind: 'token', token: headerSecret(name, 'token', config.token, undefined, secrets)!, from: config.token }
  else if (config['client-secret'])
    auth = {
      kind: 'm2m',
      clientId: config['client-id']!,
      clientSecret: secretFromEnv(name, 'client-secret', config['client-secret'], secrets)!,
      from: config['client-secret']
    }
  else auth = { kind: 'github-oidc', clientId: config['client-id']!, audience: config['oidc-audience']! }
  return {
    type: 'databricks',
    name,
    maxParallel,
    host,
    api,
    ...(config.job !== undefined ? { job: config.job } : {}),
    auth,
    ...(config['metrics-task'] ? { metricsTask: config['metrics-task'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
