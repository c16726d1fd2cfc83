/**
 * Broken networks on loopback: a port nothing listens on (refused), and a proxy in front of a real
 * counterpart that, for the requests a test picks, never answers (hang), drops the connection with
 * a TCP reset (reset), or passes the request on and drops the connection once the counterpart has
 * answered (lose: it acted, its answer is lost). Everything else passes through unchanged.
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault = 'hang' | 'reset' | 'lose' | 'refuse'

/** A loopback URL whose port was free a moment ago: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

export interface FaultProxy {
  url: string
  /** How many requests met the fault. */
  faulted: number
  close(): Promise<void>
}

/**
 * @param upstream where healthy requests go; without one, every request meets the fault ('lose' needs one).
 * @param matches which requests meet the fault (method and path with query; with 'lose', the body too).
 */
export async function faultProxy(
  fault: 'hang' | 'reset' | 'lose',
  matches: (method: string, path: string, body?: string) => boolean = () => true,
  upstream?: string
): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: '', faulted: 0, close: async () => {} }
  const server = createServer((req, res) => {
    if (fault === 'lose') {
      if (!upstream) throw new Error("faultProxy('lose') needs an upstream: the counterpart that acts")
      return loseAnswer(req, res, upstream, matches, proxy)
    }
    if (!upstream || matches(req.method ?? 'GET', req.url ?? '/')) {
      proxy.faulted++
      if (fault === 'reset') req.socket.resetAndDestroy()
      return // hang: the request is read, and never answered
    }
    const target = new URL(req.url ?? '/', upstream)
    const forward = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  proxy.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return proxy
}

/** Reads the request whole, passes it on, and for a matching one drops the connection once the counterpart has answered. */
function loseAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: string,
  matches: (method: string, path: string, body?: string) => boolean,
  proxy: FaultProxy
): void {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const lose = matches(req.method ?? 'GET', req.url ?? '/', body.toString('utf8'))
    const target = new URL(req.url ?? '/', upstream)
    const forward = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        if (lose) {
          proxy.faulted++
          answer.resume()
          answer.on('end', () => req.socket.resetAndDestroy())
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    forward.on('error', () => res.destroy())
    forward.end(body)
  })
}
