/**
 * Parses `git diff --name-status -z` output. With -z every path is verbatim (no C-quoting),
 * so newlines, tabs, quotes and non-ASCII bytes survive. Records are
 * `STATUS\0path\0`, or `R<score>\0old\0new\0` / `C<score>\0old\0new\0`.
 */
import type { FileStatus } from '../config/schema.js'
import type { ChangedFile } from './changed-file.js'

const STATUS: Record<string, FileStatus> = {
  A: 'added',
  M: 'modified',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed'
}

export function parseNameStatus(output: Buffer): ChangedFile[] {
  const fields = output.toString('utf8').split('\0')
  if (fields.at(-1) === '') fields.pop()
  const files: ChangedFile[] = []
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++]!
    const letter = code.charAt(0)
    const status = STATUS[letter]
    if (!status) {
      // U (unmerged) and X (unknown) cannot occur between two commits; fail loudly if they do.
      throw new Error(`git diff reported an unexpected status ${JSON.stringify(code)}`)
    }
    if (letter === 'R' || letter === 'C') {
      const previousPath = fields[i++]
      const path = fields[i++]
      if (previousPath === undefined || path === undefined) throw new Error('git diff output ended inside a rename record')
      files.push({ path, status, previousPath })
    } else {
      const path = fields[i++]
      if (path === undefined) throw new Error('git diff output ended inside a record')
      files.push({ path, status })
    }
  }
  return files
}
