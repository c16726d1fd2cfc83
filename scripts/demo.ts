/**
 * `npm run demo [-- --serve] [-- --out DIR]`: replays the example push, schedule and dispatch
 * events through the bundled action, exactly as the runner would run it, against a real git
 * repository made on the spot. It starts an embedded ZenML server (SQLite, loopback, real API-key
 * auth) with a service account; the command target runs the real example pipeline
 * (examples/pipelines), which reports to that server, and the action follows each run there.
 * Every run printed here really happened.
 *
 * The terminal gets one plain-text table per event and, for the push, each changed file's fate
 * (the CLI's `explain`); the Markdown job summaries go to files in --out. With --serve the server
 * stays up so the dashboard links open.
 */
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { GitFixture } from './lib/git-fixture.js'
import { ROOT, runAction } from './lib/run-action.js'
import { pushPayload } from './lib/push-payload.js'
import { ADMIN, startZenmlServer } from './lib/zenml-server.js'

const { values: options } = parseArgs({
  options: { serve: { type: 'boolean', default: false }, out: { type: 'string' } }
})
const out = resolve(options.out ?? mkdtempSync(join(tmpdir(), 'pt-demo-out-')))
mkdirSync(out, { recursive: true })

interface Run {
  pipeline: string
  status: string
  parameters: Record<string, unknown>
  'run-id'?: string
  'run-url'?: string
}

/** A plain-text table: columns padded to their widest cell; the last column (a link) is never cut. */
function table(header: string[], rows: string[][]): string {
  const cut = (cell: string, i: number) => (i < header.length - 1 && cell.length > 100 ? `${cell.slice(0, 99)}…` : cell)
  const cells = [header, ...rows].map((row) => row.map(cut))
  const widths = header.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd()
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n')
}

const started = Date.now()
console.log('Starting an embedded ZenML server (SQLite, 127.0.0.1) with a service account…')
const server = await startZenmlServer()
console.log(`ZenML server: ${server.url}`)
const git = new GitFixture()
const zenmlHome = mkdtempSync(join(tmpdir(), 'pt-demo-zenml-'))
const env = {
  PATH: `${join(ROOT, '.venv/bin')}:${process.env.PATH}`,
  ZENML_CONFIG_PATH: join(zenmlHome, 'config'),
  ZENML_ANALYTICS_OPT_IN: 'false',
  ZENML_LOGGING_COLORS_DISABLED: 'true'
}

// The user's repository: the example config and pipeline, then a push that adds data.
cpSync(join(ROOT, 'examples/pipelines'), join(git.author, 'examples/pipelines'), {
  recursive: true,
  filter: (p) => !p.includes('__pycache__')
})
const base = git.commit({
  '.github/pipeline-triggers.yml': readFileSync(join(ROOT, 'examples/pipeline-triggers.yml'), 'utf8'),
  'data/iris/README.md': 'Iris measurements'
})
git.push('refs/heads/main')
const tip = git.commit({
  'data/iris/2026-11.csv': '5.1,3.5,1.4,0.2\n',
  'data/wine/batch 7.csv': '13.2,1.78\n',
  'data/iris/README.md': 'updated'
})
git.push('refs/heads/main')
const workspace = git.workspace('refs/heads/main')

const events = [
  {
    title: 'push touching data/**',
    eventName: 'push',
    payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip })
  },
  {
    title: 'schedule (cron 17 4 * * *)',
    eventName: 'schedule',
    payload: JSON.parse(readFileSync(join(ROOT, 'examples/events/schedule.json'), 'utf8'))
  },
  {
    title: 'workflow_dispatch',
    eventName: 'workflow_dispatch',
    payload: JSON.parse(readFileSync(join(ROOT, 'examples/events/workflow_dispatch.json'), 'utf8'))
  }
]

/** A dashboard link is only printed once the server confirms the run it points to. */
async function checkLink(run: Run): Promise<string> {
  if (!run['run-url'] || !run['run-id']) return 'no link'
  const reply = await fetch(`${server.url}/api/v1/runs/${encodeURIComponent(run['run-id'])}`, {
    headers: { authorization: `Bearer ${server.token}` }
  })
  return reply.ok ? run['run-url'] : `${run['run-url']} (the server answered ${reply.status})`
}

let failed = false
const links: string[] = []
for (const [i, { title, eventName, payload }] of events.entries()) {
  console.log(`\n=== ${title} ===`)
  if (eventName === 'push') {
    // The CLI's explain, on the same clone and event: which rule took each changed file, or why none did.
    const eventFile = join(out, 'push-event.json')
    writeFileSync(eventFile, JSON.stringify(payload))
    const explained = execFileSync(
      process.execPath,
      [join(ROOT, 'dist/cli/index.js'), 'explain', '--event', eventFile, '--workspace', workspace],
      { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: zenmlHome } }
    )
    console.log(`Each changed file (node dist/cli/index.js explain):\n${explained}`)
  }
  // Each event is its own workflow run, with its own run id (run names are unique in ZenML).
  const runId = String(7000 + i)
  const result = await runAction({
    eventName,
    payload,
    workspace,
    sha: tip,
    ref: 'refs/heads/main',
    runId,
    env,
    inputs: { 'zenml-url': server.url, 'zenml-api-key': server.apiKey },
    timeoutMs: 600_000
  })
  const runs = JSON.parse(result.outputs.runs ?? '[]') as Run[]
  const rows: string[][] = []
  for (const run of runs) {
    const link = await checkLink(run)
    links.push(link)
    const parameters = Object.entries(run.parameters).map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    rows.push([run.pipeline, run.status, parameters.join(' '), link])
  }
  console.log(
    runs.length ? table(['pipeline', 'status', 'parameters', 'dashboard'], rows) : 'No run matched this event.'
  )
  const summaryFile = join(out, `summary-${i + 1}-${eventName}.md`)
  writeFileSync(summaryFile, result.summary)
  console.log(`Job summary (Markdown, as GitHub renders it on the run page): ${summaryFile}`)
  if (result.exitCode !== 0) {
    failed = true
    console.log(`the action failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`)
  }
}
git.remove()
const seconds = ((Date.now() - started) / 1000).toFixed(0)
if (options.serve) {
  console.log(`\nDemo finished in ${seconds} s. The ZenML server stays up so the links above open:`)
  console.log(`  ${server.url}  (log in as ${ADMIN.username} / ${ADMIN.password})`)
  console.log('Press Ctrl-C to stop it.')
  await new Promise<void>((stop) => process.once('SIGINT', () => stop()))
  await server.stop()
} else {
  await server.stop()
  console.log(`\nDemo finished in ${seconds} s; the ZenML server is stopped, so the dashboard links no longer open.`)
  console.log('To browse these runs in the ZenML dashboard, keep the server up: npm run demo -- --serve')
}
process.exitCode = failed ? 1 : 0
