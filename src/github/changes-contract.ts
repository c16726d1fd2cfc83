/**
 * What the changed-file fallback (src/changes/from-api.ts) asks of GitHub, and GitHub's ceilings on
 * the answers. Its own file with no imports, so planning reads the limits without loading the
 * client or its reply checks (they load only when git cannot answer).
 */
/** GitHub's documented ceilings: 3,000 files for a pull request, 300 per compare, 250 commits per compare. */
export const API_LIMITS = { pullFiles: 3000, compareFiles: 300, compareCommits: 250, commitFiles: 3000 } as const

export interface ApiFile {
  filename: string
  /** GitHub's diff-entry status: added, removed, modified, renamed, copied, changed, unchanged. */
  status: string
  previousFilename?: string
}

export interface ChangesApi {
  pullFiles(pullNumber: number): Promise<ApiFile[]>
  compare(base: string, head: string): Promise<{ files: ApiFile[]; commits: string[]; totalCommits: number }>
  commitFiles(sha: string): Promise<ApiFile[]>
  /** The newest successful run of a workflow file on a branch, other than `excludeRunId`. */
  lastSuccessfulRun(
    workflowFile: string,
    branch: string,
    excludeRunId: string
  ): Promise<{ id: string; headSha: string } | undefined>
}
