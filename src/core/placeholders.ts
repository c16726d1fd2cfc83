/**
 * `{placeholder}` templates in config-authored parameter values. `{{` and `}}` stand for
 * literal braces. Only text the user wrote in the config or the `parameters` input is
 * rendered; values that come from the event (dispatch inputs, file names) are data and
 * are never rendered again, so a file named `{sha}` stays `{sha}`.
 */
import { posix } from 'node:path'
import { UserError } from '../errors.js'

// A name may have one dotted part ({upstream.run_id}).
const TOKEN = /\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?)\}/g

export type PlaceholderValues = Record<string, string>

export function renderTemplate(template: string, values: PlaceholderValues, where: string): string {
  return template.replace(TOKEN, (token, name: string | undefined) => {
    if (token === '{{') return '{'
    if (token === '}}') return '}'
    const value = Object.hasOwn(values, name!) ? values[name!] : undefined
    if (value === undefined) {
      const known = Object.keys(values).sort()
      throw new UserError(
        `${where}: unknown placeholder {${name}} in ${JSON.stringify(template)}. Available here: ${known.map((k) => `{${k}}`).join(' ') || 'none'}. Write {{${name}}} for a literal brace.`
      )
    }
    return value
  })
}

/** Renders every string inside a parameters value (mappings and lists included). */
export function renderParameters(
  parameters: Record<string, unknown>,
  values: PlaceholderValues,
  where: string
): Record<string, unknown> {
  const render = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') return renderTemplate(value, values, path)
    if (Array.isArray(value)) return value.map((item, i) => render(item, `${path}[${i}]`))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, `${path}.${k}`)]))
    }
    return value
  }
  return Object.fromEntries(Object.entries(parameters).map(([key, value]) => [key, render(value, `${where}.${key}`)]))
}

/** {path} {dir} {name} {stem} {ext} of a file or directory path. `ext` has no dot. */
export function pathPlaceholders(path: string): PlaceholderValues {
  const name = posix.basename(path)
  const dot = name.lastIndexOf('.')
  const hasExt = dot > 0 // `.env` is a stem, not an extension
  return {
    path,
    dir: posix.dirname(path),
    name,
    stem: hasExt ? name.slice(0, dot) : name,
    ext: hasExt ? name.slice(dot + 1) : ''
  }
}
