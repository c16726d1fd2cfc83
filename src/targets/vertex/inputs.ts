/** The vertex target reads no inputs of its own (its keys live in the config file), only cancel-on-timeout's default. */
import { actionInputs } from '../action-inputs.js'

export interface VertexInputs {
  cancelOnTimeout: boolean
}

export const vertexInputs = actionInputs({
  names: { 'cancel-on-timeout': { default: 'false' } },
  read: (input): VertexInputs => ({ cancelOnTimeout: input.boolean('cancel-on-timeout') === true })
})
