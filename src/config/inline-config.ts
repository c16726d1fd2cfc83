/**
 * Inline mode: the action inputs describe one pipeline on one target, triggered by every
 * supported event. The result is an ordinary Config, so planning has one code path.
 */
import { compilePathMatcher } from '../core/glob-pattern.js'
import { parseGate } from '../core/gate.js'
import { UserError } from '../errors.js'
import { INLINE_TYPES, inlineOf, type InlineType, type TargetInputs, type TargetType } from '../targets/target-types.js'
import { formatPath } from './format-path.js'
import type { Config, PathRule, TargetConfig } from './schema.js'

/**
 * The action inputs inline mode is made of: src/inputs/ reads them (its Settings has each one),
 * and config/ names here only what it reads, so it needs nothing from above it.
 */
export interface InlineInputs {
  /** The config file path as given, for messages. */
  config: string
  /** The target type; undefined = inferred from the other inputs. */
  target?: TargetType
  /** The target-config input (YAML or JSON text of the type's config-file keys); '' or undefined = not given. */
  targetConfig?: string
  pipeline: string
  parameters: Record<string, unknown>
  /** Change globs, in order; `!` excludes. */
  paths: string[]
  pathParameter: string
  /** The pipeline's gates, one per line of the gates input. */
  gates?: string[]
  each: NonNullable<PathRule['each']>
  dispatchInputs: 'all' | Record<string, unknown>
  /** What the inputs say for each target type (src/targets/<type>/inputs.ts): the inline target comes from its type's. */
  targets: TargetInputs
}

/**
 * What a user of inline mode wrote, for a place in the config their inputs were turned into:
 * messages say `input paths`, never `pipelines.train.on.push.paths[0]`, a key they never saw.
 */
export function inlineInputName(where: string): string {
  if (/\.paths(\[\d+\])?(\.parameters)?$/.test(where)) return 'input paths'
  if (where.endsWith('.inputs')) return 'input dispatch-inputs'
  if (where.endsWith('.parameters')) return 'input parameters'
  return 'the inputs'
}

/**
 * The one target the inputs describe: the `target` input's type, else the first type (in the
 * registry's order) whose inputs name it, described by that type's inputs.ts; with the
 * target-config input, its keys over what the type's inputs say (as a config file's keys win).
 */
export async function inlineTarget(settings: InlineInputs): Promise<TargetConfig> {
  const type: TargetType | undefined =
    settings.target ?? INLINE_TYPES.find((candidate) => inlineOf(candidate)!.given(settings.targets[candidate]))
  if (type === undefined) {
    const ways = [
      'add the config file',
      ...INLINE_TYPES.map((candidate) => inlineOf(candidate)!.needs),
      'set target and target-config (any type, its config-file keys as a mapping)'
    ]
    throw new UserError(
      `Nothing to trigger: no config file at ${settings.config} and no target inputs. Either ${ways.slice(0, -1).join(', ')}, or ${ways.at(-1)}.`
    )
  }
  const inline = inlineOf(type)
  const inputs = settings.targets[type as InlineType]
  if (!settings.targetConfig) {
    if (!inline)
      throw new UserError(
        `Target ${type} has no inputs of its own. Describe it with the target-config input, a mapping of its config-file keys (docs/config-reference.md).`
      )
    return inline.config(inputs) as TargetConfig
  }
  // Only now the schemas (zod) and the YAML parser: most steps give no target-config.
  const { targetFromConfigInput } = await import('./target-config-input.js')
  const fromInputs = inline?.given(inputs) ? (inline.config(inputs) as TargetConfig) : undefined
  return targetFromConfigInput(type, settings.targetConfig, fromInputs)
}

/**
 * The target a later pass (mode reconcile or report) of an inline step asks about a run its
 * trigger step started: the type's own inputs describe it, as they did then. Undefined for a
 * type a later pass cannot ask (its inputs.ts has no followUp).
 */
export function inlineFollowUpTarget(
  type: string,
  targets: TargetInputs,
  configPath: string
): TargetConfig | undefined {
  const inline = inlineOf(type)
  if (inline?.followUp) return inline.followUp(targets[type as InlineType]) as TargetConfig
  if (inline?.unfollowable)
    throw new UserError(
      `its target "${type}" is an inline step's (inputs only), and ${inline.unfollowable(configPath)}`
    )
  return undefined
}

function validated<T>(
  name: string,
  schema: {
    safeParse(
      v: unknown
    ): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } }
  },
  value: unknown
): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new UserError(`Input ${name}: ${formatPath(issue.path) || 'value'}: ${issue.message}.`)
}

/** A gate of the gates input, checked as the config file's are: a bad one stops the step before anything starts. */
function inlineGate(text: string): string {
  try {
    parseGate(text)
    return text
  } catch (error) {
    throw new UserError(`Input gates: ${(error as Error).message}`)
  }
}

export async function inlineConfig(settings: InlineInputs): Promise<Config> {
  if (settings.pipeline === '') {
    throw new UserError('Input pipeline is empty. Name the pipeline to trigger, e.g. "training_pipeline".')
  }
  if (settings.pathParameter !== '' && settings.paths.length === 0) {
    throw new UserError(
      `Input path-parameter is ${JSON.stringify(settings.pathParameter)} but paths is empty. Add the globs of the files that should become runs, e.g. "data/**".`
    )
  }
  const target = await inlineTarget(settings)
  // The schema (zod) is loaded only when there is something to check: most inline steps give neither input.
  const mappings = settings.dispatchInputs !== 'all' && Object.keys(settings.dispatchInputs).length > 0
  const schema = Object.keys(settings.parameters).length > 0 || mappings ? await import('./schema.js') : undefined
  const parameters = schema ? validated('parameters', schema.parametersSchema, settings.parameters) : {}
  const inputs =
    settings.dispatchInputs === 'all'
      ? 'all'
      : schema && mappings
        ? validated('dispatch-inputs', schema.inputMappingSchema, settings.dispatchInputs)
        : {}

  let paths: PathRule[] | undefined
  if (settings.paths.length > 0) {
    try {
      compilePathMatcher(settings.paths)
    } catch (error) {
      throw new UserError(`Input paths: ${(error as Error).message}`)
    }
    paths = [
      {
        glob: settings.paths,
        each: settings.each,
        ...(settings.pathParameter ? { 'path-parameter': settings.pathParameter } : {})
      }
    ]
  }
  const changes = paths ? { paths } : {}
  return {
    version: 1,
    // The user named no target, so it goes by its type: the plan and the summary say `command`,
    // `http` or `zenml`, words the user wrote or can find in the inputs.
    targets: { [target.type]: target },
    pipelines: {
      [settings.pipeline]: {
        target: target.type,
        pipeline: settings.pipeline,
        parameters,
        ...(settings.gates?.length ? { gates: settings.gates.map(inlineGate) } : {}),
        on: {
          schedule: [{}],
          workflow_dispatch: { inputs },
          workflow_call: { inputs },
          repository_dispatch: { inputs },
          push: changes,
          pull_request: changes,
          merge_group: changes
        }
      }
    }
  }
}
