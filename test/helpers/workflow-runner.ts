/**
 * A small stand-in for the GitHub runner, enough to run this repository's example and reusable
 * workflows for real on this machine: jobs in `needs` order, `if:`, matrices, reusable workflow
 * calls with inputs, secrets and outputs, and steps. Expressions are evaluated by GitHub's own
 * evaluator (@actions/expressions), so `${{ }}` means here what it means on GitHub.
 *
 * Steps: `run:` goes to bash exactly as the runner runs it (`bash --noprofile --norc -eo pipefail
 * <file>`); this action runs from its bundle (dist/index.js) with INPUT_* variables. Third-party
 * actions cannot run here, so each is stood in for by what it does: actions/checkout (the job's
 * workspace is already a depth-1 clone; a checkout of job.workflow_repository copies this
 * repository's action.yml and dist/), actions/setup-python (the project's .venv on PATH),
 * upload/download-artifact (a directory per workflow run).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Evaluator, Lexer, Parser, data } from '@actions/expressions'
import { parse } from 'yaml'
import { FAKE_TOKEN, ROOT, VENV_PYTHON, parseFileCommands, runAction } from './run-action.js'
import { EXAMPLE_ACTION, EXAMPLE_REUSABLE, SELF_CHECKOUT, type Job, type Step, type Workflow } from './workflows.js'

type Context = Record<string, unknown>

export interface RunnerEvent {
  name: string
  payload: Record<string, any>
  sha: string
  ref: string
}

export interface RunnerOptions {
  event: RunnerEvent
  /** A fresh workspace (a checkout of the event's commit) for each job, as a fresh runner has. */
  checkout: () => string
  vars?: Record<string, string>
  secrets?: Record<string, string>
  /** Environment every process sees (e.g. RECORD_FILE for the recording entrypoint). */
  env?: Record<string, string>
  runId?: string
  /** Where workflow files are read from: this repository unless a test copied them elsewhere. */
  root?: string
  /** The roles aws-actions/configure-aws-credentials may assume here, with the credentials STS would give. */
  awsRoles?: Record<string, AwsRoleCredentials>
}

export interface AwsRoleCredentials {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
}

export interface JobRun {
  /** `caller/job` for jobs of a reusable workflow, matrix values in brackets. */
  name: string
  result: 'success' | 'failure' | 'skipped'
  /** Every step's stdout and stderr, in order. */
  log: string
  summaries: string[]
}

const STATUS_FUNCTIONS = ['success', 'always', 'cancelled', 'failure']

/** Evaluates one expression with GitHub's evaluator; `failed` is what failure() and success() see. */
export function evaluate(expression: string, context: Context, failed = false): unknown {
  const tree = new Parser(
    new Lexer(expression).lex().tokens,
    Object.keys(context),
    STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }))
  ).parse()
  const status = { success: !failed, always: true, cancelled: false, failure: failed } as Record<string, boolean>
  const functions = new Map(
    STATUS_FUNCTIONS.map((name) => [
      name,
      { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(status[name]!) }
    ])
  )
  const result = new Evaluator(tree, JSON.parse(JSON.stringify(context), data.reviver), functions).evaluate()
  return JSON.parse(JSON.stringify(result, data.replacer) ?? 'null')
}

const asString = (value: unknown): string =>
  value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)

/** Renders `${{ }}` in a value: a lone expression keeps its type, embedded ones become text. */
export function render(value: unknown, context: Context): unknown {
  if (typeof value === 'string') {
    const lone = /^\s*\$\{\{([\s\S]*?)\}\}\s*$/.exec(value)
    if (lone && !lone[1]!.includes('}}')) return evaluate(lone[1]!, context)
    return value.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expression: string) => asString(evaluate(expression, context)))
  }
  if (Array.isArray(value)) return value.map((v) => render(v, context))
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, render(v, context)]))
  return value
}

