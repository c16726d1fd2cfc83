import type { FileStatus } from '../config/schema.js'
import { UserError } from '../errors.js'

/**
 * The changed files cannot be listed here. `reason` says why; the message adds the fix for a
 * workflow step, and the CLI puts a fix for a terminal in its place.
 */
export class ChangesUnavailable extends UserError {
  override name = 'ChangesUnavailable'
  constructor(
    readonly reason: string,
    stepFix: string
  ) {
    super(stepFix ? `${reason} ${stepFix}` : reason)
  }
}

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
