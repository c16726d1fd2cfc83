import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { Minimatch } from 'minimatch'
import { MINIMATCH_OPTIONS, compileGlob, compilePathMatcher, hasOddSegment } from '../../src/core/glob-pattern.js'
import { pathPlaceholders, renderParameters, renderTemplate } from '../../src/core/placeholders.js'

describe('globs', () => {
  test('** matches names with a newline, dots, leading dashes, quotes and $()', () => {
    const matcher = compilePathMatcher(['data/**'])
    for (const path of [
      'data/new\nline.csv',
      'data/.hidden/x',
      'data/-rf',
      'data/"q".csv',
      'data/$(touch pwned).csv',
      'data/ü/é.csv'
    ]) {
      assert.deepEqual(matcher.match(path), {}, JSON.stringify(path))
    }
    assert.equal(matcher.match('database/x'), undefined)
  })

  test('( # ! and braces in names stay literal', () => {
    assert.ok(compileGlob('data/#notes(1)!.md').match('data/#notes(1)!.md'))
    assert.ok(compileGlob('data/\\{x\\}.csv').match('data/{x}.csv'))
  })

  test('captures read one segment part, before or after **', () => {
    assert.deepEqual(compileGlob('data/{dataset}/**/*.csv').match('data/iris/a/b.csv'), { dataset: 'iris' })
    assert.deepEqual(compileGlob('models/**/{model}-v{version}.onnx').match('models/x/resnet-v2.onnx'), {
      model: 'resnet',
      version: '2'
    })
    assert.deepEqual(compileGlob('data/{name_x}.csv').match('data/a\nb.csv'), { name_x: 'a\nb' })
    assert.equal(compileGlob('data/{dataset}/*.csv').match('data/iris/sub/a.csv'), undefined)
  })

  test('later globs win, as in on.push.paths; ignore always excludes', () => {
    const matcher = compilePathMatcher(['data/**', '!data/raw/**', 'data/raw/keep.csv'], ['**/*.tmp'])
    assert.ok(matcher.match('data/a.csv'))
    assert.equal(matcher.match('data/raw/b.csv'), undefined)
    assert.ok(matcher.match('data/raw/keep.csv'))
    assert.equal(matcher.match('data/x.tmp'), undefined)
  })

  test('refused globs explain the fix', () => {
    assert.throws(() => compileGlob('data/{a,b}'), /brace lists like \{a,b\} are not supported/)
    assert.throws(() => compileGlob('data/{path}/x'), /clashes with the built-in placeholder \{path\}/)
    assert.throws(() => compileGlob('**/{a}/**'), /between two \*\*/)
    assert.throws(() => compileGlob('data/*{a}.csv'), /mixes a capture with wildcards/)
    assert.throws(() => compileGlob('/data/**'), /write "data\/\*\*"/)
    assert.throws(() => compileGlob('{x}/{x}'), /appears twice/)
    assert.throws(() => compilePathMatcher(['!data/**']), /only exclude/)
  })
})

describe('placeholders', () => {
  test('path facts', () => {
    assert.deepEqual(pathPlaceholders('data/iris/train.v2.csv'), {
      path: 'data/iris/train.v2.csv',
      dir: 'data/iris',
      name: 'train.v2.csv',
      stem: 'train.v2',
      ext: 'csv'
    })
    assert.deepEqual(pathPlaceholders('.env'), { path: '.env', dir: '.', name: '.env', stem: '.env', ext: '' })
  })

  test('rendering, escapes, nesting, and values that stay data', () => {
    assert.equal(
      renderTemplate('s3://b/{path}?v={{sha}}', { path: 'a/{sha}.csv', sha: 'x' }, 'w'),
      's3://b/a/{sha}.csv?v={sha}'
    )
    assert.equal(renderTemplate('{"json": 1}', {}, 'w'), '{"json": 1}')
    assert.deepEqual(renderParameters({ a: ['{ref}', { b: '{ref}' }], n: 3 }, { ref: 'main' }, 'p'), {
      a: ['main', { b: 'main' }],
      n: 3
    })
    assert.throws(
      () => renderTemplate('{nope}', { ref: 'main' }, 'pipelines.t.parameters.x'),
      /pipelines\.t\.parameters\.x: unknown placeholder \{nope\}.*Available here: \{ref\}/
    )
  })
})

