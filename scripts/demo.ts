/**
 * `npm run demo`: replays the example push, schedule and dispatch events through the bundled
 * action, exactly as the runner would run it, against a real git repository made on the spot.
 * It starts an embedded ZenML server (SQLite, loopback, real API-key auth) with a service account;
 * the command target runs the real example pipeline (examples/pipelines), which reports to that
 * server, and the action follows each run there. Every run printed here really happened.
 */
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GitFixture } from '../test/helpers/git-fixture.js'
import { ROOT, runAction } from '../test/helpers/run-action.js'
import { pushPayload } from '../test/helpers/scenario.js'
import { startZenmlServer } from '../test/helpers/zenml-server.js'

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

let failed = false
for (const [i, { title, eventName, payload }] of events.entries()) {
  console.log(`\n=== ${title} ===`)
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
  const runs = JSON.parse(result.outputs.runs ?? '[]') as {
    pipeline: string
    'run-url': string
    status: string
    parameters: object
  }[]
  for (const run of runs)
    console.log(
      `fired ${run.pipeline}: ${run.status}  ${JSON.stringify(run.parameters)}\n  dashboard: ${run['run-url']}`
    )
  console.log(`\n--- job summary ---\n${result.summary.trim()}\n`)
  if (result.exitCode !== 0) {
    failed = true
    console.log(`the action failed (exit ${result.exitCode}):\n${result.stdout}${result.stderr}`)
  }
}
git.remove()
await server.stop()
console.log(`Demo finished in ${((Date.now() - started) / 1000).toFixed(0)} s; the ZenML server is stopped.`)
process.exitCode = failed ? 1 : 0
