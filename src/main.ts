/** The action: reads the inputs, makes the one deadline, and runs the mode they pick (trigger, reconcile / report, fan-in). Any error fails the step with its message. */
import * as core from './runner/commands.js'
import { errorMessage } from './errors.js'
import { Deadline, realClock } from './clock.js'
import { readSettings } from './inputs/settings.js'
import { fanInMode } from './modes/fan-in.js'
import { triggerMode } from './modes/trigger.js'

/** The environment a pipeline command inherits: the runner's, minus this action's inputs (the token among them). */
function childEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value
  }
  return env
}

export async function run(): Promise<void> {
  let deadline: Deadline | undefined
  try {
    const settings = await readSettings()
    // One deadline for the whole step: logins, starts, polls and every request fit inside it.
    deadline = new Deadline(realClock, settings.timeoutMs)
    // Cancelling the job: the runner sends SIGINT, SIGTERM 7.5 s later, and kills the process tree
    // 2.5 s after that. Ending at once would leave a command's pipeline running (its own process
    // group) and check runs open; instead the step ends as at its deadline, now.
    const stepDeadline = deadline
    const cancel = (signal: NodeJS.Signals) => {
      if (!stepDeadline.expired) core.info(`${signal}: the job is being cancelled; stopping what this step started.`)
      stepDeadline.cancel(`the job was cancelled (${signal})`)
    }
    process.on('SIGINT', cancel)
    process.on('SIGTERM', cancel)
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    if (settings.fanIn) return await fanInMode(settings.fanIn.dir, settings.fanIn.matrix, workspace)
    if (settings.mode !== 'trigger') {
      // Completing check runs left open: loaded only in these modes.
      const { followUpStep } = await import('./modes/reconcile.js')
      return await followUpStep(settings, { workspace, deadline, env: childEnvironment() })
    }
    return await triggerMode(settings, { workspace, deadline, env: childEnvironment() })
  } catch (error) {
    core.setFailed(errorMessage(error))
  } finally {
    deadline?.dispose()
  }
}
