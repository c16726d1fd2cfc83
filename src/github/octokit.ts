/**
 * @actions/github's Octokit, loaded only when a step really calls the GitHub API. Importing
 * @actions/github parses the event file on the spot (its context), and the client and its plugins
 * are most of the bundle: an event that needs no API call pays for neither.
 */
import type { getOctokit } from '@actions/github'

export type Octokit = ReturnType<typeof getOctokit>
type Options = NonNullable<Parameters<typeof getOctokit>[1]>

export async function loadOctokit(
  token: string,
  options: Options,
  plugins: { retry?: boolean } = {}
): Promise<Octokit> {
  const [github, { throttling }, { retry }] = await Promise.all([
    import('@actions/github'),
    import('@octokit/plugin-throttling'),
    import('@octokit/plugin-retry')
  ])
  return plugins.retry
    ? github.getOctokit(token, options, retry, throttling)
    : github.getOctokit(token, options, throttling)
}
