/**
 * The dagster target's defaults from the action inputs: only cancel-on-timeout, which the zenml and
 * workflow targets read too. Its keys live in the config file; it has no inline mode.
 */
import { actionInputs } from '../action-inputs.js'

export interface DagsterInputs {
  cancelOnTimeout: boolean
}

export const dagsterInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): DagsterInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
