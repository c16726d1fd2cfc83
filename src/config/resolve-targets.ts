/**
 * The one resolved configuration: each target the plan uses, with its config file keys laid over
 * the action inputs, secrets read from the environment (and masked), URLs checked and every
 * default filled in. Inline mode goes through the same path (its config has one target whose
 * keys all come from the inputs). After this, nothing reads Settings: each target gets exactly
 * what it needs, typed here once.
 */
import { UserError } from '../errors.js'
import { checkUrl } from '../http/url.js'
import type { TargetConfig } from './schema.js'

/** A ZenML server and the key to log in with. */
export interface ZenmlServerConfig {
  url: string
  apiKey: string
  project: string
}

interface Common {
  name: string
  /** How many requests of this target may start at once. */
  maxParallel: number
}

export interface ResolvedCommand extends Common {
  type: 'command'
  run: string[]
  configArg: string
  /** Relative to the workspace. */
  workingDirectory: string
  /** The server the pipeline reports to, when zenml-url and zenml-api-key are set; the action follows the run there. */
  server?: ZenmlServerConfig
}

export interface ResolvedZenml extends Common {
  type: 'zenml'
  server: ZenmlServerConfig
  snapshot?: string
  template?: string
  stack?: string
  /** The user's extra tags (the action adds where the run came from). */
  tags: string[]
  enableCache?: boolean
  cancelOnTimeout: boolean
}

export interface ResolvedHttp extends Common {
  type: 'http'
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
}

export interface ResolvedWorkflow extends Common {
  type: 'workflow'
  /** The repository with the workflow. */
  owner: string
  repo: string
  event: 'workflow_dispatch' | 'repository_dispatch'
  /** workflow_dispatch: the file name under .github/workflows, or the workflow's id. */
  workflow?: string
  /** workflow_dispatch: the ref to run; undefined = the repository's default branch (read before anything starts). */
  ref?: string
  /** repository_dispatch: the event type. */
  eventType?: string
  token: string
  /** The REST API root (GITHUB_API_URL: api.github.com or a GHES /api/v3). */
  apiUrl: string
  cancelOnTimeout: boolean
}

export type ResolvedTarget = ResolvedCommand | ResolvedZenml | ResolvedHttp | ResolvedWorkflow

/** The action inputs that act as defaults for every target of their type. */
export interface TargetDefaults {
  /** The max-parallel input; undefined = 4 for remote targets, 1 for command. */
  maxParallel?: number
  zenml: {
    url: string
    apiKey: string
    project: string
    tags: string[]
    enableCache?: boolean
    cancelOnTimeout: boolean
  }
  http: HttpInputs
  /** The workflow target's defaults: this repository, this run's branch, the token input. */
  github: { token: string; apiUrl: string; repository: string; refName: string; cancelOnTimeout: boolean }
}

/** The http target's inputs (secrets already masked); empty strings where not given. */
export interface HttpInputs {
  url: string
  apiKey: string
  apiKeyHeader: string
  signingSecret: string
  body?: Record<string, unknown>
  allowInsecureHttp: boolean
  statusUrlField: string
  preset?: 'zenml-deployment'
}

/** Remote targets only take requests; the command target runs the pipeline on the runner's own CPUs. */
export const DEFAULT_MAX_PARALLEL = { remote: 4, command: 1 } as const

const DEFAULT_BODY = { pipeline_name: '{pipeline}', parameters: '{parameters}' }
const DEPLOYMENT_BODY = { parameters: '{parameters}', run_name: '{run_name}' }

