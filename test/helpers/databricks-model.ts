/**
 * The Databricks Jobs contract, from Node: one long-lived Python process (databricks_model.py, on
 * the pinned databricks-sdk 0.167.0 in .venv-models) that checks each request against the SDK's
 * JobsAPI method and each reply against its dataclass round trip. Databricks publishes no OpenAPI
 * file, so this is the weakest of the cloud contracts: it knows members, types and enum values,
 * not lengths, patterns or what the service requires beyond the SDK's own signatures.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { ROOT } from './run-action.js'

export const MODELS_PYTHON = join(ROOT, '.venv-models/bin/python')

export interface Exchange {
  method: string
  /** The path without its query. */
  path: string
}

export class DatabricksModel {
  private readonly pending = new Map<number, (errors: string[]) => void>()
  private next = 0
  private exited?: string

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    private readonly stderr: () => string
  ) {
    child.on('exit', (code) => {
      this.exited = `the Databricks contract checker exited (${code}): ${this.stderr()}`
      for (const settle of this.pending.values()) settle([this.exited])
      this.pending.clear()
    })
  }

  /** Starts the checker and waits until the SDK is loaded (a few seconds). */
  static async start(): Promise<DatabricksModel> {
    if (!existsSync(MODELS_PYTHON))
      throw new Error(`the pinned API models are missing (${MODELS_PYTHON}): run bash scripts/setup-python.sh`)
    const child = spawn(MODELS_PYTHON, [join(ROOT, 'test/helpers/databricks_model.py')], {
      env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' }
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-3000)))
    const lines = createInterface({ input: child.stdout })
    let model: DatabricksModel | undefined
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the Databricks contract checker exited (${code}): ${stderr}`)))
      lines.on('line', (line) => {
        const message = JSON.parse(line) as { ready?: boolean; id?: number; errors?: string[] }
        if (message.ready) {
          model = new DatabricksModel(child, () => stderr)
          return resolve()
        }
        const settle = model?.pending.get(message.id!)
        model?.pending.delete(message.id!)
        settle?.(message.errors ?? [])
      })
    })
    return model!
  }

  private ask(message: Record<string, unknown>): Promise<string[]> {
    if (this.exited) return Promise.resolve([this.exited])
    const id = this.next++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      this.child.stdin.write(`${JSON.stringify({ id, ...message })}\n`)
    })
  }

  /** What the SDK's JobsAPI refuses in a request: query for a GET, body for a POST. */
  requestErrors(exchange: Exchange, query: Record<string, string>, body: unknown): Promise<string[]> {
    return this.ask({ kind: 'request', ...exchange, query, body: body ?? null })
  }

  /** What the SDK's reply dataclass drops, changes or misses in a reply (an error's shape for status ≥ 400). */
  replyErrors(exchange: Exchange, status: number, body: unknown): Promise<string[]> {
    return this.ask({ kind: 'reply', ...exchange, status, body: body ?? null })
  }

  close(): void {
    this.child.kill('SIGTERM')
  }
}
