/**
 * The command target running the real example pipeline (examples/pipelines, ZenML 0.98.0 from
 * .venv) on a local ZenML store: the run id that comes back is checked against ZenML itself.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { GitFixture } from '../helpers/git-fixture.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'
import { webhookExample } from '../helpers/events.js'

describe('command target with the real ZenML example pipeline', () => {
  const git = new GitFixture()
  const home = mkdtempSync(join(tmpdir(), 'pt-zenml-'))
  const zenmlEnv = {
    ZENML_CONFIG_PATH: join(home, 'config'),
    ZENML_LOCAL_STORES_PATH: join(home, 'stores'),
    ZENML_ANALYTICS_OPT_IN: 'false'
  }
  after(() => git.remove())

  test('a dispatch runs training_pipeline and the ZenML run id comes back', async () => {
    cpSync(join(ROOT, 'examples/pipelines'), join(git.author, 'examples/pipelines'), {
      recursive: true,
      filter: (p) => !p.includes('__pycache__')
    })
    const sha = git.commit({})
    git.push('refs/heads/main')
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: 'data/$(touch pwned).csv', model_type: 'gradient_boosting' }
    const result = await runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: git.workspace('refs/heads/main'),
      sha,
      ref: 'refs/heads/main',
      env: zenmlEnv,
      inputs: {
        pipeline: 'training_pipeline',
        command: `${VENV_PYTHON}\nexamples/pipelines/run.py`,
        'dispatch-inputs':
          'data_url: data_url\nmodel_type: {type: choice, options: [random_forest, gradient_boosting]}',
        // Without a server the metrics come through run.py's PIPELINE_TRIGGER_METRICS file.
        gates: 'accuracy >= 0.5'
      },
      timeoutMs: 300_000
    })
    assert.equal(result.exitCode, 0, result.stdout + result.stderr)
    const runId = result.outputs['run-id']!
    assert.match(runId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    assert.equal(result.outputs.status, 'completed')
    const [run] = JSON.parse(result.outputs.runs!) as { metrics: { accuracy: number }; verdict: string }[]
    assert.ok(run!.metrics.accuracy > 0.5 && run!.metrics.accuracy <= 1, `accuracy ${run!.metrics.accuracy}`)
    assert.equal(run!.verdict, 'success', 'the gate passed')

    // Ask ZenML what it recorded for that run (the id is passed as an argument, never as code).
    const script = [
      'import json, sys',
      'from zenml.client import Client',
      'run = Client().get_pipeline_run(sys.argv[1])',
      'print(json.dumps({"name": run.name, "status": str(run.status.value), "parameters": run.config.parameters}))'
    ].join('\n')
    const seen = JSON.parse(
      execFileSync(VENV_PYTHON, ['-c', script, runId], { env: { ...process.env, ...zenmlEnv }, encoding: 'utf8' })
        .trim()
        .split('\n')
        .at(-1)!
    ) as { name: string; status: string; parameters: Record<string, unknown> }
    assert.equal(seen.name, 'training_pipeline-gh-9100-1-0')
    assert.equal(seen.status, 'completed')
    assert.deepEqual(seen.parameters, { data_url: 'data/$(touch pwned).csv', model_type: 'gradient_boosting' })
  })
})
