/** The job summary, written by @actions/core's summary module (see src/runner/commands.ts for why not its index). */
import { summary } from '../../node_modules/@actions/core/lib/summary.js'
import { errorMessage } from '../errors.js'
import * as core from '../runner/commands.js'

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, a full disk) is a warning: the runs' outcome decides the step. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(
      `The job summary could not be written (${errorMessage(error)}); the outputs and the log have the results.`
    )
  }
}
