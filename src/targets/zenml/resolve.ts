/** The zenml target resolved: its server and key, the snapshot or template to run, tags and cache. */
import { UserError } from '../../errors.js'
import { checkUrl } from '../../http/url.js'
import type { ZenmlServerConfig } from '../../zenml/connection.js'
import type { ResolvedCommon } from '../module.js'
import { secretFromEnv, type ResolveContext } from '../resolve-context.js'
import type { ZenmlInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedZenml extends ResolvedCommon<'zenml'> {
  server: ZenmlServerConfig
  snapshot?: string
  template?: string
  stack?: string
  /** The user's extra tags (the action adds where the run came from). */
  tags: string[]
  enableCache?: boolean
  cancelOnTimeout: boolean
}

function zenmlServer(
  name: string,
  config: Config,
  { inputs, secrets }: ResolveContext<ZenmlInputs>
): ZenmlServerConfig {
  const url = config.url ?? inputs.url
  if (!url) throw new UserError(`Target ${name}: no ZenML server. Set url in its config, or the zenml-url input.`)
  const apiKey = secretFromEnv(name, 'api-key', config['api-key'], secrets) ?? inputs.apiKey
  if (!apiKey)
    throw new UserError(
      `Target ${name}: no API key. Pass zenml-api-key from a secret, or set api-key: env:NAME in its config.`
    )
  // One spelling per server (no trailing slash, as the command target's), so targets that share it share one login.
  const server = checkUrl(url, config.url ? `Target ${name} url` : 'Input zenml-url').href.replace(/\/+$/, '')
  return { url: server, apiKey, project: config.project ?? inputs.project }
}

export function resolveZenml(name: string, config: Config, context: ResolveContext<ZenmlInputs>): ResolvedZenml {
  const { inputs, maxParallel } = context
  const enableCache = config['enable-cache'] ?? inputs.enableCache
  return {
    type: 'zenml',
    name,
    maxParallel,
    server: zenmlServer(name, config, context),
    ...(config.snapshot ? { snapshot: config.snapshot } : {}),
    ...(config.template ? { template: config.template } : {}),
    ...(config.stack ? { stack: config.stack } : {}),
    tags: [...inputs.tags, ...(config.tags ?? [])],
    ...(enableCache !== undefined ? { enableCache } : {}),
    cancelOnTimeout: config['cancel-on-timeout'] ?? inputs.cancelOnTimeout
  }
}
