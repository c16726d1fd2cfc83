/**
 * Chooses between the config file and inline mode, and reads the file. The default file's
 * absence means inline mode; a path the user set must exist.
 */
import { existsSync, readFileSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import { UserError } from '../errors.js'
import { inlineConfig, type InlineInputs } from './inline-config.js'
import type { Config } from './schema.js'

/** The action inputs that choose between the config file and inline mode. */
export interface ConfigInputs extends InlineInputs {
  /** True when `config` is the default path, whose absence means inline mode. */
  configIsDefault: boolean
  /** The inline-only target inputs given (the command argv, src/targets/<type>/inputs.ts): they make the step inline. */
  inlineOnlyInputs: string[]
}

export interface LoadedConfig {
  config: Config
  /** The file read, or undefined in inline mode. */
  file?: string
  /** Set when inline inputs made the action pass over an existing default config file. */
  notice?: string
}

/** Inputs that only make sense without a config file. */
function inlineInputsGiven(settings: ConfigInputs): string[] {
  const given: string[] = []
  if (settings.target) given.push('target')
  if (settings.targetConfig) given.push('target-config')
  given.push(...settings.inlineOnlyInputs)
  if (settings.paths.length > 0) given.push('paths')
  if (settings.pathParameter) given.push('path-parameter')
  return given
}

export async function loadConfig(settings: ConfigInputs, workspace: string): Promise<LoadedConfig> {
  const path = isAbsolute(settings.config) ? settings.config : join(workspace, settings.config)
  const inline = inlineInputsGiven(settings)
  if (inline.length > 0) {
    if (!settings.configIsDefault) {
      throw new UserError(
        `Inputs ${inline.join(', ')} describe an inline pipeline, but config is set to ${JSON.stringify(settings.config)}. Use one or the other: move them into the config file, or remove the config input.`
      )
    }
    const notice = existsSync(path)
      ? `Inputs ${inline.join(', ')} describe the pipeline, so ${settings.config} is not read.`
      : undefined
    return { config: await inlineConfig(settings), ...(notice ? { notice } : {}) }
  }
  if (!existsSync(path)) {
    if (!settings.configIsDefault) {
      throw new UserError(
        `Input config: ${JSON.stringify(settings.config)} does not exist in the workspace. Check the path, and that actions/checkout ran before this step.`
      )
    }
    return { config: await inlineConfig(settings) }
  }
  // The YAML and schema libraries are loaded only for a config file.
  const { parseConfig } = await import('./parse-config.js')
  const config = parseConfig(readFileSync(path, 'utf8'), settings.config)
  if (settings.pipeline && !Object.hasOwn(config.pipelines, settings.pipeline)) {
    throw new UserError(
      `Input pipeline: ${JSON.stringify(settings.pipeline)} is not a pipeline in ${settings.config}. Use one of: ${Object.keys(config.pipelines).join(', ')}.`
    )
  }
  return { config, file: settings.config }
}
