import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { ChangeSet, ChangedFile } from '../../src/changes/change-set.js'
import { parseConfig } from '../../src/config/parse-config.js'
import { compilePathMatcher } from '../../src/core/glob-pattern.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { planTriggers, needsChanges } from '../../src/plan/plan.js'
import { contextFor, schedulePayload, webhookExample } from '../helpers/events.js'
import { ROOT } from '../helpers/run-action.js'

const config = parseConfig(
  readFileSync(join(ROOT, 'test/fixtures/configs/pipeline-triggers.yml'), 'utf8'),
  'pipeline-triggers.yml'
)
const options = { maxRuns: 20 }
const SHA = 'c'.repeat(40)

function changes(...files: (string | ChangedFile)[]): ChangeSet {
  return {
    files: files.map((f) => (typeof f === 'string' ? { path: f, status: 'modified' as const } : f)),
    complete: true,
    base: 'b'.repeat(40),
    head: SHA,
    description: 'test'
  }
}

function pushEvent(ref = 'refs/heads/main') {
  return normalizeEvent(
    contextFor('push', {
      ref,
      before: 'b'.repeat(40),
      after: SHA,
      repository: { full_name: 'o/r', default_branch: 'main' }
    })
  )
}

describe('planTriggers', () => {
  test('schedule: the firing cron line picks its parameters', () => {
    const plan = planTriggers(
      normalizeEvent(contextFor('schedule', schedulePayload('0 6 * * 1'))),
      undefined,
      config,
      options
    )
    assert.equal(plan.requests.length, 1)
    assert.deepEqual(plan.requests[0]!.parameters, {
      model_type: 'gradient_boosting',
      data_url: 's3://bucket/weekly.csv'
    })
    assert.equal(plan.requests[0]!.pipelineName, 'training_pipeline')
    assert.match(plan.requests[0]!.reason, /schedule 0 6 \* \* 1/)
    assert.ok(plan.skipped.some((s) => s.pipeline === 'evaluation' && /no on.schedule rule/.test(s.reason)))
  })

  test('schedule: whitespace in the cron line does not matter; an unlisted line is skipped with the list', () => {
    const spaced = planTriggers(
      normalizeEvent(contextFor('schedule', schedulePayload('17  4 * * *'))),
      undefined,
      config,
      options
    )
    assert.equal(spaced.requests[0]!.parameters.data_url, 's3://bucket/daily.csv')
    const unlisted = planTriggers(
      normalizeEvent(contextFor('schedule', schedulePayload('5 5 * * *'))),
      undefined,
      config,
      options
    )
    assert.equal(unlisted.requests.length, 0)
    assert.match(
      unlisted.skipped.find((s) => s.pipeline === 'training')!.reason,
      /"5 5 \* \* \*" that fired is not listed \(listed: "17 4 \* \* \*", "0 6 \* \* 1"\)/
    )
  })

  test('workflow_dispatch: typed inputs become parameters by name, step-qualified too', () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = {
      data_url: 's3://x.csv',
      model_type: 'gradient_boosting',
      epochs: '12',
      full: 'false',
      unrelated: 'y'
    }
    const plan = planTriggers(normalizeEvent(contextFor('workflow_dispatch', payload)), undefined, config, options)
    assert.deepEqual(plan.requests[0]!.parameters, {
      model_type: 'gradient_boosting',
      data_url: 's3://x.csv',
      'train_model.epochs': 12,
      full: false
    })
  })

  test('workflow_dispatch: a newline in a value stays inside that value', () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: "s3://x.csv'\nmodel_type: evil\n" }
    const plan = planTriggers(normalizeEvent(contextFor('workflow_dispatch', payload)), undefined, config, options)
    assert.deepEqual(plan.requests[0]!.parameters, {
      model_type: 'random_forest',
      data_url: "s3://x.csv'\nmodel_type: evil\n"
    })
  })

  test('workflow_dispatch: a bad choice or number names the input and fails the whole plan', () => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { model_type: 'svm' }
    assert.throws(
      () => planTriggers(normalizeEvent(contextFor('workflow_dispatch', payload)), undefined, config, options),
      /pipelines\.training\.on\.workflow_dispatch\.inputs: input "model_type" is "svm", not one of the choices "random_forest", "gradient_boosting"/
    )
    payload.inputs = { epochs: 'ten' }
    assert.throws(
      () => planTriggers(normalizeEvent(contextFor('workflow_dispatch', payload)), undefined, config, options),
      /input "epochs" is "ten", not a number/
    )
  })

  test('repository_dispatch: only the listed types trigger', () => {
    const payload = webhookExample('repository_dispatch')
    payload.action = 'retrain'
    payload.client_payload = { data_url: 's3://r.csv', other: 1 }
    const plan = planTriggers(normalizeEvent(contextFor('repository_dispatch', payload)), undefined, config, options)
    assert.deepEqual(plan.requests[0]!.parameters, { model_type: 'random_forest', data_url: 's3://r.csv' })
    payload.action = 'on-demand-test'
    const skipped = planTriggers(normalizeEvent(contextFor('repository_dispatch', payload)), undefined, config, options)
    assert.equal(skipped.requests.length, 0)
    assert.match(skipped.skipped[0]!.reason, /type "on-demand-test" is not in types \["retrain"\]/)
  })

  test('push: captures, placeholders, ignore, and the order defaults < event < file parameters', () => {
    const plan = planTriggers(
      pushEvent(),
      changes('data/iris/2026/a.csv', 'data/iris/README.md', 'data/wine/b.csv', 'data/top.csv', 'src/x.py'),
      config,
      options
    )
    const training = plan.requests.filter((r) => r.pipeline === 'training')
    assert.deepEqual(
      training.map((r) => r.parameters),
      [
        {
          model_type: 'random_forest',
          dataset_name: 'iris',
          source: `s3://bucket/data/iris/2026/a.csv@${SHA}`,
          data_url: 'data/iris/2026/a.csv'
        },
        {
          model_type: 'random_forest',
          dataset_name: 'wine',
          source: `s3://bucket/data/wine/b.csv@${SHA}`,
          data_url: 'data/wine/b.csv'
        }
      ]
    )
    assert.deepEqual(training[0]!.files, ['data/iris/2026/a.csv'])
  })

  test('push: deleted files never run by default; a rename counts under its new path', () => {
    const plan = planTriggers(
      pushEvent(),
      changes(
        { path: 'data/iris/gone.csv', status: 'deleted' },
        { path: 'data/iris/new.csv', status: 'renamed', previousPath: 'data/iris/old.csv' }
      ),
      config,
      options
    )
    assert.deepEqual(
      plan.requests.map((r) => r.parameters.data_url),
      ['data/iris/new.csv']
    )
  })

  test('push: each: directory gives one run per directory; ordered ! globs exclude', () => {
    const plan = planTriggers(
      pushEvent(),
      changes('models/resnet/a.bin', 'models/resnet/b.bin', 'models/vit/c.bin', 'models/vit/notes.md'),
      config,
      options
    )
    const evaluation = plan.requests.filter((r) => r.pipeline === 'evaluation')
    assert.deepEqual(
      evaluation.map((r) => r.parameters.model_dir),
      ['models/resnet', 'models/vit']
    )
    assert.deepEqual(evaluation[0]!.files, ['models/resnet/a.bin', 'models/resnet/b.bin'])
  })

  test('push: branch filters', () => {
    const plan = planTriggers(pushEvent('refs/heads/dev'), changes('data/iris/a.csv', 'models/x/y'), config, options)
    assert.deepEqual(
      plan.requests.map((r) => r.pipeline),
      ['evaluation']
    )
    assert.match(
      plan.skipped.find((s) => s.pipeline === 'training')!.reason,
      /branch "dev" matches none of branches \["main"\]/
    )
  })

  test('pull_request: each: all gives one run with the list', () => {
    const payload = webhookExample('pull_request', (p) => p.action === 'opened')
    const plan = planTriggers(
      normalizeEvent(contextFor('pull_request', payload)),
      changes('data/b.csv', 'data/a.csv'),
      config,
      options
    )
    assert.deepEqual(
      plan.requests.map((r) => r.parameters.files),
      [['data/a.csv', 'data/b.csv']]
    )
  })

  test('max-runs is enforced before anything fires, and the error says how to fix it', () => {
    const files = Array.from({ length: 5 }, (_, i) => `data/iris/${i}.csv`)
    assert.throws(
      () => planTriggers(pushEvent(), changes(...files), config, { maxRuns: 4 }),
      /would trigger 5 runs, more than max-runs \(4\), so nothing was triggered.*raise max-runs/
    )
  })

  test('the same inputs give the same plan; keys differ per attempt and per parameters', () => {
    const event = pushEvent()
    const a = planTriggers(event, changes('data/iris/1.csv', 'data/iris/2.csv'), config, options)
    const b = planTriggers(event, changes('data/iris/2.csv', 'data/iris/1.csv'), config, options)
    assert.deepEqual(a, b)
    assert.notEqual(a.requests[0]!.idempotencyKey, a.requests[1]!.idempotencyKey)
    const retry = planTriggers(
      { ...event, run: { ...event.run, attempt: 2 } },
      changes('data/iris/1.csv'),
      config,
      options
    )
    assert.notEqual(retry.requests[0]!.idempotencyKey, a.requests[0]!.idempotencyKey)
    assert.equal(a.requests[1]!.runName, 'training_pipeline-gh-9100-1-1')
  })

  test('a placeholder that the event cannot fill is an error naming the field', () => {
    const withPath = structuredClone(config)
    withPath.pipelines.training!.parameters = { data_url: 's3://{path}' }
    assert.throws(
      () =>
        planTriggers(
          normalizeEvent(contextFor('schedule', schedulePayload('17 4 * * *'))),
          undefined,
          withPath,
          options
        ),
      /pipelines\.training\.parameters\.data_url: unknown placeholder \{path\}.*Available here: \{ref\} \{sha\}/
    )
  })

  test('needsChanges only for change events with path rules', () => {
    assert.equal(needsChanges(pushEvent(), config), true)
    assert.equal(needsChanges(normalizeEvent(contextFor('schedule', schedulePayload('x'))), config), false)
  })
})

