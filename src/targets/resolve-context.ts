/**
 * What every target's resolution shares: the action inputs that act as defaults for a type, the
 * secrets read from the environment (and masked), and the checks a secret in a header needs.
 */
import { UserError } from '../errors.js'

/** The action inputs that act as defaults for every target of their type (a config file's keys win). */
export interface TargetDefaults {
  /** The max-parallel input; undefined = the target type's own default. */
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

export interface SecretSource {
  env: Record<string, string | undefined>
  mask(secret: string): void
}

/** What a target module's resolve() is given besides its own config. */
export interface ResolveContext {
  defaults: TargetDefaults
  secrets: SecretSource
  /** How many of its requests may start at once, already decided (config, input, or the type's default). */
  maxParallel: number
}

/** A secret that travels in a header must be one line of Latin-1 text; the error names the field, never the value. */
export function headerSafe(target: string, field: string, secret: string | undefined): string | undefined {
  if (secret !== undefined && /[^\t\x20-\x7e\x80-\xff]/.test(secret)) {
    throw new UserError(
      `Target ${target}: ${field} holds a line break or a character an HTTP header cannot carry (${secret.length} characters). Fix: store the secret without a trailing newline or spaces around it.`
    )
  }
  return secret
}

/** Reads an `env:NAME` secret reference and masks it; undefined when there is no reference. */
export function secretFromEnv(
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

/**
 * A secret that travels in a header: the config's `env:NAME` if it names one (read and masked),
 * else the input's value; checked to be one header line. Undefined when neither gives one.
 */
export function headerSecret(
  target: string,
  key: string,
  reference: string | undefined,
  fromInput: string | undefined,
  secrets: SecretSource
): string | undefined {
  return headerSafe(
    target,
    reference ? `${key} (${reference})` : `the ${key} input`,
    secretFromEnv(target, key, reference, secrets) ?? (fromInput || undefined)
  )
}
