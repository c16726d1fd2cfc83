/**
 * Turns a ZenML server error into a message that says what happened and what to do.
 * ZenML bodies come as {"detail": ["ExceptionClass", "message"]}, {"detail": "text"},
 * {"detail": [{loc, msg}]} or a top-level ["ValueError", "message"] (request validation).
 */
import { UserError, quoteServer } from '../errors.js'
import { RETRYABLE_STATUS } from '../retry.js'

export class ZenmlError extends UserError {
  override name = 'ZenmlError'
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }

  /** The one retry policy reads this: a rate limit or a gateway error is worth another try. */
  get transient(): boolean {
    return RETRYABLE_STATUS.has(this.status)
  }
}

/** The server's own words, shortened to one line. */
export function serverMessage(body: unknown): string {
  const pick = (value: unknown): string => {
    if (typeof value === 'string') return value
    if (Array.isArray(value)) {
      if (value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string')
        return `${value[0]}: ${value[1]}`
      return value
        .map((item) =>
          item && typeof item === 'object' && 'msg' in item ? String((item as { msg: unknown }).msg) : pick(item)
        )
        .join('; ')
    }
    if (value && typeof value === 'object' && 'detail' in value) return pick((value as { detail: unknown }).detail)
    return value === undefined ? '' : JSON.stringify(value)
  }
  return quoteServer(pick(body))
}

/** `what` names the call, e.g. "logging in to https://zenml.example.com". */
export function zenmlError(status: number, body: unknown, what: string, retryAfterMs?: number): ZenmlError {
  const said = serverMessage(body)
  const fix: Record<number, string> = {
    400: 'the server refused the request as invalid; the message above says which field.',
    401: 'the API key is wrong, inactive or expired. Create a service-account key (OSS: zenml service-account create NAME; ZenML Pro: an organization service account, ZENPROKEY_…) and pass it from a secret as zenml-api-key, or through the env var a target names in api-key: env:NAME.',
    402: 'your ZenML Pro plan does not include this feature; check the workspace plan.',
    403: 'the service account lacks a permission the message names; grant it in the project (ZenML Pro roles).',
    404: 'nothing with that id or name exists on this server in this project; check zenml-url and project.',
    405: 'this server cannot run snapshots: ZenML Pro or a workload manager is needed; use the command target for ZenML OSS.',
    409: 'a run with this name already exists in the project. If run-name is set, keep {run_id}, {attempt} and {index} in it so each request gets its own name; otherwise the request already ran (re-run the job for a new attempt).',
    422: 'the request did not match what the server expects; check the parameter types.',
    429: 'the server is rate-limiting requests; wait a minute and re-run the job.',
    501: 'this server cannot run snapshots: ZenML Pro or a workload manager is needed; use the command target for ZenML OSS.'
  }
  const notRunnable =
    status === 400 && /not runnable|can ?not be run via the server|associated build|local stack components/i.test(said)
  const hint = notRunnable
    ? 'the snapshot is not runnable from the server: it needs a build on a remote stack (remote orchestrator, artifact store and container registry). Create the snapshot on such a stack, or use the command target.'
    : (fix[status] ?? (status >= 500 ? 'the server failed; check its logs, then re-run the job.' : 'see the message.'))
  return new ZenmlError(
    `ZenML server: HTTP ${status} while ${what}${said ? `: ${said}` : ''}. Fix: ${hint}`,
    status,
    retryAfterMs
  )
}
