import type { TargetConfig } from '../config/schema.js'
import { CommandTarget } from './command-target.js'
import type { Target, TargetContext } from './target.js'

export function createTarget(config: TargetConfig, context: TargetContext): Target {
  switch (config.type) {
    case 'command':
      return new CommandTarget(config, context)
  }
}
