/** The dagster target resolved: the webserver, its token, the job's selector and where the parameters go. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, type ResolveContext } from '../resolve-context.js'
import type { DagsterInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedDagster extends ResolvedCommon<'dagster'> {
  /** The webserver's base URL, without a trailing slash: GraphQL at <base>/graphql, a run's page at <base>/runs/<id>. */
  base: string
  /** Dagster+ only (masked). */
  apiToken?: string
  /** Dagster+ only: sent as Dagster-Cloud-Deployment; also the last segment of base. */
  deployment?: string
  location: string
  repository: string
  /** Undefined: the pipeline's name is the job's. */
  job?: string
  op?: string
  runConfig?: Record<string, unknown>
  cancelOnTimeout: boolean
}

export function resolveDagster(name: string, config: Config, context: ResolveContext<DagsterInputs>): ResolvedDagster {
  const { inputs, secrets, maxParallel } = context
  const url = checkUrl(config.url, `Target ${name} url`)
  // <url>/graphql is appended: after a ? or # it would be part of the query, not the path. The href,
  // not search/hash: those are '' for a bare trailing ? or #, which the href keeps.
  if (/[?#]/.test(url.href))
    throw new UserError(
      `Target ${name} url: ${JSON.stringify(config.url)} has a query or fragment. Fix: the webserver's base URL only, e.g. http://127.0.0.1:3000 or https://<org>.dagster.cloud/<deployment>.`
    )
  const apiToken = headerSecret(name, 'api-token', config['api-token'], undefined, secrets)
  const base = deploymentBase(name, url, config.deployment, apiToken)
  return {
    type: 'dagster',
    name,
    maxParallel,
    base,
    ...(apiToken ? { apiToken } : {}),
    ...(config.deployment ? { deployment: config.deployment } : {}),
    location: config.location,
    repository: config.repository ?? '__repository__',
    ...(config.job ? { job: config.job } : {}),
    ...(config.op ? { op: config.op } : {}),
    ...(config['run-config'] ? { runConfig: config['run-config'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}

/**
 * The base URL, GraphQL at <base>/graphql and a run's page at <base>/runs/<id>. Dagster+ serves a
 * deployment under https://<org>.dagster.cloud/<deployment>: with `deployment`, url is the
 * organization's (the deployment is appended) or already ends in that deployment.
 */
function deploymentBase(name: string, url: URL, deployment: string | undefined, apiToken: string | undefined): string {
  const base = url.href.replace(/\/+$/, '')
  if (!deployment) return base
  if (!apiToken)
    throw new UserError(
      `Target ${name}: deployment: ${deployment} is for Dagster+, which wants a token. Fix: set api-token: env:NAME (a Dagster+ user or agent token), or drop deployment for an OSS webserver.`
    )
  const path = url.pathname.replace(/\/+$/, '')
  if (path === '') return `${base}/${deployment}`
  if (path === `/${deployment}`) return base
  throw new UserError(
    `Target ${name}: url ${JSON.stringify(url.href)} has the path ${path}, but deployment is ${deployment}. Fix: url is the organization's (https://<org>.dagster.cloud) or ends in /${deployment}.`
  )
}
