/**
 * The config file's schema: one zod definition gives the TypeScript types, the runtime
 * validation and the published JSON Schema (`schema/pipeline-triggers.schema.json`).
 */
import { z } from 'zod'
import { targetConfigSchema, type TargetConfig } from '../targets/registry.js'
import { parseGate } from '../core/gate.js'

const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/, {
  message: 'a parameter name is an identifier, optionally step-qualified (e.g. data_url or load_data.data_url)'
})

/** Parameter values are whatever YAML can say; strings may hold {placeholders}. */
export const parametersSchema = z
  .record(parameterName, z.unknown())
  .describe('Pipeline parameters. Strings may use {path} {dir} {name} {stem} {ext} {sha} {ref} and glob captures.')

const inputSpec = z
  .strictObject({
    parameter: parameterName.optional().describe('The parameter that receives the input (default: the input name).'),
    type: z
      .enum(['string', 'number', 'boolean', 'choice'])
      .optional()
      .describe('How the value is checked and converted.'),
    options: z.array(z.string()).optional().describe('The allowed values of a choice input.'),
    required: z.boolean().optional().describe('Fail when the event does not carry this input.')
  })
  .describe('How one dispatch input becomes a parameter.')

export const inputMappingSchema = z
  .record(z.string().min(1), z.union([parameterName, inputSpec]))
  .describe('Dispatch input name → parameter name, or a typed spec.')

const globList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)])

export const fileStatuses = ['added', 'modified', 'deleted', 'renamed', 'copied', 'type-changed'] as const

const pathRule = z
  .strictObject({
    glob: globList.describe(
      'Glob(s) a changed file must match; `!` lines exclude, later lines win. `{name}` captures part of one path segment.'
    ),
    ignore: z.array(z.string().min(1)).optional().describe('Globs that exclude a file whatever the other globs say.'),
    each: z
      .enum(['file', 'directory', 'all'])
      .optional()
      .describe('One run per file (default), per directory, or one run for all files.'),
    'path-parameter': parameterName
      .optional()
      .describe('The parameter that receives the path (the list of paths with each: all).'),
    statuses: z
      .array(z.enum(fileStatuses))
      .min(1)
      .optional()
      .describe('Which changes count (default: all but deleted).'),
    parameters: parametersSchema.optional()
  })
  .describe('A rule that turns matching changed files into runs.')

const sincePaths = z
  .array(pathRule)
  .min(1)
  .optional()
  .describe('Changed-file rules over the files changed since the last successful run of this workflow on this branch.')

const changeEvent = z.strictObject({
  branches: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Branch globs (the pushed branch, or the pull request base branch).'),
  'branches-ignore': z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('Branch globs that never fire (not together with branches).'),
  tags: z.array(z.string().min(1)).min(1).optional().describe('Tag globs (push only).'),
  paths: z
    .array(pathRule)
    .min(1)
    .optional()
    .describe('Changed-file rules. Without it, every matching event triggers one run.'),
  parameters: parametersSchema.optional()
})

const inputsSchema = z
  .union([z.literal('all'), inputMappingSchema])
  .describe(
    '`all` maps every input to the parameter of the same name; otherwise input name → parameter name or typed spec.'
  )

const requireUpstream = z
  .boolean()
  .optional()
  .describe(
    'Refuse to run without an upstream identity: the event must carry a pipeline-context from an upstream trigger (workflow_run: always has its upstream run). Stops "whatever is latest" runs.'
  )

const dispatchEvent = z.strictObject({
  inputs: inputsSchema.optional(),
  'require-upstream': requireUpstream,
  parameters: parametersSchema.optional(),
  paths: sincePaths
})

const scheduleEntry = z.strictObject({
  cron: z
    .string()
    .min(1)
    .optional()
    .describe('The cron line, exactly as in the workflow `on.schedule`. Without it: any schedule.'),
  parameters: parametersSchema.optional(),
  paths: sincePaths
})

const repositoryDispatchEvent = z.strictObject({
  types: z.array(z.string().min(1)).min(1).optional().describe('The event types (`action`) that trigger; default all.'),
  inputs: inputsSchema.optional().describe('client_payload key → parameter (`all`: every key of the same name).'),
  'require-upstream': requireUpstream,
  parameters: parametersSchema.optional(),
  paths: sincePaths
})

export const WORKFLOW_CONCLUSIONS = [
  'success',
  'failure',
  'cancelled',
  'skipped',
  'timed_out',
  'action_required',
  'neutral',
  'stale',
  'startup_failure'
] as const

