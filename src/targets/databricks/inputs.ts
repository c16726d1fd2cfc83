/** The databricks target reads no input of its own (its keys live in the config file), only cancel-on-timeout's default. */
import { actionInputs } from '../action-inputs.js'

export interface DatabricksInputs {
  cancelOnTimeout: boolean
}

export const databricksInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): DatabricksInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
