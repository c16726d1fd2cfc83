/**
 * Why each changed file did or did not start a run: every file against every changed-file rule
 * the event consulted, with the verdict in words ("matches none of …", "ignore … excludes it",
 * "it was deleted and the rule takes …"). It answers "why didn't my file trigger?" for the CLI's
 * `explain` command and the demo. Planning itself never calls it: it tests files one by one,
 * which is exact and plain, not fast.
 */
import type { ChangeSet, ChangedFile } from '../changes/change-set.js'
import { inlineInputName } from '../config/inline-config.js'
import type { PathRule } from '../config/schema.js'
import { compileGlob, type GlobPattern } from '../core/glob-pattern.js'
import { DEFAULT_STATUSES } from './plan.js'
import type { Plan } from './trigger-request.js'

export interface FileVerdict {
  pipeline: string
  /** The rule's place in the config, e.g. pipelines.training.on.push.paths[0]. */
  where: string
  matched: boolean
  why: string
  /** The run the file is part of, when it matched. */
  run?: number
}

export interface ExplainedFile {
  path: string
  status: ChangedFile['status']
  verdicts: FileVerdict[]
}

export interface Explanation {
  files: ExplainedFile[]
  /** The runs the plan has, for the closing lines. */
  runs: { index: number; pipeline: string; reason: string }[]
  /** Pipelines that did not test files on this event, and why (no rule, a branch filter, no paths). */
  pipelines: { pipeline: string; note: string }[]
}

const quote = (text: string): string => JSON.stringify(text)

/**
 * `inline`: the rules came from the action's inputs, so a rule is named by the input the user
 * wrote (`paths`), not by its place in the config the inputs were turned into.
 */
export function explainChanges(
  plan: Plan,
  changes: ChangeSet | undefined,
  options: { inline?: boolean } = {}
): Explanation {
  const compiled = new Map<string, GlobPattern>()
  const glob = (source: string): GlobPattern => {
    let pattern = compiled.get(source)
    if (!pattern) compiled.set(source, (pattern = compileGlob(source)))
    return pattern
  }
  const rules = (plan.pathRules ?? []).map((rule) =>
    options.inline ? { ...rule, where: inlineInputName(rule.where) } : rule
  )

  function verdict(file: ChangedFile, pipeline: string, where: string, rule: PathRule): FileVerdict {
    const globs = typeof rule.glob === 'string' ? [rule.glob] : rule.glob
    // Like planning: the last glob that matches decides, and a `!glob` excludes.
    let last: { source: string; captures: Record<string, string> } | undefined
    for (const source of globs) {
      const captures = glob(source.startsWith('!') ? source.slice(1) : source).match(file.path)
      if (captures) last = { source, captures }
    }
    const no = (why: string): FileVerdict => ({ pipeline, where, matched: false, why })
    if (!last) return no(`matches none of ${globs.map(quote).join(', ')}`)
    if (last.source.startsWith('!')) return no(`excluded by ${quote(last.source)}`)
    const ignoredBy = (rule.ignore ?? []).find((source) => glob(source).match(file.path))
    if (ignoredBy) return no(`matches ${quote(last.source)}, but ignore ${quote(ignoredBy)} excludes it`)
    const statuses = rule.statuses ?? DEFAULT_STATUSES
    if (!statuses.includes(file.status)) {
      return no(`matches ${quote(last.source)}, but it was ${file.status} and the rule takes ${statuses.join(', ')}`)
    }
    const captures = Object.entries(last.captures)
    const captured = captures.length ? ` (${captures.map(([name, value]) => `${name}=${value}`).join(', ')})` : ''
    const run = plan.requests.find((request) => request.pipeline === pipeline && request.files?.includes(file.path))
    return run
      ? { pipeline, where, matched: true, why: `matches ${quote(last.source)}${captured}`, run: run.index }
      : {
          pipeline,
          where,
          matched: true,
          why: `matches ${quote(last.source)}${captured}; an identical run was planned already, so it adds none`
        }
  }

  const files = (changes?.files ?? []).map((file) => ({
    path: file.path,
    status: file.status,
    verdicts: rules.map(({ pipeline, where, rule }) => verdict(file, pipeline, where, rule))
  }))

  const consulted = new Set(rules.map((rule) => rule.pipeline))
  const pipelines = [
    ...plan.skipped
      .filter((skip) => !consulted.has(skip.pipeline))
      .map((s) => ({ pipeline: s.pipeline, note: s.reason })),
    ...plan.requests
      .filter((request) => !request.files)
      .map((request) => ({
        pipeline: request.pipeline,
        note: `run ${request.index} whatever changed (its rule has no paths): ${request.reason}`
      }))
  ]
  const runs = plan.requests.map(({ index, pipeline, reason }) => ({ index, pipeline, reason }))
  return { files, runs, pipelines }
}

/** Control characters in a file name are shown escaped, so a name cannot redraw the terminal. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const shown = (path: string): string => (/[\u0000-\u001f\u007f-\u009f]/.test(path) ? quote(path) : path)

/** The explanation as plain text for a terminal: one block per file, one line per rule. */
export function renderExplanation(explanation: Explanation, changes: ChangeSet | undefined): string {
  const lines: string[] = []
  const ruleCount = explanation.files[0]?.verdicts.length ?? 0
  lines.push(
    changes
      ? `${changes.files.length} changed file(s) (${changes.description}), ${ruleCount} changed-file rule(s) for this event.`
      : 'This event lists no changed files: no rule for it has paths.'
  )
  for (const file of explanation.files) {
    lines.push('', `${shown(file.path)}  (${file.status})`)
    if (file.verdicts.length === 0) lines.push('  no changed-file rule applies to this event')
    for (const v of file.verdicts) {
      const outcome = v.matched ? (v.run !== undefined ? `RUN ${v.run}` : 'MATCH') : 'no'
      lines.push(`  ${outcome.padEnd(6)} ${v.pipeline}  ${v.where}: ${v.why}`)
    }
  }
  if (explanation.pipelines.length > 0) {
    lines.push('', 'Pipelines that did not test the files:')
    for (const { pipeline, note } of explanation.pipelines) lines.push(`  ${pipeline}: ${note}`)
  }
  lines.push(
    '',
    explanation.runs.length ? `${explanation.runs.length} run(s) would be triggered:` : 'No run would be triggered.'
  )
  for (const run of explanation.runs) lines.push(`  run ${run.index}: ${run.pipeline} (${shown(run.reason)})`)
  return `${lines.join('\n')}\n`
}
