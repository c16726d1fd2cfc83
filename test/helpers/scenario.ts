/** Shared pieces of the e2e scenarios: the recording command and its log. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT, VENV_PYTHON, runAction } from './run-action.js'
import { pushPayload } from '../../scripts/lib/push-payload.js'

export { pushPayload }

export const RECORD_COMMAND = [VENV_PYTHON, join(ROOT, 'test/fixtures/record_run.py')].join('\n')

/** The recording command as a config-file target (flow YAML). */
export const RECORD_TARGET_YAML = `{type: command, run: [${RECORD_COMMAND.split('\n')
  .map((a) => JSON.stringify(a))
  .join(', ')}]}`

export interface RunRecord {
  argv: string[]
  config: {
    run_name: string
    parameters?: Record<string, unknown>
    steps?: Record<string, { parameters: Record<string, unknown> }>
  }
  parameters_json: Record<string, unknown>
  pipeline: string
  run_name: string
  idempotency_key: string
  pipeline_context: { root: string; depth: number; chain: string[] }
  input_variables: string[]
  cwd: string
}

/** A fresh record file; read() returns what the command saw, one entry per run. */
export function recorder(): { env: { RECORD_FILE: string }; read(): RunRecord[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'pt-record-')), 'runs.jsonl')
  return {
    env: { RECORD_FILE: file },
    read: () =>
      existsSync(file)
        ? readFileSync(file, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as RunRecord)
        : []
  }
}

/** The action on a push of base..tip to main, as the runner delivers it, on the given checkout. */
export function pushToMain(options: {
  workspace: string
  base: string
  tip: string
  inputs: Record<string, string>
  env?: Record<string, string>
}) {
  const { workspace, base, tip, inputs, env = {} } = options
  return runAction({
    eventName: 'push',
    payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip }),
    sha: tip,
    ref: 'refs/heads/main',
    workspace,
    env,
    inputs
  })
}
