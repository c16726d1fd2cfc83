/**
 * Planning, pure: (event, changed files, config) → the runs to trigger. No I/O and no clock,
 * so the same inputs always give the same requests in the same order. Dry-run stops here.
 *
 * Parameters are merged in this order, later wins: the pipeline's defaults (plus the
 * `parameters` input), then the event's parameters (schedule entry, dispatch inputs), then the
 * changed-file rule's parameters and its path parameter.
 */
import { posix } from 'node:path'
import type { ChangeSet, ChangedFile } from '../changes/change-set.js'
import type { Config, FileStatus, Parameters, PathRule, PipelineConfig } from '../config/schema.js'
import { inlineInputName } from '../config/inline-config.js'
import { CHAIN_INPUT, DEFAULT_MAX_DEPTH, extendChain, guardChain, type ChainContext } from '../core/chain.js'
import { compilePathMatcher, hasOddSegment, type PathMatcher } from '../core/glob-pattern.js'
import { UserError } from '../errors.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import { mapInputs } from './dispatch-inputs.js'
import { idempotencyKey } from './idempotency.js'
import { pathPlaceholders, renderParameters, renderTemplate, type PlaceholderValues } from '../core/placeholders.js'

/** Unique per workflow run, attempt and request, so a replayed request cannot run twice under one name. */
export const DEFAULT_RUN_NAME = '{pipeline}-gh-{run_id}-{attempt}-{index}'
import type { ConsultedPathRule, Plan, SkippedRule, TriggerRequest } from './trigger-request.js'

export interface PlanOptions {
  /** Fail before triggering anything when the plan has more runs than this. */
  maxRuns: number
  /** When the changed-file list may be incomplete: fail, plan with what is known (warn), or run every rule (all). */
  onIncomplete?: 'fail' | 'warn' | 'all'
  /** Plan only this config pipeline. */
  only?: string
  /** Parameters that override every pipeline's defaults (the `parameters` input with a config file). */
  overrides?: Parameters
  /** The chain guard: refuse when the incoming chain is this deep (default 4). */
  maxDepth?: number
  /** The run name; placeholders {pipeline} {run_id} {attempt} {index} {sha} {ref}. */
  runNameTemplate?: string
  /** The config came from the action's inputs: messages name those inputs, not config keys. */
  inline?: boolean
}

/** A run before it gets its index, name and key. */
interface Draft {
  pipeline: string
  config: PipelineConfig
  parameters: Parameters
  reason: string
  files?: string[]
}

export const DEFAULT_STATUSES: FileStatus[] = ['added', 'modified', 'renamed', 'copied', 'type-changed']

const normalizeCron = (cron: string): string => cron.trim().split(/\s+/).join(' ')

const byPath = (a: ChangedFile, b: ChangedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)

/** Each path segment → the files that have it, in path order (a file once per segment). */
function indexBySegment(sorted: ChangedFile[]): Map<string, ChangedFile[]> {
  const index = new Map<string, ChangedFile[]>()
  for (const file of sorted) {
    for (const segment of new Set(file.path.split('/'))) {
      const files = index.get(segment)
      if (files) files.push(file)
      else index.set(segment, [file])
    }
  }
  return index
}

/** The first index whose path is not below `prefix` in sorted order. */
function lowerBound(sorted: ChangedFile[], prefix: string): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid]!.path < prefix) low = mid + 1
    else high = mid
  }
  return low
}

function matchesAny(globs: string[] | undefined, value: string): boolean {
  return globs !== undefined && compilePathMatcher(globs).match(value) !== undefined
}

/** GitHub's branches/tags filter rules for push and pull_request. */
function refFilter(
  rule: { branches?: string[]; 'branches-ignore'?: string[]; tags?: string[] },
  name: string,
  isTag: boolean
): string | undefined {
  const hasBranchFilter = rule.branches !== undefined || rule['branches-ignore'] !== undefined
  if (isTag) {
    if (rule.tags)
      return matchesAny(rule.tags, name)
        ? undefined
        : `tag ${JSON.stringify(name)} matches none of tags ${JSON.stringify(rule.tags)}`
    return hasBranchFilter ? 'tags are not listed (only branches are)' : undefined
  }
  if (rule.tags && !hasBranchFilter) return 'branches are not listed (only tags are)'
  if (rule.branches && !matchesAny(rule.branches, name))
    return `branch ${JSON.stringify(name)} matches none of branches ${JSON.stringify(rule.branches)}`
  if (matchesAny(rule['branches-ignore'], name)) return `branch ${JSON.stringify(name)} is in branches-ignore`
  return undefined
}

