/** The kubeflow target resolved: the endpoint, its token, the pipeline (and version, experiment) the runs use. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ResolvedCommon } from '../module.js'
import { headerSecret, type ResolveContext } from '../resolve-context.js'
import type { KubeflowInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedKubeflow extends ResolvedCommon<'kubeflow'> {
  /** The endpoint without a trailing slash; the API is at ${base}/apis/v2beta1, a run's page at ${base}/#/runs/details/<id>. */
  base: string
  token?: string
  /** undefined: each pipeline's own name. */
  pipeline?: string
  pipelineVersion?: string
  experiment?: string
  namespace?: string
  serviceAccount?: string
  pipelineRoot?: string
  cancelOnTimeout: boolean
}

export function resolveKubeflow(
  name: string,
  config: Config,
  { inputs, secrets, maxParallel }: ResolveContext<KubeflowInputs>
): ResolvedKubeflow {
  const url = checkUrl(config.url, `Target ${name} url`)
  // Every call is url + path: a query or fragment (even an empty one, "…/pipeline/#/") would carry the path after it.
  if (/[?#]/.test(url.href))
    throw new UserError(
      `Target ${name} url: ${JSON.stringify(config.url)} has a query or fragment (${url.href.includes('?') ? '?' : '#'}), so /apis/v2beta1 could not be added to it. Fix: the address before the #, e.g. https://kubeflow.example.com/pipeline.`
    )
  const token = headerSecret(name, 'token', config.token, undefined, secrets)
  return {
    type: 'kubeflow',
    name,
    maxParallel,
    base: url.href.replace(/\/+$/, ''),
    ...(token ? { token } : {}),
    ...(config.pipeline ? { pipeline: config.pipeline } : {}),
    ...(config['pipeline-version'] ? { pipelineVersion: config['pipeline-version'] } : {}),
    ...(config.experiment ? { experiment: config.experiment } : {}),
    ...(config.namespace ? { namespace: config.namespace } : {}),
    ...(config['service-account'] ? { serviceAccount: config['service-account'] } : {}),
    ...(config['pipeline-root'] ? { pipelineRoot: config['pipeline-root'] } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
