/** The kubeflow target reads no inputs of its own (its keys live in the config file), only cancel-on-timeout. */
import { actionInputs } from '../action-inputs.js'

export interface KubeflowInputs {
  cancelOnTimeout: boolean
}

export const kubeflowInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): KubeflowInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
