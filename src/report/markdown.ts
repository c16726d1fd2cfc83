/**
 * Escapes untrusted text (file names, parameter values, branch names) for the job summary.
 * Control characters become visible escapes, HTML is neutralised, and Markdown punctuation is
 * backslash-escaped, so a value can neither break the table nor inject links or markup.
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this escapes
      .replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_{}[\]()#+\-.!|~$]/g, '\\$&')
  )
}

/** A Markdown link, or the escaped label when the URL is not http(s). */
export function markdownLink(label: string, url: string | undefined): string {
  if (!url || !/^https?:\/\//i.test(url)) return escapeMarkdown(label)
  let href: string
  try {
    href = new URL(url).href.replace(/\(/g, '%28').replace(/\)/g, '%29')
  } catch {
    return escapeMarkdown(label)
  }
  return `[${escapeMarkdown(label)}](${href})`
}
