/** The prefect target reads no inputs of its own (its keys live in the config file), only cancel-on-timeout. */
import { actionInputs } from '../action-inputs.js'

export interface PrefectInputs {
  cancelOnTimeout: boolean
}

export const prefectInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): PrefectInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
