/**
 * A trigger API on loopback that accepts every run with 202 and a Location status URL, and
 * reports it completed `runMs` after it was accepted: the shape of the tutorial's asynchronous
 * trigger API. It records when each run was accepted and how often each was polled.
 * Shared by the bench and the tests.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface AcceptingReceiver {
  /** The trigger URL. */
  url: string
  /** Run id → when it was accepted (ms since the epoch). */
  accepted: Map<string, number>
  /** Run id → status requests. */
  polls: Map<string, number>
  /** When each "completed" answer was given. */
  completedAt: number[]
  reset(): void
  close(): Promise<void>
}

export async function startAcceptingReceiver(runMs: number, apiKey?: string): Promise<AcceptingReceiver> {
  const accepted = new Map<string, number>()
  const polls = new Map<string, number>()
  const completedAt: number[] = []
  const server = createServer((req, res) => {
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body))
    if (apiKey !== undefined && req.headers['x-api-key'] !== apiKey) return json(401, { detail: 'bad key' })
    if (req.method === 'POST') {
      const id = `run-${accepted.size}`
      accepted.set(id, Date.now())
      return json(202, { run_id: id }, { location: `/status/${id}` })
    }
    const id = req.url!.split('/').at(-1)!
    if (!accepted.has(id)) return json(404, { detail: 'no such run' })
    polls.set(id, (polls.get(id) ?? 0) + 1)
    const done = Date.now() - accepted.get(id)! >= runMs
    if (done) completedAt.push(Date.now())
    json(200, { run_id: id, status: done ? 'completed' : 'running' })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/trigger`,
    accepted,
    polls,
    completedAt,
    reset() {
      accepted.clear()
      polls.clear()
      completedAt.length = 0
    },
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