/** `if:` as GitHub reads it: without a status function it means success() && (condition). */
function condition(text: string | boolean | undefined, context: Context, failed: boolean): boolean {
  if (text === undefined) return !failed
  const expression = String(text).replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1')
  const wrapped = STATUS_FUNCTIONS.some((name) => expression.includes(`${name}(`))
    ? expression
    : `success() && (${expression})`
  return Boolean(evaluate(wrapped, context, failed))
}

function matrixCombinations(matrix: unknown): Record<string, unknown>[] {
  if (matrix === undefined) return [{}]
  const { include = [], exclude, ...axes } = matrix as Record<string, unknown[]>
  if (exclude) throw new Error('matrix exclude is not supported by this stand-in')
  let combinations: Record<string, unknown>[] = Object.keys(axes).length ? [{}] : []
  for (const [axis, values] of Object.entries(axes))
    combinations = combinations.flatMap((c) => values.map((v) => ({ ...c, [axis]: v })))
  return [...combinations, ...(include as Record<string, unknown>[])]
}

function jobOrder(jobs: Record<string, Job>): string[] {
  const order: string[] = []
  const visit = (name: string) => {
    if (order.includes(name)) return
    for (const need of [jobs[name]!.needs ?? []].flat()) visit(need)
    order.push(name)
  }
  Object.keys(jobs).forEach(visit)
  return order
}

export class WorkflowRunner {
  readonly jobs: JobRun[] = []
  private readonly artifacts = mkdtempSync(join(tmpdir(), 'pt-artifacts-'))

  constructor(private readonly options: RunnerOptions) {}

  /** Runs a workflow file (relative to the repository root); returns its outputs (for a reusable one). */
  async run(
    path: string,
    call?: { inputs: Record<string, unknown>; secrets: Record<string, string>; prefix: string }
  ): Promise<{ result: 'success' | 'failure'; outputs: Record<string, unknown> }> {
    const workflow = parse(readFileSync(join(this.options.root ?? ROOT, path), 'utf8')) as Workflow
    const { event } = this.options
    const declared = (workflow.on.workflow_call?.inputs ?? {}) as Record<string, { default?: unknown }>
    const inputs = call
      ? Object.fromEntries(
          Object.entries(declared).map(([name, spec]) => [name, call.inputs[name] ?? spec.default ?? ''])
        )
      : event.name === 'workflow_dispatch'
        ? (event.payload.inputs ?? {})
        : {}
    const base: Context = {
      github: {
        event_name: event.name,
        event: event.payload,
        sha: event.sha,
        ref: event.ref,
        ref_name: event.ref.replace(/^refs\/(heads|tags)\//, ''),
        repository: 'octo-org/ml-repo',
        run_id: this.options.runId ?? '9300',
        run_attempt: '1',
        server_url: 'https://github.com',
        token: FAKE_TOKEN
      },
      inputs,
      vars: this.options.vars ?? {},
      secrets: call ? call.secrets : { GITHUB_TOKEN: FAKE_TOKEN, ...this.options.secrets },
      env: (workflow as { env?: Record<string, string> }).env ?? {}
    }
    const results: Record<string, { result: string; outputs: Record<string, unknown> }> = {}
    for (const name of jobOrder(workflow.jobs)) {
      const job = workflow.jobs[name]!
      const needs = Object.fromEntries([job.needs ?? []].flat().map((need) => [need, results[need]!]))
      const needsFailed = Object.values(needs).some((n) => n.result !== 'success')
      const context = { ...base, needs }
      if (!condition(job.if, context, needsFailed)) {
        results[name] = { result: 'skipped', outputs: {} }
        this.jobs.push({ name: `${call?.prefix ?? ''}${name}`, result: 'skipped', log: '', summaries: [] })
        continue
      }
      if (job.uses) {
        const file = EXAMPLE_REUSABLE.exec(job.uses)?.[1] ?? /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses)?.[1]
        if (!file) throw new Error(`${path}: ${name} calls ${job.uses}, which this stand-in cannot resolve`)
        const called = await this.run(`.github/workflows/${file}`, {
          inputs: render(job.with ?? {}, context) as Record<string, unknown>,
          secrets: render(job.secrets ?? {}, context) as Record<string, string>,
          prefix: `${call?.prefix ?? ''}${name}/`
        })
        results[name] = called
        continue
      }
      let failed = false
      const outputs: Record<string, unknown> = {}
      for (const matrix of matrixCombinations(render(job.strategy?.matrix, context))) {
        const label = `${call?.prefix ?? ''}${name}${Object.keys(matrix).length ? ` [${JSON.stringify(matrix)}]` : ''}`
        const run = await this.runJob(label, job, {
          ...context,
          matrix,
          job: { workflow_repository: 'your-org/pipeline-trigger', workflow_sha: 'f'.repeat(40) }
        })
        failed ||= run.result === 'failure'
        // Like GitHub, matrix jobs write the same outputs; the last one wins.
        Object.assign(outputs, run.outputs)
      }
      results[name] = { result: failed ? 'failure' : 'success', outputs }
    }
    const failed = Object.values(results).some((r) => r.result === 'failure')
    const declaredOutputs = (workflow.on.workflow_call?.outputs ?? {}) as Record<string, { value: string }>
    const jobsContext = { ...base, jobs: results }
    return {
      result: failed ? 'failure' : 'success',
      outputs: Object.fromEntries(Object.entries(declaredOutputs).map(([k, v]) => [k, render(v.value, jobsContext)]))
    }
  }

