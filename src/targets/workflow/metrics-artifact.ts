/**
 * A workflow run's metrics: the run uploads them with actions/upload-artifact as an artifact named
 * `pipeline-metrics` holding one file, `metrics.json` (a JSON object). Once the run completed:
 * 1. its artifacts of that name are listed (the newest is read);
 * 2. GitHub answers the download with a redirect to a signed URL on its blob storage, which is
 *    fetched without the token (only the API ever sees it), over https, capped at 1 MiB;
 * 3. the zip is opened with fflate, loaded only here; only metrics.json is inflated, and only
 *    when it declares at most 1 MiB (inflated into a buffer of that size, so an entry that lies
 *    about its size cannot take more memory); then src/core/metrics.ts bounds what it says.
 * A run without the artifact, an expired or oversized one, and a file that is not JSON are notes
 * in `ignored`, never errors: metrics are optional. Errors are for calls that failed (GitHub or
 * the storage did not answer, or refused), with the fix.
 */
import { createHash } from 'node:crypto'
import { readMetrics, type MetricsReading } from '../../core/metrics.js'
import { UserError, errorMessage, quoteServer } from '../../errors.js'
import { REQUEST_LIMIT_MS, deadlineError, readUpTo } from '../../http/fetch-within.js'
import { hostOf, transportMessage } from '../../http/transport.js'
import { RETRYABLE_STATUS, TransientError } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ActionsApi } from './actions-api.js'

export const METRICS_ARTIFACT = 'pipeline-metrics'
export const METRICS_FILE = 'metrics.json'
/** The most the action downloads of the artifact, and inflates of metrics.json: 1 MiB. */
export const METRICS_MAX_BYTES = 1024 * 1024

const MIB = '1 MiB'

/** The metrics workflow run `runId` of owner/repo published, or notes saying why there are none. */
export async function readRunMetrics(
  api: ActionsApi,
  owner: string,
  repo: string,
  runId: number,
  signal: AbortSignal
): Promise<MetricsReading> {
  const where = `the ${METRICS_ARTIFACT} artifact of workflow run ${runId}`
  const none = (why: string): MetricsReading => {
    const reading = readMetrics(undefined, where)
    reading.ignored.push(`${why}; no metrics were read`)
    return reading
  }
  const artifacts = await api.runArtifacts(owner, repo, runId, METRICS_ARTIFACT, signal)
  const artifact = artifacts.find((a) => !a.expired) ?? artifacts[0]
  if (!artifact)
    return none(
      `workflow run ${runId} published no ${METRICS_ARTIFACT} artifact (to report metrics, upload ${METRICS_FILE} with actions/upload-artifact under that name)`
    )
  if (artifact.expired) return none(`${where} has expired (GitHub keeps artifacts for the repository's retention days)`)
  if (artifact.sizeInBytes > METRICS_MAX_BYTES)
    return none(
      `${where} is ${artifact.sizeInBytes} bytes, more than the ${MIB} the action downloads (upload ${METRICS_FILE} alone in it)`
    )

  const location = await api.artifactDownload(owner, repo, artifact.id, signal)
  if (location === 'expired') return none(`${where} has expired (GitHub answered 410 Gone to its download)`)
  const zip = await download(location, `downloading ${where} of ${owner}/${repo}`, signal)
  if (!zip) return none(`${where} holds more than the ${MIB} the action downloads (upload ${METRICS_FILE} alone in it)`)
  if (artifact.digest?.startsWith('sha256:')) {
    const actual = `sha256:${createHash('sha256').update(zip).digest('hex')}`
    if (actual !== artifact.digest.toLowerCase())
      return none(
        `${where} downloaded as ${actual}, not the ${artifact.digest} GitHub lists for it (a damaged download)`
      )
  }

  const file = await metricsFile(zip, where)
  if ('note' in file) return none(file.note)
  let parsed: unknown
  try {
    parsed = JSON.parse(file.text)
  } catch (error) {
    return none(`${file.name} in ${where} is not JSON (${quoteServer(errorMessage(error), 120)})`)
  }
  return readMetrics(parsed, where)
}

/**
 * The signed URL's bytes: no token or cookie goes with them (the URL is its own credential), a
 * redirect is refused, and at most 1 MiB is read: more is undefined. Bound by the step's deadline
 * and the request's own 30 s.
 */
