/** The airflow target resolved: the server, the DAG, how to log in, where the metrics are. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, secretFromEnv, type ResolveContext } from '../resolve-context.js'
import type { AirflowInputs } from './inputs.js'
import type { Config } from './schema.js'

export type AirflowAuth =
  { kind: 'token'; token: string } | { kind: 'login'; username: string; password: string } | { kind: 'none' }

export interface ResolvedAirflow extends ResolvedCommon<'airflow'> {
  /** The web server's base URL without a trailing slash (a path prefix, as Astronomer's, kept). */
  base: string
  /** undefined: each pipeline's own name. */
  dag?: string
  auth: AirflowAuth
  metricsTask?: string
  metricsKey: string
  unpause: boolean
  cancelOnTimeout: boolean
}

export function resolveAirflow(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<AirflowInputs>
): ResolvedAirflow {
  const url = checkUrl(config.url, `Target ${name} url`)
  // The API paths are appended to the URL as text, so even an empty query or fragment (a bare `?`
  // or `#`, which URL.search and URL.hash report as '') would swallow them: refused, never dropped.
  if (url.href.includes('?') || url.href.includes('#'))
    throw new UserError(
      `Target ${name} url: ${JSON.stringify(config.url)} has a query or fragment (${url.href.includes('?') ? '?' : '#'}), so /api/v2 could not be added to it. Fix: the web server's base URL only, without ? or #, e.g. https://airflow.example.com.`
    )
  if (config.token && (config.username || config.password))
    throw new UserError(
      `Target ${name}: both token and username/password are set. Fix: keep token (a platform's bearer token) or username + password (a token minted at /auth/token), not both.`
    )
  if (Boolean(config.username) !== Boolean(config.password))
    throw new UserError(
      `Target ${name}: ${config.username ? 'username without password' : 'password without username'}. Fix: set both, password as env:NAME.`
    )
  const token = headerSecret(name, 'token', config.token, undefined, secrets)
  const password = secretFromEnv(name, 'password', config.password, secrets)
  const auth: AirflowAuth = token
    ? { kind: 'token', token }
    : config.username && password
      ? { kind: 'login', username: config.username, password }
      : { kind: 'none' }
  return {
    type: 'airflow',
    name,
    maxParallel,
    base: url.href.replace(/\/+$/, ''),
    ...(config.dag ? { dag: config.dag } : {}),
    auth,
    ...(config['metrics-task'] ? { metricsTask: config['metrics-task'] } : {}),
    metricsKey: config['metrics-key'] ?? 'return_value',
    unpause: config.unpause ?? false,
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
