/**
 * The README's "Start here", as a new user follows it: copy exactly the files its table lists
 * into an empty repository, push a data file, and run the copied workflow. Nothing else from this
 * repository is in that repository, so a file the table forgets fails here.
 *
 * Counterparts: a real git origin and a depth-1 checkout; the workflow stand-in
 * (test/helpers/workflow-runner.ts) runs the copied workflow's steps, with the project's .venv as
 * setup-python and pip held to it (PIP_NO_INDEX); the real example pipeline runs on a real local
 * ZenML store, which is then asked for the run.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { ROOT, VENV_PYTHON } from '../helpers/run-action.js'
import { pushPayload } from '../helpers/scenario.js'
import { WorkflowRunner } from '../helpers/workflow-runner.js'

/** The rows between the README's start-here markers: [from this repository, to the user's]. */
function startHereFiles(readme: string): [string, string][] {
  const block = /<!-- start-here:files[^>]*-->([\s\S]*?)<!-- start-here:end -->/.exec(readme)
  assert.ok(block, 'README.md has no <!-- start-here:files --> … <!-- start-here:end --> block')
  return [...block[1]!.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((row) => [row[1]!, row[2]!])
}

describe('README "Start here"', () => {
  const git = new GitFixture()
  after(() => git.remove())

  test('copying exactly the listed files into an empty repository gives a workflow that trains on a pushed data file', async () => {
    const files = startHereFiles(readFileSync(join(ROOT, 'README.md'), 'utf8'))
    assert.ok(files.length >= 2, `the table lists ${files.length} files`)
    const workflow = files.find(([, to]) => to.startsWith('.github/workflows/'))?.[1]
    assert.ok(workflow, 'the table copies no workflow into .github/workflows/')

    const base = git.commit(Object.fromEntries(files.map(([from, to]) => [to, readFileSync(join(ROOT, from), 'utf8')])))
    git.push('refs/heads/main')
    const tip = git.commit({ 'data/iris/2026-11.csv': 'feature_0,target\n0.1,1\n' }, 'add November data')
    git.push('refs/heads/main')

    const zenmlConfig = mkdtempSync(join(tmpdir(), 'pt-start-here-zenml-'))
    const env = {
      ZENML_CONFIG_PATH: zenmlConfig,
      ZENML_ANALYTICS_OPT_IN: 'false',
      ZENML_LOGGING_COLORS_DISABLED: 'true',
      PIP_NO_INDEX: '1',
      PIP_DISABLE_PIP_VERSION_CHECK: '1'
    }
    const checkout = git.workspace('refs/heads/main')
    const runner = new WorkflowRunner({
      event: {
        name: 'push',
        payload: pushPayload({ ref: 'refs/heads/main', before: base, after: tip }),
        sha: tip,
        ref: 'refs/heads/main'
      },
      root: checkout,
      checkout: () => git.workspace('refs/heads/main'),
      env
    })
    const result = await runner.run(workflow)
    const log = runner.jobs.map((job) => `== ${job.name}: ${job.result}\n${job.log}`).join('\n')
    assert.equal(result.result, 'success', log)

    // One run, for the pushed file, completed, with the file's path as its data.
    const [job] = runner.jobs
    assert.match(job!.log, /Loading data for 's3:\/\/example-bucket\/data\/iris\/2026-11\.csv'/, log)
    const summary = job!.summaries.join('\n')
    assert.match(summary, /completed/, summary)
    const runId = /"run_id":\s*"([0-9a-f-]{36})"/.exec(job!.log)?.[1]
    assert.ok(runId, `no run id in the log:\n${log}`)

    // The ZenML store itself has the run, completed, with the parameter the action passed.
    const stored = execFileSync(
      VENV_PYTHON,
      [
        '-c',
        'import json, sys\nfrom zenml.client import Client\nrun = Client().get_pipeline_run(sys.argv[1])\n' +
          'print(json.dumps({"status": str(run.status.value), "pipeline": run.pipeline.name, ' +
          '"data_url": run.config.parameters.get("data_url")}))',
        runId
      ],
      { env: { ...process.env, ...env }, encoding: 'utf8' }
    )
    assert.deepEqual(JSON.parse(stored.trim().split('\n').pop()!), {
      status: 'completed',
      pipeline: 'training_pipeline',
      data_url: 's3://example-bucket/data/iris/2026-11.csv'
    })
  })
})
