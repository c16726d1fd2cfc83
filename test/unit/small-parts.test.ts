import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { foldCommits } from '../../src/changes/from-api.js'
import { parseNameStatus } from '../../src/changes/name-status.js'
import { parseDuration } from '../../src/inputs/duration.js'
import { formatDuration } from '../../src/clock.js'
import { mapInputs } from '../../src/plan/dispatch-inputs.js'
import { canonicalJson } from '../../src/plan/idempotency.js'
import { escapeMarkdown, markdownLink } from '../../src/report/markdown.js'
import { buildRunConfig } from '../../src/targets/command/run-config.js'
import { parse } from 'yaml'
import { buildOutputs, fitOutputs } from '../../src/report/outputs.js'
import { renderParameters } from '../../src/core/placeholders.js'
import { tmpdir } from 'node:os'
import { GitChanges, GitUnavailable } from '../../src/changes/from-git.js'
import { createGit } from '../../src/changes/git.js'
import { DISPLAY_ITEMS, forDisplay } from '../../src/report/display.js'
import { SUMMARY_BUDGET_BYTES, buildSummary } from '../../src/report/summary.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import type { TriggerRequest } from '../../src/plan/trigger-request.js'
import { contextFor } from '../helpers/events.js'

describe('parseNameStatus', () => {
  test('reads -z records, renames and copies included, names verbatim', () => {
    const raw = Buffer.from('M\0data/a\nb.csv\0R087\0old.csv\0new "x".csv\0A\0-dash\0D\0gone\0C100\0a\0b\0T\0link\0')
    assert.deepEqual(parseNameStatus(raw), [
      { path: 'data/a\nb.csv', status: 'modified' },
      { path: 'new "x".csv', status: 'renamed', previousPath: 'old.csv' },
      { path: '-dash', status: 'added' },
      { path: 'gone', status: 'deleted' },
      { path: 'b', status: 'copied', previousPath: 'a' },
      { path: 'link', status: 'type-changed' }
    ])
    assert.deepEqual(parseNameStatus(Buffer.alloc(0)), [])
    assert.throws(() => parseNameStatus(Buffer.from('R100\0only-one\0')), /ended inside a rename/)
  })
  test('a name that is not UTF-8 is left out and counted, never mangled', () => {
    const parsed = parseNameStatus(
      Buffer.concat([Buffer.from('A\0data/caf'), Buffer.from([0xe9]), Buffer.from('.csv\0M\0ok.csv\0')])
    )
    assert.deepEqual([...parsed], [{ path: 'ok.csv', status: 'modified' }])
    assert.equal(parsed.invalidNames, 1)
  })
})

describe('parseDuration', () => {
  test('accepts h/m/s/ms combinations and refuses the rest', () => {
    assert.equal(parseDuration('90s'), 90_000)
    assert.equal(parseDuration('1h30m'), 5_400_000)
    assert.equal(parseDuration('500ms'), 500)
    for (const bad of ['', '90', '1d', 'm', '0s', '30 m']) assert.equal(parseDuration(bad), undefined, bad)
  })
})

describe('mapInputs', () => {
  test('all: identifiers only, the rest reported as ignored', () => {
    assert.deepEqual(mapInputs('all', { data_url: 'x', 'dry-run': 'true' }, 'w'), {
      parameters: { data_url: 'x' },
      ignored: ['dry-run']
    })
  })
  test('types convert or fail with the input, the value and the expectation', () => {
    const mapping = {
      n: { type: 'number' as const },
      b: { type: 'boolean' as const },
      s: { type: 'string' as const, parameter: 'step.s' }
    }
    assert.deepEqual(mapInputs(mapping, { n: '14100.0', b: 'true', s: 5 }, 'w').parameters, {
      n: 14100,
      b: true,
      'step.s': '5'
    })
    assert.throws(() => mapInputs(mapping, { b: 'yes' }, 'w'), /w: input "b" is "yes", not a boolean/)
    assert.throws(() => mapInputs({ r: { required: true } }, {}, 'w'), /required input "r" is missing/)
  })
  test('an input left empty in the dispatch form counts as not given', () => {
    assert.deepEqual(mapInputs({ epochs: { type: 'number' } }, { epochs: '' }, 'w').parameters, {})
    assert.throws(() => mapInputs({ r: { required: true } }, { r: '' }, 'w'), /required input "r" is missing/)
  })
})

describe('canonicalJson', () => {
  test('key order does not matter', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: 1, c: [2, 1] } }), canonicalJson({ a: { c: [2, 1], d: 1 }, b: 1 }))
  })
})

