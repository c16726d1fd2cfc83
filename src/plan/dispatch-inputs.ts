/**
 * Dispatch inputs (workflow_dispatch, workflow_call, repository_dispatch client_payload)
 * become parameters by name, read from the event payload as data. They never pass through
 * YAML text, so a newline or a quote in a value cannot add or change a parameter.
 */
import type { InputMapping } from '../config/schema.js'
import { asBoolean, asNumber } from '../core/coerce.js'
import { UserError, preview } from '../errors.js'

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

interface InputSpec {
  parameter?: string
  type?: 'string' | 'number' | 'boolean' | 'choice'
  options?: string[]
  required?: boolean
}

function convert(name: string, value: unknown, spec: InputSpec, where: string): unknown {
  const fail = (expected: string): never => {
    throw new UserError(
      `${where}: input ${JSON.stringify(name)} is ${preview(value)}, ${expected}. Nothing was triggered; dispatch again with a valid value.`
    )
  }
  switch (spec.type) {
    case undefined:
      return value
    case 'string':
      if (typeof value === 'object' && value !== null) return fail('not a string')
      return String(value)
    case 'number':
      return asNumber(value) ?? fail('not a number')
    case 'boolean':
      return asBoolean(value) ?? fail('not a boolean (true or false)')
    case 'choice': {
      const text = typeof value === 'string' ? value : fail('not one of the choices')
      if (spec.options && !spec.options.includes(text))
        return fail(`not one of the choices ${spec.options.map((o) => JSON.stringify(o)).join(', ')}`)
      return text
    }
  }
}

/** Maps inputs to parameters. `where` names the rule in error messages. */
export function mapInputs(
  mapping: InputMapping | undefined,
  inputs: Record<string, unknown>,
  where: string
): {
  parameters: Record<string, unknown>
  ignored: string[]
} {
  const parameters: Record<string, unknown> = {}
  const ignored: string[] = []
  if (mapping === undefined) return { parameters, ignored: Object.keys(inputs) }
  if (mapping === 'all') {
    for (const [name, value] of Object.entries(inputs)) {
      // Names such as `dry-run` cannot be pipeline parameters; they stay workflow-only inputs.
      if (IDENTIFIER.test(name)) parameters[name] = value
      else ignored.push(name)
    }
    return { parameters, ignored }
  }
  for (const [name, entry] of Object.entries(mapping)) {
    const spec: InputSpec = typeof entry === 'string' ? { parameter: entry } : entry
    // An optional input left empty in the dispatch form arrives as "": it means "not given".
    if (inputs[name] === undefined || inputs[name] === null || inputs[name] === '') {
      if (spec.required)
        throw new UserError(
          `${where}: the required input ${JSON.stringify(name)} is missing from the event. Dispatch again with it set.`
        )
      continue
    }
    parameters[spec.parameter ?? name] = convert(name, inputs[name], spec, where)
  }
  ignored.push(...Object.keys(inputs).filter((name) => !(name in mapping)))
  return { parameters, ignored }
}
