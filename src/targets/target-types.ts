/**
 * The target types, and the action inputs each reads: what a step needs before it knows whether
 * it triggers anything, so only the types' inputs.ts load here, never a schema (zod).
 * registry.ts holds the modules themselves, one per type of this list.
 */
import type { ActionInputs, InlineTarget, InputSpec } from './action-inputs.js'
import { airflowInputs } from './airflow/inputs.js'
import { commandInputs } from './command/inputs.js'
import { dagsterInputs } from './dagster/inputs.js'
import { databricksInputs } from './databricks/inputs.js'
import { httpInputs } from './http/inputs.js'
import { kubeflowInputs } from './kubeflow/inputs.js'
import { prefectInputs } from './prefect/inputs.js'
import { sagemakerInputs } from './sagemaker/inputs.js'
import { vertexInputs } from './vertex/inputs.js'
import { workflowInputs } from './workflow/inputs.js'
import { zenmlInputs } from './zenml/inputs.js'

/**
 * Each type's action inputs. The order is the order of the config reference and the JSON Schema,
 * and the order inline mode infers a type in when the `target` input is empty (its most specific
 * input first: `command` before `http-url` before `zenml-url`, which a command target also reads).
 */
export const TARGET_INPUTS = {
  command: commandInputs,
  http: httpInputs,
  zenml: zenmlInputs,
  workflow: workflowInputs,
  prefect: prefectInputs,
  airflow: airflowInputs,
  dagster: dagsterInputs,
  sagemaker: sagemakerInputs,
  vertex: vertexInputs,
  databricks: databricksInputs,
  kubeflow: kubeflowInputs
} as const

export type TargetType = keyof typeof TARGET_INPUTS
export const TARGET_TYPES = Object.keys(TARGET_INPUTS) as TargetType[]

type Declared = typeof TARGET_INPUTS
/** What the action inputs say for each type, as its inputs.ts reads them. */
export type TargetInputs = { [T in TargetType]: ReturnType<Declared[T]['read']> }

/** The types with an inline mode: the values of the `target` input. */
export type InlineType = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [T in TargetType]: Declared[T] extends ActionInputs<any, any, infer Config>
    ? [Config] extends [never]
      ? never
      : T
    : never
}[TargetType]
export const INLINE_TYPES = TARGET_TYPES.filter((type) => TARGET_INPUTS[type].inline) as InlineType[]

/** A type's inline mode, for code that handles every type alike; undefined for a type without one. */
export function inlineOf(type: string): InlineTarget<unknown, { type: string }> | undefined {
  return Object.hasOwn(TARGET_INPUTS, type)
    ? (TARGET_INPUTS[type as TargetType] as ActionInputs<string, unknown, { type: string }>).inline
    : undefined
}

/** Every input any type declares, once each (a name two types read, such as zenml-url, has one spec in action.yml). */
export function declaredInputs(): Map<string, InputSpec> {
  const specs = new Map<string, InputSpec>()
  for (const type of TARGET_TYPES)
    for (const [name, spec] of Object.entries<InputSpec>(TARGET_INPUTS[type].names))
      specs.set(name, { ...specs.get(name), ...spec })
  return specs
}
