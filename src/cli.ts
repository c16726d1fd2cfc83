/**
 * The same core from a terminal, to try a config against an event before pushing it:
 *
 *   pipeline-trigger plan|explain --event event.json [--event-name push] [--config .github/pipeline-triggers.yml]
 *                                 [--workspace .] [--changed-files files.json] [--input name=value ...]
 *
 * `plan` prints the plan as JSON; `explain` prints, for each changed file and each rule, whether
 * it matched and why not. Neither triggers anything. `report --runs FILE` renders a saved runs
 * output as the metrics and gates report. Inputs are the action's, set as the runner
 * would (INPUT_<NAME>), so the CLI reads them through exactly the same code.
 */
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import packageJson from '../package.json' with { type: 'json' }
import { ChangesUnavailable, type ChangeSet, type ChangedFile } from './changes/change-set.js'
import { fileStatuses } from './config/schema.js'
import { Deadline, realClock } from './clock.js'
import { UserError, errorMessage } from './errors.js'
import type { EventContext } from './event/normalize-event.js'
import { readSettings } from './inputs/settings.js'
import { explainChanges, renderExplanation } from './plan/explain.js'
import { preparePlan } from './prepare-plan.js'
import { renderReport } from './report/metrics-report.js'
import { planJson } from './report/outputs.js'
import { readRunsFile } from './report/runs-file.js'

const COMMANDS = ['plan', 'explain', 'report']

const USAGE = `usage: pipeline-trigger plan|explain --event FILE [--event-name NAME] [--config FILE] [--workspace DIR]
                                     [--changed-files FILE] [--input NAME=VALUE ...]
       pipeline-trigger report --runs FILE
       pipeline-trigger --help | --version`

const HELP = `pipeline-trigger ${packageJson.version}: what the action would trigger for an event, from a terminal.
It triggers nothing.

${USAGE}

Commands:
  plan                  The runs the action would trigger for one event, as JSON.
  explain               Each changed file against each changed-file rule: matched (and by which run),
                        or why not. The answer to "why didn't my file trigger?".
  report                The metrics and gates report (Markdown: the table, the deltas to the baseline,
                        the charts) of a saved runs output, as the pull-request comment shows it.

Options:
  --event FILE          The event payload, as GitHub sends it (GITHUB_EVENT_PATH in a workflow).
  --event-name NAME     push, pull_request, pull_request_target, merge_group, schedule, workflow_dispatch, workflow_call,
                        repository_dispatch or workflow_run; guessed from the payload if left out.
  --config FILE         The config file (default .github/pipeline-triggers.yml in the workspace).
  --workspace DIR       The repository to read the config and changed files from (default: .).
  --changed-files FILE  The changed files, instead of asking git: a JSON array of paths, or of
                        {"path": "...", "status": "added|modified|deleted|renamed|copied|type-changed"}.
  --input NAME=VALUE    Any action input, as in the workflow's with: (repeatable).
  --runs FILE           report: the action's runs output, saved as JSON.
  -h, --help            This help.
  --version             The version.

Examples:
  pipeline-trigger plan --event push.json --changed-files files.json
  pipeline-trigger explain --event push.json --changed-files files.json
  pipeline-trigger explain --event push.json          # in a clone that has the push's commits: git lists the files
  pipeline-trigger plan --event dispatch.json --event-name workflow_dispatch --input pipeline=training_pipeline
  echo '["data/iris/new.csv"]' > files.json   # a --changed-files file
  pipeline-trigger report --runs runs.json > report.md
`

/** The event name from the payload's shape, for payloads saved without it. */
export function inferEventName(payload: Record<string, unknown>): string {
  if (typeof payload.schedule === 'string') return 'schedule'
  if ('merge_group' in payload) return 'merge_group'
  if ('pull_request' in payload) return 'pull_request'
  if ('client_payload' in payload) return 'repository_dispatch'
  if ('inputs' in payload && 'workflow' in payload) return 'workflow_dispatch'
  if ('before' in payload && 'after' in payload) return 'push'
  throw new UserError('Cannot tell the event from the payload; pass --event-name.')
}

function readJson(path: string, option: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new UserError(`${option} ${path} is not JSON: ${(error as Error).message}.`)
  }
}

