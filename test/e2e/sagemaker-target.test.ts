/**
 * The sagemaker target through the bundle, against the SageMaker stand-in on loopback
 * (test/helpers/fake-sagemaker.ts: every request and reply checked against botocore 1.44.18's
 * model of the service, every request's SigV4 signature recomputed), started once for the file:
 * an execution with parameters whose training metrics a gate reads to decide the check run; a
 * failed one with the service's reason; a parameter the pipeline does not declare, refused before
 * any start; dry-run: check asking and starting nothing; cancel-on-timeout stopping the execution;
 * a start whose answer was lost after SageMaker made the execution, sent again with the same
 * ClientRequestToken: one execution; wait: false completed by a reconcile pass from the ARN alone;
 * a redirect to another host refused, with no credential in any log line, output or check run;
 * and the published example (examples/workflows/sagemaker-training.yml with
 * examples/sagemaker-triggers.yml), its OIDC credentials step played by the workflow stand-in.
 * Tested against a stand-in, not the service. GitHub is the fake of its checks API.
 */
import assert from 'node:assert/strict'
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, describe, test } from 'node:test'
import { readMetricsRecord } from '../../src/checks/check-run-fields.js'
import { startFakeSageMaker, type FakeSageMaker } from '../helpers/fake-sagemaker.js'
import { GITHUB_ACTIONS_APP_ID, startFakeGitHubChecks, type FakeChecks } from '../helpers/fake-github-checks.js'
import { runAction } from '../helpers/run-action.js'
import { scriptedServer } from '../helpers/scripted-server.js'
import { publishedConfigWith, runExampleOnPush } from '../helpers/example-on-push.js'
import { reconcilePass } from '../helpers/reconcile-pass.js'

const TOKEN = 'ghs_sagemakerE2eToken0123456789abcdefAB'
const REPOSITORY = 'octo-org/ml-repo'
const SHA = 'a'.repeat(40)
const ROLE = 'arn:aws:iam::123456789012:role/github-sagemaker-training'
/** What STS would give the role: the stand-in accepts only these. */
const CREDENTIALS = {
  accessKeyId: 'ASIAE2EFAKEKEY012345',
  secretAccessKey: 'e2e/Fake+Secret=Key0123456789abcdefghijkl',
  sessionToken: 'IQoJb3JpZ2luX2VjE2E/FAKE+session=token0123456789'
}
const AWS_ENV = {
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  AWS_SESSION_TOKEN: CREDENTIALS.sessionToken,
  AWS_REGION: 'us-east-1'
}
const SECRETS = Object.values(CREDENTIALS)

let sagemaker: FakeSageMaker
let github: FakeChecks | undefined
const workspaces: string[] = []
before(async () => {
  sagemaker = await startFakeSageMaker({
    credentials: CREDENTIALS,
    pipelines: {
      train: {
        parameters: [
          { Name: 'LearningRate', Type: 'Float', DefaultValue: 0.1 },
          { Name: 'Epochs', Type: 'Integer', DefaultValue: 3 },
          { Name: 'Fail', Type: 'Boolean', DefaultValue: false }
        ],
        outcome: (p) =>
          p.Fail === 'true'
            ? { end: 'Failed', afterMs: 300, failureReason: 'Step failure: One or multiple steps failed.' }
            : p.Epochs === '1000'
              ? { end: 'never' }
              : {
                  end: 'Succeeded',
                  afterMs: Number(p.Epochs) * 100,
                  metrics: {
                    'validation:accuracy': Number((0.9 + Number(p.LearningRate)).toFixed(4)),
                    'train:loss': 0.12
                  }
                }
      }
    }
  })
})
after(async () => {
  await sagemaker.close()
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true })
})
afterEach(async () => {
  assert.deepEqual(sagemaker.violations.splice(0), [], "requests and replies keep to botocore's SageMaker model")
  assert.deepEqual(sagemaker.authFailures.splice(0), [], 'every request was signed with the job credentials')
  if (github) {
    assert.deepEqual(github.contractErrors, [], "requests and answers keep to GitHub's published contract")
    for (const secret of SECRETS)
      assert.ok(!JSON.stringify(github.requests).includes(secret), 'no credential reaches GitHub')
  }
  await github?.close()
  github = undefined
})

