/** The http target's action inputs: the URL, the key and its header, the signing secret, the body and reply fields. */
import { UserError } from '../../errors.js'
import { actionInputs } from '../action-inputs.js'
import type { Config } from './schema.js'

/** What the inputs say for every http target (a config file's keys win); empty strings where not given. */
export interface HttpInputs {
  url: string
  /** Masked, as is signingSecret. */
  apiKey: string
  apiKeyHeader: string
  signingSecret: string
  body?: Record<string, unknown>
  allowInsecureHttp: boolean
  statusUrlField: string
  preset?: 'zenml-deployment'
}

export const httpInputs = actionInputs({
  names: {
    'http-url': {},
    'api-key': { secret: true },
    'api-key-header': { default: 'X-API-Key' },
    'signing-secret': { secret: true },
    'http-body': { mapping: true },
    'allow-insecure-http': { default: 'false' },
    'status-url-field': { default: 'status_url' },
    'http-preset': {}
  },
  read(input): HttpInputs {
    const body = input.mapping('http-body')
    const preset = input.oneOf('http-preset', ['zenml-deployment'] as const)
    return {
      url: input.text('http-url'),
      apiKey: input.text('api-key'),
      apiKeyHeader: input.text('api-key-header'),
      signingSecret: input.text('signing-secret'),
      ...(body ? { body } : {}),
      allowInsecureHttp: input.boolean('allow-insecure-http') === true,
      statusUrlField: input.text('status-url-field'),
      ...(preset ? { preset } : {})
    }
  },
  inline: {
    needs: 'set http-url (target http)',
    given: (inputs) => inputs.url !== '',
    config(inputs): Config {
      if (!inputs.url)
        throw new UserError(
          'Target http needs the http-url input: the trigger endpoint, e.g. https://api.example.com/trigger.'
        )
      return { type: 'http' }
    },
    // A target's keys live in the config file, not in inputs: an inline http target has no status-url to ask at.
    unfollowable: (configPath) =>
      `an inline http target cannot be followed later: the inputs give no status-url to ask the run's status at. Fix: put the target in the config file (${configPath}) under the name http, with status-url on the trigger URL's origin, e.g. targets: {http: {type: http, url: https://api.example.com/trigger, api-key: "env:TRIGGER_API_KEY", status-url: "https://api.example.com/runs/{run_id}"}} (the key in that environment variable); a later pass then follows that target's runs, this one included. Or, without a config file, give the trigger step and the later pass the same target-config input with status-url (target: http, target-config: {url: …, api-key: env:TRIGGER_API_KEY, status-url: …})`
  }
})