function readChangedFiles(path: string): ChangeSet {
  const data = readJson(path, '--changed-files')
  if (!Array.isArray(data))
    throw new UserError(`--changed-files ${path}: expected a JSON array of paths or {path, status} objects.`)
  const files: ChangedFile[] = data.map((entry, i) => {
    if (typeof entry === 'string') return { path: entry, status: 'modified' }
    const record = entry as Record<string, unknown>
    const status = (record.status ?? 'modified') as ChangedFile['status']
    if (typeof record.path !== 'string' || !fileStatuses.includes(status)) {
      throw new UserError(
        `--changed-files ${path}[${i}]: expected {"path": "...", "status": one of ${fileStatuses.join(', ')}}.`
      )
    }
    return { path: record.path, status }
  })
  return { files, complete: true, base: '', head: '', description: `from ${path}` }
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      'event-name': { type: 'string' },
      config: { type: 'string' },
      workspace: { type: 'string' },
      'changed-files': { type: 'string' },
      input: { type: 'string', multiple: true },
      runs: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean' }
    }
  })
  if (values.version) {
    process.stdout.write(`${packageJson.version}\n`)
    return 0
  }
  if (values.help || argv.length === 0) {
    process.stdout.write(HELP)
    return 0
  }
  const command = positionals[0] ?? ''
  if (command === 'report') {
    if (!values.runs) {
      process.stderr.write(`report needs --runs FILE.\n${USAGE}\n`)
      return 2
    }
    if (!existsSync(values.runs)) throw new UserError(`--runs ${values.runs}: no such file.`)
    process.stdout.write(`${renderReport(readRunsFile(values.runs))}\n`)
    return 0
  }
  if (!COMMANDS.includes(command) || !values.event) {
    process.stderr.write(
      `${!COMMANDS.includes(command) ? `Unknown command ${JSON.stringify(command)}; the commands are ${COMMANDS.slice(0, -1).join(', ')} and ${COMMANDS.at(-1)}.` : `${command} needs --event FILE.`}\n${USAGE}\nRun pipeline-trigger --help for the options and examples.\n`
    )
    return 2
  }
  const workspace = resolve(values.workspace ?? '.')
  // Checked here so the error names the option, not the action input it becomes. The config
  // path is read from the workspace, as the action reads it; the others from here.
  for (const [option, path, where] of [
    ['--event', values.event, '.'],
    ['--config', values.config, workspace],
    ['--changed-files', values['changed-files'], '.']
  ] as const) {
    if (path !== undefined && !existsSync(resolve(where, path))) throw new UserError(`${option} ${path}: no such file.`)
  }
  const payload = readJson(values.event, '--event') as Record<string, unknown>
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload))
    throw new UserError(`--event ${values.event}: expected the event payload, a JSON object.`)
  const eventName = values['event-name'] ?? inferEventName(payload)

  for (const assignment of values.input ?? []) {
    const eq = assignment.indexOf('=')
    if (eq < 1)
      throw new UserError(`--input ${JSON.stringify(assignment)}: write NAME=VALUE, e.g. --input dry-run=true.`)
    process.env[`INPUT_${assignment.slice(0, eq).replace(/ /g, '_').toUpperCase()}`] = assignment.slice(eq + 1)
  }
  if (values.config) process.env.INPUT_CONFIG = values.config

  const repository = (payload.repository as Record<string, unknown> | undefined)?.full_name
  const pr = payload.pull_request as { head?: { sha?: string } } | undefined
  const context: EventContext = {
    eventName,
    payload,
    sha: String(
      payload.after ?? pr?.head?.sha ?? (payload.merge_group as { head_sha?: string } | undefined)?.head_sha ?? ''
    ),
    ref: String(payload.ref ?? ''),
    repository: typeof repository === 'string' ? repository : '',
    runId: '',
    runAttempt: 1,
    serverUrl: 'https://github.com',
    workflow: ''
  }
  const settings = await readSettings(false)
  // The same one deadline as the action's step: git and the API end with timeout here too.
  const deadline = new Deadline(realClock, settings.timeoutMs)
  const prepared = await preparePlan({
    settings,
    context,
    workspace,
    log: (message) => process.stderr.write(`${message}\n`),
    deadline,
    ...(values['changed-files'] ? { changes: readChangedFiles(values['changed-files']) } : {})
  })
    .catch((error: unknown) => {
      // The step's fix ("add actions/checkout") means nothing here: say what to do in a terminal.
      if (!(error instanceof ChangesUnavailable)) throw error
      throw new UserError(
        `${error.reason} From a terminal: run inside a clone that has the event's commits (or pass --workspace DIR), or list the files with --changed-files FILE.`
      )
    })
    .finally(() => deadline.dispose())
  if (command === 'explain') {
    if (prepared.event.kind === undefined) {
      process.stdout.write(`The action does not handle ${eventName} events: nothing would run.\n`)
      return 0
    }
    process.stdout.write(
      renderExplanation(
        explainChanges(prepared.plan, prepared.changes, { inline: prepared.configFile === undefined }),
        prepared.changes
      )
    )
    return 0
  }
  const output = {
    event: eventName,
    handled: prepared.event.kind !== undefined,
    ...(planJson(prepared.plan, prepared.changes) as object),
    'changed-files': prepared.changes?.files ?? null
  }
  process.stdout.write(`${JSON.stringify(output, null, 2)}\n`)
  return 0
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`pipeline-trigger: ${errorMessage(error)}\n`)
    process.exitCode = 1
  }
)