describe('buildRunConfig', () => {
  test('pipeline-level and step-qualified parameters, any value round-trips', () => {
    const text = buildRunConfig({ data_url: 'a\tb\n$(x)', 'train_model.epochs': 3, 'train_model.lr': 0.1 }, 'run-1')
    assert.deepEqual(parse(text), {
      run_name: 'run-1',
      parameters: { data_url: 'a\tb\n$(x)' },
      steps: { train_model: { parameters: { epochs: 3, lr: 0.1 } } }
    })
  })
})

describe('markdown', () => {
  test('untrusted text cannot break a table, inject HTML or links', () => {
    // The newline becomes a visible, escaped "\n": two characters, never a line break.
    assert.equal(escapeMarkdown('a|b\n<img src=x>[x](y)'), 'a\\|b\\\\n&lt;img src=x&gt;\\[x\\]\\(y\\)')
    assert.equal(markdownLink('id', 'javascript:alert(1)'), 'id')
    assert.equal(markdownLink('id', 'https://z.example/runs/(1)'), '[id](https://z.example/runs/%281%29)')
  })
})

describe('fitOutputs and the matrix', () => {
  test('all outputs together stay within the budget, counted as GitHub does (UTF-16); the largest go to files', () => {
    const outputs = buildOutputs({ requests: [], skipped: [], warnings: [] }, [], undefined)
    const written: Record<string, string> = {}
    // Each alone is under 800 kB of UTF-8, together over it; and é is one UTF-16 unit but two UTF-8 bytes.
    const big = {
      ...outputs,
      runs: JSON.stringify('x'.repeat(300_000)),
      plan: JSON.stringify('é'.repeat(200_000)),
      matrix: JSON.stringify('m'.repeat(10_000))
    }
    const fitted = fitOutputs(big, (name, value) => ((written[name] = value), `/tmp/${name}.json`))
    assert.deepEqual(JSON.parse(fitted.outputs.runs), { truncated: true, bytes: 300_002, path: '/tmp/runs.json' })
    assert.equal(written.runs!.length, 300_002)
    assert.equal(fitted.outputs.plan, big.plan, 'what fits stays')
    assert.equal(fitted.outputs.matrix, big.matrix)
    assert.match(fitted.cut[0]!, /Output runs is 300002 bytes \(600012 as GitHub counts them, in UTF-16\)/)
    const total = Object.entries(fitted.outputs).reduce((sum, [k, v]) => sum + 2 * (k.length + v.length), 0)
    assert.ok(total <= 800_000, String(total))
  })
  test('matrix parameters survive the placeholder rendering of the parameters input', () => {
    const request = {
      index: 0,
      pipeline: 'p',
      pipelineName: 'p',
      target: 't',
      targetConfig: { type: 'command' as const, run: ['x'] },
      parameters: { data_url: 'data/{sha}.csv' },
      reason: '',
      runName: 'r',
      idempotencyKey: 'k',
      chain: { root: 'r', depth: 1, chain: ['p'] }
    }
    const matrix = JSON.parse(
      buildOutputs({ requests: [request], skipped: [], warnings: [] }, undefined, undefined).matrix
    ) as { include: { parameters: string }[] }
    const roundTrip = renderParameters(
      parse(matrix.include[0]!.parameters) as Record<string, unknown>,
      { sha: 'abc' },
      'parameters'
    )
    assert.deepEqual(roundTrip, { data_url: 'data/{sha}.csv' })
  })
})

describe('foldCommits', () => {
  test('per-commit changes fold into the change of the whole range', () => {
    const folded = foldCommits([
      [
        { path: 'a', status: 'added' },
        { path: 'b', status: 'deleted' },
        { path: 'c', status: 'modified' },
        { path: 'r2', status: 'renamed', previousPath: 'r1' }
      ],
      [
        { path: 'a', status: 'modified' },
        { path: 'b', status: 'added' },
        { path: 'c', status: 'deleted' },
        { path: 'r3', status: 'renamed', previousPath: 'r2' }
      ],
      [{ path: 'd', status: 'added' }],
      [{ path: 'd', status: 'deleted' }]
    ])
    assert.deepEqual(folded, [
      { path: 'a', status: 'added' },
      { path: 'b', status: 'modified' },
      { path: 'c', status: 'deleted' },
      { path: 'r3', status: 'renamed', previousPath: 'r1' }
    ])
  })
  test('a copy that is deleted never existed; a rename back is a modification', () => {
    assert.deepEqual(
      foldCommits([[{ path: 'b', status: 'copied', previousPath: 'a' }], [{ path: 'b', status: 'deleted' }]]),
      []
    )
    assert.deepEqual(
      foldCommits([
        [{ path: 'b', status: 'renamed', previousPath: 'a' }],
        [{ path: 'a', status: 'renamed', previousPath: 'b' }]
      ]),
      [{ path: 'a', status: 'modified' }]
    )
  })
})

