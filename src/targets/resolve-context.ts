/**
 * What every target's resolution shares: its type's action inputs, the secrets read from the
 * environment (and masked), and the checks a secret in a header needs.
 */
import { UserError } from '../errors.js'

export interface SecretSource {
  env: Record<string, string | undefined>
  mask(secret: string): void
}

/** What a target module's resolve() is given besides its own config. */
export interface ResolveContext<Inputs> {
  /** What the action inputs say for the type (its inputs.ts): defaults, under the config's keys. */
  inputs: Inputs
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
