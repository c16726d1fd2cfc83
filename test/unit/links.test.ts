/**
 * Every relative link and anchor in the project's Markdown leads somewhere: the target file (or
 * folder) exists, and a `#anchor` names a heading of that file as GitHub renders it. Links are read
 * with marked's lexer (tables, lists and reference definitions included, code blocks left out);
 * anchors follow GitHub's slug rules (github-slugger): lowercase, punctuation other than `-` and `_`
 * dropped, each space a `-`, and a repeated heading gets `-1`, `-2`, ...
 */
import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { test } from 'node:test'
import { marked, type Token, type TokensList } from 'marked'
import { ROOT } from '../helpers/run-action.js'

/** The Markdown files whose links are followed, relative to the repository root. */
function markdownFiles(root: string): string[] {
  const docs = readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`)
  return ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...docs.sort()]
}

/** A heading's text as GitHub renders it: inline code and emphasis keep their text, HTML tags go. */
function plainText(tokens: Token[]): string {
  return tokens
    .map((token) => {
      if (token.type === 'html') return ''
      if ('tokens' in token && token.tokens) return plainText(token.tokens)
      return 'text' in token ? String(token.text) : ''
    })
    .join('')
}

/** GitHub's slug of one heading text (github-slugger's rule, before duplicates are numbered). */
function githubSlug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-')
}

/** Every anchor a file offers: its headings' slugs, numbered as GitHub numbers repeats, and HTML ids. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const occurrences = new Map<string, number>()
  // walkTokens returns the callbacks' results for async extensions; these callbacks are synchronous.
  void marked.walkTokens(marked.lexer(markdown), (token) => {
    if (token.type === 'heading') {
      const base = githubSlug(plainText(token.tokens ?? []))
      let slug = base
      while (occurrences.has(slug)) {
        const n = occurrences.get(base)! + 1
        occurrences.set(base, n)
        slug = `${base}-${n}`
      }
      occurrences.set(slug, 0)
      anchors.add(slug)
    } else if (token.type === 'html') {
      for (const match of String(token.text).matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(match[1]!)
    }
  })
  return anchors
}

/** Every link and image target written in a Markdown text, reference definitions included, once each. */
function linkTargets(markdown: string): string[] {
  const tokens: TokensList = marked.lexer(markdown)
  const targets: string[] = []
  void marked.walkTokens(tokens, (token) => {
    if (token.type === 'link' || token.type === 'image') targets.push(token.href)
  })
  for (const definition of Object.values(tokens.links)) targets.push(definition.href)
  return [...new Set(targets)]
}

const EXTERNAL = /^(?:[a-z][a-z0-9+.-]*:|\/\/)/i

/** The broken links of one file (`root`-relative), each as `file: target: why`. */
function brokenLinks(root: string, file: string): string[] {
  const source = join(root, file)
  const problems: string[] = []
  const anchorCache = new Map<string, Set<string>>()
  const anchors = (path: string): Set<string> => {
    if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(readFileSync(path, 'utf8')))
    return anchorCache.get(path)!
  }
  for (const href of linkTargets(readFileSync(source, 'utf8'))) {
    if (EXTERNAL.test(href)) continue
    const hash = href.indexOf('#')
    const pathPart = (hash === -1 ? href : href.slice(0, hash)).replace(/\?.*$/, '')
    const anchor = hash === -1 ? undefined : decodeURIComponent(href.slice(hash + 1))
    const decoded = decodeURIComponent(pathPart)
    const target =
      decoded === '' ? source : decoded.startsWith('/') ? join(root, decoded) : resolve(dirname(source), decoded)
    const shown = `${file}: ${href}`
    if (relative(root, target).split(sep)[0] === '..') {
      problems.push(`${shown}: leaves the repository`)
      continue
    }
    if (!existsSync(target)) {
      problems.push(`${shown}: ${relative(root, target)} does not exist`)
      continue
    }
    if (anchor === undefined) continue
    if (statSync(target).isDirectory()) problems.push(`${shown}: a folder has no anchors`)
    else if (target.endsWith('.md')) {
      if (!anchors(target).has(anchor))
        problems.push(`${shown}: no heading of ${relative(root, target)} has the anchor #${anchor}`)
    } else if (!/^L\d+(?:-L\d+)?$/.test(anchor)) problems.push(`${shown}: #${anchor} is not a line anchor`)
  }
  return problems
}

