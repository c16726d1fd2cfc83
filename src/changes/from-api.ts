/**
 * Changed files from the GitHub API, for when git cannot answer (no .git in the workspace, or a
 * fetch that fails). The API has ceilings, so every result says whether it is complete:
 * - pull request: the PR files (at most 3,000), checked against the PR's changed_files count;
 * - push and merge group: compare (at most 300 files, 250 commits); at 300 files the commits are
 *   walked one by one and their changes folded together (each commit up to 3,000 files).
 */
import type { FileStatus } from '../config/schema.js'
import { UserError } from '../errors.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import type { ChangeSet, ChangedFile } from './change-set.js'
import type { Log } from './from-git.js'
import { API_LIMITS, type ApiFile, type ChangesApi } from '../github/changes-contract.js'

const STATUS: Record<string, FileStatus | undefined> = {
  added: 'added',
  removed: 'deleted',
  modified: 'modified',
  renamed: 'renamed',
  copied: 'copied',
  changed: 'type-changed',
  unchanged: undefined
}

function toChangedFiles(files: ApiFile[]): ChangedFile[] {
  return files.flatMap((f) => {
    const status = STATUS[f.status]
    if (!status) return []
    return [
      {
        path: f.filename,
        status,
        ...(f.previousFilename && (status === 'renamed' || status === 'copied')
          ? { previousPath: f.previousFilename }
          : {})
      }
    ]
  })
}

/**
 * Folds per-commit changes, oldest first, into the change of the whole range: a file added then
 * modified is added, added then removed is gone, renamed twice keeps its first name.
 */
export function foldCommits(commits: ChangedFile[][]): ChangedFile[] {
  const state = new Map<string, ChangedFile>()
  for (const files of commits) {
    for (const file of files) {
      const earlier = state.get(file.path)
      if (file.status === 'renamed' && file.previousPath !== undefined) {
        const origin = state.get(file.previousPath)
        state.delete(file.previousPath)
        const firstName = origin?.previousPath ?? file.previousPath
        if (origin?.status === 'added' || origin?.status === 'copied')
          state.set(file.path, { path: file.path, status: 'added' })
        else if (firstName === file.path)
          state.set(file.path, { path: file.path, status: 'modified' }) // renamed back
        else state.set(file.path, { path: file.path, status: 'renamed', previousPath: firstName })
      } else if (file.status === 'deleted') {
        if (earlier?.status === 'added' || earlier?.status === 'copied')
          state.delete(file.path) // never existed at the base
        else if (earlier?.status === 'renamed' && earlier.previousPath !== undefined) {
          state.delete(file.path)
          state.set(earlier.previousPath, { path: earlier.previousPath, status: 'deleted' })
        } else state.set(file.path, { path: file.path, status: 'deleted' })
      } else if (file.status === 'added') {
        state.set(file.path, earlier?.status === 'deleted' ? { path: file.path, status: 'modified' } : file)
      } else if (!earlier || earlier.status === 'deleted') {
        state.set(file.path, file)
      } // modified after added / renamed / copied keeps the earlier status
    }
  }
  return [...state.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

export class ApiChanges {
  constructor(
    private readonly api: ChangesApi,
    private readonly log: Log
  ) {}

  async forEvent(event: TriggerEvent): Promise<ChangeSet | undefined> {
    if (event.kind === 'pull_request' && event.pullRequest) {
      const { number, changedFiles, baseSha, headSha } = event.pullRequest
      const files = toChangedFiles(await this.api.pullFiles(number))
      const complete = changedFiles !== undefined ? files.length >= changedFiles : files.length < API_LIMITS.pullFiles
      const description = `pull request #${number} from the API: ${files.length}${changedFiles !== undefined ? ` of ${changedFiles}` : ''} files${complete ? '' : ` (the API lists at most ${API_LIMITS.pullFiles})`}`
      return this.result(files, complete, baseSha, headSha, description)
    }
    if (event.kind === 'merge_group' && event.mergeGroup) {
      return this.compare(event.mergeGroup.baseSha, event.mergeGroup.headSha, 'merge group')
    }
    if (event.kind === 'push' && event.push) {
      const { before, after, created, deleted } = event.push
      if (deleted) return this.result([], true, before, before, 'the push deleted the ref')
      if (event.isTag)
        return this.result(
          [],
          false,
          after,
          after,
          `tag ${event.refName}: finding the previous tag needs a git checkout`
        )
      if (created) {
        if (!event.defaultBranch)
          throw new UserError(
            'A new branch was pushed without a git checkout and without repository.default_branch in the event; add actions/checkout before this step.'
          )
        return this.compare(event.defaultBranch, after, `new branch (compared with ${event.defaultBranch})`)
      }
      return this.compare(before, after, 'push')
    }
    return undefined
  }

  /** The changes between two commits (schedule and dispatch rules with paths). */
  between(base: string, head: string, what: string): Promise<ChangeSet> {
    return this.compare(base, head, what)
  }

  private async compare(base: string, head: string, what: string): Promise<ChangeSet> {
    const range = `${base.slice(0, 12)}...${head.slice(0, 12)}`
    const comparison = await this.api.compare(base, head)
    if (comparison.files.length < API_LIMITS.compareFiles) {
      return this.result(toChangedFiles(comparison.files), true, base, head, `${what}: ${range} from the compare API`)
    }
    // Compare stops at 300 files: walk the commits and fold their changes.
    this.log(
      `The compare API stops at ${API_LIMITS.compareFiles} files; walking ${comparison.commits.length} commits one by one.`
    )
    let complete = comparison.totalCommits <= comparison.commits.length
    const perCommit: ChangedFile[][] = []
    for (const sha of comparison.commits) {
      const files = await this.api.commitFiles(sha)
      if (files.length >= API_LIMITS.commitFiles) complete = false
      perCommit.push(toChangedFiles(files))
    }
    const missing = complete
      ? ''
      : ` (incomplete: ${comparison.totalCommits} commits, the API lists ${comparison.commits.length}, at most ${API_LIMITS.commitFiles} files each)`
    return this.result(
      foldCommits(perCommit),
      complete,
      base,
      head,
      `${what}: ${range}, ${comparison.commits.length} commits walked through the API${missing}`
    )
  }

  private result(files: ChangedFile[], complete: boolean, base: string, head: string, description: string): ChangeSet {
    this.log(`Changed files: ${files.length} (${description}).`)
    return { files, complete, base, head, description }
  }
}
