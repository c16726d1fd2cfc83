/** The http target resolved: the URL (a ZenML deployment's /invoke), the key and its header, the body, the reply fields. */
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
  return {
    type: 'http',
    name,
    maxParallel,
    url: preset === 'zenml-deployment' ? new URL(`${base.href.replace(/\/+$/, '')}/invoke`) : base,
    ...(preset ? { preset } : {}),
    ...(apiKey ? { apiKey } : {}),
    apiKeyHeader,
    ...(signingSecret ? { signingSecret } : {}),
    body: config.body ?? http.body ?? (preset === 'zenml-deployment' ? DEPLOYMENT_BODY : DEFAULT_BODY),
    allowInsecureHttp,
    statusUrlField: config['status-url-field'] ?? http.statusUrlField,
    ...(config['run-id-field'] ? { runIdField: config['run-id-field'] } : {}),
    ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {}),
    metricsField: config['metrics-field'] ?? 'metrics'
  }
}
