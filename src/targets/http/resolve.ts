/** The http target resolved: the URL (a ZenML deployment's /invoke), the key and its header, the body, the reply fields. */
import { renderTemplate } from '../../core/placeholders.js'
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, secretFromEnv, type ResolveContext } from '../resolve-context.js'
import type { HttpInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedHttp extends ResolvedCommon<'http'> {
  url: URL
  preset?: 'zenml-deployment'
  apiKey?: string
  apiKeyHeader: string
  signingSecret?: string
  /** Body template: strings may use {pipeline} {run_name} {idempotency_key}; "{parameters}" alone is the parameters object. */
  body: Record<string, unknown>
  allowInsecureHttp: boolean
  statusUrlField: string
  /** Where a run's status is read by its id: a URL template with {run_id}, on the trigger URL's origin. */
  statusUrl?: string
  runIdField?: string
  runUrlField?: string
  /** The field of the final reply (the synchronous answer, or the last status) with the run's metrics. */
  metricsField: string
}

const DEFAULT_BODY = { pipeline_name: '{pipeline}', parameters: '{parameters}' }
const DEPLOYMENT_BODY = { parameters: '{parameters}', run_name: '{run_name}' }
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

export function resolveHttp(
  name: string,
  config: Config,
  { inputs: http, secrets, maxParallel }: ResolveContext<HttpInputs>
): ResolvedHttp {
  const rawUrl = config.url ?? http.url
  if (!rawUrl) throw new UserError(`Target ${name}: no URL. Set url in its config, or the http-url input.`)
  const allowInsecureHttp = config['allow-insecure-http'] ?? http.allowInsecureHttp
  const base = checkUrl(rawUrl, config.url ? `Target ${name} url` : 'http-url', allowInsecureHttp)
  const preset = config.preset ?? http.preset
  const apiKey = headerSecret(name, 'api-key', config['api-key'], http.apiKey, secrets)
  const signingSecret =
    secretFromEnv(name, 'signing-secret', config['signing-secret'], secrets) ?? (http.signingSecret || undefined)
  const apiKeyHeader = config['api-key-header'] ?? (preset === 'zenml-deployment' ? 'Authorization' : http.apiKeyHeader)
  if (!HEADER_NAME.test(apiKeyHeader)) {
    throw new UserError(
      `Input api-key-header: ${JSON.stringify(apiKeyHeader)} is not a header name. Fix: one token of letters, digits and !#$%&'*+.^_\`|~- (no spaces), e.g. X-API-Key.`
    )
  }
  const url = preset === 'zenml-deployment' ? new URL(`${base.href.replace(/\/+$/, '')}/invoke`) : base
  // A config key only (the file's, or the target-config input's): the http inputs give none, so a later pass cannot follow their runs.
  const statusUrl = config['status-url']
  if (statusUrl) checkStatusUrl(statusUrl, `Target ${name} status-url`, url, allowInsecureHttp)
  return {
    type: 'http',
    name,
    maxParallel,
    url,
    ...(preset ? { preset } : {}),
    ...(apiKey ? { apiKey } : {}),
    apiKeyHeader,
    ...(signingSecret ? { signingSecret } : {}),
    body: config.body ?? http.body ?? (preset === 'zenml-deployment' ? DEPLOYMENT_BODY : DEFAULT_BODY),
    allowInsecureHttp,
    statusUrlField: config['status-url-field'] ?? http.statusUrlField,
    ...(statusUrl ? { statusUrl } : {}),
    ...(config['run-id-field'] ? { runIdField: config['run-id-field'] } : {}),
    ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {}),
    metricsField: config['metrics-field'] ?? 'metrics'
  }
}

/**
 * The status URL template: {run_id} and no other placeholder, after the host (the run's id may
 * choose the path or the query, never where the request goes), https except loopback, and on the
 * trigger URL's origin: the key goes only there, so a status URL elsewhere is refused, not asked
 * without it.
 */
function checkStatusUrl(template: string, where: string, trigger: URL, allowInsecureHttp: boolean): void {
  const fill = (runId: string) => renderTemplate(template, { run_id: runId }, where)
  const literal = fill('{run_id}')
  const example = `${trigger.origin}/runs/{run_id}`
  if (fill('') === literal)
    throw new UserError(
      `${where}: ${JSON.stringify(template)} has no {run_id}, so it cannot name a run. Fix: put {run_id} where the run's id goes, e.g. ${example}.`
    )
  const origins = ['run-a', 'run-b'].map((id) => (URL.canParse(fill(id)) ? new URL(fill(id)).origin : undefined))
  if (origins[0] !== origins[1])
    throw new UserError(
      `${where}: ${JSON.stringify(template)} puts {run_id} in the host; the run's id may choose the path or the query, never where the key goes. Fix: e.g. ${example}.`
    )
  const url = checkUrl(literal, where, allowInsecureHttp)
  if (url.origin !== trigger.origin)
    throw new UserError(
      `${where}: ${JSON.stringify(template)} is on ${url.origin}, another origin than the trigger URL (${trigger.origin}). The action sends the key only to the trigger URL's origin, so it would not ask there. Fix: serve the run's status on ${trigger.origin}, e.g. ${example}.`
    )
}
