/**
 * http-preset: zenml-deployment against a REAL ZenML pipeline deployment: the tutorial pipeline
 * deployed with ZenML's built-in local deployer (no Docker), with a generated auth key.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { webhookExample } from '../helpers/events.js'
import { ROOT, VENV_PYTHON, runAction } from '../helpers/run-action.js'

const home = mkdtempSync(join(tmpdir(), 'pt-deployment-'))
const env = {
  PATH: process.env.PATH,
  HOME: home,
  ZENML_CONFIG_PATH: join(home, 'config'),
  ZENML_LOCAL_STORES_PATH: join(home, 'stores'),
  ZENML_ANALYTICS_OPT_IN: 'false'
}
const zenml = (...args: string[]) =>
  execFileSync(join(ROOT, '.venv/bin/zenml'), args, {
    cwd: join(ROOT, 'examples/pipelines'),
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  })
const NAME = `pt-test-${process.pid}`

describe('http target, zenml-deployment preset, against a real local deployment', () => {
  let url: string
  let authKey: string
  before(() => {
    writeFileSync(join(home, 'deploy.yaml'), 'settings:\n  deployer:\n    generate_auth_key: true\n')
    zenml('deployer', 'register', 'local_dep', '--flavor=local')
    zenml('stack', 'register', 'dep_stack', '-o', 'default', '-a', 'default', '-D', 'local_dep', '--set')
    zenml(
      'pipeline',
      'deploy',
      'training_pipeline.training_pipeline',
      '-n',
      NAME,
      '--update',
      '-c',
      join(home, 'deploy.yaml')
    )
    const described = execFileSync(
      VENV_PYTHON,
      [
        '-c',
        'import json, sys\nfrom zenml.client import Client\nd = Client().get_deployment(sys.argv[1])\nprint(json.dumps({"url": d.url, "key": d.auth_key}))',
        NAME
      ],
      { env, encoding: 'utf8' }
    )
    ;({ url, key: authKey } = JSON.parse(described.trim().split('\n').at(-1)!) as { url: string; key: string })
  })
  after(() => {
    zenml('deployment', 'delete', NAME, '-y')
  })

  const invoke = (key: string) => {
    const payload = webhookExample('workflow_dispatch')
    payload.inputs = { data_url: 's3://bucket/deployed.csv', model_type: 'gradient_boosting' }
    return runAction({
      eventName: 'workflow_dispatch',
      payload,
      workspace: home,
      sha: 'c'.repeat(40),
      ref: 'refs/heads/main',
      timeoutMs: 300_000,
      inputs: { pipeline: 'training_pipeline', 'http-url': url, 'http-preset': 'zenml-deployment', 'api-key': key }
    })
  }

  test('the run id comes back from metadata.run_id', async () => {
    const result = await invoke(authKey)
    assert.equal(result.exitCode, 0, result.stdout)
    assert.match(result.outputs['run-id']!, /^[0-9a-f-]{36}$/)
    assert.equal(result.outputs.status, 'completed')
  })

  test('a wrong key gives a clear error', async () => {
    const result = await invoke('not-the-auth-key')
    assert.equal(result.exitCode, 1)
    assert.match(
      result.stdout,
      /HTTP 401 from http:\/\/127\.0\.0\.1:\d+\/invoke: .*Invalid authentication token.*Fix: the API key is wrong or missing/
    )
  })
})