  private async runJob(
    name: string,
    job: Job,
    context: Context
  ): Promise<{ result: 'success' | 'failure'; outputs: Record<string, unknown> }> {
    const workspace = this.options.checkout()
    const temp = mkdtempSync(join(tmpdir(), 'pt-job-temp-'))
    const record: JobRun = { name, result: 'success', log: '', summaries: [] }
    this.jobs.push(record)
    const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {}
    let path = process.env.PATH ?? '/usr/bin:/bin'
    // What steps export for the steps after them (GITHUB_ENV), as an action's core.exportVariable does.
    const exported: Record<string, string> = {}
    let failed = false
    for (const [i, step] of (job.steps ?? []).entries()) {
      const stepContext = {
        ...context,
        steps,
        runner: { temp: temp, os: 'Linux' },
        env: { ...(context.env as object), ...(render(job.env ?? {}, context) as object) }
      }
      if (!condition(step.if, stepContext, failed)) continue
      const env = {
        ...this.options.env,
        ...exported,
        ...(stepContext.env as Record<string, string>),
        ...(render(step.env ?? {}, stepContext) as Record<string, unknown>)
      }
      const stringEnv = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, asString(v)]))
      const inputs = Object.fromEntries(
        Object.entries((render(step.with ?? {}, stepContext) as Record<string, unknown>) ?? {}).map(([k, v]) => [
          k,
          asString(v)
        ])
      )
      // Like GitHub, ${{ }} in run: is pasted into the script text before bash sees it.
      const script = step.run === undefined ? undefined : asString(render(step.run, stepContext))
      const { ok, outputs, log, summary } = await this.runStep(step, {
        workspace,
        temp,
        env: stringEnv,
        inputs,
        script,
        path,
        setPath: (p) => (path = p),
        exportEnv: (values) => Object.assign(exported, values),
        idTokenWrite: (job.permissions as Record<string, string> | undefined)?.['id-token'] === 'write'
      })
      record.log += `--- step ${i} ${step.name ?? step.uses ?? ''}\n${log}\n`
      if (summary) record.summaries.push(summary)
      const outcome = ok ? 'success' : 'failure'
      if (step.id)
        steps[step.id] = { outputs, outcome, conclusion: ok || step['continue-on-error'] ? 'success' : 'failure' }
      if (!ok && !step['continue-on-error']) failed = true
    }
    record.result = failed ? 'failure' : 'success'
    const outputs = render(job.outputs ?? {}, { ...context, steps }) as Record<string, unknown>
    return { result: record.result, outputs }
  }

  private async runStep(
    step: Step,
    job: {
      workspace: string
      temp: string
      env: Record<string, string>
      inputs: Record<string, string>
      script?: string
      path: string
      setPath(path: string): void
      exportEnv(values: Record<string, string>): void
      /** The job may request a GitHub OIDC token (permissions: id-token: write). */
      idTokenWrite: boolean
    }
  ): Promise<{ ok: boolean; outputs: Record<string, string>; log: string; summary?: string }> {
    const { event } = this.options
    const uses = step.uses ?? ''
    if (job.script !== undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'pt-step-'))
      const script = join(dir, 'script.sh')
      writeFileSync(script, job.script)
      writeFileSync(join(dir, 'output'), '')
      writeFileSync(join(dir, 'summary'), '')
      const child = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], {
        cwd: job.workspace,
        env: {
          PATH: job.path,
          HOME: dir,
          ...job.env,
          RUNNER_TEMP: job.temp,
          GITHUB_WORKSPACE: job.workspace,
          GITHUB_OUTPUT: join(dir, 'output'),
          GITHUB_STEP_SUMMARY: join(dir, 'summary'),
          GITHUB_EVENT_NAME: event.name
        },
        encoding: 'utf8'
      })
      return {
        ok: child.status === 0,
        outputs: parseFileCommands(readFileSync(join(dir, 'output'), 'utf8')),
        log: child.stdout + child.stderr,
        summary: readFileSync(join(dir, 'summary'), 'utf8')
      }
    }
    if (EXAMPLE_ACTION.test(uses) || uses === SELF_CHECKOUT) {
      const action =
        uses === SELF_CHECKOUT ? join(job.workspace, SELF_CHECKOUT, 'dist/index.js') : join(ROOT, 'dist/index.js')
      if (!existsSync(action))
        return { ok: false, outputs: {}, log: `Can't find ${action}: did the checkout of the action run?` }
      const result = await runAction({
        eventName: event.name,
        payload: event.payload,
        workspace: job.workspace,
        sha: event.sha,
        ref: event.ref,
        runId: this.options.runId ?? '9300',
        inputs: job.inputs,
        env: { ...job.env, PATH: job.path, RUNNER_TEMP: job.temp },
        action
      })
      return {
        ok: result.exitCode === 0,
        outputs: result.outputs,
        log: result.stdout + result.stderr,
        summary: result.summary
      }
    }
    const action = uses.replace(/@.*/, '')
    if (action === 'actions/checkout') {
      if (job.inputs.repository) {
        // The reusable workflows check out their own repository: here, this one.
        const target = resolve(job.workspace, job.inputs.path ?? '.')
        for (const entry of ['action.yml', 'dist']) cpSync(join(ROOT, entry), join(target, entry), { recursive: true })
        return { ok: true, outputs: {}, log: `checked out ${job.inputs.repository}@${job.inputs.ref} into ${target}` }
      }
      return { ok: true, outputs: {}, log: 'workspace is already a depth-1 checkout of the event commit' }
    }
    if (action === 'actions/setup-python') {
      job.setPath(`${dirname(VENV_PYTHON)}:${job.path}`)
      return { ok: true, outputs: {}, log: `python from ${dirname(VENV_PYTHON)}` }
    }
    if (action === 'actions/upload-artifact') {
      const target = join(this.artifacts, job.inputs.name!)
      if (existsSync(target))
        return { ok: false, outputs: {}, log: `an artifact named ${job.inputs.name} already exists in this run` }
      cpSync(job.inputs.path!, target, { recursive: true })
      return { ok: true, outputs: {}, log: `uploaded ${job.inputs.name}` }
    }
    if (action === 'actions/download-artifact') {
      const pattern = new RegExp(
        `^${(job.inputs.pattern ?? '*').replace(/[.+^$()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`
      )
      const names = readdirSync(this.artifacts).filter((n) => pattern.test(n))
      mkdirSync(job.inputs.path!, { recursive: true })
      for (const name of names)
        cpSync(
          join(this.artifacts, name),
          job.inputs.merge_multiple === 'true' || job.inputs['merge-multiple'] === 'true'
            ? job.inputs.path!
            : join(job.inputs.path!, name),
          { recursive: true }
        )
      return { ok: true, outputs: {}, log: `downloaded ${names.join(', ')}` }
    }
    if (action === 'google-github-actions/auth') return googleAuthStandIn(job.inputs)
    if (action === 'aws-actions/configure-aws-credentials')
      return configureAwsCredentials(job.inputs, job, this.options.awsRoles ?? {})
    throw new Error(`No stand-in for ${uses}`)
  }
}

