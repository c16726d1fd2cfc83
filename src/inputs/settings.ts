/**
 * Reads the action inputs into one typed, validated Settings object. This is the only
 * module that calls core.getInput; everything after it works with plain data.
 */
import * as core from '../runner/commands.js'
import type { InputReader } from '../targets/action-inputs.js'
import {
  INLINE_TYPES,
  TARGET_INPUTS,
  TARGET_TYPES,
  declaredInputs,
  type TargetInputs,
  type TargetType
} from '../targets/target-types.js'
import { UserError, preview } from '../errors.js'
import { parseDuration } from './duration.js'

export const EACH_MODES = ['file', 'directory', 'all'] as const
export const ON_INCOMPLETE = ['fail', 'warn', 'all'] as const
export type OnIncomplete = (typeof ON_INCOMPLETE)[number]
export type EachMode = (typeof EACH_MODES)[number]

/**
 * The defaults of action.yml, applied when an input is empty. The runner fills them in
 * itself; the CLI and an empty `with:` value need them here. A test keeps both in sync.
 * A target's inputs have their defaults in its inputs.ts (src/targets/<type>/).
 */
export const INPUT_DEFAULTS = {
  config: '.github/pipeline-triggers.yml',
  each: 'file',
  'dispatch-inputs': 'all',
  'on-incomplete': 'fail',
  'dry-run': 'false',
  'max-runs': '20',
  'max-depth': '4',
  wait: 'true',
  timeout: '6h',
  'fail-fast': 'false',
  'cancel-on-fail-fast': 'false',
  verdict: 'auto',
  mode: 'trigger',
  rerun: 'reattach',
  report: 'auto'
} as const

/** The report comment on a pull request: posted (auto) or not (off). */
export const REPORT_MODES = ['auto', 'off'] as const

/** On a re-run of the job: follow the runs an earlier attempt started, or start fresh ones. */
export const RERUN_MODES = ['reattach', 'fresh'] as const

/** What the step does: trigger runs (the default), or complete the check runs of runs already started. */
export const MODES = ['trigger', 'reconcile', 'report'] as const
export type Mode = (typeof MODES)[number]

/** How the verdict goes on the commit: check runs (else commit statuses), only one of them, or not at all. */
export const VERDICT_MODES = ['auto', 'check-run', 'status', 'off'] as const
export type VerdictMode = (typeof VERDICT_MODES)[number]

/** Node timers wait at most 2^31-1 ms (about 24.8 days); a longer one would fire at once. */
const MAX_TIMEOUT_MS = 24 * 24 * 3_600_000

export interface Settings {
  /** Config file path as given (relative to the workspace). */
  config: string
  /** True when `config` is the default path, whose absence means inline mode. */
  configIsDefault: boolean
  /** Inline target type; undefined = inferred from the other inputs. Any type with target-config, else one with an inline mode. */
  target?: TargetType
  /** Inline: the target's config-file keys as YAML or JSON text, parsed (with zod) only by inline mode; '' = not given. */
  targetConfig: string
  /** Inline: the pipeline name. Config mode: only this config pipeline runs. */
  pipeline: string
  /** Parameters from the `parameters` input (YAML or JSON mapping). */
  parameters: Record<string, unknown>
  /** Inline change globs, in order; `!` excludes. */
  paths: string[]
  /** Inline: the parameter that receives each matched path. */
  pathParameter: string
  /** Inline: one run per file, per directory, or one for all. */
  each: EachMode
  /** Inline: dispatch input → parameter mapping, or 'all'. */
  dispatchInputs: 'all' | Record<string, unknown>
  /** Typed inputs of the calling workflow (toJSON(inputs)); undefined when not given. */
  workflowInputs?: Record<string, unknown>
  /** What the action inputs say for each target type, as its inputs.ts reads them (secrets masked). */
  targets: TargetInputs
  /** The inline-only target inputs that were given (the command argv): they make the step inline. */
  inlineOnlyInputs: string[]
  /** What to do when the changed-file list may be incomplete (API ceilings). */
  onIncomplete: OnIncomplete
  /** Plan and report only. */
  dryRun: boolean
  /** `dry-run: check`: the dry run also asks each target whether its runs would start. */
  checkTargets: boolean
  /** The most runs one event may trigger. */
  maxRuns: number
  /** The upstream chain context (JSON text); empty at the start of a chain. */
  pipelineContext: string
  /** The chain guard's depth limit. */
  maxDepth: number
  /** Fan-out: trigger only the planned request with this index. */
  requestIndex?: number
  /** Fan-in: the directory of saved `runs` outputs, and the plan job's matrix; empty = not fan-in. */
  fanIn?: { dir: string; matrix: string }
  /** Wait for runs to finish. */
  wait: boolean
  /** The step's one deadline, in ms: starting, polling and every request fit inside it. */
  timeoutMs: number
  /** How many requests of one target start at once; undefined = the target type's default. */
  maxParallel?: number
  /** The first failed run stops new starts. */
  failFast: boolean
  /** With fail-fast, also cancel the runs still going. */
  cancelOnFailFast: boolean
  /**
   * The verdict on the commit: auto = a check run per run where the token may (checks: write),
   * else a commit status (statuses: write), else none (said once); check-run or status = only that; off.
   */
  verdict: VerdictMode
  /**
   * trigger: the event's runs; reconcile: complete every open check run of ours whose run ended
   * (asking its target); report: the same for the one check run named by checkRunId (a callback).
   */
  mode: Mode
  /**
   * A re-run of the job (attempt 2 and later): reattach follows a run an earlier attempt started
   * (found through its check run) while it is running or completed; fresh starts new ones.
   */
  rerun: (typeof RERUN_MODES)[number]
  /** Inline mode: the pipeline's gates, one per line (e.g. `accuracy >= baseline - 0.01`). */
  gates: string[]
  /** auto: one report comment per pull request, edited in place; off: none (the check runs and summary still have it). */
  report: (typeof REPORT_MODES)[number]
  /** report mode: the check run to complete (from the callback's client_payload). */
  checkRunId?: number
  /** report mode: a callback that names the run instead: its commit and its id on the target. */
  callbackRun?: { commit: string; runId: string }
  /** GitHub token (masked). */
  token: string
  /** Run name template; empty = the default. */
  runName: string
}

