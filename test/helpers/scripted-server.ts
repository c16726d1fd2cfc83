/**
 * A real HTTP server on 127.0.0.1 whose every reply the test scripts: it records each request
 * (method, path with query, headers, body) and answers with what the script returns for it, or
 * drops the connection with a TCP reset (a lost answer). A script that throws answers 599 with the
 * error, and the error is kept in `scriptErrors`, so a test can check its server did not misfire.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface SeenRequest {
  method: string
  /** The path with its query, as sent. */
  path: string
  headers: IncomingHttpHeaders
  /** The raw body. */
  body: string
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown
}

/**
 * A reply: `body` as a string is sent as it is (text/plain unless the headers say otherwise); any
 * other value but undefined is sent as JSON. 'reset' drops the connection without an answer.
 */
export type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'reset'

export interface ScriptedServer {
  url: string
  requests: SeenRequest[]
  scriptErrors: string[]
  close(): Promise<void>
}

export async function scriptedServer(
  script: (request: SeenRequest, index: number) => Answer | Promise<Answer>
): Promise<ScriptedServer> {
  const requests: SeenRequest[] = []
  const scriptErrors: string[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      let json: unknown
      try {
        json = body ? JSON.parse(body) : undefined
      } catch {
        json = undefined
      }
      const seen: SeenRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body,
        ...(json !== undefined ? { json } : {})
      }
      requests.push(seen)
      Promise.resolve()
        .then(() => script(seen, requests.length - 1))
        .then(
          (answer) => {
            if (answer === 'reset') return req.socket.resetAndDestroy()
            const headers = { ...answer.headers }
            let payload: string | undefined
            if (typeof answer.body === 'string') {
              payload = answer.body
              headers['content-type'] ??= 'text/plain; charset=utf-8'
            } else if (answer.body !== undefined) {
              payload = JSON.stringify(answer.body)
              headers['content-type'] ??= 'application/json'
            }
            res.writeHead(answer.status, headers)
            res.end(payload)
          },
          (error: unknown) => {
            scriptErrors.push(String(error))
            res.writeHead(599, { 'content-type': 'text/plain' })
            res.end(`script error: ${String(error)}`)
          }
        )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    scriptErrors,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Every form src/errors.ts redact() removes a secret in: as is, JSON-escaped, URL-encoded, base64 (both alphabets), hex. */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8')
  const base64 = bytes.toString('base64')
  return [
    ...new Set([
      secret,
      JSON.stringify(secret).slice(1, -1),
      encodeURIComponent(secret),
      base64,
      base64.replace(/=+$/, ''),
      bytes.toString('base64url'),
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase()
    ])
  ]
}

/** A text that echoes the secret in every one of those forms, as a careless server might. */
export function echoing(secret: string): string {
  return secretForms(secret)
    .map((form, i) => `form${i}=${form}`)
    .join(' ')
}