/** The config file: target sagemaker (the stand-in's endpoint), pipeline train. */
function workspace(
  parameters: Record<string, unknown>,
  target: Record<string, unknown> = {},
  endpoint = sagemaker.url
) {
  const dir = mkdtempSync(join(tmpdir(), 'pt-sagemaker-e2e-'))
  workspaces.push(dir)
  mkdirSync(join(dir, '.github'))
  const config = {
    version: 1,
    targets: { sagemaker: { type: 'sagemaker', endpoint, ...target } },
    pipelines: {
      train: { target: 'sagemaker', gates: ['`validation:accuracy` >= 0.9'], on: { workflow_dispatch: { parameters } } }
    }
  }
  writeFileSync(join(dir, '.github/pipeline-triggers.yml'), JSON.stringify(config, null, 2))
  return dir
}

async function trigger(dir: string, inputs: Record<string, string> = {}, env: Record<string, string> = AWS_ENV) {
  github ??= await startFakeGitHubChecks({
    repository: REPOSITORY,
    tokens: {
      [TOKEN]: { kind: 'installation', appId: GITHUB_ACTIONS_APP_ID, permissions: { checks: 'write', actions: 'read' } }
    }
  })
  return runAction({
    eventName: 'workflow_dispatch',
    payload: { inputs: {}, ref: 'refs/heads/main', repository: { full_name: REPOSITORY }, workflow: 'ml.yml' },
    workspace: dir,
    repository: REPOSITORY,
    sha: SHA,
    ref: 'refs/heads/main',
    inputs: { token: TOKEN, verdict: 'auto', timeout: '1m', ...inputs },
    env: { GITHUB_API_URL: github.url, ...env }
  })
}

const runs = (outputs: Record<string, string>) =>
  JSON.parse(outputs.runs ?? '[]') as { status: string; 'run-id'?: string }[]
const starts = () => sagemaker.calls.filter((c) => c.operation === 'StartPipelineExecution').length

/** The text with the ::add-mask:: commands taken out (the runner consumes them): no credential may remain. */
function assertNoCredential(text: string, where: string) {
  let rest = text
  for (const secret of SECRETS) rest = rest.replaceAll(`::add-mask::${secret}`, '')
  for (const secret of SECRETS) assert.ok(!rest.includes(secret), `a credential in ${where}`)
}

