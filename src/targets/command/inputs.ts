/** The command target's action inputs: the argv (inline mode), and the ZenML server the pipeline reports to. */
import { UserError } from '../../errors.js'
import { actionInputs } from '../action-inputs.js'
import type { Config } from './schema.js'

/** What the inputs say for every command target; empty where not given. */
export interface CommandInputs {
  /** Inline mode: one argument per line of the command input. */
  argv: string[]
  /** The server the pipeline reports to, when zenml-url and zenml-api-key are set (the zenml target checks they go together). */
  zenmlUrl: string
  /** Masked. */
  zenmlApiKey: string
  project: string
}

export const commandInputs = actionInputs({
  names: {
    command: { inlineOnly: true },
    'zenml-url': {},
    'zenml-api-key': { secret: true },
    project: { default: 'default' }
  },
  read: (input): CommandInputs => ({
    // One argument per line; only the whitespace around a line is dropped, never split further.
    argv: input.lines('command'),
    zenmlUrl: input.text('zenml-url'),
    zenmlApiKey: input.text('zenml-api-key'),
    project: input.text('project')
  }),
  inline: {
    needs: 'set the command input (one argument per line, e.g. "python" and "run.py")',
    given: (inputs) => inputs.argv.length > 0,
    config(inputs): Config {
      if (inputs.argv.length === 0)
        throw new UserError(
          'Input command is empty but target is command. Give the argv that runs the pipeline, one argument per line, e.g. "python" and "examples/pipelines/run.py".'
        )
      return { type: 'command', run: inputs.argv }
    }
  }
})
