import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { compileGlob, compilePathMatcher } from '../../src/plan/glob-pattern.js'
import { pathPlaceholders, renderParameters, renderTemplate } from '../../src/plan/placeholders.js'

describe('globs', () => {
  test('** matches names with a newline, dots, leading dashes, quotes and $()', () => {
    const matcher = compilePathMatcher(['data/**'])
    for (const path of ['data/new\nline.csv', 'data/.hidden/x', 'data/-rf', 'data/"q".csv', 'data/$(touch pwned).csv', 'data/ü/é.csv']) {
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
    assert.deepEqual(compileGlob('models/**/{model}-v{version}.onnx').match('models/x/resnet-v2.onnx'), { model: 'resnet', version: '2' })
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
    assert.deepEqual(pathPlaceholders('data/iris/train.v2.csv'), { path: 'data/iris/train.v2.csv', dir: 'data/iris', name: 'train.v2.csv', stem: 'train.v2', ext: 'csv' })
    assert.deepEqual(pathPlaceholders('.env'), { path: '.env', dir: '.', name: '.env', stem: '.env', ext: '' })
  })

  test('rendering, escapes, nesting, and values that stay data', () => {
    assert.equal(renderTemplate('s3://b/{path}?v={{sha}}', { path: 'a/{sha}.csv', sha: 'x' }, 'w'), 's3://b/a/{sha}.csv?v={sha}')
    assert.equal(renderTemplate('{"json": 1}', {}, 'w'), '{"json": 1}')
    assert.deepEqual(renderParameters({ a: ['{ref}', { b: '{ref}' }], n: 3 }, { ref: 'main' }, 'p'), { a: ['main', { b: 'main' }], n: 3 })
    assert.throws(() => renderTemplate('{nope}', { ref: 'main' }, 'pipelines.t.parameters.x'), /pipelines\.t\.parameters\.x: unknown placeholder \{nope\}.*Available here: \{ref\}/)
  })
})

describe('literal prefixes (planning looks only under them)', () => {
  test('positive globs give their leading literal directories; a wildcard first segment gives none', () => {
    assert.deepEqual(compilePathMatcher(['data/raw/**', '!data/raw/tmp/**', 'models/*.bin']).prefixes, ['data/raw/', 'models/'])
    assert.deepEqual(compilePathMatcher(['**/*.csv']).prefixes, [''])
    assert.deepEqual(compilePathMatcher(['data/{set}/x.csv']).prefixes, ['data/'])
    assert.deepEqual(compilePathMatcher(['README.md']).prefixes, [''])
  })
})
