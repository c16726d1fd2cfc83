/** The vertex target resolved: the project, region and endpoint, the access token, the template, the run settings. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, type ResolveContext } from '../resolve-context.js'
import type { VertexInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedVertex extends ResolvedCommon<'vertex'> {
  project: string
  location: string
  /** The API's origin (and path prefix, if any) without a trailing slash; v1/… is added. */
  endpoint: string
  /** The OAuth 2 access token (masked when read), sent as Bearer only to endpoint. */
  token: string
  /** undefined: each pipeline's own name, which must then be a template URL. */
  templateUri?: string
  pipelineRoot: string
  serviceAccount?: string
  cancelOnTimeout: boolean
}

/**
 * A template the API downloads itself: Artifact Registry's KFP URL. The API's templateUri takes only
 * that ("Currently, only uri from Vertex Template Registry & Gallery is supported", aiplatform.v1);
 * a gs:// or local file would have to be read and sent inline by the caller, which this action does
 * not do (it would send the token to a second host).
 */
const TEMPLATE = /^https:\/\/[a-z0-9-]+-kfp\.pkg\.dev\/[^/?#\s]+\/[^/?#\s]+\/[^/?#\s]+\/[^/?#\s]+$/

export function checkTemplateUri(uri: string, where: string): string {
  if (TEMPLATE.test(uri)) return uri
  const fix = uri.startsWith('gs://')
    ? 'Vertex AI downloads a template only from Artifact Registry: upload the compiled pipeline there (kfp.registry.RegistryClient(host="https://<region>-kfp.pkg.dev/<project>/<repository>").upload_pipeline(…)) and give its https://<region>-kfp.pkg.dev/… URL'
    : "give the compiled pipeline's Artifact Registry URL, https://<region>-kfp.pkg.dev/<project>/<repository>/<package>/<tag or sha256:…>"
  throw new UserError(`${where}: ${JSON.stringify(uri)} is not a pipeline template in Artifact Registry. Fix: ${fix}.`)
}

export function resolveVertex(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<VertexInputs>
): ResolvedVertex {
  const endpoint = checkUrl(
    config.endpoint ?? `https://${config.location}-aiplatform.googleapis.com`,
    `Target ${name} endpoint`
  )
  // Every call is endpoint + /v1/…: a query or fragment (even an empty one) would swallow the path.
  if (/[?#]/.test(endpoint.href))
    throw new UserError(
      `Target ${name} endpoint: ${JSON.stringify(config.endpoint)} has a query or fragment. Fix: the endpoint's origin only, e.g. https://us-central1-aiplatform.googleapis.com.`
    )
  const token = headerSecret(name, 'token', config.token, undefined, secrets)!
  return {
    type: 'vertex',
    name,
    maxParallel,
    project: config.project,
    location: config.location,
    endpoint: endpoint.href.replace(/\/+$/, ''),
    token,
    ...(config['template-uri']
      ? { templateUri: checkTemplateUri(config['template-uri'], `Target ${name} template-uri`) }
      : {}),
    pipelineRoot: config['pipeline-root'],
    ...(config['service-account'] ? { serviceAccount: config['service-account'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