describe('sagemaker target against the validated SageMaker stand-in', () => {
  test('an execution with parameters: its training metrics decide the check run, linked to the console', async () => {
    const result = await trigger(workspace({ LearningRate: 0.05, Epochs: 2 }, { 'display-name': 'ci-{run_name}' }))
    assert.equal(result.exitCode, 0, result.stdout)
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'completed', result.stdout)
    const execution = sagemaker.executions.find((e) => e.arn === run!['run-id'])!
    assert.deepEqual(execution.request.PipelineParameters, [
      { Name: 'LearningRate', Value: '0.05' },
      { Name: 'Epochs', Value: '2' }
    ])
    assert.match(execution.token, /^pt-[0-9a-f]{32}$/, 'the idempotency key is the ClientRequestToken')
    assert.match(execution.displayName!, /^ci-train-gh-\d+-1-0$/)
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'success', 'validation:accuracy >= 0.9 passed')
    assert.equal(
      check.details_url,
      `https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/pipelines/train/executions/${execution.arn.split('/').at(-1)}`
    )
    const metrics = readMetricsRecord(check.output.text)?.metrics
    assert.equal(metrics?.['validation:accuracy'], 0.95)
    assert.equal(metrics?.['train:loss'], 0.12)
    for (const secret of SECRETS)
      assert.ok(result.stdout.includes(`::add-mask::${secret}`), 'each credential is masked')
    assertNoCredential(result.stdout + result.stderr + JSON.stringify(result.outputs), 'the log or outputs')
  })

  test("a failed execution fails the step and its check run with SageMaker's reason", async () => {
    const result = await trigger(workspace({ Fail: true }))
    assert.equal(result.exitCode, 1, result.stdout)
    assert.equal(runs(result.outputs)[0]!.status, 'failed')
    const check = github!.checkRuns[0]!.current
    assert.equal(check.conclusion, 'failure')
    assert.match(check.output.title ?? '', /failed: Step failure: One or multiple steps failed/)
    assert.match(result.stdout, /failed steps: Train/)
  })

  test('a parameter the pipeline does not declare is refused before any start; dry-run: check starts nothing', async () => {
    const before = starts()
    const wrong = await trigger(workspace({ LearningRat: 0.1 }))
    assert.equal(wrong.exitCode, 1, wrong.stdout)
    assert.match(
      wrong.stdout,
      /pipeline train declares no parameter "LearningRat"; it declares: LearningRate \(Float\), Epochs \(Integer\), Fail \(Boolean\)/
    )
    const check = await trigger(workspace({ LearningRate: 0.1 }), { 'dry-run': 'check' })
    assert.equal(check.exitCode, 0, check.stdout)
    assert.match(check.stdout, /Checked on target sagemaker: 1 run\(s\) would start; nothing was started\./)
    const missing = await trigger(workspace({ LearningRate: 0.1 }, { pipeline: 'no-such-pipeline' }), {
      'dry-run': 'check'
    })
    assert.equal(missing.exitCode, 1, missing.stdout)
    assert.match(
      missing.stdout,
      /ResourceNotFound \(HTTP 400\).*Fix: the account of these credentials has no pipeline no-such-pipeline in us-east-1/
    )
    assert.equal(starts(), before, 'no execution was started')
    assert.equal(github!.checkRuns.length, 0, 'no check run was opened')
  })

  test('missing credentials fail the step with the OIDC credentials step as the fix', async () => {
    const result = await trigger(workspace({ LearningRate: 0.1 }), {}, { AWS_REGION: 'us-east-1' })
    assert.equal(result.exitCode, 1, result.stdout)
    assert.match(
      result.stdout,
      /no AWS credentials in the environment.*aws-actions\/configure-aws-credentials with role-to-assume.*id-token: write/
    )
  })

  test('cancel-on-timeout stops the execution when the step runs out of time', async () => {
    const result = await trigger(workspace({ Epochs: 1000 }, { 'cancel-on-timeout': true }), { timeout: '6s' })
    const [run] = runs(result.outputs)
    assert.equal(run!.status, 'timed_out', result.stdout)
    assert.match(result.stdout, /so it was stopped \(cancel-on-timeout\)/)
    const execution = sagemaker.executions.find((e) => e.arn === run!['run-id'])!
    assert.ok(['Stopping', 'Stopped'].includes(execution.status), execution.status)
    assert.equal(execution.stopTokens.length, 1, 'one StopPipelineExecution')
  })

  test('a start whose answer was lost after SageMaker made the execution is sent again with its token: one execution', async () => {
    let lost = 0
    // Forwards everything as it came (Host included, so the signature still holds); drops the first start's answer.
    const proxy = createServer((req, res) => {
      const target = new URL(req.url ?? '/', sagemaker.url)
      const forward = httpRequest(target, { method: req.method, headers: req.headers }, (answer) => {
        if (req.headers['x-amz-target'] === 'SageMaker.StartPipelineExecution' && lost++ === 0) {
          answer.resume()
          answer.on('end', () => req.socket.resetAndDestroy())
          return
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      })
      forward.on('error', () => res.destroy())
      req.pipe(forward)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
      const before = sagemaker.executions.length
      const result = await trigger(workspace({ LearningRate: 0.03, Epochs: 1 }, {}, url))
      assert.equal(result.exitCode, 0, result.stdout)
      assert.equal(lost, 2, 'the first start lost its answer; the second got the same execution')
      assert.equal(sagemaker.executions.length, before + 1, 'exactly one execution')
      const [run] = runs(result.outputs)
      assert.equal(run!['run-id'], sagemaker.executions.at(-1)!.arn)
      assert.equal(run!.status, 'completed')
    } finally {
      proxy.closeAllConnections()
      await new Promise((resolve) => proxy.close(resolve))
    }
  })

  test('wait: false leaves the check run open; a reconcile pass completes it from the execution ARN', async () => {
    const dir = workspace({ LearningRate: 0.02, Epochs: 5 })
    const first = await trigger(dir, { wait: 'false' })
    assert.equal(first.exitCode, 0, first.stdout)
    const open = github!.checkRuns[0]!.current
    assert.equal(open.status, 'in_progress')
    const arn = runs(first.outputs)[0]!['run-id']!
    // The ARN alone (URI-encoded in the external id) is what the later pass follows.
    assert.equal(open.external_id, `pt1|sagemaker|sagemaker|${encodeURIComponent(arn)}`)
    await new Promise((resolve) => setTimeout(resolve, 700))
    github!.seedWorkflowRun({ id: 9200, head_sha: SHA, created_at: new Date().toISOString() })
    const pass = await reconcilePass({
      workspace: dir,
      repository: REPOSITORY,
      github: github!,
      token: TOKEN,
      env: { ...AWS_ENV }
    })
    assert.equal(pass.exitCode, 0, pass.stdout)
    const final = github!.checkRuns[0]!.current
    assert.equal(final.status, 'completed', pass.stdout)
    assert.equal(final.conclusion, 'success')
    assert.equal(readMetricsRecord(final.output.text)?.metrics['validation:accuracy'], 0.92)
  })

  test('a redirect to another host is refused: the signed request never goes there, and no credential is in a log, output or check run', async () => {
    const elsewhere = await scriptedServer(() => ({ status: 200, body: { PipelineExecutionArn: 'x' } }))
    try {
      sagemaker.redirect('StartPipelineExecution', `${elsewhere.url}/`)
      const result = await trigger(workspace({ LearningRate: 0.01 }))
      assert.equal(result.exitCode, 1, result.stdout)
      assert.match(result.stdout, /answered with a redirect, which the action does not follow here/)
      assert.equal(elsewhere.requests.length, 0, 'nothing reached the other host')
      assertNoCredential(result.stdout + result.stderr + JSON.stringify(result.outputs), 'the log or outputs')
      assertNoCredential(JSON.stringify(github!.checkRuns), 'a check run')
    } finally {
      await elsewhere.close()
    }
  })

  test('the published example: sagemaker-training.yml on a push of data assumes the role over OIDC and the gate decides the check run', async () => {
    const config = publishedConfigWith(
      'examples/sagemaker-triggers.yml',
      /^(\s*endpoint: )https:\/\/api\.sagemaker\.us-east-1\.amazonaws\.com( |$)/m,
      `$1${sagemaker.url}$2`
    )
    const before = sagemaker.executions.length
    await runExampleOnPush(
      {
        workflow: 'examples/workflows/sagemaker-training.yml',
        configPath: 'examples/sagemaker-triggers.yml',
        config,
        repository: REPOSITORY,
        awsRoles: { [ROLE]: CREDENTIALS },
        credentials: [CREDENTIALS.secretAccessKey, CREDENTIALS.sessionToken]
      },
      ({ result, log, github, tip }) => {
        assert.equal(result, 'success', log)
        const made = sagemaker.executions.slice(before)
        assert.equal(made.length, 1, 'one execution for the push')
        assert.deepEqual(made[0]!.request.PipelineParameters, [
          { Name: 'LearningRate', Value: '0.01' },
          { Name: 'Epochs', Value: '5' }
        ])
        const check = github.checkRuns[0]!.current
        assert.equal(check.head_sha, tip)
        assert.equal(check.conclusion, 'success', log)
        assert.equal(readMetricsRecord(check.output.text)?.metrics['validation:accuracy'], 0.91)
        assertNoCredential(log, 'the workflow log')
      }
    )
  })
})
