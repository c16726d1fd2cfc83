/**
 * The calls the sagemaker target makes: SageMaker's JSON 1.1 protocol (POST / with X-Amz-Target
 * SageMaker.<Operation>), each signed with SigV4 for the job's credentials and sent only to the
 * configured endpoint (redirects are refused, not followed), one request under the step's deadline.
 * A 408/425/429/5xx, a ThrottlingException (a 400 in JSON 1.1) or a lost answer is transient; any
 * other refusal names the operation, the endpoint, the service's error and the fix.
 */
import type { Clock } from '../../clock.js'
import { UserError, quoteServer, redact } from '../../errors.js'
import { fetchWithin, type Reply } from '../../http/fetch-within.js'
import { RETRYABLE_STATUS, TransientError, retryAfterMs } from '../../retry.js'
import { USER_AGENT } from '../../user-agent.js'
import type { ResolvedSageMaker } from './resolve.js'
import { signatureHeaders } from './sigv4.js'

/** AWS's error types that mean "come back later" (answered 400 in JSON 1.1, so not caught by the status). */
const TRANSIENT_TYPES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ServiceUnavailable',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException'
])

/** Errors about the credentials themselves, whatever the call: the fix is the credentials step. */
const CREDENTIAL_FIXES: Record<string, string> = {
  ExpiredTokenException:
    'the temporary credentials expired during the step; raise role-duration-seconds on aws-actions/configure-aws-credentials (default 1 hour) above the step timeout.',
  UnrecognizedClientException:
    'the credentials are not valid for this endpoint (a key from another partition, or a session token that does not match); check the aws-actions/configure-aws-credentials step and region.',
  InvalidClientTokenId:
    'the credentials are not valid for this endpoint; check the aws-actions/configure-aws-credentials step and region.',
  InvalidSignatureException:
    'the endpoint did not accept the request signature: check that endpoint and region name the same region (a VPC endpoint signs for its region), and that no proxy changes the request.',
  IncompleteSignature: 'the request signature was incomplete; check that no proxy strips its headers.',
  MissingAuthenticationToken: 'the request reached the endpoint unsigned; check that no proxy strips its headers.'
}

export interface AwsError {
  type: string
  message: string
}

export class SageMakerApi {
  readonly endpoint: string
  private readonly secrets: string[]

  constructor(
    private readonly config: ResolvedSageMaker,
    private readonly clock: Clock
  ) {
    this.endpoint = config.endpoint
    const { accessKeyId, secretAccessKey, sessionToken } = config.credentials
    this.secrets = [accessKeyId, secretAccessKey, ...(sessionToken ? [sessionToken] : [])]
  }

  /** What to hide from a message: every credential. */
  redact(text: string): string {
    return redact(text, this.secrets)
  }

  /**
   * One call. Returns the reply's JSON object for a 200, or the service's error for a refusal
   * the caller may act on; throws a transient error for a throttle or a server failure, and a
   * UserError for a credential or permission refusal (the same fix whatever the call).
   */
  async call(
    what: string,
    operation: string,
    body: Record<string, unknown>,
    signal: AbortSignal
  ): Promise<{ ok: Record<string, unknown> } | { refused: AwsError; status: number }> {
    const url = new URL('/', this.endpoint)
    const text = JSON.stringify(body)
    const headers = {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `SageMaker.${operation}`
    }
    const signed = await signatureHeaders(
      { method: 'POST', url, headers: { host: url.host, ...headers }, body: text },
      {
        credentials: this.config.credentials,
        region: this.config.region,
        service: 'sagemaker',
        date: new Date(this.clock.now())
      }
    )
    const reply = await fetchWithin(
      url,
      {
        method: 'POST',
        what,
        check: `that endpoint (${this.endpoint}) is reachable from the runner`,
        redirect: 'error',
        headers: { ...headers, ...signed, accept: 'application/json', 'user-agent': USER_AGENT },
        body: text
      },
      signal
    )
    if (reply.status === 200) {
      if (reply.json !== null && typeof reply.json === 'object' && !Array.isArray(reply.json))
        return { ok: reply.json as Record<string, unknown> }
      throw new UserError(
        `${what}: ${this.endpoint} answered HTTP 200 without a JSON object (${quoteServer(this.redact(reply.text), 80) || 'an empty body'}). Fix: set endpoint to SageMaker's API (https://api.sagemaker.${this.config.region}.amazonaws.com) or a VPC endpoint of it.`
      )
    }
    const refused = awsError(reply)
    if (RETRYABLE_STATUS.has(reply.status) || TRANSIENT_TYPES.has(refused.type))
      throw new TransientError(
        this.describe(what, reply.status, refused),
        retryAfterMs(reply.headers.get('retry-after'), this.clock.now())
      )
    if (Object.hasOwn(CREDENTIAL_FIXES, refused.type))
      throw new UserError(`${this.describe(what, reply.status, refused)}. Fix: ${CREDENTIAL_FIXES[refused.type]}`)
    if (refused.type === 'AccessDeniedException' || reply.status === 403)
      throw new UserError(
        `${this.describe(what, reply.status, refused)}. Fix: allow sagemaker:${operation} on this pipeline (arn:aws:sagemaker:${this.config.region}:<account>:pipeline/<name>, and its executions) in the policy of the role aws-actions/configure-aws-credentials assumes (role-to-assume)${operation === 'StartPipelineExecution' && this.config.roleArn ? `, and iam:PassRole on ${this.config.roleArn}` : ''}.`
      )
    return { refused, status: reply.status }
  }

  /** "…: ResourceNotFound (HTTP 400) from api.sagemaker…: <the service's words>" */
  describe(what: string, status: number, refused: AwsError): string {
    const said = quoteServer(this.redact(refused.message))
    return `${what}: ${refused.type} (HTTP ${status}) from ${new URL(this.endpoint).host}${said ? `: ${said}` : ''}`
  }

  /** The error for a refusal the caller did not expect, with its fix. */
  refusal(what: string, status: number, refused: AwsError, fix: string): UserError {
    return new UserError(`${this.describe(what, status, refused)}. Fix: ${fix}`)
  }
}

/** The service's error: JSON 1.1's __type (sometimes `namespace#Type`) and message, or X-Amzn-ErrorType. */
function awsError(reply: Reply): AwsError {
  const json = (reply.json ?? {}) as { __type?: unknown; message?: unknown; Message?: unknown }
  const raw = typeof json.__type === 'string' ? json.__type : (reply.headers.get('x-amzn-errortype') ?? '')
  const type = raw.replace(/^.*#/, '').replace(/:.*$/, '') || `HTTP ${reply.status}`
  const message =
    typeof json.message === 'string' ? json.message : typeof json.Message === 'string' ? json.Message : reply.text
  return { type, message }
}
