/** The zenml target's action inputs: its server, key and project, run tags and cache, and its inline snapshot. */
import { UserError } from '../../errors.js'
import { actionInputs } from '../action-inputs.js'
import type { Config } from './schema.js'

/** What the inputs say for every zenml target (a config file's keys win); empty strings where not given. */
export interface ZenmlInputs {
  url: string
  /** The service-account key (masked). */
  apiKey: string
  project: string
  tags: string[]
  enableCache?: boolean
  cancelOnTimeout: boolean
  /** Inline mode only: the snapshot or legacy template, and a stack filter. */
  snapshot: string
  template: string
  stack: string
}

export const zenmlInputs = actionInputs({
  names: {
    'zenml-url': {},
    'zenml-api-key': { secret: true },
    project: { default: 'default' },
    tags: {},
    'enable-cache': {},
    'cancel-on-timeout': { default: 'false' },
    snapshot: {},
    template: {},
    stack: {}
  },
  read(input): ZenmlInputs {
    const url = input.text('zenml-url')
    const apiKey = input.text('zenml-api-key')
    // A dry run connects to nothing, so it needs no key: a fan-out plan job can go without the secret.
    const keyMissingButUnused = apiKey === '' && input.dryRun
    if ((url === '') !== (apiKey === '') && !keyMissingButUnused) {
      throw new UserError(
        `Inputs zenml-url and zenml-api-key go together: ${url ? 'zenml-api-key is empty; pass the service-account key from a secret' : 'zenml-url is empty; give the server URL, e.g. https://zenml.example.com'}.`
      )
    }
    const enableCache = input.boolean('enable-cache')
    return {
      url,
      apiKey,
      project: input.text('project'),
      tags: input.lines('tags'),
      ...(enableCache !== undefined ? { enableCache } : {}),
      cancelOnTimeout: input.boolean('cancel-on-timeout') === true,
      snapshot: input.text('snapshot'),
      template: input.text('template'),
      stack: input.text('stack')
    }
  },
  inline: {
    needs: 'set zenml-url and zenml-api-key (target zenml)',
    given: (inputs) => inputs.url !== '',
    config(inputs): Config {
      if (!inputs.url) throw new UserError('Target zenml needs the inputs zenml-url and zenml-api-key (from a secret).')
      return {
        type: 'zenml',
        ...(inputs.snapshot ? { snapshot: inputs.snapshot } : {}),
        ...(inputs.template ? { template: inputs.template } : {}),
        ...(inputs.stack ? { stack: inputs.stack } : {})
      }
    },
    // A later pass asks the server the inputs name about the run by its id.
    followUp: (): Config => ({ type: 'zenml' })
  }
})
