/** A whole RunRequest for the training pipeline, so a target test writes only the fields its target reads differently. */
import type { RunRequest } from '../../src/core/run-request.js'

export function runRequest(fields: Partial<RunRequest> & Pick<RunRequest, 'target'>): RunRequest {
  return {
    index: 0,
    pipeline: 'training',
    pipelineName: 'training_pipeline',
    parameters: {},
    reason: 'test',
    runName: 'training_pipeline-gh-1-1-0',
    idempotencyKey: 'pt-0123456789abcdef',
    chain: { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['training_pipeline'] },
    ...fields
  }
}
