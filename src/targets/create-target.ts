import type { TargetConfig } from '../config/schema.js'
import { CommandTarget } from './command-target.js'
import type { Target, TargetContext } from './target.js'
import { ZenmlTarget, type ZenmlRunOptions } from './zenml-target.js'
import type { ZenmlConnection } from '../zenml/connection.js'
import { HttpTarget, type HttpSettings } from './http-target.js'

export function createTarget(
  config: TargetConfig,
  context: TargetContext,
  zenmlOptions: ZenmlRunOptions,
  zenmlConnection: (config: Extract<TargetConfig, { type: 'zenml' }>) => ZenmlConnection,
  httpSettings: (config: Extract<TargetConfig, { type: 'http' }>) => HttpSettings
): Target {
  switch (config.type) {
    case 'command':
      return new CommandTarget(config, context)
    case 'zenml':
      return new ZenmlTarget(config, context, zenmlOptions, zenmlConnection(config))
    case 'http':
      return new HttpTarget(httpSettings(config), context)
  }
}
