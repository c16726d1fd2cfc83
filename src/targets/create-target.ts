import type { TargetConfig } from '../config/schema.js'
import { CommandTarget } from './command-target.js'
import type { Target, TargetContext } from './target.js'
import { ZenmlTarget, type ZenmlRunOptions } from './zenml-target.js'

export function createTarget(config: TargetConfig, context: TargetContext, zenmlOptions: ZenmlRunOptions): Target {
  switch (config.type) {
    case 'command':
      return new CommandTarget(config, context)
    case 'zenml':
      return new ZenmlTarget(config, context, zenmlOptions)
  }
}
