/**
 * The contract the vertex stand-in keeps (test/helpers/vertex-model.ts, the aiplatform.v1 discovery
 * document of google-api-python-client 2.202.0): it takes a well-formed create, get and cancel, and
 * refuses what the document does not allow. A validator that accepted everything would prove nothing.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { discovery, methodFor, replyErrors, requestErrors } from '../helpers/vertex-model.js'

const PARENT = 'v1/projects/ml-prod/locations/europe-west4'
const GOOD = {
  displayName: 'training_pipeline-gh-1',
  templateUri: 'https://europe-west4-kfp.pkg.dev/ml-prod/pipelines/train/v1',
  runtimeConfig: { gcsOutputDirectory: 'gs://ml-prod-runs/root', parameterValues: { learning_rate: 0.01 } },
  serviceAccount: 'trainer@ml-prod.iam.gserviceaccount.com',
  labels: { 'pipeline-trigger-key': 'pt-0123abc', 'gh-repo': 'octo-org_ml-repo' }
}

describe('the aiplatform.v1 discovery document as a contract', () => {
  test('is the pinned revision, with the pipelineJobs methods', () => {
    assert.equal(discovery().doc.revision, '20261106')
    assert.equal(
      methodFor('POST', `/${PARENT}/pipelineJobs?pipelineJobId=pt-abc`)?.id,
      'aiplatform.projects.locations.pipelineJobs.create'
    )
    assert.equal(
      methodFor('GET', `/${PARENT}/pipelineJobs/pt-abc`)?.id,
      'aiplatform.projects.locations.pipelineJobs.get'
    )
    assert.equal(
      methodFor('GET', `/${PARENT}/pipelineJobs?pageSize=1`)?.id,
      'aiplatform.projects.locations.pipelineJobs.list'
    )
    assert.equal(
      methodFor('POST', `/${PARENT}/pipelineJobs/pt-abc:cancel`)?.id,
      'aiplatform.projects.locations.pipelineJobs.cancel'
    )
    assert.equal(methodFor('DELETE', `/${PARENT}/pipelineJobs/pt-abc:cancel`), undefined)
  })

  test('takes a well-formed create, get and cancel', () => {
    assert.deepEqual(requestErrors('POST', `/${PARENT}/pipelineJobs?pipelineJobId=pt-abc`, GOOD).errors, [])
    assert.deepEqual(requestErrors('GET', `/${PARENT}/pipelineJobs/pt-abc?fields=name,state`, undefined).errors, [])
    assert.deepEqual(requestErrors('POST', `/${PARENT}/pipelineJobs/pt-abc:cancel`, {}).errors, [])
  })

  test('refuses what the document does not allow in a create', () => {
    const errors = (path: string, body: unknown) => requestErrors('POST', `/${PARENT}/pipelineJobs${path}`, body).errors
    // pipelineJobId: "less than 128 characters, and valid characters are `/a-z-/`".
    assert.match(errors('?pipelineJobId=pt-0123', GOOD).join(), /characters outside/)
    assert.match(errors(`?pipelineJobId=${'a'.repeat(128)}`, GOOD).join(), /128 characters \(at most 127\)/)
    assert.match(errors('?pipelineJobID=pt-abc', GOOD).join(), /no query parameter pipelineJobID/)
    assert.match(
      errors('?pipelineJobId=pt-abc', { ...GOOD, parameterValues: {} }).join(),
      /parameterValues: not a member/
    )
    assert.match(
      errors('?pipelineJobId=pt-abc', { ...GOOD, state: 'PIPELINE_STATE_RUNNING' }).join(),
      /state: output only/
    )
    assert.match(
      errors('?pipelineJobId=pt-abc', { ...GOOD, runtimeConfig: {} }).join(),
      /gcsOutputDirectory: required, missing/
    )
    assert.match(
      errors('?pipelineJobId=pt-abc', { ...GOOD, displayName: 7 }).join(),
      /displayName: a string, not number/
    )
    assert.match(
      errors('?pipelineJobId=pt-abc', { ...GOOD, displayName: 'x'.repeat(129) }).join(),
      /129 characters \(at most 128\)/
    )
    assert.match(errors('?pipelineJobId=pt-abc', { ...GOOD, labels: { Repo: 'x' } }).join(), /label key "Repo"/)
    assert.match(errors('?pipelineJobId=pt-abc', { ...GOOD, labels: { repo: 'o/r' } }).join(), /label value "o\/r"/)
    assert.match(
      errors('?pipelineJobId=pt-abc', {
        ...GOOD,
        runtimeConfig: { ...GOOD.runtimeConfig, failurePolicy: 'FAST' }
      }).join(),
      /"FAST" is not one of PIPELINE_FAILURE_POLICY_UNSPECIFIED/
    )
    assert.match(errors('?pipelineJobId=pt-abc', undefined).join(), /body is required/)
    assert.match(requestErrors('POST', '/v1/projects/p/pipelineJobs', GOOD).errors.join(), /no such method/)
  })

  test("checks replies: the PipelineJob shape, and Google's error shape with a google.rpc.Code", () => {
    const get = methodFor('GET', `/${PARENT}/pipelineJobs/pt-abc`)!
    const job = { name: 'projects/1/locations/europe-west4/pipelineJobs/pt-abc', state: 'PIPELINE_STATE_RUNNING' }
    assert.deepEqual(replyErrors(get, 200, job), [])
    assert.match(replyErrors(get, 200, { ...job, state: 'RUNNING' }).join(), /not one of PIPELINE_STATE_UNSPECIFIED/)
    assert.match(
      replyErrors(get, 200, { ...job, jobDetail: { taskDetails: [{ taskId: 12 }] } }).join(),
      /taskId: a string/
    )
    const conflict = { error: { code: 409, message: 'exists', status: 'ALREADY_EXISTS' } }
    assert.deepEqual(replyErrors(get, 409, conflict), [])
    assert.match(replyErrors(get, 404, conflict).join(), /ALREADY_EXISTS is HTTP 409, not 404/)
    assert.match(
      replyErrors(get, 409, { error: { ...conflict.error, status: 'EXISTS' } }).join(),
      /not a google\.rpc\.Code/
    )
    assert.match(replyErrors(get, 500, { message: 'oops' }).join(), /not Google's error shape/)
  })
})
