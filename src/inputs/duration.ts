/** Parses durations such as `90s`, `30m`, `1h30m` or `500ms` into milliseconds. */
const UNIT_MS: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1 }
const DURATION = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/

export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim())
  if (!match || text.trim() === '') return undefined
  const [, h, m, s, ms] = match
  const total =
    Number(h ?? 0) * UNIT_MS.h! +
    Number(m ?? 0) * UNIT_MS.m! +
    Number(s ?? 0) * UNIT_MS.s! +
    Number(ms ?? 0) * UNIT_MS.ms!
  return total > 0 ? total : undefined
}