class Planner {
  readonly drafts: Draft[] = []
  readonly skipped: SkippedRule[] = []
  readonly pathRules: ConsultedPathRule[] = []
  readonly warnings = new Set<string>()
  private sortedFiles?: ChangedFile[]
  private bySegment?: Map<string, ChangedFile[]>
  private oddFiles?: ChangedFile[]

  constructor(
    private readonly event: TriggerEvent,
    private readonly changes: ChangeSet | undefined,
    private readonly options: PlanOptions
  ) {}

  /** A config place as the user knows it: the key in their config file, or the input they set. */
  private said(where: string): string {
    return this.options.inline ? inlineInputName(where) : where
  }

  private get common(): PlaceholderValues {
    const upstream = this.event.upstream
    return {
      sha: this.event.sha,
      ref: this.event.refName,
      ...(upstream
        ? {
            'upstream.run_id': upstream.runId,
            'upstream.sha': upstream.sha,
            'upstream.workflow': upstream.workflow,
            'upstream.conclusion': upstream.conclusion,
            'upstream.html_url': upstream.htmlUrl,
            'upstream.branch': upstream.branch
          }
        : {})
    }
  }

  private defaults(name: string, config: PipelineConfig, values: PlaceholderValues): Parameters {
    return renderParameters(
      { ...config.parameters, ...this.options.overrides },
      values,
      this.said(`pipelines.${name}.parameters`)
    )
  }

  /**
   * One run for the event, or, when the rule has changed-file rules, one run per match.
   * `templates` are config-authored (placeholders rendered); `data` comes from the event and is never rendered.
   */
  private fire(
    name: string,
    config: PipelineConfig,
    where: string,
    label: string,
    templates: Parameters,
    data: Parameters,
    paths: PathRule[] | undefined
  ): void {
    if (!paths) {
      const parameters = {
        ...this.defaults(name, config, this.common),
        ...renderParameters(templates, this.common, this.said(`${where}.parameters`)),
        ...data
      }
      this.drafts.push({ pipeline: name, config, parameters, reason: label })
      return
    }
    const before = this.drafts.length
    paths.forEach((rule, i) => this.planPathRule(name, config, templates, data, rule, `${where}.paths[${i}]`, label))
    if (this.drafts.length === before) {
      const changes = this.changes
      this.skipped.push({
        pipeline: name,
        reason: `no changed file matches ${this.said(`${where}.paths`)} (${changes?.files.length ?? 0} files changed: ${changes?.description ?? 'none listed'})`
      })
    }
  }

