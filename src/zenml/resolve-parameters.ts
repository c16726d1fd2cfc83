/**
 * Puts the action's parameters where a ZenML snapshot or run template expects them. Its
 * `config_template.steps.<step>.parameters` lists what exists:
 * - `step.name` goes to that step, if the step has that parameter;
 * - a pipeline-level `name` goes to the one step that carries it (pipeline arguments forwarded to
 *   steps become step parameters); none, or several, is an error that lists the candidates;
 * - a dynamic snapshot takes pipeline-level names as `parameters` directly.
 * Legacy run templates (0.63–0.85) insist on every step's full parameter map, so `fullSteps`
 * starts from the template's values and overlays ours.
 */
import { UserError } from '../errors.js'

export interface ConfigTemplate {
  steps?: Record<string, { parameters?: Record<string, unknown> | null | undefined } | null | undefined>
}

export interface ResolvedParameters {
  steps: Record<string, { parameters: Record<string, unknown> }>
  parameters?: Record<string, unknown>
}

export function resolveParameters(
  parameters: Record<string, unknown>,
  template: ConfigTemplate | undefined,
  options: { dynamic: boolean; fullSteps: boolean; what: string }
): ResolvedParameters {
  const known = Object.entries(template?.steps ?? {}).map(([step, config]) => ({
    step,
    names: Object.keys(config?.parameters ?? {})
  }))
  const candidates = known.flatMap(({ step, names }) => names.map((name) => `${step}.${name}`))
  const list = candidates.length ? candidates.join(', ') : 'none (the steps take no parameters)'
  const steps: ResolvedParameters['steps'] = {}
  const pipelineLevel: Record<string, unknown> = {}
  const put = (step: string, name: string, value: unknown) => {
    steps[step] ??= { parameters: {} }
    steps[step].parameters[name] = value
  }

  for (const [key, value] of Object.entries(parameters)) {
    const dot = key.indexOf('.')
    if (dot !== -1) {
      const [step, name] = [key.slice(0, dot), key.slice(dot + 1)]
      if (!known.some((k) => k.step === step && k.names.includes(name))) {
        throw new UserError(
          `${options.what} has no step parameter ${JSON.stringify(key)}. Parameters it accepts: ${list}.`
        )
      }
      put(step, name, value)
      continue
    }
    if (options.dynamic) {
      pipelineLevel[key] = value
      continue
    }
    const carriers = known.filter((k) => k.names.includes(key))
    if (carriers.length === 0) {
      throw new UserError(
        `${options.what} has no parameter ${JSON.stringify(key)}. Parameters it accepts: ${list}. Name one as step.parameter.`
      )
    }
    if (carriers.length > 1) {
      throw new UserError(
        `Parameter ${JSON.stringify(key)} is ambiguous in ${options.what}: ${carriers.map((c) => `${c.step}.${key}`).join(', ')} all take it. Name the one you mean as step.parameter.`
      )
    }
    put(carriers[0]!.step, key, value)
  }

  if (options.fullSteps) {
    for (const { step } of known) {
      const defaults = template?.steps?.[step]?.parameters ?? {}
      if (Object.keys(defaults).length === 0) continue
      steps[step] = { parameters: { ...defaults, ...steps[step]?.parameters } }
    }
  }
  return { steps, ...(Object.keys(pipelineLevel).length > 0 ? { parameters: pipelineLevel } : {}) }
}