export interface SecretSource {
  env: Record<string, string | undefined>
  mask(secret: string): void
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

/** A secret that travels in a header must be one line of Latin-1 text; the error names the field, never the value. */
function headerSafe(target: string, field: string, secret: string | undefined): string | undefined {
  if (secret !== undefined && /[^\t\x20-\x7e\x80-\xff]/.test(secret)) {
    throw new UserError(
      `Target ${target}: ${field} holds a line break or a character an HTTP header cannot carry (${secret.length} characters). Fix: store the secret without a trailing newline or spaces around it.`
    )
  }
  return secret
}

/** Reads an `env:NAME` secret reference and masks it; undefined when there is no reference. */
function secretFromEnv(
  target: string,
  field: string,
  reference: string | undefined,
  secrets: SecretSource
): string | undefined {
  if (!reference) return undefined
  const name = reference.slice('env:'.length)
  const value = Object.hasOwn(secrets.env, name) ? (secrets.env[name] ?? '') : ''
  if (!value)
    throw new UserError(
      `Target ${target}: the environment variable ${name} (${field}: ${reference}) is empty. Set it in the step's env: from a secret.`
    )
  secrets.mask(value)
  return value
}

function zenmlServer(
  name: string,
  config: Extract<TargetConfig, { type: 'zenml' }>,
  defaults: TargetDefaults,
  secrets: SecretSource
): ZenmlServerConfig {
  const url = config.url ?? defaults.zenml.url
  if (!url) throw new UserError(`Target ${name}: no ZenML server. Set url in its config, or the zenml-url input.`)
  const apiKey = secretFromEnv(name, 'api-key', config['api-key'], secrets) ?? defaults.zenml.apiKey
  if (!apiKey)
    throw new UserError(
      `Target ${name}: no API key. Pass zenml-api-key from a secret, or set api-key: env:NAME in its config.`
    )
  checkUrl(url, config.url ? `Target ${name} url` : 'Input zenml-url')
  return { url, apiKey, project: config.project ?? defaults.zenml.project }
}

export function resolveTarget(
  name: string,
  config: TargetConfig,
  defaults: TargetDefaults,
  secrets: SecretSource
): ResolvedTarget {
  const maxParallel =
    config['max-parallel'] ??
    defaults.maxParallel ??
    (config.type === 'command' ? DEFAULT_MAX_PARALLEL.command : DEFAULT_MAX_PARALLEL.remote)
  switch (config.type) {
    case 'command': {
      const { url, apiKey, project } = defaults.zenml
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
    case 'zenml':
      return {
        type: 'zenml',
        name,
        maxParallel,
        server: zenmlServer(name, config, defaults, secrets),
        ...(config.snapshot ? { snapshot: config.snapshot } : {}),
        ...(config.template ? { template: config.template } : {}),
        ...(config.stack ? { stack: config.stack } : {}),
        tags: [...defaults.zenml.tags, ...(config.tags ?? [])],
        ...((config['enable-cache'] ?? defaults.zenml.enableCache) !== undefined
          ? { enableCache: config['enable-cache'] ?? defaults.zenml.enableCache }
          : {}),
        cancelOnTimeout: config['cancel-on-timeout'] ?? defaults.zenml.cancelOnTimeout
      }
    case 'http': {
      const http = defaults.http
      const rawUrl = config.url ?? http.url
      if (!rawUrl) throw new UserError(`Target ${name}: no URL. Set url in its config, or the http-url input.`)
      const allowInsecureHttp = config['allow-insecure-http'] ?? http.allowInsecureHttp
      const base = checkUrl(rawUrl, config.url ? `Target ${name} url` : 'http-url', allowInsecureHttp)
      const preset = config.preset ?? http.preset
      const apiKey = headerSafe(
        name,
        config['api-key'] ? `api-key (${config['api-key']})` : 'the api-key input',
        secretFromEnv(name, 'api-key', config['api-key'], secrets) ?? (http.apiKey || undefined)
      )
      const signingSecret =
        secretFromEnv(name, 'signing-secret', config['signing-secret'], secrets) ?? (http.signingSecret || undefined)
      const apiKeyHeader =
        config['api-key-header'] ?? (preset === 'zenml-deployment' ? 'Authorization' : http.apiKeyHeader)
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
        ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {})
      }
    }
    case 'workflow': {
      const github = defaults.github
      const repository = config.repo ?? github.repository
      const [owner = '', repo = ''] = repository.split('/')
      const token =
        headerSafe(
          name,
          config.token ? `token (${config.token})` : 'the token input',
          secretFromEnv(name, 'token', config.token, secrets) ?? github.token
        ) ?? ''
      if (!token)
        throw new UserError(
          `Target ${name}: no token. Leave the token input at its default (github.token), or set token: env:NAME to a token that may start workflows in ${repository}.`
        )
      const event = config.event ?? 'workflow_dispatch'
      // This repository runs on this run's branch by default; another one on its default branch.
      const ref = config.ref ?? (repository === github.repository && github.refName ? github.refName : undefined)
      return {
        type: 'workflow',
        name,
        maxParallel,
        owner,
        repo,
        event,
        ...(config.workflow ? { workflow: config.workflow } : {}),
        ...(event === 'workflow_dispatch' && ref ? { ref } : {}),
        ...(config['event-type'] ? { eventType: config['event-type'] } : {}),
        token,
        apiUrl: checkUrl(github.apiUrl, 'GITHUB_API_URL').href.replace(/\/+$/, ''),
        cancelOnTimeout: config['cancel-on-timeout'] ?? github.cancelOnTimeout
      }
    }
  }
}

/** Resolves every target the plan uses, once each, before anything starts. */
export function resolveTargets(
  used: Iterable<[string, TargetConfig]>,
  defaults: TargetDefaults,
  secrets: SecretSource
): Map<string, ResolvedTarget> {
  const resolved = new Map<string, ResolvedTarget>()
  for (const [name, config] of used)
    if (!resolved.has(name)) resolved.set(name, resolveTarget(name, config, defaults, secrets))
  return resolved
}
