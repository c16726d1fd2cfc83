/**
 * What a dispatch may send, checked against the target workflow's own file before anything is
 * dispatched, so the user gets our error naming the input and the fix instead of GitHub's bare 422:
 * every parameter must be a declared input, of its type (choice within its options), every
 * required input must be there, the chain context needs its input, and the count stays within
 * GitHub's limit (25 on github.com, 10 on GHES).
 */
import { parse } from 'yaml'
import { CHAIN_INPUT } from '../../core/chain.js'
import { asBoolean, asNumber } from '../../core/coerce.js'
import { UserError, preview } from '../../errors.js'

/** The input a workflow may declare (and put in its run-name) so its run can be found without run details. */
export const CORRELATION_INPUT = 'pipeline-trigger-id'

export interface DeclaredInput {
  type: 'string' | 'number' | 'boolean' | 'choice' | 'environment'
  required: boolean
  hasDefault: boolean
  options?: string[]
}

const TYPES = new Set(['string', 'number', 'boolean', 'choice', 'environment'])

function parseWorkflow(text: string, where: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100 })
  } catch (error) {
    throw new UserError(
      `${where} is not valid YAML (${(error as Error).message.split('\n')[0]}); GitHub could not run it either.`
    )
  }
}

/** The workflow's name: as GitHub shows it (and as a workflow_run names its upstream); the file name when it has none. */
export function workflowName(text: string, where: string, file: string): string {
  const name = (parseWorkflow(text, where) as { name?: unknown } | null)?.name
  return typeof name === 'string' && name.trim() !== '' ? name : file
}

/** The workflow_dispatch inputs a workflow file declares; an error when it cannot be dispatched at all. */
export function declaredInputs(text: string, where: string): Map<string, DeclaredInput> {
  const doc = parseWorkflow(text, where)
  const on = (doc as { on?: unknown; true?: unknown } | null)?.on ?? (doc as { true?: unknown } | null)?.true
  const triggers =
    typeof on === 'string' ? [on] : Array.isArray(on) ? on : on && typeof on === 'object' ? Object.keys(on) : []
  if (!triggers.includes('workflow_dispatch')) {
    throw new UserError(
      `${where} has no workflow_dispatch trigger, so it cannot be dispatched. Fix: add "workflow_dispatch:" under its on:, or use event: repository_dispatch.`
    )
  }
  const dispatch =
    on && typeof on === 'object' && !Array.isArray(on) ? (on as Record<string, unknown>).workflow_dispatch : undefined
  const inputs = (dispatch as { inputs?: unknown } | null | undefined)?.inputs
  const declared = new Map<string, DeclaredInput>()
  if (!inputs || typeof inputs !== 'object') return declared
  for (const [name, raw] of Object.entries(inputs as Record<string, unknown>)) {
    const spec = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
    const type = typeof spec.type === 'string' && TYPES.has(spec.type) ? (spec.type as DeclaredInput['type']) : 'string'
    declared.set(name, {
      type,
      required: spec.required === true,
      hasDefault: spec.default !== undefined && spec.default !== null && spec.default !== '',
      ...(Array.isArray(spec.options) ? { options: spec.options.map(String) } : {})
    })
  }
  return declared
}

function convert(name: string, value: unknown, input: DeclaredInput, where: string): string | number | boolean {
  const refuse = (expected: string): never => {
    throw new UserError(
      `Parameter ${JSON.stringify(name)} is ${preview(value)}, but ${where} declares input ${JSON.stringify(name)} as ${expected}. Nothing was dispatched. Fix: send a value of that type, or change the input's type.`
    )
  }
  switch (input.type) {
    case 'number':
      return asNumber(value) ?? refuse('a number')
    case 'boolean':
      return asBoolean(value) ?? refuse('a boolean (true or false)')
    case 'choice': {
      const text =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
          ? String(value)
          : refuse('a choice')
      if (input.options && !input.options.includes(text))
        return refuse(`a choice of ${input.options.map((o) => JSON.stringify(o)).join(', ')}`)
      return text
    }
    default:
      // Lists and mappings (each: all gives a list of paths) travel as JSON text: fromJSON() reads them back.
      return typeof value === 'string' ? value : JSON.stringify(value)
  }
}