/** The access token the google-github-actions/auth stand-in gives for a provider and service account. */
export function googleAuthStandInToken(provider: string, serviceAccount: string): string {
  const digest = createHash('sha256').update(`${provider}\n${serviceAccount}`).digest('base64url')
  return `ya29.standin-${digest}`
}

/**
 * google-github-actions/auth (v3) with Workload Identity Federation, as its action.yml documents
 * it: with token_format: access_token (which needs service_account), the outputs access_token,
 * auth_token and project_id (here the service account's project), the token masked
 * (core.setSecret, ::add-mask::). The token is googleAuthStandInToken(provider, service account),
 * so a test's stand-in of the Google API can know it. No credentials file is written here.
 */
function googleAuthStandIn(inputs: Record<string, string>): {
  ok: boolean
  outputs: Record<string, string>
  log: string
} {
  const provider = inputs.workload_identity_provider ?? ''
  const account = inputs.service_account ?? ''
  if (!/^projects\/\d+\/locations\/global\/workloadIdentityPools\/[^/]+\/providers\/[^/]+$/.test(provider))
    return {
      ok: false,
      outputs: {},
      log: `google-github-actions/auth: workload_identity_provider ${provider} is not a provider's full name`
    }
  const project = /@([^.]+)\.iam\.gserviceaccount\.com$/.exec(account)?.[1]
  const outputs: Record<string, string> = {
    auth_token: `standin-federated-${provider.length}`,
    ...(project ? { project_id: project } : {})
  }
  if (inputs.token_format !== 'access_token')
    return { ok: true, outputs, log: 'authenticated (no token_format: no access_token output)' }
  if (!project)
    return {
      ok: false,
      outputs: {},
      log: 'google-github-actions/auth: token_format access_token needs service_account'
    }
  const token = googleAuthStandInToken(provider, account)
  return {
    ok: true,
    outputs: { ...outputs, access_token: token },
    log: `::add-mask::${token}\nCreated an access token for ${account}`
  }
}