  planPipeline(name: string, config: PipelineConfig): void {
    const kind = this.event.kind!
    const where = `pipelines.${name}.on.${kind}`
    const skip = (reason: string): void => void this.skipped.push({ pipeline: name, reason })
    const on = config.on
    switch (kind) {
      case 'schedule': {
        if (!on.schedule) return skip('no on.schedule rule')
        const entry = firingScheduleEntry(on.schedule, this.event.cron)
        if (!entry) {
          return skip(
            `the schedule ${JSON.stringify(this.event.cron ?? '')} that fired is not listed (listed: ${on.schedule.map((e) => JSON.stringify(e.cron)).join(', ')})`
          )
        }
        const label = `schedule ${this.event.cron ?? '(any)'}`
        return this.fire(
          name,
          config,
          `${where}[${on.schedule.indexOf(entry)}]`,
          label,
          entry.parameters ?? {},
          {},
          entry.paths
        )
      }
      case 'workflow_run': {
        const rule = on.workflow_run
        const upstream = this.event.upstream!
        if (!rule) return skip('no on.workflow_run rule')
        if (rule.workflows && !rule.workflows.includes(upstream.workflow))
          return skip(
            `upstream workflow ${JSON.stringify(upstream.workflow)} is not in workflows ${JSON.stringify(rule.workflows)}`
          )
        const conclusions: readonly string[] = rule.conclusions ?? ['success']
        if (!conclusions.includes(upstream.conclusion))
          return skip(
            `upstream run ${upstream.runId} concluded ${JSON.stringify(upstream.conclusion)}, not ${conclusions.join(' or ')}`
          )
        if (upstream.headRepository && upstream.headRepository !== this.event.repository && !rule['allow-forks']) {
          return skip(
            `upstream run ${upstream.runId} built ${upstream.headRepository}, a fork: its code and branch name are not this repository's (set allow-forks: true to run anyway)`
          )
        }
        if (rule.branches && !matchesAny(rule.branches, upstream.branch))
          return skip(
            `upstream branch ${JSON.stringify(upstream.branch)} matches none of branches ${JSON.stringify(rule.branches)}`
          )
        return this.fire(
          name,
          config,
          where,
          `workflow_run: ${upstream.workflow} run ${upstream.runId} ${upstream.conclusion}`,
          rule.parameters ?? {},
          {},
          undefined
        )
      }
      case 'workflow_dispatch':
      case 'workflow_call':
      case 'repository_dispatch': {
        const rule = on[kind]
        if (!rule) return skip(`no on.${kind} rule`)
        if (
          kind === 'repository_dispatch' &&
          on.repository_dispatch?.types &&
          !on.repository_dispatch.types.includes(this.event.dispatchType ?? '')
        ) {
          return skip(
            `repository_dispatch type ${JSON.stringify(this.event.dispatchType)} is not in types ${JSON.stringify(on.repository_dispatch.types)}`
          )
        }
        if (rule['require-upstream'] && !this.event.chain) {
          throw new UserError(
            `${where} has require-upstream: true, but this ${kind} carries no ${CHAIN_INPUT} from an upstream trigger, so it would run on whatever is latest. Nothing was triggered. Fix: start it from the upstream pipeline (which passes ${CHAIN_INPUT}), or remove require-upstream for manual runs.`
          )
        }
        const mapped = mapInputs(rule.inputs, this.event.inputs ?? {}, this.said(`${where}.inputs`))
        const names = Object.keys(mapped.parameters)
        const unmapped = mapped.ignored.length ? ` (not mapped: ${mapped.ignored.join(', ')})` : ''
        return this.fire(
          name,
          config,
          where,
          `${kind}${names.length ? ` with inputs ${names.join(', ')}` : ''}${unmapped}`,
          rule.parameters ?? {},
          mapped.parameters,
          rule.paths
        )
      }
      case 'push':
      case 'pull_request':
      case 'merge_group': {
        const rule = on[kind]
        if (!rule) return skip(`no on.${kind} rule`)
        if (kind === 'push') {
          if (this.event.push?.deleted) return skip(`the push deleted ${this.event.ref}`)
          const refSkip = refFilter(on.push!, this.event.refName, this.event.isTag)
          if (refSkip) return skip(refSkip)
        }
        if (kind === 'pull_request' && this.event.pullRequest) {
          const refSkip = refFilter(on.pull_request!, this.event.pullRequest.baseRef, false)
          if (refSkip) return skip(`base ${refSkip}`)
        }
        const label =
          kind === 'pull_request'
            ? `pull request #${this.event.pullRequest?.number}`
            : kind === 'push'
              ? `push to ${this.event.refName}`
              : 'merge group'
        return this.fire(name, config, where, label, rule.parameters ?? {}, {}, rule.paths)
      }
    }
  }

  /**
   * The changed files a rule can match, in path order, without testing every file against every
   * glob: a rule whose globs all start with literal directories (`data/raw/**`) looks only at the
   * files under them (binary search in the sorted list); one whose globs each have a plain-text
   * segment (`**\/set01/*.csv`) only at the files with that segment (an index built once).
   */
  private candidates(files: ChangedFile[], matcher: PathMatcher): ChangedFile[] {
    // git lists a diff in path order already; sorting is for the lists that come otherwise (API, CLI).
    const sorted = (this.sortedFiles ??= files.every((file, i) => i === 0 || byPath(files[i - 1]!, file) <= 0)
      ? files
      : [...files].sort(byPath))
    // Paths with `.`, `..` or empty segments escape both shortcuts (minimatch resolves them): always candidates.
    const odd = (this.oddFiles ??= sorted.filter((file) => hasOddSegment(file.path)))
    if (odd.length > 0) return sorted
    const picked = new Set<ChangedFile>()
    if (!matcher.prefixes.includes('')) {
      for (const prefix of matcher.prefixes) {
        for (let i = lowerBound(sorted, prefix); i < sorted.length && sorted[i]!.path.startsWith(prefix); i++)
          picked.add(sorted[i]!)
      }
      return matcher.prefixes.length === 1 ? [...picked] : [...picked].sort(byPath)
    }
    if (!matcher.segments) return sorted
    const index = (this.bySegment ??= indexBySegment(sorted))
    for (const segment of matcher.segments) for (const file of index.get(segment) ?? []) picked.add(file)
    return matcher.segments.length === 1 ? [...picked] : [...picked].sort(byPath)
  }

