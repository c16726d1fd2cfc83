/** The airflow target reads no input of its own (its keys live in the config file), only cancel-on-timeout's default. */
import { actionInputs } from '../action-inputs.js'

export interface AirflowInputs {
  cancelOnTimeout: boolean
}

export const airflowInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): AirflowInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