describe("the planner's candidate shortcuts never change a plan", () => {
  // Literal prefixes, the segment index and folder/** skip files minimatch would refuse anyway:
  // the files each request gets equal testing every file against the rule, on generated cases.
  test('each: all gets exactly the files the rule matches, in path order', () => {
    const segment = fc.constantFrom('data', 'raw', 'set1', 'set2', 'a.csv', '.x', 'b c', '..', '')
    const globSegment = fc.constantFrom('data', 'raw', 'set1', '**', '*', '*.csv', '{cap}', 's?t1', '[rs]aw', '.x')
    fc.assert(
      fc.property(
        fc.array(fc.array(globSegment, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(
          fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
          { maxLength: 25 }
        ),
        (globs, paths) => {
          const glob = globs.map((g) => g.join('/'))
          let matcher: ReturnType<typeof compilePathMatcher>
          try {
            matcher = compilePathMatcher(glob)
          } catch {
            return
          }
          const expected = [...paths].sort().filter((p) => matcher.match(p) !== undefined)
          const config = {
            version: 1 as const,
            targets: { t: { type: 'command' as const, run: ['true'] } },
            pipelines: { p: { target: 't', on: { push: { paths: [{ glob, each: 'all' as const }] } } } }
          }
          const plan = planTriggers(pushEvent(), changes(...paths), config, { maxRuns: 10 })
          assert.deepEqual(plan.requests[0]?.files ?? [], expected, JSON.stringify({ glob, paths }))
        }
      ),
      { numRuns: 2000 }
    )
  })
})
