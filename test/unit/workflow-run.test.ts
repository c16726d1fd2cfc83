/** workflow_run as a trigger: gated by the upstream conclusion, with the upstream identity as placeholders, and the chain guard across it. */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parseConfig } from '../../src/config/parse-config.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { planTriggers } from '../../src/plan/plan.js'
import { contextFor, webhookExample } from '../helpers/events.js'

const CONFIG = `version: 1
targets:
  eval: {type: command, run: [python, evaluate.py]}
pipelines:
  evaluation:
    target: eval
    pipeline: evaluation_pipeline
    on:
      workflow_run:
        workflows: [train]
        parameters:
          training_run: '{upstream.run_id}'
          commit: '{upstream.sha}'
          link: '{upstream.html_url}'
          verdict: '{upstream.workflow} {upstream.conclusion} on {upstream.branch}'
  on-failure:
    target: eval
    pipeline: incident_pipeline
    on:
      workflow_run: {conclusions: [failure, timed_out], parameters: {run: '{upstream.run_id}'}}
`
const config = parseConfig(CONFIG, 'pipeline-triggers.yml')

function upstream(conclusion: string, name = 'train') {
  // GitHub's own example payload, with the upstream's name and conclusion set.
  const payload = webhookExample('workflow_run', (p) => p.workflow_run.conclusion === 'success')
  payload.workflow_run.conclusion = conclusion
  payload.workflow_run.name = name
  return normalizeEvent(contextFor('workflow_run', payload, { sha: 'c'.repeat(40) }))
}

describe('workflow_run', () => {
  test('a successful upstream run fires the default rule, with its identity in the parameters', () => {
    const event = upstream('success')
    const plan = planTriggers(event, undefined, config, { maxRuns: 20 })
    assert.deepEqual(
      plan.requests.map((r) => r.pipelineName),
      ['evaluation_pipeline']
    )
    const run = event.upstream!
    assert.deepEqual(plan.requests[0]!.parameters, {
      training_run: run.runId,
      commit: run.sha,
      link: run.htmlUrl,
      verdict: `train success on ${run.branch}`
    })
    assert.match(plan.requests[0]!.reason, /^workflow_run: train run \d+ success$/)
    assert.ok(
      plan.skipped.some(
        (s) => s.pipeline === 'on-failure' && /concluded "success", not failure or timed_out/.test(s.reason)
      )
    )
  })

  test('conclusion gating: a failed upstream fires only the rule that asks for failures', () => {
    const plan = planTriggers(upstream('failure'), undefined, config, { maxRuns: 20 })
    assert.deepEqual(
      plan.requests.map((r) => r.pipelineName),
      ['incident_pipeline']
    )
    assert.ok(
      plan.skipped.some((s) => s.pipeline === 'evaluation' && /concluded "failure", not success/.test(s.reason))
    )
  })

  test('another upstream workflow is skipped with the reason', () => {
    const plan = planTriggers(upstream('success', 'lint'), undefined, config, { maxRuns: 20 })
    assert.ok(
      plan.skipped.some(
        (s) => s.pipeline === 'evaluation' && /upstream workflow "lint" is not in workflows \["train"\]/.test(s.reason)
      )
    )
  })

  test('the upstream run is the first link of the chain, and the guard holds across it', () => {
    const event = upstream('success')
    const plan = planTriggers(event, undefined, config, { maxRuns: 20 })
    assert.deepEqual(plan.requests[0]!.chain, {
      root: event.upstream!.htmlUrl,
      depth: 2,
      chain: ['workflow:train', 'evaluation_pipeline']
    })
    // A pipeline-context given with the input wins, and the guard refuses a loop across the workflow_run.
    const payload = webhookExample('workflow_run', (p) => p.workflow_run.conclusion === 'success')
    payload.workflow_run.name = 'train'
    const looped = normalizeEvent(
      contextFor('workflow_run', payload),
      undefined,
      JSON.stringify({ root: 'r', depth: 1, chain: ['evaluation_pipeline'] })
    )
    assert.throws(
      () => planTriggers(looped, undefined, config, { maxRuns: 20 }),
      /Chain guard: "evaluation_pipeline" is already in this chain/
    )
  })

  test('an upstream run that built a fork fires nothing unless the rule allows forks', () => {
    const payload = webhookExample('workflow_run', (p) => p.workflow_run.conclusion === 'success')
    Object.assign(payload.workflow_run, { name: 'train', head_branch: 'main' })
    payload.workflow_run.head_repository.full_name = 'someone/fork'
    const event = normalizeEvent(contextFor('workflow_run', payload))
    const plan = planTriggers(event, undefined, config, { maxRuns: 20 })
    assert.equal(plan.requests.length, 0)
    assert.ok(
      plan.skipped.some(
        (s) => s.pipeline === 'evaluation' && /built someone\/fork, a fork.*allow-forks: true/.test(s.reason)
      )
    )
    const allowing = parseConfig(
      CONFIG.replace('workflows: [train]', 'workflows: [train]\n        allow-forks: true'),
      'c.yml'
    )
    assert.equal(planTriggers(event, undefined, allowing, { maxRuns: 20 }).requests.length, 1)
  })

  test('a payload without the upstream run is refused, naming the field', () => {
    assert.throws(
      () => normalizeEvent(contextFor('workflow_run', { workflow_run: { name: 'train' } })),
      /workflow_run event payload has no workflow_run\.id .*nothing was triggered/
    )
  })

  test('require-upstream refuses a dispatch that no upstream pipeline started', () => {
    const strict = parseConfig(
      `version: 1
targets: {eval: {type: command, run: [python, e.py]}}
pipelines:
  evaluation: {target: eval, on: {workflow_dispatch: {require-upstream: true}}}
`,
      'c.yml'
    )
    const manual = normalizeEvent(
      contextFor('workflow_dispatch', { inputs: {}, workflow: 'x', ref: 'refs/heads/main' })
    )
    assert.throws(
      () => planTriggers(manual, undefined, strict, { maxRuns: 20 }),
      /require-upstream: true, but this workflow_dispatch carries no pipeline-context/
    )
    const chained = normalizeEvent(
      contextFor('workflow_dispatch', {
        inputs: { 'pipeline-context': JSON.stringify({ root: 'r', depth: 1, chain: ['training'] }) },
        workflow: 'x',
        ref: 'refs/heads/main'
      })
    )
    assert.equal(planTriggers(chained, undefined, strict, { maxRuns: 20 }).requests.length, 1)
  })
})