/**
 * aws-actions/configure-aws-credentials with role-to-assume over GitHub OIDC, as it documents:
 * it needs the job's id-token: write, assumes the role (here: one of the test's awsRoles, as STS
 * would answer), masks the credentials, and exports AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN, AWS_REGION and AWS_DEFAULT_REGION for the job's later steps.
 */
function configureAwsCredentials(
  inputs: Record<string, string>,
  job: { exportEnv(values: Record<string, string>): void; idTokenWrite: boolean },
  roles: Record<string, AwsRoleCredentials>
): { ok: boolean; outputs: Record<string, string>; log: string } {
  const role = inputs['role-to-assume'] ?? ''
  const region = inputs['aws-region'] ?? ''
  if (!region) return { ok: false, outputs: {}, log: 'Error: Input required and not supplied: aws-region' }
  if (!job.idTokenWrite)
    return {
      ok: false,
      outputs: {},
      log: 'Error: Could not assume role with OIDC: the job has no id-token: write permission (ACTIONS_ID_TOKEN_REQUEST_URL is not set)'
    }
  const credentials = Object.hasOwn(roles, role) ? roles[role]! : undefined
  if (!credentials)
    return {
      ok: false,
      outputs: {},
      log: `Error: Could not assume role with OIDC: Not authorized to perform sts:AssumeRoleWithWebIdentity (${role})`
    }
  job.exportEnv({
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region
  })
  const account = /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(role)?.[1] ?? ''
  const masks = [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken]
  return {
    ok: true,
    outputs: { 'aws-account-id': account },
    log: `${masks.map((m) => `::add-mask::${m}`).join('\n')}\nAssumed role ${role} in ${region} (OIDC)`
  }
}
