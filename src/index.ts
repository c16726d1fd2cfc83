/**
 * The entry: small on purpose. An event the action does not handle is answered here, without
 * loading the planner, the YAML and schema libraries or any target (the runner starts the action
 * on every event of a workflow, so this is most of what a busy repository pays for it).
 */
import { errorMessage } from './errors.js'
import { SUPPORTED_EVENTS } from './event/trigger-event.js'
import { buildOutputs } from './report/outputs.js'
import { setOutputs, stepDirectory } from './report/set-outputs.js'
import * as core from './runner/commands.js'

// A rejection that escapes run() must still fail the step, never leave it green.
process.on('unhandledRejection', (reason) => core.setFailed(errorMessage(reason)))

const event = process.env.GITHUB_EVENT_NAME ?? ''
const fanIn = core.getInput('fan-in-dir') !== '' || core.getInput('fan-in-matrix') !== ''
if (!fanIn && !(SUPPORTED_EVENTS as readonly string[]).includes(event)) {
  core.notice(
    `Event ${JSON.stringify(event)} is not handled, so nothing was triggered. Handled events: ${SUPPORTED_EVENTS.join(', ')}.`
  )
  setOutputs(buildOutputs({ requests: [], skipped: [], warnings: [] }, [], undefined), stepDirectory)
} else {
  const { run } = await import('./main.js')
  await run()
}
