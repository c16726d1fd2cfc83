/** Sets the step's outputs; an output too large for GitHub's budget goes whole to a file in RUNNER_TEMP. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as core from '../runner/commands.js'
import { fitOutputs, type OutputName } from './outputs.js'

/** A fresh directory in RUNNER_TEMP for this step's files. */
export function stepDirectory(): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'pipeline-trigger-'))
}

/** `dir` is made only when an output has to go to a file. */
export function setOutputs(outputs: Record<OutputName, string>, dir: () => string): void {
  const fitted = fitOutputs(outputs, (name, value) => {
    const path = join(dir(), `${name}.json`)
    writeFileSync(path, value)
    return path
  })
  for (const message of fitted.cut) core.warning(message)
  for (const [name, value] of Object.entries(fitted.outputs)) core.setOutput(name, value)
}