describe('literal prefixes (planning looks only under them)', () => {
  test('positive globs give their leading literal directories; a wildcard first segment gives none', () => {
    assert.deepEqual(compilePathMatcher(['data/raw/**', '!data/raw/tmp/**', 'models/*.bin']).prefixes, [
      'data/raw/',
      'models/'
    ])
    assert.deepEqual(compilePathMatcher(['**/*.csv']).prefixes, [''])
    assert.deepEqual(compilePathMatcher(['data/{set}/x.csv']).prefixes, ['data/'])
    assert.deepEqual(compilePathMatcher(['README.md']).prefixes, [''])
  })
})

describe('planning looks only at candidate files, and never misses one', () => {
  // The planner skips files that lack a glob's literal prefix or plain-text segment; this holds
  // the two shortcuts to minimatch's own answer on generated globs and paths.
  const segment = fc.constantFrom('a', 'b', 'ab', '.x', 'c.csv', 'a b', '-rf', '\n', '.', '..', '')
  const globSegment = fc.constantFrom(
    'a',
    'b',
    'ab',
    '.x',
    'c.csv',
    '**',
    '*',
    '*.csv',
    'a*',
    '?',
    '[ab]',
    '{cap}',
    'x{cap2}',
    '\\*',
    '.',
    '..'
  )
  test('a path a glob matches starts with its prefix and has its plain-text segment', () => {
    fc.assert(
      fc.property(
        fc.array(globSegment, { minLength: 1, maxLength: 5 }),
        fc.array(segment, { minLength: 1, maxLength: 6 }),
        (globParts, pathParts) => {
          let pattern
          try {
            pattern = compileGlob(globParts.join('/'))
          } catch {
            return // a glob the action refuses (a capture between two **, a repeated capture)
          }
          const path = pathParts.join('/')
          if (pattern.match(path) === undefined || hasOddSegment(path)) return // odd paths are always candidates
          assert.ok(
            path.startsWith(pattern.prefix),
            `${JSON.stringify(path)} lacks prefix ${JSON.stringify(pattern.prefix)}`
          )
          if (pattern.segment !== undefined)
            assert.ok(
              path.split('/').includes(pattern.segment),
              `${JSON.stringify(path)} lacks segment ${JSON.stringify(pattern.segment)} of ${globParts.join('/')}`
            )
        }
      ),
      { numRuns: 5000 }
    )
  })
  test('the plan is the same as testing every file against every glob', () => {
    const paths = [
      'data/a/x.csv',
      'data/b/y.csv',
      'raw/set1/part0/r.csv',
      'raw/set2/part1/r.csv',
      'x/set1/r.csv',
      'set1/a.csv',
      '.x/set1/a.csv'
    ]
    const globs = ['**/set1/*.csv', 'data/**', '**/*.csv', 'raw/{s}/part0/*.csv', '**/set2/{part}/*.csv', '*/set1/*']
    for (const glob of globs) {
      const matcher = compilePathMatcher([glob])
      const expected = paths.filter((p) => matcher.match(p) !== undefined)
      const candidates = paths.filter(
        (p) =>
          (matcher.prefixes.includes('') || matcher.prefixes.some((x) => p.startsWith(x))) &&
          (!matcher.segments || matcher.segments.some((s) => p.split('/').includes(s)))
      )
      assert.deepEqual(
        candidates.filter((p) => matcher.match(p) !== undefined),
        expected,
        glob
      )
    }
  })
})

describe('folder/** is answered without minimatch, as minimatch would', () => {
  test('the same answer on generated paths, odd segments included', () => {
    const segment = fc.constantFrom('a', 'b', '.x', '..', '.', '', 'c.csv', '\n', ' ')
    fc.assert(
      fc.property(
        fc.constantFrom('a/', 'a/b/', '.x/', ''),
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        (folder, parts) => {
          const path = parts.join('/')
          const minimatch = new Minimatch(`${folder}**`, MINIMATCH_OPTIONS).match(path)
          assert.equal(
            compileGlob(`${folder}**`).match(path) !== undefined,
            minimatch,
            `${folder}** against ${JSON.stringify(path)}`
          )
        }
      ),
      { numRuns: 3000 }
    )
  })
})
