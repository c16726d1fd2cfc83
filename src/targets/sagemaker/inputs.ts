/** The sagemaker target reads no inputs of its own (its keys live in the config file), only cancel-on-timeout. */
import { actionInputs } from '../action-inputs.js'

export interface SageMakerInputs {
  cancelOnTimeout: boolean
}

export const sagemakerInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): SageMakerInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
