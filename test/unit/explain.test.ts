/**
 * `explain` must agree with planning: a file is reported as starting a run exactly when the plan
 * has it in one of that pipeline's runs, and every file that starts none gets a reason that names
 * what stopped it (the globs, an ignore, a `!glob`, or its status).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { ChangeSet, ChangedFile } from '../../src/changes/change-set.js'
import type { Config, FileStatus } from '../../src/config/schema.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { explainChanges, renderExplanation } from '../../src/plan/explain.js'
import { planTriggers } from '../../src/plan/plan.js'
import { contextFor } from '../helpers/events.js'

const SHA = 'c'.repeat(40)
const push = normalizeEvent(
  contextFor('push', {
    ref: 'refs/heads/main',
    before: 'b'.repeat(40),
    after: SHA,
    repository: { full_name: 'o/r', default_branch: 'main' }
  })
)
const changeSet = (files: ChangedFile[]): ChangeSet => ({
  files,
  complete: true,
  base: 'b'.repeat(40),
  head: SHA,
  description: 'test'
})

function config(rules: Record<string, unknown>[], other: Record<string, unknown> = {}): Config {
  return {
    version: 1,
    targets: { t: { type: 'http', url: 'https://example.com/hook' } },
    pipelines: {
      training: { target: 't', on: { push: { paths: rules } } },
      ...other
    }
  } as unknown as Config
}

describe('explain', () => {
  test('each kind of "no" says what stopped the file, and each match names its run', () => {
    const files: ChangedFile[] = [
      { path: 'data/iris/new.csv', status: 'added' },
      { path: 'data/iris/README.md', status: 'added' },
      { path: 'data/tmp/x.csv', status: 'added' },
      { path: 'data/wine/old.csv', status: 'deleted' },
      { path: 'src/train.py', status: 'modified' }
    ]
    const cfg = config([{ glob: ['data/{dataset}/**', '!data/tmp/**'], ignore: ['data/**/README.md'], each: 'file' }], {
      evaluation: { target: 't', on: { workflow_dispatch: {} } }
    })
    const plan = planTriggers(push, changeSet(files), cfg, { maxRuns: 10 })
    const explanation = explainChanges(plan, changeSet(files))
    const why = Object.fromEntries(explanation.files.map((f) => [f.path, f.verdicts[0]!]))
    assert.deepEqual(why['data/iris/new.csv'], {
      pipeline: 'training',
      where: 'pipelines.training.on.push.paths[0]',
      matched: true,
      why: 'matches "data/{dataset}/**" (dataset=iris)',
      run: 0
    })
    assert.equal(
      why['data/iris/README.md']!.why,
      'matches "data/{dataset}/**", but ignore "data/**/README.md" excludes it'
    )
    assert.equal(why['data/tmp/x.csv']!.why, 'excluded by "!data/tmp/**"')
    assert.match(why['data/wine/old.csv']!.why, /but it was deleted and the rule takes added, modified/)
    assert.equal(why['src/train.py']!.why, 'matches none of "data/{dataset}/**", "!data/tmp/**"')
    assert.deepEqual(explanation.pipelines, [{ pipeline: 'evaluation', note: 'no on.push rule' }])

    const text = renderExplanation(explanation, changeSet(files))
    assert.match(text, /^5 changed file\(s\) \(test\), 1 changed-file rule\(s\) for this event\./)
    assert.match(
      text,
      /data\/iris\/new\.csv {2}\(added\)\n {2}RUN 0 {2}training {2}pipelines\.training\.on\.push\.paths\[0\]/
    )
    assert.match(text, /Pipelines that did not test the files:\n {2}evaluation: no on\.push rule/)
    assert.match(text, /1 run\(s\) would be triggered:\n {2}run 0: training/)
  })

  test('inline mode names the input the user set, in the explanation and in the plan itself', () => {
    const files: ChangedFile[] = [{ path: 'data/a.csv', status: 'added' }]
    const plan = planTriggers(push, changeSet(files), config([{ glob: 'data/**' }]), { maxRuns: 10, inline: true })
    assert.match(plan.requests[0]!.reason, /matched input paths$/)
    assert.equal(explainChanges(plan, changeSet(files), { inline: true }).files[0]!.verdicts[0]!.where, 'input paths')
    const none = planTriggers(push, changeSet([{ path: 'x', status: 'added' }]), config([{ glob: 'data/**' }]), {
      maxRuns: 10,
      inline: true
    })
    assert.match(none.skipped[0]!.reason, /^no changed file matches input paths \(/)
  })

  test('a file name with control characters is shown escaped, never raw, in the terminal text', () => {
    const files: ChangedFile[] = [{ path: 'data/\u001b[2Jx\n.csv', status: 'added' }]
    const plan = planTriggers(push, changeSet(files), config([{ glob: 'data/**' }]), { maxRuns: 10 })
    const text = renderExplanation(explainChanges(plan, changeSet(files)), changeSet(files))
    assert.ok(!text.includes('\u001b'), text)
    assert.match(text, /"data\/\\u001b\[2Jx\\n\.csv"/)
  })

  test('property: a file starts a run in explain exactly when the plan has it in that pipeline’s runs', () => {
    const segment = fc.constantFrom('data', 'raw', 'iris', 'a.csv', 'b.json', 'README.md', '.hidden', 'x y')
    const path = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'))
    const status = fc.constantFrom<FileStatus>('added', 'modified', 'deleted', 'renamed', 'copied', 'type-changed')
    const glob = fc.constantFrom('data/**', '**/*.csv', 'data/{set}/**', '*', 'raw/*', '**/README.md', '**')
    const rule = fc.record(
      {
        glob: fc.oneof(
          glob,
          fc.tuple(glob, fc.constantFrom('!data/raw/**', '!**/*.json')).map(([a, b]) => [a, b])
        ),
        ignore: fc.array(fc.constantFrom('**/README.md', 'data/iris/**', '**/.hidden'), { maxLength: 2 }),
        statuses: fc.subarray<FileStatus>(['added', 'modified', 'deleted', 'renamed'], { minLength: 1 }),
        each: fc.constantFrom('file', 'directory', 'all')
      },
      { requiredKeys: ['glob'] }
    )
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ path, status }), { selector: (f) => f.path, maxLength: 12 }),
        fc.array(rule, { minLength: 1, maxLength: 3 }),
        (files, rules) => {
          const set = changeSet(files)
          const plan = planTriggers(push, set, config(rules), { maxRuns: 1000 })
          const planned = new Set(plan.requests.flatMap((request) => request.files ?? []))
          const explanation = explainChanges(plan, set)
          for (const file of explanation.files) {
            const verdicts = JSON.stringify(file.verdicts)
            // A run with the same parameters as one planned already is merged into it (one key).
            const started = file.verdicts.some((v) => v.run !== undefined)
            assert.equal(started, planned.has(file.path), `${file.path}: ${verdicts}`)
            for (const v of file.verdicts) {
              if (v.run !== undefined) assert.ok(plan.requests[v.run]!.files!.includes(file.path), verdicts)
              else if (v.matched) assert.match(v.why, /an identical run was planned already/)
              else assert.match(v.why, /^(matches none of|excluded by|matches ".*", but (ignore|it was))/)
            }
          }
        }
      ),
      { numRuns: 500 }
    )
  })
})