  private planPathRule(
    name: string,
    config: PipelineConfig,
    templates: Parameters,
    data: Parameters,
    rule: PathRule,
    where: string,
    label: string
  ): void {
    const changes = this.changes
    if (!changes) throw new Error(`${where}: changed files are needed but were not computed`)
    this.pathRules.push({ pipeline: name, where, rule })
    if (!changes.complete) {
      const onIncomplete = this.options.onIncomplete ?? 'fail'
      if (onIncomplete === 'fail') {
        throw new UserError(
          `The list of changed files may be incomplete (${changes.description}), so ${this.said(where)} cannot be applied safely and nothing was triggered. ` +
            'Fix: check out the repository with actions/checkout so git can list every file, or set on-incomplete to warn (use the files known) or all (run every rule).'
        )
      }
      this.warnings.add(
        `The list of changed files may be incomplete (${changes.description}); on-incomplete is ${onIncomplete}.`
      )
      if (onIncomplete === 'all') {
        // No file is known, so the rule's own (per-file) parameters and path parameter are left out.
        const parameters = {
          ...this.defaults(name, config, this.common),
          ...renderParameters(templates, this.common, this.said(`${where.replace(/\.paths\[\d+\]$/, '')}.parameters`)),
          ...data
        }
        this.drafts.push({
          pipeline: name,
          config,
          parameters,
          reason: `${label}: the changed-file list is incomplete, and on-incomplete: all runs ${this.said(where)} once`
        })
        return
      }
    }
    const matcher = compilePathMatcher(typeof rule.glob === 'string' ? [rule.glob] : rule.glob, rule.ignore)
    const statuses = rule.statuses ?? DEFAULT_STATUSES
    const matched: { file: ChangedFile; captures: Record<string, string> }[] = []
    for (const file of this.candidates(changes.files, matcher)) {
      if (!statuses.includes(file.status)) continue
      const captures = matcher.match(file.path)
      if (captures) matched.push({ file, captures })
    }
    if (matched.length === 0) return

    const each = rule.each ?? 'file'
    const groups: { values: PlaceholderValues; files: string[]; pathValue: unknown }[] = []
    if (each === 'all') {
      const files = matched.map((m) => m.file.path)
      groups.push({ values: this.common, files, pathValue: files })
    } else {
      const byKey = new Map<string, { values: PlaceholderValues; files: string[] }>()
      for (const { file, captures } of matched) {
        const key = each === 'file' ? file.path : posix.dirname(file.path)
        const group = byKey.get(key)
        if (group) group.files.push(file.path)
        else {
          const facts = pathPlaceholders(key)
          if (each === 'directory') Object.assign(facts, { stem: facts.name, ext: '' })
          // Directory mode takes the captures of the directory's first file.
          byKey.set(key, { values: { ...captures, ...this.common, ...facts }, files: [file.path] })
        }
      }
      for (const [key, group] of byKey) groups.push({ ...group, pathValue: key })
    }

    for (const group of groups) {
      const parameters = {
        ...this.defaults(name, config, group.values),
        ...renderParameters(templates, group.values, this.said(`${where.replace(/\.paths\[\d+\]$/, '')}.parameters`)),
        ...data,
        ...renderParameters(rule.parameters ?? {}, group.values, this.said(`${where}.parameters`))
      }
      if (rule['path-parameter']) parameters[rule['path-parameter']] = group.pathValue
      const what =
        each === 'all'
          ? `${group.files.length} files`
          : each === 'directory'
            ? `directory ${JSON.stringify(group.pathValue)}`
            : JSON.stringify(group.pathValue)
      this.drafts.push({
        pipeline: name,
        config,
        parameters,
        reason: `${label}: ${what} matched ${this.said(where)}`,
        files: group.files
      })
    }
  }
}