const workflowRunEvent = z.strictObject({
  workflows: z
    .array(z.string().min(1))
    .min(1)
    .optional()
    .describe('The upstream workflows (their name:) that fire this rule. Default: any the workflow listens to.'),
  conclusions: z
    .array(z.enum(WORKFLOW_CONCLUSIONS))
    .min(1)
    .optional()
    .describe('The upstream conclusions that fire this rule. Default: success only.'),
  branches: z.array(z.string().min(1)).min(1).optional().describe("Globs of the upstream run's branch (head_branch)."),
  'allow-forks': z
    .boolean()
    .optional()
    .describe(
      "Also fire for an upstream run that built a fork (a pull request from another repository). Default false: a fork's branch name and commit are not this repository's."
    ),
  'require-upstream': requireUpstream,
  parameters: parametersSchema
    .optional()
    .describe(
      'Parameters; strings may use {upstream.run_id} {upstream.sha} {upstream.workflow} {upstream.conclusion} {upstream.html_url} {upstream.branch}.'
    )
})

export const onSchema = z
  .strictObject({
    schedule: z
      .array(scheduleEntry)
      .min(1)
      .optional()
      .describe('One entry per cron line; the line that fired picks its entry.'),
    workflow_dispatch: dispatchEvent.optional().describe('The "Run workflow" form: its inputs become parameters.'),
    workflow_call: dispatchEvent
      .optional()
      .describe('A call as a reusable workflow: its inputs (through the workflow-inputs input) become parameters.'),
    repository_dispatch: repositoryDispatchEvent
      .optional()
      .describe('An API dispatch: client_payload keys become parameters.'),
    push: changeEvent.optional().describe('A push: branch and tag filters, then changed-file rules.'),
    pull_request: changeEvent
      .omit({ tags: true })
      .optional()
      .describe('A pull request (and pull_request_target): its changed files against the base.'),
    merge_group: changeEvent
      .omit({ tags: true, branches: true, 'branches-ignore': true })
      .optional()
      .describe('A merge queue group: its changed files against the base.'),
    workflow_run: workflowRunEvent
      .optional()
      .describe(
        'An upstream workflow completed: a downstream pipeline, gated by its conclusion, with its identity as {upstream.*} placeholders.'
      )
  })
  .describe('The events that trigger this pipeline, with per-event parameters.')

/** Each target type's keys come from its module (src/targets/<type>/schema.ts), in the registry's order. */
export const targetSchema = targetConfigSchema()

/** A gate that does not parse is a config error, before anything is triggered. */
function checkGate(text: string, context: z.core.$RefinementCtx<string>): void {
  try {
    parseGate(text)
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message })
  }
}

const pipelineSchema = z.strictObject({
  target: z.string().min(1).describe('The name of a target under `targets`.'),
  pipeline: z.string().min(1).optional().describe('The pipeline name on the target (default: this key).'),
  snapshot: z
    .string()
    .min(1)
    .optional()
    .describe("zenml targets: the snapshot for this pipeline (overrides the target's)."),
  template: z
    .string()
    .min(1)
    .optional()
    .describe("zenml targets: the legacy run template for this pipeline (overrides the target's)."),
  parameters: parametersSchema.optional().describe('Default parameters of every run.'),
  gates: z
    .array(z.string().superRefine(checkGate))
    .max(50)
    .optional()
    .describe(
      'Checked when a run completes: "accuracy >= 0.9", "loss <= baseline * 1.05" (baseline: main\'s latest completed run).'
    ),
  on: onSchema
})

export const configSchema = z
  .strictObject({
    $schema: z.string().optional(),
    version: z.literal(1).describe('The config format version.'),
    targets: z.record(z.string().min(1), targetSchema).describe('Named places where pipelines run.'),
    pipelines: z.record(z.string().min(1), pipelineSchema).describe('The pipelines and the events that trigger them.')
  })
  .describe('pipeline-trigger config: which events start which pipelines, where, with which parameters.')

export type Config = z.infer<typeof configSchema>
export type PipelineConfig = z.infer<typeof pipelineSchema>
export type { TargetConfig }
export type PathRule = z.infer<typeof pathRule>
export type InputMapping = z.infer<typeof inputsSchema>
export type Parameters = Record<string, unknown>
export type FileStatus = (typeof fileStatuses)[number]