describe('git without git', () => {
  test('a runner without git gets a clear "not a repository" answer, which sends the action to the GitHub API', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      const git = createGit(tmpdir())
      const result = await git.run(['rev-parse', '--git-dir'])
      assert.equal(result.code, 127)
      assert.match(result.stderr, /git could not be started \(spawn git ENOENT\)/)
      await assert.rejects(
        new GitChanges(git, () => {}).between('a'.repeat(40), 'b'.repeat(40), 'x'),
        (error: Error) =>
          error instanceof GitUnavailable && /not a git repository \(git could not be started/.test(error.message)
      )
    } finally {
      process.env.PATH = path
    }
  })
})

describe('forDisplay', () => {
  test('long lists and strings are cut with their counts; short values pass as they are', () => {
    const files = Array.from({ length: 10_000 }, (_, i) => `data/${i}.csv`)
    const shown = forDisplay({ files, note: 'x'.repeat(500), n: 3 }) as { files: string[]; note: string; n: number }
    assert.equal(shown.files.length, DISPLAY_ITEMS + 1)
    assert.equal(shown.files.at(-1), `… ${10_000 - DISPLAY_ITEMS} more (10000 in all)`)
    assert.match(shown.note, /… \(500 characters\)$/)
    assert.equal(shown.n, 3)
    assert.deepEqual(forDisplay({ a: ['x'], b: 'y' }), { a: ['x'], b: 'y' })
  })
})

describe('the job summary stays bounded, whatever the push', () => {
  const event = normalizeEvent(
    contextFor('push', {
      ref: 'refs/heads/main',
      before: 'b'.repeat(40),
      after: 'c'.repeat(40),
      repository: { full_name: 'o/r' }
    })
  )
  const request = (index: number, files: string[]) =>
    ({
      index,
      pipeline: 'p',
      pipelineName: 'training_pipeline',
      target: 't',
      targetConfig: { type: 'command', run: ['true'] },
      parameters: { files, note: 'n'.repeat(1000) },
      reason: `push: ${'r'.repeat(500)}`,
      files,
      runName: `run-${index}`,
      idempotencyKey: 'k',
      chain: { root: 'x', depth: 1, chain: ['p'] }
    }) as TriggerRequest
  test('5,000 requests of 1,000 files each and 100,000 changed files: under 60 KB, with what was left out counted', () => {
    const files = Array.from({ length: 1000 }, (_, i) => `data/set/${i}.csv`)
    const plan = {
      requests: Array.from({ length: 5000 }, (_, i) => request(i, files)),
      skipped: Array.from({ length: 2000 }, (_, i) => ({ pipeline: `p${i}`, reason: 'x'.repeat(200) })),
      warnings: []
    }
    const changes = {
      files: Array.from({ length: 100_000 }, (_, i) => ({ path: `data/${i}.csv`, status: 'added' as const })),
      complete: true,
      base: 'b',
      head: 'c',
      description: 'push'
    }
    const summary = buildSummary(event, plan, undefined, changes)
    assert.ok(Buffer.byteLength(summary) <= SUMMARY_BUDGET_BYTES, `${Buffer.byteLength(summary)} bytes`)
    assert.match(
      summary,
      /> This summary is cut to 60 KB after \d+ of \d+ lines\. The `runs`, `plan` and `changed-files` outputs/
    )
    const small = buildSummary(
      event,
      {
        requests: Array.from({ length: 5000 }, (_, i) => ({ ...request(i, []), parameters: {}, reason: 'push' })),
        skipped: [],
        warnings: []
      },
      undefined,
      undefined
    )
    assert.match(small, /… and 4900 more runs: the `runs` and `plan` outputs list every one\./)
    assert.doesNotMatch(
      summary,
      /data\/set\/10\\\.csv/,
      'each request shows its first files only (names escaped for Markdown)'
    )
  })
  test('a small plan is whole, without a note', () => {
    const summary = buildSummary(
      event,
      { requests: [request(0, ['data/a.csv'])], skipped: [], warnings: [] },
      undefined,
      undefined
    )
    assert.doesNotMatch(summary, /cut to|more runs/)
    assert.match(summary, /data\/a\\\.csv/)
  })
})

describe('formatDuration', () => {
  test('milliseconds, seconds, minutes, hours, and days past two of them', () => {
    assert.equal(formatDuration(250), '250ms')
    assert.equal(formatDuration(61_000), '1m 1s')
    assert.equal(formatDuration(3 * 3_600_000 + 5 * 60_000), '3h 5m')
    assert.equal(formatDuration(47 * 3_600_000), '47h')
    assert.equal(formatDuration(13 * 24 * 3_600_000), '13d')
    assert.equal(formatDuration(13 * 24 * 3_600_000 + 5 * 3_600_000 + 59_000), '13d 5h')
  })
})
