/** The workflow target's defaults: this repository, this run's branch, the token input, the API root. */
import { actionInputs } from '../action-inputs.js'

export interface WorkflowInputs {
  /** The token input (masked). */
  token: string
  /** The REST API root: GITHUB_API_URL (a GHES /api/v3), else api.github.com. */
  apiUrl: string
  /** This repository (GITHUB_REPOSITORY). */
  repository: string
  /** This run's branch or tag; '' for a ref a dispatch cannot run (a pull request's merge ref). */
  refName: string
  cancelOnTimeout: boolean
}

export const workflowInputs = actionInputs({
  names: {
    token: { secret: true, common: true },
    'cancel-on-timeout': { default: 'false' }
  },
  read: (input): WorkflowInputs => ({
    token: input.text('token'),
    apiUrl: input.env('GITHUB_API_URL') || 'https://api.github.com',
    repository: input.env('GITHUB_REPOSITORY'),
    refName: refName(input.env('GITHUB_REF')),
    cancelOnTimeout: input.boolean('cancel-on-timeout') === true
  })
})

/** refs/heads/main → main, refs/tags/v1 → v1; a pull request's merge ref is no ref a dispatch can run. */
function refName(ref: string): string {
  return /^refs\/(heads|tags)\//.test(ref) ? ref.replace(/^refs\/(heads|tags)\//, '') : ''
}
