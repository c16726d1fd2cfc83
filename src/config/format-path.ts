import { preview } from '../errors.js'

/** A zod issue path as people write it: a.b[0].c. */
type Path = readonly PropertyKey[]

export function formatPath(path: Path): string {
  // A key of a path is the user's text: a huge one is cut, with its size.
  const name = (key: PropertyKey) => (String(key).length > 60 ? preview(String(key), 60) : String(key))
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${name(key)}` : name(key)),
    ''
  )
}
