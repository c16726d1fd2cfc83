/**
 * Inline mode: the action inputs describe one pipeline on one target, triggered by every
 * supported event. The result is an ordinary Config, so planning has one code path.
 */
import { compilePathMatcher } from '../core/glob-pattern.js'
import { parseGate } from '../core/gate.js'
import { UserError } from '../errors.js'
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
  target?: 'command' | 'zenml' | 'http'
  pipeline: string
  parameters: Record<string, unknown>
  /** Change globs, in order; `!` excludes. */
  paths: string[]
  pathParameter: string
  /** The pipeline's gates, one per line of the gates input. */
  gates?: string[]
  each: NonNullable<PathRule['each']>
  dispatchInputs: 'all' | Record<string, unknown>
  /** The command target's argv. */
  command: string[]
  zenmlUrl: string
  snapshot: string
  template: string
  stack: string
  http: { url: string }
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

/** The target the inputs describe (of the type the target input names, else inferred); a UserError where they do not. */
export function inlineTarget(settings: InlineInputs): TargetConfig {
  const type =
    settings.target ??
    (settings.command.length > 0 ? 'command' : settings.http.url ? 'http' : settings.zenmlUrl ? 'zenml' : undefined)
  if (type === undefined) {
    throw new UserError(
      `Nothing to trigger: no config file at ${settings.config} and no target inputs. Either add the config file, set zenml-url and zenml-api-key (target zenml), or set the command input (one argument per line, e.g. "python" and "run.py").`
    )
  }
  if (type === 'http') {
    if (!settings.http.url)
      throw new UserError(
        'Target http needs the http-url input: the trigger endpoint, e.g. https://api.example.com/trigger.'
      )
    return { type: 'http' }
  }
  if (type === 'zenml') {
    if (!settings.zenmlUrl)
      throw new UserError('Target zenml needs the inputs zenml-url and zenml-api-key (from a secret).')
    return {
      type: 'zenml',
      ...(settings.snapshot ? { snapshot: settings.snapshot } : {}),
      ...(settings.template ? { template: settings.template } : {}),
      ...(settings.stack ? { stack: settings.stack } : {})
    }
  }
  if (settings.command.length === 0) {
    throw new UserError(
      'Input command is empty but target is command. Give the argv that runs the pipeline, one argument per line, e.g. "python" and "examples/pipelines/run.py".'
    )
  }
  return { type: 'command', run: settings.command }
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
  const target = inlineTarget(settings)
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
