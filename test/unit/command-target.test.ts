/**
 * The command target's cancel with a real child process: the whole process group is stopped, and
 * a run the command reported to a ZenML server is stopped there too. The server side is a
 * recording stand-in of the two client calls cancel makes (getRun, stopRun).
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import type { ResolvedCommand } from '../../src/targets/command/resolve.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import { CommandTarget, readResultFile } from '../../src/targets/command/command-target.js'
import type { ZenmlConnection } from '../../src/zenml/connection.js'

const config: ResolvedCommand = {
  type: 'command',
  name: 'in-runner',
  maxParallel: 1,
  // Reports its run first, as a pipeline does once ZenML has created it, then keeps running.
  run: ['bash', '-c', 'printf \'{"run_id": "run-1"}\' > "$PIPELINE_TRIGGER_RESULT"; sleep 300 & wait', 'pipeline'],
  configArg: '--config',
  workingDirectory: '.'
}

const request: TriggerRequest = {
  index: 0,
  pipeline: 'training',
  pipelineName: 'training_pipeline',
  target: 'in-runner',
  targetConfig: { type: 'command', run: ['bash'] },
  parameters: {},
  reason: 'test',
  runName: 'training_pipeline-gh-1-1-0',
  idempotencyKey: 'pt-cancel-test',
  chain: { root: 'r', depth: 1, chain: ['training_pipeline'] }
}

function server(status: string) {
  const calls: string[] = []
  const connection = {
    apiKey: 'k',
    project: 'default',
    client: {
      url: 'http://127.0.0.1:1',
      getRun: async (id: string) => (calls.push(`get ${id}`), { id, name: 'run', status }),
      stopRun: async (id: string) => void calls.push(`stop ${id}`)
    }
  } as unknown as ZenmlConnection
  return { connection, calls }
}

describe('command target: cancel', () => {
  for (const [status, expected] of [
    ['running', ['get run-1', 'stop run-1']],
    ['completed', ['get run-1']]
  ] as const) {
    test(`stops the process group; a server run that is ${status} is ${status === 'running' ? 'stopped there too' : 'left alone'}`, async () => {
      const { connection, calls } = server(status)
      const runner = {
        workspace: process.cwd(),
        tempDir: mkdtempSync(join(tmpdir(), 'pt-cancel-')),
        env: { PATH: process.env.PATH ?? '' }
      }
      const target = new CommandTarget(
        { ...config, server: { url: 'http://127.0.0.1:1', apiKey: 'k', project: 'default' } },
        runner,
        connection
      )
      const handle = await target.start(request)
      // Wait until the pipeline has reported its run: the file exists as soon as the shell opens
      // it, so wait for its content, or a SIGTERM between open and write leaves nothing to stop.
      const resultPath = join(runner.tempDir, 'pipeline-trigger', `${request.idempotencyKey}.result.json`)
      for (let i = 0; i < 200 && !readResultFile(resultPath).runId; i++) await new Promise((r) => setTimeout(r, 50))
      await target.cancel(handle, AbortSignal.timeout(15_000))
      assert.equal(handle.process.outcome?.signal, 'SIGTERM')
      assert.deepEqual(calls, expected)
    })
  }
})

describe('command target: metrics', () => {
  const runner = () => ({
    workspace: process.cwd(),
    tempDir: mkdtempSync(join(tmpdir(), 'pt-metrics-')),
    env: { PATH: process.env.PATH ?? '' }
  })
  const run = async (script: string, connection?: ZenmlConnection) => {
    const target = new CommandTarget(
      {
        ...config,
        run: ['bash', '-c', script, 'pipeline'],
        ...(connection ? { server: { url: 'http://127.0.0.1:1', apiKey: 'k', project: 'default' } } : {})
      },
      runner(),
      connection
    )
    const handle = await target.start(request)
    await handle.changed
    return target.metrics(handle, AbortSignal.timeout(15_000))
  }

  test('the JSON file at PIPELINE_TRIGGER_METRICS, without a server', async () => {
    const reading = await run(`printf '{"accuracy": 0.93, "stage": "prod"}' > "$PIPELINE_TRIGGER_METRICS"`)
    assert.deepEqual({ ...reading.metrics }, { accuracy: 0.93, stage: 'prod' })
  })

  test('no file: no metrics and nothing said; a file that is not JSON: said, with the shape to write', async () => {
    assert.deepEqual((await run('true')).ignored, [])
    const bad = await run(`printf 'accuracy=0.9' > "$PIPELINE_TRIGGER_METRICS"`)
    assert.deepEqual({ ...bad.metrics }, {})
    assert.match(bad.ignored[0]!, /is not JSON .*write an object such as \{"accuracy": 0\.93\}/)
  })

  test('a server key the pipeline wrote into its metrics does not go on', async () => {
    const connection = {
      apiKey: 'zenkey-abcdef-123456',
      project: 'default',
      client: { url: 'http://127.0.0.1:1', getRunMetadata: async () => ({}) }
    } as unknown as ZenmlConnection
    const target = new CommandTarget(
      {
        ...config,
        run: ['bash', '-c', `printf '{"note": "key=zenkey-abcdef-123456"}' > "$PIPELINE_TRIGGER_METRICS"`, 'pipeline'],
        server: { url: 'http://127.0.0.1:1', apiKey: 'zenkey-abcdef-123456', project: 'default' }
      },
      runner(),
      connection
    )
    const handle = await target.start(request)
    await handle.changed
    const reading = await target.metrics(handle, AbortSignal.timeout(15_000))
    assert.equal(reading.metrics.note, 'key=***')
  })

  test("with a server: the run's metadata, with the file's values over it", async () => {
    const connection = {
      apiKey: 'k',
      project: 'default',
      client: {
        url: 'http://127.0.0.1:1',
        getRunMetadata: async (id: string) => ({ 'train::accuracy': 0.9, loss: 0.3, run: id })
      }
    } as unknown as ZenmlConnection
    const reading = await run(
      `printf '{"run_id": "run-1"}' > "$PIPELINE_TRIGGER_RESULT"; printf '{"loss": 0.25}' > "$PIPELINE_TRIGGER_METRICS"`,
      connection
    )
    assert.deepEqual({ ...reading.metrics }, { 'train::accuracy': 0.9, loss: 0.25, run: 'run-1' })
  })
})
