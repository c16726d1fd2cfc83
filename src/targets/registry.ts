/**
 * Every target type, one module each. Adding a target is a folder beside these (schema, inputs,
 * resolve, connect, its Target), its line in TARGET_INPUTS (target-types.ts) and its line here;
 * the compiler refuses a type without a module, a module without a type, a module with another
 * type's inputs, and a module missing a part.
 */
import { z } from 'zod'
import { airflow } from './airflow/index.js'
import { command } from './command/index.js'
import { dagster } from './dagster/index.js'
import { databricks } from './databricks/index.js'
import { http } from './http/index.js'
import type { ActionInputs } from './action-inputs.js'
import type { AnyTargetModule } from './module.js'
import { kubeflow } from './kubeflow/index.js'
import { prefect } from './prefect/index.js'
import { sagemaker } from './sagemaker/index.js'
import { TARGET_TYPES, type TargetInputs, type TargetType } from './target-types.js'
import { vertex } from './vertex/index.js'
import { workflow } from './workflow/index.js'
import { zenml } from './zenml/index.js'

export { TARGET_TYPES, type TargetType }

/** A registry: exactly one module per type, each keyed by its own type, reading its own type's inputs. */
export type Registry = {
  readonly [T in TargetType]: AnyTargetModule & {
    readonly type: T
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    readonly inputs: ActionInputs<string, TargetInputs[T], any>
  }
}

export const TARGETS = {
  command,
  http,
  zenml,
  workflow,
  prefect,
  airflow,
  dagster,
  sagemaker,
  vertex,
  databricks,
  kubeflow
} as const satisfies Registry

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
