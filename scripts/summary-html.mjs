// Renders a job summary (GitHub-flavoured Markdown) to a standalone HTML page styled like
// GitHub's run page, for scripts/summary-picture.sh to photograph.
// Usage: node scripts/summary-html.mjs summary.md > summary.html
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { marked } from 'marked'

const require = createRequire(import.meta.url)
const css = readFileSync(require.resolve('github-markdown-css/github-markdown-light.css'), 'utf8')
const markdown = readFileSync(process.argv[2], 'utf8')
process.stdout.write(`<!doctype html>
<html><head><meta charset="utf-8"><title>Job summary</title>
<style>${css}
body { margin: 0; background: #f6f8fa; }
.box { margin: 16px; padding: 16px 24px; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.title { font: 600 14px -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: #57606a; margin: 0 0 8px; }
</style></head>
<body><div class="box"><p class="title">train summary</p>
<article class="markdown-body">${marked.parse(markdown, { gfm: true })}</article></div></body></html>
`)