function input(name: keyof typeof INPUT_DEFAULTS | string): string {
  const value = core.getInput(name)
  return value !== '' ? value : ((INPUT_DEFAULTS as Record<string, string>)[name] ?? '')
}

/** `dry-run`: a YAML boolean (plan only, nothing contacted), or `check` (plan, then ask each target, start nothing). */
function dryRunInput(): { dryRun: boolean; checkTargets: boolean } {
  const value = core.getInput('dry-run').trim()
  if (value === 'check') return { dryRun: true, checkTargets: true }
  if (!['', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'].includes(value))
    throw new UserError(
      `Input dry-run: ${preview(value)} is not supported. Use false, true (plan only) or check (plan, and ask each target).`
    )
  return { dryRun: booleanInput('dry-run'), checkTargets: false }
}

function booleanInput(name: 'dry-run' | 'wait' | 'fail-fast' | 'cancel-on-fail-fast'): boolean {
  // getBooleanInput validates the YAML 1.2 booleans; an empty value falls back to the default.
  return core.getInput(name) === '' ? INPUT_DEFAULTS[name] === 'true' : core.getBooleanInput(name)
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T
  throw new UserError(`Input ${name}: ${preview(value)} is not supported. Use one of: ${allowed.join(', ')}.`)
}

function parseWorkflowInputs(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UserError(
      `Input workflow-inputs must be JSON (set it to the expression toJSON(inputs)): ${(error as Error).message}.`
    )
  }
  if (value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`Input workflow-inputs must be a JSON object (toJSON(inputs)), got ${preview(value)}.`)
  }
  // toJSON(inputs) is {} outside a call (a push in a workflow that also has inputs): not a call.
  return Object.keys(value).length === 0 ? undefined : (value as Record<string, unknown>)
}

function positiveInteger(name: string, text: string): number {
  const value = Number(text)
  if (!/^\d+$/.test(text.trim()) || value < 1) {
    throw new UserError(`Input ${name}: ${preview(text)} is not a whole number of at least 1.`)
  }
  return value
}

function maxParallel(text: string): { maxParallel?: number } {
  if (text === '') return {}
  const value = positiveInteger('max-parallel', text)
  if (value > 256)
    throw new UserError(
      `Input max-parallel: ${preview(text)} is more than 256. Use a smaller number; a job rarely gains from more.`
    )
  return { maxParallel: value }
}

function requestIndex(text: string): { requestIndex?: number } {
  if (text === '') return {}
  if (!/^\d+$/.test(text))
    throw new UserError(
      `Input request-index: ${preview(text)} is not a request index. Set it to the matrix entry's index (matrix.index).`
    )
  return { requestIndex: Number(text) }
}

