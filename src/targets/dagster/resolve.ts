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
  const base = url.href.replace(/\/+$/, '')
  const apiToken = headerSecret(name, 'api-token', config['api-token'], undefined, secrets)
  return {
    type: 'dagster',
    name,
    maxParallel,
    base,
    ...(apiToken ? { apiToken } : {}),
    location: config.location,
    repository: config.repository ?? '__repository__',
    ...(config.job ? { job: config.job } : {}),
    ...(config.op ? { op: config.op } : {}),
    ...(config['run-config'] ? { runConfig: config['run-config'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
