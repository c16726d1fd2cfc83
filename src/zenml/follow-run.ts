/** Polls a ZenML run until it finishes or the time is up, backing off from 1 s to 15 s. */
import { isFinished, type ZenmlRun } from './run-status.js'
import type { ZenmlClient } from './zenml-client.js'
import { ZenmlError } from './zenml-errors.js'

/** No answer, rate limit or a gateway error: the run is still there; ask again later. */
const TRANSIENT = new Set([0, 429, 502, 503, 504])

export interface FollowOptions {
  timeoutMs: number
  log: (message: string) => void
  sleep?: (ms: number) => Promise<void>
  now?: () => number
}

const FIRST_DELAY_MS = 1_000
const MAX_DELAY_MS = 15_000

export async function followRun(client: Pick<ZenmlClient, 'getRun'>, runId: string, options: FollowOptions): Promise<ZenmlRun & { timedOut: boolean }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const now = options.now ?? Date.now
  const deadline = now() + options.timeoutMs
  let delay = FIRST_DELAY_MS
  let lastStatus = ''
  for (;;) {
    let run: ZenmlRun
    try {
      run = await client.getRun(runId)
    } catch (error) {
      if (!(error instanceof ZenmlError && TRANSIENT.has(error.status)) || now() + delay > deadline) throw error
      options.log(`Polling run ${runId}: ${error.message} Trying again in ${delay / 1000}s.`)
      await sleep(delay)
      delay = Math.min(delay * 2, MAX_DELAY_MS)
      continue
    }
    if (run.status !== lastStatus) options.log(`ZenML run ${run.name || runId}: ${run.status}`)
    lastStatus = run.status
    if (isFinished(run)) return { ...run, timedOut: false }
    if (now() + delay > deadline) return { ...run, timedOut: true }
    await sleep(delay)
    delay = Math.min(delay * 2, MAX_DELAY_MS)
  }
}

/** The OSS dashboard's page for a run. */
export function dashboardUrl(serverUrl: string, project: string, runId: string): string {
  return `${serverUrl}/projects/${encodeURIComponent(project)}/runs/${encodeURIComponent(runId)}`
}
