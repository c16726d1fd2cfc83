import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { parseConfig } from '../../src/config/parse-config.js'
import { extendChain, guardChain, parseChainContext } from '../../src/core/chain.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { planTriggers } from '../../src/plan/plan.js'
import { buildOutputs } from '../../src/report/outputs.js'
import { contextFor, schedulePayload, webhookExample } from '../helpers/events.js'
import { ROOT } from '../helpers/run-action.js'

const config = parseConfig(
  readFileSync(join(ROOT, 'test/fixtures/configs/pipeline-triggers.yml'), 'utf8'),
  'pipeline-triggers.yml'
)
const upstream = { root: 'https://github.com/o/r/actions/runs/1', depth: 1, chain: ['ingest_pipeline'] }

describe('chain context', () => {
  test('a valid context is read from JSON text or an object; empty means the start of a chain', () => {
    assert.deepEqual(parseChainContext(JSON.stringify(upstream), 'Input pipeline-context'), upstream)
    assert.deepEqual(parseChainContext(upstream, 'client_payload.pipeline-context'), upstream)
    assert.equal(parseChainContext('', 'x'), undefined)
    assert.equal(parseChainContext(undefined, 'x'), undefined)
  })

  test('an invalid context is an error naming the field, the value and the fix, never a silent fresh start', () => {
    const cases: [unknown, RegExp][] = [
      ['{root', /Input pipeline-context: "\{root" is not JSON\. Pass it on unchanged/],
      ['[1]', /is not a JSON object \{root, depth, chain\}/],
      [{ root: '', depth: 1, chain: [] }, /root is "".*non-empty string/],
      [{ root: 'r', depth: -1, chain: [] }, /depth is -1; it must be a whole number/],
      [{ root: 'r', depth: 1.5, chain: [] }, /depth is 1\.5/],
      [{ root: 'r', depth: 1, chain: 'a' }, /chain is "a"; it must be a list of pipeline names/],
      [{ root: 'r', depth: 1, chain: [1] }, /chain is \[1\]/]
    ]
    for (const [value, message] of cases)
      assert.throws(() => parseChainContext(value, 'Input pipeline-context'), message, JSON.stringify(value))
  })

  test('the guard refuses a cycle and a chain at max-depth, and says how to fix each', () => {
    assert.throws(
      () => guardChain(upstream, 'ingest_pipeline', 4),
      /"ingest_pipeline" is already in this chain \(ingest_pipeline → ingest_pipeline\).*Nothing was triggered/
    )
    assert.throws(
      () => guardChain({ ...upstream, depth: 4 }, 'training_pipeline', 4),
      /already 4 triggers deep.*max-depth is 4.*raise max-depth/
    )
    assert.doesNotThrow(() => guardChain({ ...upstream, depth: 3 }, 'training_pipeline', 4))
  })

  test('extending keeps the root, adds one level and each pipeline once', () => {
    assert.deepEqual(extendChain(upstream, ['a', 'b', 'a']), {
      root: upstream.root,
      depth: 2,
      chain: ['ingest_pipeline', 'a', 'b']
    })
  })
})

describe('chain context through planning', () => {
  const schedule = () => contextFor('schedule', schedulePayload('17 4 * * *'))

  test('without an upstream context the chain starts at this workflow run', () => {
    const plan = planTriggers(normalizeEvent(schedule()), undefined, config, { maxRuns: 20 })
    const root = plan.requests[0]!.chain.root
    assert.match(root, /^https:\/\/github\.com\/.+\/actions\/runs\/\d+$/)
    assert.deepEqual(plan.requests[0]!.chain, { root, depth: 1, chain: ['training_pipeline'] })
    assert.deepEqual(JSON.parse(buildOutputs(plan, undefined, undefined)['pipeline-context']), {
      root,
      depth: 1,
      chain: ['training_pipeline']
    })
  })

  test('the pipeline-context input continues the chain; nothing planned gives an empty output', () => {
    const plan = planTriggers(normalizeEvent(schedule(), undefined, JSON.stringify(upstream)), undefined, config, {
      maxRuns: 20
    })
    assert.deepEqual(plan.context, { root: upstream.root, depth: 2, chain: ['ingest_pipeline', 'training_pipeline'] })
    const none = planTriggers(normalizeEvent(contextFor('schedule', schedulePayload('1 1 * * *'))), undefined, config, {
      maxRuns: 20
    })
    assert.equal(buildOutputs(none, undefined, undefined)['pipeline-context'], '')
  })

  test('a cycle fails planning, so nothing is triggered', () => {
    const looping = JSON.stringify({ ...upstream, chain: ['training_pipeline'] })
    assert.throws(
      () => planTriggers(normalizeEvent(schedule(), undefined, looping), undefined, config, { maxRuns: 20 }),
      /Chain guard: "training_pipeline" is already in this chain/
    )
    const deep = JSON.stringify({ ...upstream, depth: 2 })
    assert.throws(
      () => planTriggers(normalizeEvent(schedule(), undefined, deep), undefined, config, { maxRuns: 20, maxDepth: 2 }),
      /already 2 triggers deep/
    )
  })

  test('a dispatch input or client_payload key named pipeline-context is read, and never becomes a parameter', () => {
    const dispatch = webhookExample('workflow_dispatch')
    dispatch.inputs = { data_url: 's3://x.csv', 'pipeline-context': JSON.stringify(upstream) }
    const event = normalizeEvent(contextFor('workflow_dispatch', dispatch))
    assert.deepEqual(event.chain, upstream)
    const plan = planTriggers(event, undefined, config, { maxRuns: 20 })
    assert.equal(plan.requests[0]!.chain.depth, 2)
    assert.ok(!('pipeline-context' in plan.requests[0]!.parameters))

    const repositoryDispatch = webhookExample('repository_dispatch')
    repositoryDispatch.client_payload = { 'pipeline-context': { ...upstream, depth: 'x' } }
    assert.throws(
      () => normalizeEvent(contextFor('repository_dispatch', repositoryDispatch)),
      /client_payload\.pipeline-context: depth is "x"/
    )
  })
})
