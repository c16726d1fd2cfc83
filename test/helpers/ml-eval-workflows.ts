/** The workflows of ml-org/ml-eval that a workflow target dispatches, one text for the unit and the e2e tests alike. */

/** workflow_dispatch with typed inputs, the chain context and the correlation id in its run-name. */
export const EVALUATE = `name: evaluate
run-name: evaluate \${{ inputs.pipeline-trigger-id }}
on:
  workflow_dispatch:
    inputs:
      training_run_id: {type: string, required: true}
      threshold: {type: number, default: 0.8}
      mode: {type: choice, options: [fast, full], default: fast}
      pipeline-context: {type: string, required: false, default: ''}
      pipeline-trigger-id: {type: string, required: false, default: ''}
jobs:
  evaluate:
    runs-on: ubuntu-latest
    steps: [{run: echo evaluate}]
`

/** repository_dispatch of type retrain, the correlation id in its run-name. */
export const ON_DISPATCH = `name: on-dispatch
run-name: retrain \${{ github.event.client_payload.pipeline-trigger-id }}
on:
  repository_dispatch:
    types: [retrain]
jobs:
  train:
    runs-on: ubuntu-latest
    steps: [{run: echo train}]
`
