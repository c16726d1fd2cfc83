/**
 * Everything the targets of a plan need, settled before the first run: each http target's
 * settings (its config over the inputs, URL checked, secrets read and masked), and a logged-in
 * connection to every ZenML server involved. A wrong URL, key or empty secret therefore fails the
 * step before anything is triggered. The result builds the Target for each request.
 */
import type { TargetConfig } from '../config/schema.js'
import { UserError } from '../errors.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import { checkUrl } from '../http/url.js'
import type { Settings } from '../inputs/settings.js'
import type { TriggerRequest } from '../plan/trigger-request.js'
import { connectZenml, type ZenmlConnection } from '../zenml/connection.js'
import { CommandTarget } from './command-target.js'
import { HttpTarget, type HttpSettings } from './http-target.js'
import type { Target, TargetContext } from './target.js'
import { ZenmlTarget, type ZenmlRunOptions } from './zenml-target.js'

type HttpConfig = Extract<TargetConfig, { type: 'http' }>
type ZenmlConfig = Extract<TargetConfig, { type: 'zenml' }>

export interface Runtime {
  workspace: string
  tempDir: string
  /** The environment children inherit (without the action's INPUT_* values). */
  env: Record<string, string>
  mask(secret: string): void
  log(message: string): void
}

/** Reads an `env:NAME` secret reference and masks it; undefined when there is no reference. */
function secretFromEnv(target: string, field: string, reference: string | undefined, runtime: Runtime): string | undefined {
  if (!reference) return undefined
  const name = reference.slice('env:'.length)
  const value = process.env[name] ?? ''
  if (!value) throw new UserError(`Target ${target}: the environment variable ${name} (${field}: ${reference}) is empty. Set it in the step's env: from a secret.`)
  runtime.mask(value)
  return value
}

function httpSettings(target: string, config: HttpConfig, settings: Settings, runtime: Runtime): HttpSettings {
  const url = config.url ?? settings.http.url
  if (!url) throw new UserError(`Target ${target}: no URL. Set url in its config, or the http-url input.`)
  const apiKey = secretFromEnv(target, 'api-key', config['api-key'], runtime) ?? settings.http.apiKey
  const signingSecret = secretFromEnv(target, 'signing-secret', config['signing-secret'], runtime) ?? settings.http.signingSecret
  const preset = config.preset ?? settings.http.preset
  const body = config.body ?? settings.http.body
  const resolved: HttpSettings = {
    url,
    ...(preset ? { preset } : {}),
    ...(apiKey ? { apiKey } : {}),
    apiKeyHeader: config['api-key-header'] ?? (preset === 'zenml-deployment' ? 'Authorization' : settings.http.apiKeyHeader),
    ...(signingSecret ? { signingSecret } : {}),
    ...(body ? { body } : {}),
    allowInsecureHttp: config['allow-insecure-http'] ?? settings.http.allowInsecureHttp,
    statusUrlField: config['status-url-field'] ?? settings.http.statusUrlField,
    ...(config['run-id-field'] ? { runIdField: config['run-id-field'] } : {}),
    ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {}),
    wait: settings.wait
  }
  checkUrl(resolved.url, config.url ? `Target ${target} url` : 'http-url', resolved.allowInsecureHttp)
  return resolved
}

/** Tags on every ZenML run: where it came from, plus the user's. */
function zenmlOptions(settings: Settings, event: TriggerEvent): ZenmlRunOptions {
  return {
    wait: settings.wait,
    cancelOnTimeout: settings.cancelOnTimeout,
    ...(settings.enableCache !== undefined ? { enableCache: settings.enableCache } : {}),
    tags: [
      'github-actions',
      `repo:${event.repository}`,
      `sha:${event.sha.slice(0, 12)}`,
      ...(event.run.id ? [`gh-run:${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}`] : []),
      ...settings.tags
    ]
  }
}

export async function prepareTargets(settings: Settings, event: TriggerEvent, requests: TriggerRequest[], runtime: Runtime): Promise<(request: TriggerRequest) => Target> {
  // One login per server and key, however many targets share them.
  const servers = new Map<string, Promise<ZenmlConnection>>()
  const connect = (url: string, apiKey: string, project: string): Promise<ZenmlConnection> => {
    const key = JSON.stringify([url, apiKey, project])
    if (!servers.has(key)) servers.set(key, connectZenml(url, apiKey, project, runtime.mask, runtime.log))
    return servers.get(key)!
  }

  const zenmlTargets = new Map<ZenmlConfig, ZenmlConnection>()
  const httpTargets = new Map<HttpConfig, HttpSettings>()
  let commandServer: ZenmlConnection | undefined
  for (const { target, targetConfig: config } of requests) {
    if (config.type === 'command' && settings.zenmlUrl && !commandServer) {
      commandServer = await connect(settings.zenmlUrl, settings.zenmlApiKey, settings.project)
    } else if (config.type === 'http' && !httpTargets.has(config)) {
      httpTargets.set(config, httpSettings(target, config, settings, runtime))
    } else if (config.type === 'zenml' && !zenmlTargets.has(config)) {
      const url = config.url ?? settings.zenmlUrl
      if (!url) throw new UserError(`Target ${target}: no ZenML server. Set url in its config, or the zenml-url input.`)
      const apiKey = secretFromEnv(target, 'api-key', config['api-key'], runtime) ?? settings.zenmlApiKey
      if (!apiKey) throw new UserError(`Target ${target}: no API key. Pass zenml-api-key from a secret, or set api-key: env:NAME in its config.`)
      zenmlTargets.set(config, await connect(url, apiKey, config.project ?? settings.project))
    }
  }

  const context: TargetContext = {
    workspace: runtime.workspace,
    tempDir: runtime.tempDir,
    timeoutMs: settings.timeoutMs,
    env: runtime.env,
    ...(commandServer ? { zenml: commandServer } : {}),
    log: runtime.log
  }
  const options = zenmlOptions(settings, event)
  return ({ targetConfig: config }) => {
    switch (config.type) {
      case 'command':
        return new CommandTarget(config, context)
      case 'zenml':
        return new ZenmlTarget(config, context, options, zenmlTargets.get(config)!)
      case 'http':
        return new HttpTarget(httpTargets.get(config)!, context)
    }
  }
}