test('every relative link and anchor in README.md, CONTRIBUTING.md, SECURITY.md, CHANGELOG.md and docs/*.md resolves', () => {
  const files = markdownFiles(ROOT)
  assert.ok(files.includes('docs/events-and-rules.md'), files.join(', '))
  assert.deepEqual(
    files.flatMap((file) => brokenLinks(ROOT, file)),
    []
  )
})

test('the link check reports a missing file, a missing anchor and an anchor of a folder, and numbers repeated headings', () => {
  const root = mkdtempSync(join(tmpdir(), 'links-'))
  try {
    mkdirSync(join(root, 'docs'))
    writeFileSync(
      join(root, 'docs/guide.md'),
      [
        '# Guide',
        '## Waiting, parallel runs and the deadline',
        '## ZenML ≥0.90: `snapshot` & run_template',
        '## Notes',
        '## Notes',
        '```md',
        '## Not a heading',
        '[not a link](nowhere.md)',
        '```'
      ].join('\n\n')
    )
    writeFileSync(
      join(root, 'README.md'),
      [
        '[ok](docs/guide.md#waiting-parallel-runs-and-the-deadline)',
        '[ok](docs/guide.md#zenml-090-snapshot--run_template)',
        '[ok](docs/guide.md#notes-1) [ok](docs/guide.md) [ok](docs/) [ok](#title) [ok](https://example.com/x.md#y)',
        '| a | b |',
        '|---|---|',
        '| [gone](docs/gone.md) | [bad anchor](docs/guide.md#notes-2) |',
        '[folder anchor](docs/#guide) [not a heading](docs/guide.md#not-a-heading) [ref]',
        '',
        '[ref]: ./docs/guide.md#Guide',
        '',
        '# Title'
      ].join('\n')
    )
    assert.deepEqual(brokenLinks(root, 'docs/guide.md'), [])
    assert.deepEqual(brokenLinks(root, 'README.md'), [
      'README.md: docs/gone.md: docs/gone.md does not exist',
      'README.md: docs/guide.md#notes-2: no heading of docs/guide.md has the anchor #notes-2',
      'README.md: docs/#guide: a folder has no anchors',
      'README.md: docs/guide.md#not-a-heading: no heading of docs/guide.md has the anchor #not-a-heading',
      'README.md: ./docs/guide.md#Guide: no heading of docs/guide.md has the anchor #Guide'
    ])
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
})

/** The .ts files under a folder, recursively, relative to the repository root. */
function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join(folder, name))
}

test('error messages in src/ that cite a section of the README or a guide name a heading that exists', () => {
  const cited: string[] = []
  for (const file of sourceFiles('src')) {
    const text = readFileSync(join(ROOT, file), 'utf8')
    for (const match of text.matchAll(/\b(README|docs\/[\w.-]+\.md), section (?:"([^"]+)"|([\w-]+))/g)) {
      const doc = match[1] === 'README' ? 'README.md' : match[1]!
      const section = match[2] ?? match[3]!
      cited.push(`${file}: ${doc}#${section}`)
      assert.ok(
        anchorsOf(readFileSync(join(ROOT, doc), 'utf8')).has(githubSlug(section)),
        `${file} cites ${doc}, section "${section}", which has no such heading`
      )
    }
  }
  assert.ok(cited.length > 0, 'no message cites a section; the pattern above no longer finds them')
})
