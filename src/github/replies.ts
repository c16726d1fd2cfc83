/**
 * What the workflow target reads from GitHub's REST replies (see src/http/read-reply.ts), named
 * after GitHub's published OpenAPI description; a fake in the tests is held to that description.
 */
import { z } from 'zod'
import { readReply } from '../http/read-reply.js'

export const repositoryReply = z.object({ default_branch: z.string().min(1) })

export const workflowReply = z.object({ path: z.string().min(1) })

/** A path's contents: a file has type "file" and base64 content; a folder is an array. */
export const contentReply = z.union([
  z.array(z.unknown()),
  z.object({ type: z.string(), content: z.string().optional() })
])

/** A dispatch answers 204 (nothing) or, asked for it, 200 with the run. */
export const dispatchReply = z
  .object({ workflow_run_id: z.number().int().positive().optional(), html_url: z.string().optional() })
  .nullish()

export const runReply = z.object({
  id: z.number().int().positive(),
  status: z.string().nullish(),
  conclusion: z.string().nullish(),
  html_url: z.string(),
  display_title: z.string().nullish()
})

export const runListReply = z.object({ workflow_runs: z.array(runReply) })

/** A file of a pull request, a compare or a commit: the fields the changed-file fallback reads. */
const diffEntryReply = z.object({
  filename: z.string().min(1),
  status: z.string(),
  previous_filename: z.string().optional()
})

export const pullFilesReply = z.array(diffEntryReply)

export const compareReply = z.object({
  files: z.array(diffEntryReply).optional(),
  commits: z.array(z.object({ sha: z.string().min(1) })),
  total_commits: z.number().int().nonnegative()
})

export const commitReply = z.object({ files: z.array(diffEntryReply).optional() })

export const successfulRunsReply = z.object({
  workflow_runs: z.array(z.object({ id: z.number().int().positive(), head_sha: z.string().min(1) }))
})

export function readGithubReply<T>(
  schema: z.ZodType<T>,
  body: unknown,
  what: string,
  secrets: (string | undefined)[] = []
): T {
  return readReply(schema, body, {
    server: 'GitHub API',
    what,
    secrets,
    fix: 'check that GITHUB_API_URL points at the GitHub REST API (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), not a proxy in front of it'
  })
}
