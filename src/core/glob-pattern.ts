/**
 * Globs with named captures: `data/{dataset}/**\/*.csv`. Matching is minimatch's, with
 * `{name}` read as `*`; captures are then read off the aligned path segment.
 *
 * minimatch options, and why:
 * - dot: `data/**` must match `data/.hidden` too, as GitHub's `on.push.paths` does;
 * - nobrace: `{…}` is our capture syntax, so brace lists are refused instead of expanded;
 * - noext, nocomment, nonegate: `(`, `#` and `!` in file names stay literal (we handle `!` ourselves).
 */
import { Minimatch } from 'minimatch'
import { UserError } from '../errors.js'

export const MINIMATCH_OPTIONS = { dot: true, nobrace: true, noext: true, nocomment: true, nonegate: true } as const

/** Placeholders every request has; a capture may not reuse these names. */
export const BUILT_IN_PLACEHOLDERS = ['path', 'dir', 'name', 'stem', 'ext', 'sha', 'ref'] as const

interface CaptureSegment {
  /** Index from the start (>= 0) or from the end (< 0) of the path segments. */
  index: number
  regex: RegExp
}

export interface GlobPattern {
  source: string
  captureNames: string[]
  /** The literal directories every match starts with (`data/raw/` for `data/raw/**`), '' if none. */
  prefix: string
  /** A plain-text segment every match has (`set01` for `**\/set01/*.csv`), if the glob has one. */
  segment?: string
  /** The captures when the path matches, otherwise undefined. */
  match(path: string): Record<string, string> | undefined
}

const BRACE = /\\.|\{([^{}]*)\}/g
/** One frozen answer for every match of a glob without captures: 100,000 matches allocate nothing. */
const NO_CAPTURES: Record<string, string> = Object.freeze({})
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/
const GLOB_CHARS = /[*?[\]\\]/

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** Compiles one glob (without a leading `!`). Throws a UserError that explains the fix. */
export function compileGlob(glob: string): GlobPattern {
  if (glob.startsWith('/')) {
    throw new UserError(
      `glob ${JSON.stringify(glob)} starts with "/": paths are relative to the repository root, write ${JSON.stringify(glob.replace(/^\/+/, ''))}.`
    )
  }
  const captureNames: string[] = []
  const minimatchSource = glob.replace(BRACE, (whole, name: string | undefined) => {
    if (name === undefined) return whole // an escaped character such as \{
    if (!IDENTIFIER.test(name)) {
      throw new UserError(
        `glob ${JSON.stringify(glob)}: ${whole} is not a capture. Captures are {identifier}; brace lists like {a,b} are not supported, so write one glob per alternative.`
      )
    }
    if ((BUILT_IN_PLACEHOLDERS as readonly string[]).includes(name)) {
      throw new UserError(
        `glob ${JSON.stringify(glob)}: capture {${name}} clashes with the built-in placeholder {${name}}; rename it, e.g. {dataset}.`
      )
    }
    if (captureNames.includes(name)) {
      throw new UserError(
        `glob ${JSON.stringify(glob)}: capture {${name}} appears twice; give each capture its own name.`
      )
    }
    captureNames.push(name)
    return '*'
  })
  const matcher = new Minimatch(minimatchSource, MINIMATCH_OPTIONS)
  // minimatch resolves `.`, `..` and empty segments (`a/../b` matches `b`), so such a glob gets no shortcut.
  const plain = !minimatchSource.split('/').some((part) => part === '' || part === '.' || part === '..')
  const segment = plain ? literalSegment(minimatchSource) : undefined
  // `data/**`, the commonest glob, matches every path under data/: no need to ask minimatch path by path.
  const wholeFolder =
    plain && captureNames.length === 0 && minimatchSource === `${literalPrefix(glob)}**`
      ? literalPrefix(glob)
      : undefined
  const captures = captureNames.length > 0 ? captureSegments(glob) : []
  return {
    source: glob,
    captureNames,
    prefix: plain ? literalPrefix(glob) : '',
    ...(segment !== undefined ? { segment } : {}),
    match(path) {
      if (wholeFolder !== undefined ? !underFolder(path, wholeFolder, matcher) : !matcher.match(path)) return undefined
      if (captures.length === 0) return NO_CAPTURES
      const values: Record<string, string> = {}
      const segments = path.split('/')
      for (const { index, regex } of captures) {
        const segment = segments[index >= 0 ? index : segments.length + index]
        const found = segment === undefined ? null : regex.exec(segment)
        if (!found?.groups) return undefined // a capture never matches an empty string
        Object.assign(values, found.groups)
      }
      return values
    }
  }
}

/**
 * A path with segments minimatch resolves (`.`, `..`, empty ones: `a//b` matches `a/b/**`). Git
 * never lists such paths, but the shortcuts below leave them to minimatch all the same.
 */