/** A check run id: digits only, as GitHub gives them; anything else names the input. */
function checkRunId(text: string): { checkRunId?: number } {
  if (text === '') return {}
  if (!/^\d{1,16}$/.test(text) || Number(text) === 0)
    throw new UserError(
      `Input check-run-id: ${preview(text)} is not a check run id. Pass the id the callback carries, e.g. \${{ github.event.client_payload.check-run-id }} through env.`
    )
  return { checkRunId: Number(text) }
}

/**
 * A callback's client_payload (JSON): `check-run-id`, or `commit` and `run-id`. It only says which
 * check run to look at; the verdict is asked of the target, so nothing else of it is read.
 */
function callback(text: string): { checkRunId?: number; callbackRun?: { commit: string; runId: string } } {
  if (text === '') return {}
  const fix =
    'Pass the repository_dispatch client_payload as JSON (callback: toJSON of github.event.client_payload), with check-run-id, or commit (a 40-character SHA) and run-id.'
  let payload: unknown
  try {
    payload = JSON.parse(text)
  } catch {
    throw new UserError(`Input callback: ${preview(text)} is not JSON. ${fix}`)
  }
  const fields = (payload !== null && typeof payload === 'object' ? payload : {}) as Record<string, unknown>
  const id = fields['check-run-id']
  if (id !== undefined) return checkRunId(String(id))
  const commit = fields.commit
  const runId = fields['run-id']
  if (
    typeof commit === 'string' &&
    /^[0-9a-f]{40}$/.test(commit) &&
    typeof runId === 'string' &&
    /^[\w.:-]{1,200}$/.test(runId)
  )
    return { callbackRun: { commit, runId } }
  throw new UserError(`Input callback: ${preview(payload)} names no check run. ${fix}`)
}

function fanIn(dir: string, matrix: string): { fanIn?: { dir: string; matrix: string } } {
  if (dir === '' && matrix === '') return {}
  if (dir === '' || matrix === '') {
    throw new UserError(
      `Inputs fan-in-dir and fan-in-matrix go together: ${dir === '' ? "fan-in-dir is empty; give the directory the trigger jobs' results were downloaded to" : "fan-in-matrix is empty; give the plan job's matrix output"}.`
    )
  }
  return { fanIn: { dir, matrix } }
}

/**
 * The `target` and `target-config` inputs: target-config describes a target of any type, named by
 * target; without it, target takes only a type whose own inputs describe it (its inline mode).
 */
function inlineTarget(target: string, targetConfig: string): { target?: TargetType; targetConfig: string } {
  if (targetConfig !== '') {
    if (target === '')
      throw new UserError(
        `Input target-config is set but target is empty. Name the type its keys describe, e.g. target: http (one of: ${TARGET_TYPES.join(', ')}).`
      )
    return { target: oneOf('target', target, TARGET_TYPES), targetConfig }
  }
  if (target === '') return { targetConfig }
  if ((TARGET_TYPES as string[]).includes(target) && !(INLINE_TYPES as string[]).includes(target))
    throw new UserError(
      `Input target: ${JSON.stringify(target)} has no inputs of its own. Describe it with the target-config input, a mapping of its config-file keys (docs/config-reference.md), or use one of: ${INLINE_TYPES.join(', ')}.`
    )
  return { target: oneOf('target', target, INLINE_TYPES), targetConfig }
}

type MappingParser = (name: string, text: string) => Record<string, unknown>

/** The YAML parser only when a mapping input is given: most steps give none, and it is the largest part of the bundle. */
async function mappingParser(texts: string[]): Promise<MappingParser> {
  if (texts.every((text) => text.trim() === '')) return () => ({})
  return (await import('../config/mapping-input.js')).parseMappingInput
}

/**
 * Every target type reads the inputs its inputs.ts declares through this one reader: each name's
 * declared default when empty, and the same parsing and messages for every type.
 */
function inputReader(parseMapping: MappingParser): InputReader<string> {
  const specs = declaredInputs()
  const text = (name: string) => core.getInput(name) || (specs.get(name)?.default ?? '')
  return {
    text,
    boolean(name) {
      if (core.getInput(name) !== '') return core.getBooleanInput(name)
      const fallback = specs.get(name)?.default
      return fallback === undefined ? undefined : fallback === 'true'
    },
    lines: (name) =>
      core
        .getInput(name, { trimWhitespace: false })
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter((line) => line !== ''),
    mapping: (name) => (text(name) === '' ? undefined : parseMapping(name, text(name))),
    oneOf: (name, allowed) => (text(name) === '' ? undefined : oneOf(name, text(name), allowed)),
    env: (name) => process.env[name] ?? '',
    // A plan-only dry run connects to nothing, so it needs no credential; `check` connects as a run does.
    dryRun: dryRunInput().dryRun && !dryRunInput().checkTargets
  }
}

