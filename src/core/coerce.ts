/**
 * How a workflow input's text becomes a number or a boolean, one rule for both directions: the
 * inputs a dispatch brings in (src/plan/dispatch-inputs.ts) and the inputs the workflow target
 * sends (src/github/workflow-inputs.ts). undefined means the value is not of that type.
 */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

export function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  // 1e400 is a number in form but Infinity in value, which JSON would send as null.
  const number = typeof value === 'string' && NUMBER.test(value.trim()) ? Number(value.trim()) : undefined
  return number !== undefined && Number.isFinite(number) ? number : undefined
}

export function asBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value
  if (value === 'true' || value === 'false') return value === 'true'
  return undefined
}
