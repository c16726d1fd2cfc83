/**
 * AWS Signature Version 4 with the AWS SDK's own signer (@smithy/signature-v4), not a hand-rolled
 * one: the canonical request has enough corners (header folding, path escaping, query order) that
 * the SDK's tested code is the safer choice. Its hash is node:crypto's sha256, so no
 * @aws-crypto package is needed. This file loads only with the sagemaker target's connect.ts.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto'
import { SignatureV4 } from '@smithy/signature-v4'
import type { Checksum, SourceData } from '@smithy/types'

export interface AwsCredentials {
  accessKeyId: string
  secretAccessKey: string
  /** The session token of temporary credentials (an assumed role's, as OIDC gives). */
  sessionToken?: string
}

/** What is signed: the request as it will be sent, its Host header included. */
export interface SignableRequest {
  method: string
  url: URL
  /** Lower- or mixed-case names; `host` must be among them. */
  headers: Record<string, string>
  body: string
}

export interface SigningScope {
  credentials: AwsCredentials
  region: string
  /** The signing name (botocore's signingName): `sagemaker`. */
  service: string
  date: Date
  /** Also send the body's hash as x-amz-content-sha256 (S3 needs it; JSON services do not). */
  signBody?: boolean
}

/** SHA-256 (and its HMAC, when given a key) over node:crypto, in the shape the signer takes. */
class Sha256 implements Checksum {
  private hash: Hash | Hmac
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh()
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret))
  }
  update(chunk: SourceData): void {
    this.hash.update(bytes(chunk))
  }
  digest(): Promise<Uint8Array> {
    return Promise.resolve(new Uint8Array(this.hash.digest()))
  }
  reset(): void {
    this.hash = this.fresh()
  }
}

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8')
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  return Buffer.from(data)
}

/** The query as the signer takes it: each name with its value, or its values when repeated. */
function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of url.searchParams) {
    const seen = query[name]
    query[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value]
  }
  return query
}

/**
 * The headers to add to the request: Authorization, X-Amz-Date, X-Amz-Security-Token (with a
 * session token) and, with signBody, x-amz-content-sha256.
 */
export async function signatureHeaders(request: SignableRequest, scope: SigningScope): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: scope.service,
    region: scope.region,
    credentials: scope.credentials,
    sha256: Sha256,
    applyChecksum: scope.signBody ?? false
  })
  const { url } = request
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: queryOf(url),
      headers: { ...request.headers },
      body: request.body
    },
    { signingDate: scope.date }
  )
  const added: Record<string, string> = {}
  const given = new Set(Object.keys(request.headers).map((name) => name.toLowerCase()))
  for (const [name, value] of Object.entries(signed.headers))
    if (!given.has(name.toLowerCase()) || name.toLowerCase() === 'authorization') added[name] = value
  return added
}
