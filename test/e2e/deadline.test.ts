/**
 * The README's promise, literally: `timeout` is one deadline for the whole step. At each stage
 * (git, the changed-files API, the ZenML login, the start, the poll, a workflow dispatch) a
 * counterpart that refuses, resets or never answers ends the bundled action by `timeout` plus a
 * small constant, with an error that names the step, the host and what to check, and a fault
 * during planning triggers nothing. Real git, the fake ZenML and GitHub servers behind a proxy
 * that breaks the chosen requests; everything on loopback.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { schedulePayload, webhookExample } from '../helpers/events.js'
import { startFakeActions } from '../helpers/fake-github-actions.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { faultProxy, refusedUrl, type Fault } from '../helpers/fault-proxy.js'
import { runAction, type ActionRun, type RunOptions } from '../helpers/run-action.js'
import { RECORD_COMMAND, pushPayload, recorder } from '../helpers/scenario.js'

const TIMEOUT_S = 3
/** Node's start, the one last status read after the deadline (a few seconds at most), and the exit. */
const SMALL_CONSTANT_MS = 6_000
const KEY = 'ZENPROKEY_fake-service-account-key'
const GITHUB_TOKEN = 'ghs_crossRepoTokenForTests0123456789abcd'

/** Words that must never be the whole story in an error. */
const BARE =
  /::error::(fetch failed|bad port|getaddrinfo|connect ECONN|read ECONNRESET|socket hang up|timeout \(\d+s\) ran out$)/m

interface Stage {
  name: string
  faults: Fault[]
  /** Starts the counterparts with the fault in place; returns the action's run and a cleanup. */
  setup(fault: Fault): Promise<{ options: RunOptions; cleanup(): Promise<void>; triggered?(): number }>
  /** What the error must say: the step and the host. */
  says: RegExp
  planning: boolean
}

/** A server with the fault for every request, or a refused port. */
async function broken(fault: Fault): Promise<{ url: string; close(): Promise<void> }> {
  if (fault === 'refuse') return { url: await refusedUrl(), close: async () => {} }
  return faultProxy(fault)
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' }).trim()
}

/** A checkout of one commit whose parent is not in it, and whose origin is `remote`. */
function shallowCheckout(remote: string): { dir: string; before: string; after: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pt-deadline-git-'))
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'config', 'user.email', 't@example.com')
  git(dir, 'config', 'user.name', 't')
  mkdirSync(join(dir, 'data'))
  writeFileSync(join(dir, 'data/new.csv'), 'a,b\n1,2\n')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'data')
  git(dir, 'remote', 'add', 'origin', `${remote}/octo-org/ml-repo.git`)
  // `before` is a commit this clone does not have, so git must fetch it from origin.
  return { dir, before: 'b'.repeat(40), after: git(dir, 'rev-parse', 'HEAD') }
}

const recordInputs = {
  target: 'command',
  command: RECORD_COMMAND,
  pipeline: 'training',
  paths: 'data/**',
  'path-parameter': 'data_url',
  timeout: `${TIMEOUT_S}s`
}

/** The push of data/new.csv from shallowCheckout(origin), recorded; the git stages differ only in origin and env. */
function pushFromShallowCheckout(origin: string, env: Record<string, string>, cleanup: () => Promise<void>) {
  const { dir, before, after } = shallowCheckout(origin)
  const record = recorder()
  return {
    options: {
      eventName: 'push',
      payload: pushPayload({ ref: 'refs/heads/main', before, after }),
      sha: after,
      ref: 'refs/heads/main',
      workspace: dir,
      inputs: recordInputs,
      env: { ...record.env, ...env }
    },
    cleanup,
    triggered: () => record.read().length
  }
}

