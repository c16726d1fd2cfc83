/**
 * Parses `git diff --name-status -z` output. With -z every path is verbatim (no C-quoting),
 * so newlines, tabs, quotes and non-ASCII bytes survive. Records are
 * `STATUS\0path\0`, or `R<score>\0old\0new\0` / `C<score>\0old\0new\0`.
 */
import type { FileStatus } from '../config/schema.js'
import type { ChangedFile } from './change-set.js'

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed'
}

const strict = new TextDecoder('utf-8', { fatal: true })

/**
 * The NUL-terminated fields, each decoded as UTF-8 or undefined when it is not valid UTF-8.
 * One decode of the whole output when it is valid (nearly always); field by field otherwise.
 */
function decodeFields(output: Buffer): (string | undefined)[] {
  const end = output.lastIndexOf(0) + 1
  try {
    return end === 0 ? [] : strict.decode(output.subarray(0, end - 1)).split('\0')
  } catch {
    const fields: (string | undefined)[] = []
    for (let start = 0, stop = output.indexOf(0); stop !== -1; start = stop + 1, stop = output.indexOf(0, start)) {
      try {
        fields.push(strict.decode(output.subarray(start, stop)))
      } catch {
        fields.push(undefined)
      }
    }
    return fields
  }
}

/**
 * @returns the files, and how many names were not valid UTF-8: those cannot be passed on
 * faithfully as JSON text, so they are left out and the caller marks the list incomplete.
 */
export function parseNameStatus(output: Buffer): ChangedFile[] & { invalidNames?: number } {
  const fields = decodeFields(output)
  const files: ChangedFile[] & { invalidNames?: number } = []
  let invalidNames = 0
  for (let i = 0; i < fields.length;) {
    const code = fields[i++] ?? ''
    const letter = code.charAt(0)
    const status = STATUS[letter]
    if (!status) {
      // U (unmerged) and X (unknown) cannot occur between two commits; fail loudly if they do.
      throw new Error(`git diff reported an unexpected status ${JSON.stringify(code)}`)
    }
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++]
      const path = fields[i++]
      if (i > fields.length) throw new Error('git diff output ended inside a rename record')
      if (previousPath === undefined || path === undefined) invalidNames++
      else files.push({ path, status, previousPath })
    } else {
      const path = fields[i++]
      if (i > fields.length) throw new Error('git diff output ended inside a record')
      if (path === undefined) invalidNames++
      else files.push({ path, status })
    }
  }
  if (invalidNames > 0) files.invalidNames = invalidNames
  return files
}
