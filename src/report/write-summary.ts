/**
 * The job summary: Markdown appended to the file GITHUB_STEP_SUMMARY names, as GitHub documents it
 * (src/runner/commands.ts says why not through @actions/core).
 */
import { constants } from 'node:fs'
import { access, appendFile } from 'node:fs/promises'
import { errorMessage } from '../errors.js'
import * as core from '../runner/commands.js'

/** A summary that cannot be written (no GITHUB_STEP_SUMMARY, a full disk) is a warning: the runs' outcome decides the step. */
export async function writeSummary(markdown: string): Promise<void> {
  try {
    await appendSummary(markdown)
  } catch (error) {
    core.warning(
      `The job summary could not be written (${errorMessage(error)}); the outputs and the log have the results.`
    )
  }
}

async function appendSummary(markdown: string): Promise<void> {
  const file = process.env.GITHUB_STEP_SUMMARY
  if (!file) throw new Error('GITHUB_STEP_SUMMARY is not set: this runner takes no job summary')
  // The runner creates the file: one that is missing or read-only is reported, not made anew.
  await access(file, constants.R_OK | constants.W_OK).catch(() => {
    throw new Error(`GITHUB_STEP_SUMMARY names ${file}, which cannot be read and written`)
  })
  await appendFile(file, markdown, { encoding: 'utf8' })
}
