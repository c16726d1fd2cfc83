/** The fan-in mode: one summary and one `runs` output for every job of a fan-out. */
import { resolve } from 'node:path'
import { collectFanIn, fanInFailures } from '../report/fan-in.js'
import { fanInOutputs } from '../report/outputs.js'
import { setOutputs, stepDirectory } from '../report/set-outputs.js'
import { buildFanInSummary } from '../report/summary.js'
import { writeSummary } from '../report/write-summary.js'
import * as core from '../runner/commands.js'

export async function fanInMode(dir: string, matrix: string, workspace: string): Promise<void> {
  const collected = collectFanIn(resolve(workspace, dir), matrix)
  const failures = fanInFailures(collected)
  setOutputs(fanInOutputs(collected, failures), stepDirectory)
  await writeSummary(buildFanInSummary(collected, failures))
  if (failures.length > 0)
    core.setFailed(
      `${failures.length} of ${collected.length} fan-out request(s) did not succeed: ${failures.join('; ')}`
    )
}