export interface DispatchInputsOptions {
  /** The chain context this run carries, as JSON. */
  chain: string
  /** The request's correlation id, sent when the workflow declares CORRELATION_INPUT. */
  correlation: string
  /** 25 on github.com, 10 on GHES. */
  maxInputs: number
}

/** The inputs to dispatch with, or an error that names the input and the fix. */
export function dispatchInputs(
  parameters: Record<string, unknown>,
  declared: Map<string, DeclaredInput>,
  where: string,
  options: DispatchInputsOptions
): Record<string, string | number | boolean> {
  // A Map, not an object: an input named __proto__ must stay an input.
  const inputs = new Map<string, string | number | boolean>()
  for (const [name, value] of Object.entries(parameters)) {
    const input = declared.get(name)
    if (!input) {
      const known = [...declared.keys()].filter((k) => k !== CHAIN_INPUT && k !== CORRELATION_INPUT)
      throw new UserError(
        `Parameter ${JSON.stringify(name)} is not an input of ${where} (its inputs: ${known.length ? known.join(', ') : 'none'}). Nothing was dispatched. Fix: declare ${JSON.stringify(name)} under on.workflow_dispatch.inputs there, or stop sending it.`
      )
    }
    inputs.set(name, convert(name, value, input, where))
  }
  if (!declared.has(CHAIN_INPUT)) {
    throw new UserError(
      `${where} does not declare the input ${CHAIN_INPUT}, which carries the chain guard's context to it. Nothing was dispatched. Fix: add under on.workflow_dispatch.inputs:\n  ${CHAIN_INPUT}: {type: string, required: false, default: ''}\nand pass it to this action there (pipeline-context: \${{ inputs.${CHAIN_INPUT} }}).`
    )
  }
  inputs.set(CHAIN_INPUT, options.chain)
  if (declared.has(CORRELATION_INPUT)) inputs.set(CORRELATION_INPUT, options.correlation)
  const missing = [...declared.entries()]
    .filter(([name, input]) => input.required && !input.hasDefault && !inputs.has(name))
    .map(([name]) => name)
  if (missing.length > 0) {
    throw new UserError(
      `${where} requires the input${missing.length > 1 ? 's' : ''} ${missing.map((m) => JSON.stringify(m)).join(', ')}, which no parameter gives. Nothing was dispatched. Fix: set ${missing.length > 1 ? 'them' : 'it'} in the pipeline's parameters.`
    )
  }
  const count = inputs.size
  if (count > options.maxInputs) {
    throw new UserError(
      `The dispatch of ${where} would send ${count} inputs; GitHub accepts at most ${options.maxInputs} here. Nothing was dispatched. Fix: send fewer parameters, or gather some into one JSON input.`
    )
  }
  return Object.fromEntries(inputs)
}

/** repository_dispatch: the parameters, the chain context and the correlation id, as client_payload (at most 10 top-level keys). */
export function clientPayload(
  parameters: Record<string, unknown>,
  where: string,
  options: Omit<DispatchInputsOptions, 'maxInputs'>
): Record<string, unknown> {
  const payload = Object.fromEntries([
    ...Object.entries(parameters),
    [CHAIN_INPUT, options.chain],
    [CORRELATION_INPUT, options.correlation]
  ])
  const count = Object.keys(payload).length
  if (count > 10) {
    throw new UserError(
      `The repository_dispatch to ${where} would carry ${count} client_payload keys (the parameters, ${CHAIN_INPUT} and ${CORRELATION_INPUT}); GitHub accepts at most 10. Nothing was dispatched. Fix: send at most 8 parameters, or gather some into one mapping.`
    )
  }
  return payload
}