export function planTriggers(
  event: TriggerEvent,
  changes: ChangeSet | undefined,
  config: Config,
  options: PlanOptions
): Plan {
  if (!event.kind)
    return { requests: [], skipped: [{ pipeline: '*', reason: `event ${event.name} is not handled` }], warnings: [] }
  const planner = new Planner(event, changes, options)
  for (const [name, pipeline] of Object.entries(config.pipelines)) {
    if (options.only && options.only !== name) {
      planner.skipped.push({
        pipeline: name,
        reason: `not selected (input pipeline is ${JSON.stringify(options.only)})`
      })
      continue
    }
    planner.planPipeline(name, pipeline)
  }

  const incoming = event.chain ?? startOfChain(event)
  const requests: TriggerRequest[] = []
  const seen = new Set<string>()
  for (const draft of planner.drafts) {
    const pipelineName = draft.config.pipeline ?? draft.pipeline
    const key = idempotencyKey({
      repository: event.repository,
      runId: event.run.id,
      runAttempt: event.run.attempt,
      pipeline: pipelineName,
      target: draft.config.target,
      parameters: draft.parameters
    })
    if (seen.has(key)) continue // two rules asking for the same run give one run
    seen.add(key)
    guardChain(incoming, pipelineName, options.maxDepth ?? DEFAULT_MAX_DEPTH)
    const index = requests.length
    requests.push({
      index,
      pipeline: draft.pipeline,
      pipelineName,
      target: draft.config.target,
      targetConfig: config.targets[draft.config.target]!,
      parameters: draft.parameters,
      reason: draft.reason,
      ...(draft.files ? { files: draft.files } : {}),
      runName: renderTemplate(
        options.runNameTemplate || DEFAULT_RUN_NAME,
        {
          pipeline: pipelineName,
          run_id: event.run.id || 'local',
          attempt: String(event.run.attempt),
          index: String(index),
          sha: event.sha,
          ref: event.refName
        },
        'input run-name'
      ),
      idempotencyKey: key,
      chain: extendChain(incoming, [pipelineName]),
      ...(draft.config.snapshot ? { snapshot: draft.config.snapshot } : {}),
      ...(draft.config.template ? { template: draft.config.template } : {}),
      ...(draft.config.gates?.length ? { gates: draft.config.gates } : {})
    })
  }

  if (requests.length > options.maxRuns) {
    const sample = requests
      .slice(0, 3)
      .map((r) => `${r.pipeline} (${r.reason})`)
      .join('; ')
    throw new UserError(
      `This event would trigger ${requests.length} runs, more than max-runs (${options.maxRuns}), so nothing was triggered. ` +
        `First: ${sample}. Fix: narrow the globs, use each: directory or each: all, or raise max-runs.`
    )
  }
  const context =
    requests.length > 0
      ? {
          context: extendChain(
            incoming,
            requests.map((r) => r.pipelineName)
          )
        }
      : {}
  const pathRules = planner.pathRules.length > 0 ? { pathRules: planner.pathRules } : {}
  return { requests, skipped: planner.skipped, warnings: [...planner.warnings], ...pathRules, ...context }
}

/** A chain starts at the workflow run that fires first; its URL names the chain. */
function startOfChain(event: TriggerEvent): ChainContext {
  const root =
    event.run.id && event.repository
      ? `${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}`
      : 'local'
  return { root, depth: 0, chain: [] }
}

/** The schedule entry for the cron line that fired: an exact line first, then one without cron. */
export function firingScheduleEntry<T extends { cron?: string }>(
  entries: T[],
  cron: string | undefined
): T | undefined {
  const fired = cron ? normalizeCron(cron) : undefined
  return (
    entries.find((e) => e.cron !== undefined && normalizeCron(e.cron) === fired) ??
    entries.find((e) => e.cron === undefined)
  )
}

/**
 * Whether planning this event needs the list of changed files: a push, pull request or merge
 * group rule with paths, or a schedule / dispatch rule with paths (changes since the last
 * successful run of the workflow).
 */
export function needsChanges(event: TriggerEvent, config: Config): boolean {
  const kind = event.kind
  if (!kind) return false
  return Object.values(config.pipelines).some((pipeline) => {
    if (kind === 'schedule')
      return (
        pipeline.on.schedule !== undefined && firingScheduleEntry(pipeline.on.schedule, event.cron)?.paths !== undefined
      )
    if (kind === 'workflow_run') return false
    return pipeline.on[kind]?.paths !== undefined
  })
}
