/** The command target resolved: the argv, where it runs, and the ZenML server it reports to, if any. */
import { checkUrl } from '../../http/url.js'
import type { ZenmlServerConfig } from '../../zenml/connection.js'
import type { ResolvedCommon } from '../module.js'
import type { ResolveContext } from '../resolve-context.js'
import type { CommandInputs } from './inputs.js'
import type { Config } from './schema.js'

export interface ResolvedCommand extends ResolvedCommon<'command'> {
  run: string[]
  configArg: string
  /** Relative to the workspace. */
  workingDirectory: string
  /** The server the pipeline reports to, when zenml-url and zenml-api-key are set; the action follows the run there. */
  server?: ZenmlServerConfig
}

export function resolveCommand(
  name: string,
  config: Config,
  { inputs, maxParallel }: ResolveContext<CommandInputs>
): ResolvedCommand {
  const { zenmlUrl: url, zenmlApiKey: apiKey, project } = inputs
  return {
    type: 'command',
    name,
    maxParallel,
    run: config.run,
    configArg: config['config-arg'] ?? '--config',
    workingDirectory: config['working-directory'] ?? '.',
    ...(url && apiKey
      ? { server: { url: checkUrl(url, 'Input zenml-url').href.replace(/\/+$/, ''), apiKey, project } }
      : {})
  }
}
