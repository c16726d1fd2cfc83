/**
 * The Kubeflow Pipelines contract the kubeflow stand-in enforces (test/helpers/kubeflow-model.ts,
 * read from the pinned kfp-server-api 2.17.3): it is the real model, and it refuses what the API
 * does not take: an unknown operation, member, query parameter or enum value, a wrong type, a
 * filter that is not a Filter message, a reply that does not fit its response type.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  kubeflowModel,
  kubeflowOperation,
  kubeflowReplyErrors,
  kubeflowRequestErrors,
  kubeflowTypeErrors
} from '../helpers/kubeflow-model.js'

const RUN = 'c0ffee00-1111-2222-3333-444455556666'
const filter = (body: unknown) => encodeURIComponent(JSON.stringify(body))

describe('the kfp-server-api model', () => {
  test('is the pinned package, with the v2beta1 run operations and states', () => {
    const model = kubeflowModel()
    assert.equal(model.version, '2.17.3')
    assert.deepEqual(model.models.V2beta1RuntimeState!.enum, [
      'RUNTIME_STATE_UNSPECIFIED',
      'PENDING',
      'RUNNING',
      'SUCCEEDED',
      'SKIPPED',
      'FAILED',
      'CANCELING',
      'CANCELED',
      'PAUSED'
    ])
    assert.equal(kubeflowOperation('POST', '/apis/v2beta1/runs')?.id, 'run_service_create_run')
    assert.equal(kubeflowOperation('GET', `/apis/v2beta1/runs/${RUN}`)?.id, 'run_service_get_run')
    assert.equal(kubeflowOperation('POST', `/apis/v2beta1/runs/${RUN}:terminate`)?.id, 'run_service_terminate_run')
    assert.equal(
      kubeflowOperation('GET', '/apis/v2beta1/pipelines/names/train')?.id,
      'pipeline_service_get_pipeline_by_name'
    )
    assert.equal(
      kubeflowOperation('GET', `/apis/v2beta1/pipelines/${RUN}/versions`)?.id,
      'pipeline_service_list_pipeline_versions'
    )
    assert.equal(kubeflowOperation('DELETE', '/apis/v2beta1/runs'), undefined)
  })

  test('takes a well-formed create, list and terminate', () => {
    const create = kubeflowRequestErrors('POST', '/apis/v2beta1/runs?experiment_id=e1', {
      display_name: 'train [pt-1]',
      pipeline_version_reference: { pipeline_id: 'p', pipeline_version_id: 'v' },
      runtime_config: { parameters: { lr: 0.1, name: 'x', tags: ['a'], cfg: { a: 1 } }, pipeline_root: 'gs://b/r' },
      service_account: 'sa'
    })
    assert.deepEqual(create.errors, [])
    const list = kubeflowRequestErrors(
      'GET',
      `/apis/v2beta1/runs?page_size=10&filter=${filter({ predicates: [{ key: 'display_name', operation: 'EQUALS', string_value: 'x' }] })}`,
      undefined
    )
    assert.deepEqual(list.errors, [])
    assert.deepEqual(kubeflowRequestErrors('POST', `/apis/v2beta1/runs/${RUN}:terminate`, undefined).errors, [])
  })

  test('refuses unknown members, wrong types, unknown enum values, bad queries and filters', () => {
    const bad = kubeflowRequestErrors('POST', '/apis/v2beta1/runs?experiment=e1', {
      name: 'train',
      display_name: 7,
      pipeline_version_reference: { pipeline_id: 'p', version_id: 'v' },
      runtime_config: { parameters: 'lr=1' },
      state: 'DONE'
    })
    const text = bad.errors.join('\n')
    assert.match(text, /no query parameter experiment/)
    assert.match(text, /body\.name: V2beta1Run has no member name/)
    assert.match(text, /body\.display_name: 7, not a string/)
    assert.match(text, /pipeline_version_reference\.version_id: V2beta1PipelineVersionReference has no member/)
    assert.match(text, /runtime_config\.parameters: "lr=1", not a map/)
    assert.match(text, /body\.state: "DONE" is not one of V2beta1RuntimeState's values/)
    assert.match(
      kubeflowRequestErrors('POST', '/apis/v2beta1/runs', undefined).errors.join(),
      /the body \(V2beta1Run\) is required/
    )
    const list = kubeflowRequestErrors(
      'GET',
      `/apis/v2beta1/runs?page_size=ten&filter=${filter({ predicates: [{ key: 'display_name', op: 'EQUALS' }] })}`,
      undefined
    )
    assert.match(list.errors.join('\n'), /page_size=ten is not an integer/)
    assert.match(list.errors.join('\n'), /V2beta1Predicate has no member op/)
    assert.match(
      kubeflowRequestErrors('GET', '/apis/v2beta1/runs?filter=display_name%3Dx', undefined).errors.join(),
      /not JSON/
    )
    assert.match(kubeflowRequestErrors('GET', '/apis/v2/runs', undefined).errors.join(), /no such operation/)
    assert.match(
      kubeflowRequestErrors('POST', `/apis/v2beta1/runs/${RUN}:terminate`, {}).errors.join(),
      /takes no body/
    )
  })

  test('checks replies: the response type for a 200, google.rpc.Status otherwise', () => {
    const get = kubeflowOperation('GET', `/apis/v2beta1/runs/${RUN}`)!
    assert.deepEqual(
      kubeflowReplyErrors(get, 200, {
        run_id: RUN,
        state: 'FAILED',
        created_at: '2026-12-07T10:00:00Z',
        error: { code: 2, message: 'boom', details: [{ '@type': 'type.googleapis.com/x', value: 'AAAA' }] }
      }),
      []
    )
    assert.match(kubeflowReplyErrors(get, 200, { run_id: RUN, state: 'DONE' }).join(), /not one of/)
    assert.match(kubeflowReplyErrors(get, 200, { run_id: RUN, created_at: 'yesterday' }).join(), /not an RFC 3339 time/)
    assert.match(
      kubeflowReplyErrors(get, 200, {
        run_id: RUN,
        error: { code: 2, message: 'x', details: [{ value: '!!' }] }
      }).join(),
      /does not match/
    )
    assert.deepEqual(kubeflowReplyErrors(get, 404, { code: 5, message: 'not found' }), [])
    assert.match(kubeflowReplyErrors(get, 404, { error: 'not found' }).join(), /GoogleRpcStatus has no member error/)
    assert.match(kubeflowTypeErrors('list[V2beta1Run]', {}).join(), /not a list/)
  })
})
