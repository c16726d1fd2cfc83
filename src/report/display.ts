/**
 * Values as people read them in the log and the job summary: a long list shows its first items
 * and how many more, a long string its start and its length. This keeps what the action writes
 * growing with the number of runs, not with runs × files (an `each: all` run carries every
 * changed file as a parameter). The outputs keep every value whole.
 */
export const DISPLAY_ITEMS = 10
export const DISPLAY_CHARS = 200

export function forDisplay(value: unknown): unknown {
  if (typeof value === 'string')
    return value.length > DISPLAY_CHARS ? `${value.slice(0, DISPLAY_CHARS)}… (${value.length} characters)` : value
  if (Array.isArray(value)) {
    const shown = value.slice(0, DISPLAY_ITEMS).map(forDisplay)
    return value.length > DISPLAY_ITEMS
      ? [...shown, `… ${value.length - DISPLAY_ITEMS} more (${value.length} in all)`]
      : shown
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
    const shown = Object.fromEntries(entries.slice(0, DISPLAY_ITEMS * 5).map(([key, item]) => [key, forDisplay(item)]))
    return entries.length > DISPLAY_ITEMS * 5
      ? { ...shown, '…': `${entries.length - DISPLAY_ITEMS * 5} more keys` }
      : shown
  }
  return value
}