async function download(url: URL, what: string, signal: AbortSignal): Promise<Uint8Array | undefined> {
  const perRequest = AbortSignal.timeout(REQUEST_LIMIT_MS)
  const check =
    "that the runner can reach GitHub's artifact storage (on GitHub Enterprise Server, the blob storage it is configured with)"
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': USER_AGENT },
      credentials: 'omit',
      redirect: 'error',
      signal: AbortSignal.any([signal, perRequest])
    })
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined)
      const answered = `${what}: ${hostOf(url)} answered HTTP ${response.status}`
      if (RETRYABLE_STATUS.has(response.status))
        throw new TransientError(`${answered}. The storage asked to try again later; the action does, within timeout.`)
      throw new UserError(
        `${answered}. Fix: the signed link GitHub gave may have expired before it was used: run the step again; if it persists, check ${check}.`
      )
    }
    if (Number(response.headers.get('content-length')) > METRICS_MAX_BYTES) {
      await response.body?.cancel().catch(() => undefined)
      return undefined
    }
    return await readUpTo(response, METRICS_MAX_BYTES)
  } catch (error) {
    // First: an aborted fetch rejects with the signal's own reason, which names neither the step nor the host.
    if (signal.aborted) throw deadlineError(what, url, signal)
    if (perRequest.aborted)
      throw new TransientError(
        `${what}: ${hostOf(url)} did not answer within ${REQUEST_LIMIT_MS / 1000}s. Check ${check}.`
      )
    if (error instanceof UserError) throw error
    if ((error as { cause?: Error }).cause?.message === 'unexpected redirect')
      throw new UserError(
        `${what}: ${hostOf(url)} answered with a redirect, which the action does not follow from the artifact storage. Fix: check ${check}.`
      )
    throw new TransientError(transportMessage(what, url, error, check))
  }
}

/**
 * metrics.json's text from the zip: the entry of that name at the root, else the one entry of that
 * name in a folder. Its declared size is checked before it is inflated, and it is inflated into a
 * buffer of that size, so memory stays within 1 MiB whatever the zip claims.
 */
async function metricsFile(zip: Uint8Array, where: string): Promise<{ name: string; text: string } | { note: string }> {
  const { unzipSync } = await import('fflate')
  const entries: { name: string; originalSize: number }[] = []
  try {
    // Lists the entries (the central directory) without inflating any.
    unzipSync(zip, {
      filter: (entry) => {
        entries.push({ name: entry.name, originalSize: entry.originalSize })
        return false
      }
    })
  } catch (error) {
    return { note: `${where} is not a zip archive the action can read (${errorMessage(error)})` }
  }
  const named = entries.filter((e) => !e.name.endsWith('/') && e.name.split(/[\\/]/).pop() === METRICS_FILE)
  const entry = named.find((e) => e.name === METRICS_FILE) ?? (named.length === 1 ? named[0] : undefined)
  if (!entry) {
    if (named.length)
      return {
        note: `${where} holds ${named.length} files named ${METRICS_FILE} (${list(named.map((e) => e.name))}) and none at its root, so which one holds the metrics is unclear (upload one, at the root)`
      }
    return {
      note: `${where} holds no ${METRICS_FILE}${entries.length ? ` (it holds ${list(entries.map((e) => e.name))})` : ' (it is empty)'}`
    }
  }
  if (entry.originalSize > METRICS_MAX_BYTES)
    return {
      note: `${entry.name} in ${where} declares ${entry.originalSize} bytes uncompressed, more than the ${MIB} the action reads, so it was not inflated`
    }
  let bytes: Uint8Array | undefined
  try {
    bytes = unzipSync(zip, {
      filter: (e) => e.name === entry.name && e.originalSize <= METRICS_MAX_BYTES
    })[entry.name]
  } catch (error) {
    return { note: `${entry.name} in ${where} could not be unzipped (${errorMessage(error)})` }
  }
  if (!bytes || bytes.length !== entry.originalSize)
    return {
      note: `${entry.name} in ${where} is damaged: it inflates to ${bytes?.length ?? 0} bytes, not the ${entry.originalSize} it declares`
    }
  try {
    return { name: entry.name, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { note: `${entry.name} in ${where} is not UTF-8 text` }
  }
}

/** Up to five names, quoted, and how many more. */
function list(names: string[]): string {
  const shown = names.slice(0, 5).map((n) => JSON.stringify(n.length > 60 ? `${n.slice(0, 59)}…` : n))
  return names.length > 5 ? `${shown.join(', ')} and ${names.length - 5} more` : shown.join(', ')
}
