import type { FileStatus } from '../config/schema.js'

export interface ChangedFile {
  path: string
  status: FileStatus
  /** For renames and copies: the path before. */
  previousPath?: string
}

export interface ChangeSet {
  files: ChangedFile[]
  /** False when the list may be missing files (never silently acted on). */
  complete: boolean
  /** The commits compared, and why this base was chosen. */
  base: string
  head: string
  description: string
}