/** What the inputs say for each target type, every type's inputs read (and checked) when the step starts. */
function readTargetInputs(read: InputReader<string>): TargetInputs {
  return Object.fromEntries(TARGET_TYPES.map((type) => [type, TARGET_INPUTS[type].read(read)])) as TargetInputs
}

/** @param mask register secrets with the runner; false in the CLI, where ::add-mask:: would print them. */
export async function readSettings(mask = true): Promise<Settings> {
  const token = core.getInput('token')
  const targetInputs = declaredInputs()
  // Every secret input, the step's token and each type's, masked before anything could print it (once each).
  const secrets = new Set([
    token,
    ...[...targetInputs].filter(([, spec]) => spec.secret).map(([name]) => core.getInput(name))
  ])
  if (mask) for (const secret of secrets) if (secret) core.setSecret(secret)

  const config = input('config')
  const dispatchInputsText = input('dispatch-inputs').trim()
  const parametersText = core.getInput('parameters')
  const parseMappingInput = await mappingParser([
    parametersText,
    dispatchInputsText === 'all' ? '' : dispatchInputsText,
    ...[...targetInputs].filter(([, spec]) => spec.mapping).map(([name]) => core.getInput(name))
  ])
  const targets = readTargetInputs(inputReader(parseMappingInput))
  const targetText = core.getInput('target').trim()
  const timeoutText = input('timeout')
  const timeoutMs = parseDuration(timeoutText)
  if (timeoutMs === undefined) {
    throw new UserError(`Input timeout: ${preview(timeoutText)} is not a duration. Write it like 90s, 30m or 1h30m.`)
  }
  if (timeoutMs > MAX_TIMEOUT_MS) {
    throw new UserError(
      `Input timeout: ${preview(timeoutText)} is longer than 24 days, the most a timer can wait. GitHub stops a job after 6 hours (5 days self-hosted); write 6h or less.`
    )
  }

  return {
    config,
    configIsDefault: config === INPUT_DEFAULTS.config,
    ...inlineTarget(targetText, core.getInput('target-config').trim()),
    pipeline: core.getInput('pipeline').trim(),
    parameters: parseMappingInput('parameters', parametersText),
    paths: core.getMultilineInput('paths'),
    pathParameter: core.getInput('path-parameter').trim(),
    each: oneOf('each', input('each').trim(), EACH_MODES),
    dispatchInputs: dispatchInputsText === 'all' ? 'all' : parseMappingInput('dispatch-inputs', dispatchInputsText),
    workflowInputs: parseWorkflowInputs(core.getInput('workflow-inputs')),
    targets,
    inlineOnlyInputs: [...targetInputs]
      .filter(([name, spec]) => spec.inlineOnly && core.getInput(name) !== '')
      .map(([name]) => name),
    onIncomplete: oneOf('on-incomplete', input('on-incomplete').trim(), ON_INCOMPLETE),
    ...dryRunInput(),
    maxRuns: positiveInteger('max-runs', input('max-runs')),
    pipelineContext: core.getInput('pipeline-context').trim(),
    ...requestIndex(core.getInput('request-index').trim()),
    ...fanIn(core.getInput('fan-in-dir').trim(), core.getInput('fan-in-matrix').trim()),
    maxDepth: positiveInteger('max-depth', input('max-depth')),
    wait: booleanInput('wait'),
    timeoutMs,
    ...maxParallel(core.getInput('max-parallel').trim()),
    failFast: booleanInput('fail-fast'),
    cancelOnFailFast: booleanInput('cancel-on-fail-fast'),
    verdict: oneOf('verdict', input('verdict').trim(), VERDICT_MODES),
    mode: oneOf('mode', input('mode').trim(), MODES),
    rerun: oneOf('rerun', input('rerun').trim(), RERUN_MODES),
    report: oneOf('report', input('report').trim(), REPORT_MODES),
    gates: core
      .getMultilineInput('gates')
      .map((gate) => gate.trim())
      .filter(Boolean),
    ...checkRunId(core.getInput('check-run-id').trim()),
    ...callback(core.getInput('callback').trim()),
    token,
    runName: core.getInput('run-name').trim()
  }
}
