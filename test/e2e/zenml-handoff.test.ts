/**
 * Method 5 end to end: the action runs the real training pipeline (examples/pipelines, ZenML
 * 0.98.0 from .venv, local store); its last step hands on to the next pipeline with a
 * repository_dispatch to the loopback GitHub API fake (test/helpers/fake-github-actions.ts,
 * validated against GitHub's OpenAPI: GitHub cannot run here). Then the action, given the event
 * the fake recorded, plans the evaluation run: the run id and artifact ids travel as parameters,
 * and the chain guard sees the whole chain, GitHub → ZenML → GitHub → ZenML.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { startFakeActions } from '../helpers/fake-github-actions.js'
import { GitFixture } from '../helpers/git-fixture.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'

const TOKEN = 'ghs_handoffDispatchToken0123456789abcdef'
const RECEIVER = `name: evaluate-after-training
run-name: evaluate \${{ github.event.client_payload.pipeline-trigger-id }}
on:
  repository_dispatch:
    types: [evaluate]
jobs: {}
`

describe('a ZenML step hands on to the next pipeline through GitHub', () => {
  const git = new GitFixture()
  const home = mkdtempSync(join(tmpdir(), 'pt-handoff-'))
  const zenmlEnv = {
    ZENML_CONFIG_PATH: join(home, 'config'),
    ZENML_LOCAL_STORES_PATH: join(home, 'stores'),
    ZENML_ANALYTICS_OPT_IN: 'false'
  }
  after(() => git.remove())

  test('training runs on ZenML, its last step dispatches with its run id, and the downstream plan carries the whole chain', async () => {
    const fake = await startFakeActions({
      token: TOKEN,
      server: 'github.com',
      repositories: {
        'octo-org/ml-repo': {
          defaultBranch: 'main',
          workflows: { 'evaluate-after-training.yml': { id: 9, text: RECEIVER } }
        }
      }
    })
    try {
      cpSync(join(ROOT, 'examples/pipelines'), join(git.author, 'examples/pipelines'), {
        recursive: true,
        filter: (p) => !p.includes('__pycache__')
      })
      const sha = git.commit({})
      git.push('refs/heads/main')
      const payload = webhookExample('workflow_dispatch')
      payload.inputs = { data_url: 's3://bucket/fresh.csv' }
      const training = await runAction({
        eventName: 'workflow_dispatch',
        payload,
        workspace: git.workspace('refs/heads/main'),
        sha,
        ref: 'refs/heads/main',
        runId: '7001',
        env: { ...zenmlEnv, GITHUB_API_URL: fake.url, PIPELINE_DISPATCH_TOKEN: TOKEN },
        inputs: {
          pipeline: 'training_then_evaluation',
          command: `${VENV_PYTHON}\nexamples/pipelines/run.py`,
          'dispatch-inputs': 'data_url: data_url'
        },
        timeoutMs: 300_000
      })
      assert.equal(training.exitCode, 0, training.stdout + training.stderr)
      const trainingRunId = training.outputs['run-id']!
      assert.match(trainingRunId, /^[0-9a-f-]{36}$/)

      // What the step sent: this run's id, its input artifacts, and the chain context it was handed.
      const dispatch = fake.requests.find(
        (r) => r.method === 'POST' && r.path === '/repos/octo-org/ml-repo/dispatches'
      )!
      const sent = dispatch.body as { event_type: string; client_payload: Record<string, unknown> }
      assert.equal(sent.event_type, 'evaluate')
      assert.equal(sent.client_payload.training_run_id, trainingRunId)
      assert.ok(
        (sent.client_payload.artifact_ids as string[]).every((id) => /^[0-9a-f-]{36}$/.test(id)) &&
          (sent.client_payload.artifact_ids as string[]).length > 0
      )
      const upstream = JSON.parse(sent.client_payload['pipeline-context'] as string) as {
        root: string
        depth: number
        chain: string[]
      }
      assert.deepEqual(
        [upstream.root, upstream.depth, upstream.chain],
        ['https://github.com/octo-org/ml-repo/actions/runs/7001', 1, ['training_then_evaluation']]
      )
      // The artifact ids are ZenML's own.
      const known = execFileSync(
        VENV_PYTHON,
        [
          '-c',
          'import sys; from zenml.client import Client; print(Client().get_artifact_version(sys.argv[1]).id)',
          (sent.client_payload.artifact_ids as string[])[0]!
        ],
        { env: { ...process.env, ...zenmlEnv }, encoding: 'utf8' }
      )
      assert.match(known, /[0-9a-f-]{36}/)
      assert.ok(
        !`${training.stdout}${training.stderr}`.replace(/::add-mask::.*/g, '').includes(TOKEN),
        'the dispatch token is never printed'
      )

      // The receiving workflow: the action plans the evaluation from the event the fake recorded.
      const workspace = mkdtempSync(join(tmpdir(), 'pt-handoff-receiver-'))
      mkdirSync(join(workspace, '.github'))
      writeFileSync(
        join(workspace, '.github/pipeline-triggers.yml'),
        `version: 1\ntargets:\n  in-runner: {type: command, run: [python, evaluate.py]}\npipelines:\n  evaluation:\n    target: in-runner\n    pipeline: evaluation_pipeline\n    on:\n      repository_dispatch:\n        types: [evaluate]\n        require-upstream: true\n        inputs: {training_run_id: training_run_id, artifact_ids: artifact_ids}\n`
      )
      const event = {
        action: sent.event_type,
        client_payload: sent.client_payload,
        repository: { full_name: 'octo-org/ml-repo', default_branch: 'main' }
      }
      const plan = await runAction({
        eventName: 'repository_dispatch',
        payload: event,
        workspace,
        sha: 'c'.repeat(40),
        ref: 'refs/heads/main',
        runId: '7002',
        inputs: { 'dry-run': 'true' }
      })
      assert.equal(plan.exitCode, 0, plan.stdout)
      const [request] = (
        JSON.parse(plan.outputs.plan!) as {
          requests: {
            parameters: Record<string, unknown>
            'pipeline-context': { root: string; depth: number; chain: string[] }
          }[]
        }
      ).requests
      assert.equal(request!.parameters.training_run_id, trainingRunId)
      assert.deepEqual(request!.parameters.artifact_ids, sent.client_payload.artifact_ids)
      assert.deepEqual(request!['pipeline-context'], {
        root: 'https://github.com/octo-org/ml-repo/actions/runs/7001',
        depth: 2,
        chain: ['training_then_evaluation', 'evaluation_pipeline']
      })
      assert.deepEqual(fake.contractErrors, [])
    } finally {
      await fake.close()
    }
  })
})
