/**
 * Broken networks on loopback: a port nothing listens on (refused), and a proxy in front of a real
 * counterpart that, for the requests a test picks, never answers (hang) or drops the connection
 * with a TCP reset (reset), or pass it on and reset the connection once the counterpart has
 * answered (reset-after-answer: the server acted, the answer was lost). Everything else passes
 * through unchanged.
 */
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Fault = 'hang' | 'reset' | 'reset-after-answer' | 'refuse'

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
 * @param upstream where healthy requests go; without one, every request meets the fault.
 * @param matches which requests meet the fault (method and path with query).
 */
export async function faultProxy(
  fault: 'hang' | 'reset' | 'reset-after-answer',
  matches: (method: string, path: string) => boolean = () => true,
  upstream?: string
): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: '', faulted: 0, close: async () => {} }
  const server = createServer((req, res) => {
    const faulty = !upstream || matches(req.method ?? 'GET', req.url ?? '/')
    if (faulty) proxy.faulted++
    if (faulty && fault !== 'reset-after-answer') {
      if (fault === 'reset') req.socket.resetAndDestroy()
      return // hang: the request is read, and never answered
    }
    const target = new URL(req.url ?? '/', upstream)
    const forward = httpRequest(
      target,
      { method: req.method, headers: { ...req.headers, host: target.host } },
      (answer) => {
        if (faulty) {
          answer.resume()
          answer.on('end', () => req.socket.resetAndDestroy())
          return
        }
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
