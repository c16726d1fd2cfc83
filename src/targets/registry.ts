/**
 * Every target type, one module each. Adding a target is a folder beside these (schema, resolve,
 * connect, its Target) and one line here and in TARGET_TYPES; the compiler refuses a type
 * without a module, a module without a type, and a module missing a part.
 */
import { z } from 'zod'
import { command } from './command/index.js'
import { http } from './http/index.js'
import type { AnyTargetModule } from './module.js'
import { workflow } from './workflow/index.js'
import { zenml } from './zenml/index.js'

/** The target types, in the order the config reference and the JSON Schema list them. */
export const TARGET_TYPES = ['command', 'zenml', 'http', 'workflow'] as const
export type TargetType = (typeof TARGET_TYPES)[number]

/** A registry: exactly one module per type, each keyed by its own type. */
export type Registry = { readonly [T in TargetType]: AnyTargetModule & { readonly type: T } }

export const TARGETS = { command, zenml, http, workflow } as const satisfies Registry

type Modules = typeof TARGETS
/** A target's config-file keys, as the config file gives them: the union of every module's schema. */
export type TargetConfig = { [T in TargetType]: z.infer<Modules[T]['schema']> }[TargetType]
/** A target resolved from its config and the inputs: the union of every module's result. */
export type ResolvedTarget = { [T in TargetType]: ReturnType<Modules[T]['resolve']> }[TargetType]

/** The config file's `targets.<name>` value: one of the modules' schemas, told apart by `type`. */
export function targetConfigSchema(): z.ZodType<TargetConfig> {
  const schemas = TARGET_TYPES.map((type) => TARGETS[type].schema) as unknown as Parameters<
    typeof z.discriminatedUnion
  >[1]
  return z.discriminatedUnion('type', schemas) as unknown as z.ZodType<TargetConfig>
}