const STAGES: Stage[] = [
  {
    name: 'git fetch from origin',
    faults: ['hang'],
    planning: true,
    says: /git fetch origin b{40}/,
    async setup(fault) {
      const remote = await broken(fault)
      return pushFromShallowCheckout(remote.url, { GITHUB_SERVER_URL: remote.url }, remote.close)
    }
  },
  {
    name: 'git refused, then the changed-files API',
    faults: ['hang', 'reset'],
    planning: true,
    says: /GitHub API: comparing b{40}\.\.\.[0-9a-f]{40}/,
    async setup(fault) {
      const api = await broken(fault)
      return pushFromShallowCheckout(await refusedUrl(), { GITHUB_API_URL: api.url }, api.close)
    }
  },
  {
    name: 'the changed-files API without a checkout',
    faults: ['hang', 'reset', 'refuse'],
    planning: true,
    says: /GitHub API: listing the files of pull request #\d+ \(page 1\)/,
    async setup(fault) {
      const api = await broken(fault)
      const record = recorder()
      const payload = webhookExample('pull_request', (p) => p.action === 'opened')
      return {
        options: {
          eventName: 'pull_request',
          payload,
          sha: payload.pull_request.head.sha,
          ref: `refs/pull/${payload.number}/merge`,
          workspace: mkdtempSync(join(tmpdir(), 'pt-deadline-nogit-')),
          inputs: recordInputs,
          env: { ...record.env, GITHUB_API_URL: api.url }
        },
        cleanup: api.close,
        triggered: () => record.read().length
      }
    }
  },
  ...(
    [
      [
        'the ZenML login',
        (m: string, p: string) => m === 'POST' && p.startsWith('/api/v1/login'),
        // A retried connection reads the server's version first: the deadline may pass there.
        /ZenML server: (logging in to|reading http:\/\/127\.0\.0\.1:\d+\/api\/v1\/info)/
      ],
      ['the ZenML start', (m: string, p: string) => m === 'POST' && /\/runs$/.test(p), /running snapshot/],
      ['the ZenML poll', (m: string, p: string) => m === 'GET' && p.startsWith('/api/v1/runs/'), /timed_out/]
    ] as const
  ).map(([name, matches, says]): Stage => ({
    name,
    faults: ['hang', 'reset'],
    planning: false,
    says,
    async setup(fault) {
      const zenml = await startFakeZenml({ mode: '0.98', apiKey: KEY, outcome: 'running' })
      const proxy = await faultProxy(fault as 'hang' | 'reset', matches, zenml.url)
      const payload = webhookExample('workflow_dispatch')
      payload.inputs = { data_url: 's3://bucket/new.csv' }
      return {
        options: {
          eventName: 'workflow_dispatch',
          payload,
          workspace: mkdtempSync(join(tmpdir(), 'pt-deadline-zenml-')),
          sha: 'c'.repeat(40),
          ref: 'refs/heads/main',
          inputs: {
            pipeline: 'training_pipeline',
            'zenml-url': proxy.url,
            'zenml-api-key': KEY,
            wait: 'true',
            timeout: `${TIMEOUT_S}s`
          }
        },
        cleanup: async () => {
          await proxy.close()
          await zenml.close()
        }
      }
    }
  })),
  {
    name: 'a workflow dispatch',
    faults: ['hang', 'reset', 'refuse'],
    planning: false,
    says: /GitHub API: (dispatching evaluate\.yml|reading)|waiting for GitHub to list the run/,
    async setup(fault) {
      const fake = await startFakeActions({
        token: GITHUB_TOKEN,
        server: 'github.com',
        repositories: {
          'ml-org/ml-eval': {
            defaultBranch: 'main',
            workflows: {
              'evaluate.yml': {
                id: 161335,
                text: 'name: evaluate\non:\n  workflow_dispatch:\n    inputs:\n      pipeline-context: {type: string, required: false}\n      pipeline-trigger-id: {type: string, required: false}\njobs:\n  e: {runs-on: ubuntu-latest, steps: [{run: echo}]}\n'
              }
            }
          }
        }
      })
      const proxy =
        fault === 'refuse'
          ? { url: await refusedUrl(), close: async () => {} }
          : await faultProxy(fault, (m, p) => m === 'POST' && p.endsWith('/dispatches'), fake.url)
      const dir = mkdtempSync(join(tmpdir(), 'pt-deadline-workflow-'))
      mkdirSync(join(dir, '.github'))
      writeFileSync(
        join(dir, '.github/pipeline-triggers.yml'),
        `version: 1\ntargets:\n  evaluate: {type: workflow, repo: ml-org/ml-eval, workflow: evaluate.yml, token: 'env:ML_EVAL_TOKEN'}\npipelines:\n  evaluation: {target: evaluate, pipeline: evaluation_pipeline, on: {schedule: [{}]}}\n`
      )
      return {
        options: {
          eventName: 'schedule',
          payload: schedulePayload('0 5 * * *'),
          workspace: dir,
          sha: 'c'.repeat(40),
          ref: 'refs/heads/main',
          inputs: { timeout: `${TIMEOUT_S}s` },
          env: { GITHUB_API_URL: proxy.url, ML_EVAL_TOKEN: GITHUB_TOKEN }
        },
        cleanup: async () => {
          await proxy.close()
          await fake.close()
        },
        triggered: () => fake.runs.length
      }
    }
  }
]

function errorLines(run: ActionRun): string {
  return run.commands.filter((line) => line.startsWith('::error')).join('\n')
}

describe('timeout is one deadline for the whole step (through the bundle)', () => {
  for (const stage of STAGES) {
    for (const fault of stage.faults) {
      test(`${stage.name}: a server that ${fault === 'hang' ? 'never answers' : fault === 'reset' ? 'resets the connection' : 'refuses connections'}`, async () => {
        const { options, cleanup, triggered } = await stage.setup(fault)
        try {
          const started = Date.now()
          const run = await runAction({ ...options, timeoutMs: 60_000 })
          const elapsed = Date.now() - started
          const errors = errorLines(run)
          assert.equal(run.exitCode, 1, run.stdout)
          assert.ok(
            elapsed < TIMEOUT_S * 1000 + SMALL_CONSTANT_MS,
            `ended ${elapsed} ms after it started; timeout is ${TIMEOUT_S}s\n${run.stdout}`
          )
          assert.match(errors, stage.says, run.stdout)
          assert.doesNotMatch(run.stdout, BARE)
          if (stage.planning) {
            assert.match(errors, /Nothing was triggered|127\.0\.0\.1:\d+/, run.stdout)
            assert.equal(triggered?.() ?? 0, 0, 'nothing was triggered')
          }
          // Every error names the host it waited for, or the git command that was running.
          assert.match(errors, /127\.0\.0\.1:\d+|git fetch|timed_out/, run.stdout)
        } finally {
          await cleanup()
        }
      })
    }
  }
})
