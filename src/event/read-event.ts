/**
 * Reads the event the runner delivered (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH and the GITHUB_*
 * variables) into an EventContext. The action reads it itself, rather than through
 * @actions/github's context, which parses the file when it is imported: an empty, truncated,
 * UTF-16 or `null` event file then crashes with a stack trace before any of our code runs. Here
 * each of those is one clear error that names the file.
 */
import { readFileSync } from 'node:fs'
import { UserError, preview } from '../errors.js'
import type { EventContext } from './normalize-event.js'

function readPayload(path: string | undefined): Record<string, unknown> {
  if (!path) return {}
  let bytes: Buffer
  try {
    bytes = readFileSync(path)
  } catch (error) {
    throw new UserError(
      `The event file GITHUB_EVENT_PATH=${JSON.stringify(path)} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Run the action in a GitHub Actions job, or point GITHUB_EVENT_PATH at the event JSON.`
    )
  }
  const fix = 'It must hold the event JSON exactly as GitHub delivered it (UTF-8).'
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new UserError(`The event file ${path} is UTF-16 (${bytes.length} bytes). ${fix}`)
  }
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '')
  if (text.trim() === '') throw new UserError(`The event file ${path} is empty. ${fix}`)
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch (error) {
    throw new UserError(
      `The event file ${path} is not valid JSON (${(error as Error).message}; ${bytes.length} bytes). ${fix}`
    )
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new UserError(`The event file ${path} holds ${preview(payload)}, not a JSON object. ${fix}`)
  }
  return payload as Record<string, unknown>
}

export function readEvent(env: NodeJS.ProcessEnv): EventContext {
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  return {
    eventName: env.GITHUB_EVENT_NAME ?? '',
    payload: readPayload(env.GITHUB_EVENT_PATH),
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    repository: env.GITHUB_REPOSITORY ?? '',
    runId: /^\d+$/.test(env.GITHUB_RUN_ID ?? '') ? env.GITHUB_RUN_ID! : '',
    runAttempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    serverUrl: env.GITHUB_SERVER_URL || 'https://github.com',
    workflow: env.GITHUB_WORKFLOW ?? '',
    ...(env.GITHUB_WORKFLOW_REF ? { workflowRef: env.GITHUB_WORKFLOW_REF } : {})
  }
}