export const hasOddSegment = (path: string): boolean => /(^|\/)\.{0,2}(\/|$)/.test(path)

/** `folder/**` with dot: true: every path under the folder; a path with odd segments is minimatch's to decide. */
function underFolder(path: string, folder: string, matcher: Minimatch): boolean {
  return hasOddSegment(path) ? matcher.match(path) : path.startsWith(folder)
}

/**
 * A segment of the glob that is plain text: every matching path has it as one of its segments
 * (`**` may stand for any number of segments, but never for part of a literal one). minimatch 11
 * no longer compiles a glob to a RegExp, so the planner uses this to look up candidate files in
 * an index instead of testing every file against every glob. Undefined when there is none.
 */
function literalSegment(minimatchSource: string): string | undefined {
  return minimatchSource
    .split('/')
    .filter((segment) => !/[*?[\]\\]/.test(segment))
    .sort((a, b) => b.length - a.length)[0]
}

/** The leading segments without wildcards, escapes or captures, each followed by `/`. */
function literalPrefix(glob: string): string {
  const segments = glob.split('/')
  let prefix = ''
  for (const segment of segments.slice(0, -1)) {
    if (/[*?[\]\\{]/.test(segment)) break
    prefix += `${segment}/`
  }
  return prefix
}

/** Works out which path segment each capture reads, and how. */
function captureSegments(glob: string): CaptureSegment[] {
  const segments = glob.split('/')
  const firstGlobstar = segments.indexOf('**')
  const lastGlobstar = segments.lastIndexOf('**')
  const result: CaptureSegment[] = []
  segments.forEach((segment, i) => {
    if (!segment.includes('{') || !/\{[A-Za-z_]/.test(segment.replace(/\\./g, ''))) return
    let index: number
    if (firstGlobstar === -1 || i < firstGlobstar) index = i
    else if (i > lastGlobstar) index = i - segments.length
    else {
      throw new UserError(
        `glob ${JSON.stringify(glob)}: a capture between two ** cannot be located; move it before the first or after the last **.`
      )
    }
    let pattern = ''
    let last = 0
    for (const found of segment.matchAll(BRACE)) {
      const literal = segment.slice(last, found.index)
      if (GLOB_CHARS.test(literal.replace(/\\./g, ''))) {
        throw new UserError(
          `glob ${JSON.stringify(glob)}: the segment ${JSON.stringify(segment)} mixes a capture with wildcards; only literal text may surround a capture in its segment.`
        )
      }
      pattern += escapeRegex(literal.replace(/\\(.)/g, '$1'))
      pattern += found[1] === undefined ? escapeRegex(found[0].slice(1)) : `(?<${found[1]}>.+)`
      last = found.index + found[0].length
    }
    const tail = segment.slice(last)
    if (GLOB_CHARS.test(tail.replace(/\\./g, ''))) {
      throw new UserError(
        `glob ${JSON.stringify(glob)}: the segment ${JSON.stringify(segment)} mixes a capture with wildcards; only literal text may surround a capture in its segment.`
      )
    }
    pattern += escapeRegex(tail.replace(/\\(.)/g, '$1'))
    result.push({ index, regex: new RegExp(`^${pattern}$`, 's') })
  })
  return result
}

/**
 * An ordered list of globs as in `on.push.paths`: a path is included when the last glob that
 * matches it is positive (`!` lines exclude). `ignore` globs exclude whatever the list says.
 */
export interface PathMatcher {
  match(path: string): Record<string, string> | undefined
  /** Every included path starts with one of these ('' means any path can match). */
  prefixes: string[]
  /** Every included path has one of these segments; undefined when some glob has no plain-text segment. */
  segments?: string[]
}

export function compilePathMatcher(globs: string[], ignore: string[] = []): PathMatcher {
  const ordered = globs.map((glob) =>
    glob.startsWith('!')
      ? { negated: true, pattern: compileGlob(glob.slice(1)) }
      : { negated: false, pattern: compileGlob(glob) }
  )
  if (!ordered.some((entry) => !entry.negated)) {
    throw new UserError(`globs ${JSON.stringify(globs)} only exclude; add a glob that includes files, e.g. "data/**".`)
  }
  const ignored = ignore.map((glob) => compileGlob(glob))
  const included = ordered.filter((entry) => !entry.negated).map((entry) => entry.pattern)
  const segments = included.map((pattern) => pattern.segment)
  return {
    prefixes: [...new Set(included.map((pattern) => pattern.prefix))],
    ...(segments.every((segment) => segment !== undefined) ? { segments: [...new Set(segments)] } : {}),
    match(path) {
      let captures: Record<string, string> | undefined
      for (const { negated, pattern } of ordered) {
        const found = pattern.match(path)
        if (found) captures = negated ? undefined : found
      }
      if (!captures || (ignored.length > 0 && ignored.some((pattern) => pattern.match(path)))) return undefined
      return captures
    }
  }
}
