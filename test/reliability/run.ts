/**
 * `npm run reliability`: the action as a hostile user and a broken network would try it, in one
 * table. Every failure column must be 0; the process exits 1 otherwise. The seed is printed (set
 * RELIABILITY_SEED to replay a run).
 *
 * 1. Generated configs, inputs and event payloads through the real parsing and planning code:
 *    each must give a plan or a clear error (a UserError naming what to fix, without `undefined`,
 *    `[object Object]` or a stack, and of readable length). Anything else is a crash. Server
 *    replies, each exchange with one reply spoiled, to the zenml, http and workflow targets
 *    (server-replies.ts), to prefect, airflow and dagster from their servers' recorded replies
 *    (orchestrator-replies.ts), and to sagemaker, vertex, databricks and kubeflow from their
 *    validated stand-ins (cloud-replies.ts); a credential in any reply case's message or state,
 *    in any encoding, is counted too.
 * 2. Fault sequences against the bundled action (dist/index.js): for the http target from a
 *    loopback receiver, and for the zenml target from a proxy in front of the ZenML fake: resets, 5xx runs, 429 with Retry-After, slow and truncated answers, status
 *    URLs and redirects to another origin. Counted: runs per logical trigger (the receiver dedupes
 *    by Idempotency-Key, so exactly 1 when the sequence ends in success), steps that outlive their
 *    deadline, credentials seen by another origin, and the key in anything the action wrote.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { stringify } from 'yaml'
import { parseConfig } from '../../src/config/parse-config.js'
import { UserError } from '../../src/errors.js'
import { normalizeEvent } from '../../src/event/normalize-event.js'
import { parseMappingInput } from '../../src/config/mapping-input.js'
import { planTriggers } from '../../src/plan/plan.js'
import { contextFor } from '../helpers/events.js'
import { startFakeZenml } from '../helpers/fake-zenml.js'
import { listen } from '../helpers/loopback-server.js'
import { runAction } from '../helpers/run-action.js'
import { fuzzCloudReplies } from './cloud-replies.js'
import { fuzzOrchestratorReplies } from './orchestrator-replies.js'
import { fuzzServerReplies } from './server-replies.js'

const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31)
const KEY = 'reliability-key-0123456789abcdef'

interface Tally {
  cases: number
  crashes: string[]
  unclear: string[]
  /** Cases whose message, state or reading holds a credential, in any of its forms. */
  leaks: string[]
}

/** A plan, or a clear error; anything else is recorded. */
function judge(tally: Tally, what: string, body: () => unknown): void {
  tally.cases++
  try {
    body()
  } catch (error) {
    record(tally, what, error)
  }
}

/** The same for a call that may end in a state; `secrets` (each in every form) may be in neither. */
async function judgeAsync(
  tally: Tally,
  what: string,
  body: () => Promise<unknown>,
  secrets: string[] = []
): Promise<void> {
  tally.cases++
  let said: string
  try {
    said = JSON.stringify((await body()) ?? null)
  } catch (error) {
    record(tally, what, error)
    said = error instanceof Error ? error.message : String(error)
  }
  if (secrets.some((secret) => said.includes(secret)))
    tally.leaks.push(`${what}: a credential in ${said.slice(0, 200)}`)
}

function record(tally: Tally, what: string, error: unknown): void {
  if (!(error instanceof UserError)) {
    tally.crashes.push(`${what}: ${(error as Error)?.stack?.split('\n').slice(0, 2).join(' ') ?? String(error)}`)
    return
  }
  const message = error.message
  if (/\bundefined\b|\[object Object\]|\n\s+at /.test(message) || message.length > 4000)
    tally.unclear.push(`${what}: ${message.replace(/\s+/g, ' ').slice(0, 400)}`)
}

// 1. Generated input to the parsing and planning code.
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '${{ github.token }}',
    '$(touch x)',
    '`id`',
    '{sha}',
    '{{',
    '{path}',
    '- a\n- b',
    'a: [1',
    '*alias',
    '&a x',
    '!!python/object:os.system',
    'constructor',
    '__proto__',
    'toString',
    '',
    ' ',
    '\u0000',
    'x'.repeat(5000)
  )
)
const jsonish: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(hostileText, tie('value'), { maxKeys: 3 })
  )
})).value

const BASE = {
  version: 1,
  targets: {
    run: { type: 'command', run: ['python', 'run.py'] },
    api: { type: 'http', url: 'https://api.example.com/trigger' },
    wf: { type: 'workflow', workflow: 'evaluate.yml' }
  },
  pipelines: {
    training: {
      target: 'run',
      parameters: { model_type: 'random_forest', data_url: 's3://b/{sha}.csv' },
      on: {
        schedule: [{ cron: '0 5 * * *', parameters: { data_url: 's3://b/daily.csv' } }],
        workflow_dispatch: { inputs: { data_url: 'data_url', epochs: { type: 'number' } } },
        push: {
          branches: ['main'],
          paths: [{ glob: 'data/{dataset}/**', each: 'file', 'path-parameter': 'data_url' }]
        },
        workflow_run: { workflows: ['train'], parameters: { run: '{upstream.run_id}' } }
      }
    },
    evaluation: { target: 'api', on: { repository_dispatch: { types: ['evaluate'], inputs: 'all' } } }
  }
}

/** A valid config with one part replaced by anything: near-valid configs find the edges. */
const nearValidConfig = fc
  .tuple(
    fc.array(
      fc.constantFrom(
        'targets',
        'pipelines',
        'run',
        'api',
        'wf',
        'training',
        'evaluation',
        'on',
        'schedule',
        0,
        'push',
        'paths',
        'glob',
        'parameters',
        'inputs',
        'url',
        'type',
        'workflow_run',
        'cron'
      ),
      { minLength: 1, maxLength: 5 }
    ),
    jsonish
  )
  .map(([path, value]) => {
    const config = structuredClone(BASE) as Record<string, unknown>
    let node: Record<string | number, unknown> = config
    for (const key of path.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') break
      node = node[key] as Record<string | number, unknown>
    }
    node[path.at(-1)!] = value
    return config
  })

const events = [
  'push',
  'pull_request',
  'merge_group',
  'schedule',
  'workflow_dispatch',
  'repository_dispatch',
  'workflow_run',
  'workflow_call'
] as const
const validConfig = parseConfig(stringify(BASE), 'base.yml')

const configs: Tally = { cases: 0, crashes: [], unclear: [], leaks: [] }
const inputs: Tally = { cases: 0, crashes: [], unclear: [], leaks: [] }
const payloads: Tally = { cases: 0, crashes: [], unclear: [], leaks: [] }
const replies: Tally = { cases: 0, crashes: [], unclear: [], leaks: [] }

for (const [i, config] of fc.sample(nearValidConfig, { numRuns: 1500, seed }).entries()) {
  judge(configs, `config #${i}`, () => {
    const text = stringify(config)
    const parsed = parseConfig(text, 'fuzz.yml')
    planTriggers(
      normalizeEvent(contextFor('schedule', { schedule: '0 5 * * *', repository: { full_name: 'o/r' } })),
      undefined,
      parsed,
      { maxRuns: 1000 }
    )
  })
}
for (const [i, text] of fc
  .sample(
    fc.oneof(
      hostileText,
      jsonish.map((v) => stringify(v))
    ),
    { numRuns: 1500, seed: seed + 1 }
  )
  .entries()) {
  judge(inputs, `parameters input #${i}`, () => parseMappingInput('parameters', String(text)))
}
for (const [i, [name, payload]] of fc
  .sample(
    fc.tuple(
      fc.constantFrom(...events),
      fc.dictionary(
        fc.constantFrom(
          'ref',
          'before',
          'after',
          'inputs',
          'client_payload',
          'schedule',
          'workflow_run',
          'pull_request',
          'merge_group',
          'action',
          'repository',
          'pipeline-context'
        ),
        jsonish,
        { maxKeys: 6 }
      )
    ),
    { numRuns: 1500, seed: seed + 2 }
  )
  .entries()) {
  judge(payloads, `${name} payload #${i}`, () =>
    planTriggers(
      normalizeEvent(
        contextFor(name, payload as Record<string, unknown>, {
          sha: 'c'.repeat(40),
          ref: 'refs/heads/main',
          repository: 'o/r'
        })
      ),
      { files: [], complete: true, base: 'b'.repeat(40), head: 'c'.repeat(40), description: 'fuzz' },
      validConfig,
      { maxRuns: 1000 }
    )
  )
}

// Server replies: malformed, truncated, huge or of the wrong shape, to the zenml, http and workflow
// targets, then to prefect, airflow and dagster from the replies recorded from their real servers,
// then to sagemaker, vertex, databricks and kubeflow from their validated stand-ins.
await fuzzServerReplies(seed, 1500, KEY, jsonish, (what, body, secrets) => judgeAsync(replies, what, body, secrets))
await fuzzOrchestratorReplies(seed, 400, jsonish, (what, body, secrets) => judgeAsync(replies, what, body, secrets))
await fuzzCloudReplies(seed, 250, jsonish, (what, body, secrets) => judgeAsync(replies, what, body, secrets))

// 2. Fault sequences through the bundle.
type Step = 'ok' | 'accept' | 'reset' | '500' | '503' | '429' | 'slow' | 'truncated' | 'redirect-away' | 'status-away'
interface Sequence {
  name: string
  steps: Step[]
  /** Runs the receiver should end with for this trigger. */
  runs: number
  timeout: string
}
const sequences: Sequence[] = [
  { name: 'ok', steps: ['ok'], runs: 1, timeout: '20s' },
  { name: 'reset, then ok', steps: ['reset', 'ok'], runs: 1, timeout: '20s' },
  { name: '503, 503, then ok', steps: ['503', '503', 'ok'], runs: 1, timeout: '20s' },
  { name: '429 Retry-After 1, then ok', steps: ['429', 'ok'], runs: 1, timeout: '20s' },
  { name: 'truncated answer, then ok', steps: ['truncated', 'ok'], runs: 1, timeout: '20s' },
  { name: '500 every time', steps: ['500', '500', '500', '500', '500', '500'], runs: 0, timeout: '20s' },
  { name: 'never answers (timeout 3s)', steps: ['slow'], runs: 1, timeout: '3s' },
  { name: 'redirect to another origin', steps: ['redirect-away'], runs: 0, timeout: '20s' },
  { name: '202 with a status URL on another origin', steps: ['status-away'], runs: 1, timeout: '20s' },
  { name: '202, followed to completed', steps: ['accept'], runs: 1, timeout: '20s' }
]

const faults = {
  sequences: 0,
  duplicates: [] as string[],
  overDeadline: [] as string[],
  offOrigin: [] as string[],
  leaks: [] as string[],
  wrongOutcome: [] as string[]
}
const leaked = (text: string) =>
  [KEY, Buffer.from(KEY).toString('base64'), Buffer.from(KEY).toString('hex')].some((form) => text.includes(form))

/** The bundle on a schedule event, with a one-pipeline config on `target`, as the runner runs it. */
async function runScheduled(target: string, pipelineKeys: string, timeout: string) {
  const workspace = mkdtempSync(join(tmpdir(), 'pt-reliability-'))
  mkdirSync(join(workspace, '.github'))
  writeFileSync(
    join(workspace, '.github/pipeline-triggers.yml'),
    `version: 1\ntargets:\n  t: ${target}\npipelines:\n  p: {target: t, ${pipelineKeys}on: {schedule: [{cron: '0 5 * * *'}]}}\n`
  )
  const started = Date.now()
  const result = await runAction({
    eventName: 'schedule',
    payload: { schedule: '0 5 * * *', repository: { full_name: 'o/r' } },
    workspace,
    sha: 'c'.repeat(40),
    ref: 'refs/heads/main',
    env: { KEY },
    inputs: { timeout },
    timeoutMs: 120_000
  })
  return { result, elapsed: Date.now() - started }
}

for (const sequence of sequences) {
  faults.sequences++
  const away = await listen((req, res) => {
    if (req.headers['x-api-key']) faults.offOrigin.push(`${sequence.name}: ${req.method} ${req.url} carried the key`)
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"completed"}')
  })
  const runsByKey = new Map<string, number>()
  let calls = 0
  const receiver = await listen((req, res) => {
    if (req.method === 'GET')
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"completed"}')
    const step = sequence.steps[Math.min(calls++, sequence.steps.length - 1)]!
    const key = String(req.headers['idempotency-key'])
    const record = () => runsByKey.set(key, 1) // a receiver that dedupes: one run per key
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(value))
    switch (step) {
      case 'ok':
        record()
        return json(200, { run_id: 'r1' })
      case 'accept':
        record()
        return json(202, { run_id: 'r1' }, { location: '/status/r1' })
      case 'reset':
        record()
        return req.socket.destroy()
      case '500':
        return json(500, { detail: 'boom' })
      case '503':
        record()
        return json(503, { detail: 'busy' })
      case '429':
        return json(429, { detail: 'slow down' }, { 'retry-after': '1' })
      case 'slow':
        record()
        return // never answers
      case 'truncated':
        record()
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' })
        res.write('{"run_id": "r')
        return res.socket?.destroy()
      case 'redirect-away':
        return res.writeHead(307, { location: `${away.url}/trigger` }).end()
      case 'status-away':
        record()
        return json(202, { run_id: 'r1' }, { location: `${away.url}/status/r1` })
    }
  })
  const { result, elapsed } = await runScheduled(
    `{type: http, url: '${receiver.url}/trigger', api-key: 'env:KEY'}`,
    '',
    sequence.timeout
  )
  receiver.close()
  away.close()
  const runs = [...runsByKey.values()].reduce((a, b) => a + b, 0)
  if (runs > 1) faults.duplicates.push(`${sequence.name}: ${runs} runs`)
  if (runs !== sequence.runs) faults.wrongOutcome.push(`${sequence.name}: ${runs} runs, expected ${sequence.runs}`)
  const limit = (sequence.timeout.endsWith('s') ? Number(sequence.timeout.slice(0, -1)) : 60) * 1000
  if (elapsed > limit + 5000)
    faults.overDeadline.push(`${sequence.name}: ${elapsed} ms with timeout ${sequence.timeout}`)
  if (
    leaked(
      `${result.stdout.replace(/::add-mask::.*/g, '')}${result.stderr}${result.summary}${JSON.stringify(result.outputs)}`
    )
  )
    faults.leaks.push(sequence.name)
}

// The same for the zenml target: faults injected by a loopback proxy in front of the ZenML fake
// (test/helpers/fake-zenml.ts: ZenML Pro's run endpoint cannot run here), on the run request.
// ZenML does not dedupe a start, so the action must look the run up by name before any retry.
type ZenmlFault = 'ok' | 'lost-after-create' | '503-before' | '429-before' | '502-after-create' | 'garbled-after-create'
const zenmlSequences: { name: string; faults: ZenmlFault[] }[] = [
  { name: 'zenml: ok', faults: ['ok'] },
  { name: 'zenml: answer lost after the run was made', faults: ['lost-after-create', 'ok'] },
  { name: 'zenml: 503 before, then ok', faults: ['503-before', 'ok'] },
  { name: 'zenml: 429 Retry-After 1, then ok', faults: ['429-before', 'ok'] },
  { name: 'zenml: 502 after the run was made', faults: ['502-after-create', 'ok'] },
  { name: 'zenml: a cut-off 200 after the run was made', faults: ['garbled-after-create', 'ok'] }
]
for (const sequence of zenmlSequences) {
  faults.sequences++
  const fake = await startFakeZenml({ mode: '0.98', apiKey: KEY })
  let starts = 0
  const proxy = await listen((req, res, body) => {
    const isStart = req.method === 'POST' && /\/pipeline_snapshots\/[^/]+\/runs$/.test(req.url ?? '')
    const fault = isStart ? sequence.faults[Math.min(starts++, sequence.faults.length - 1)]! : 'ok'
    if (fault === '503-before')
      return res.writeHead(503, { 'content-type': 'application/json' }).end('{"detail":"busy"}')
    if (fault === '429-before')
      return res
        .writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' })
        .end('{"detail":"slow down"}')
    void fetch(`${fake.url}${req.url}`, {
      method: req.method,
      headers: req.headers as Record<string, string>,
      body: body || undefined
    }).then(async (answer) => {
      const text = await answer.text()
      if (fault === 'lost-after-create') return req.socket.destroy()
      if (fault === '502-after-create') return res.writeHead(502).end('Bad Gateway')
      if (fault === 'garbled-after-create')
        return res.writeHead(200, { 'content-type': 'application/json' }).end(text.slice(0, 20))
      res
        .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
        .end(text)
    })
  })
  const { result, elapsed } = await runScheduled(
    `{type: zenml, url: '${proxy.url}', api-key: 'env:KEY'}`,
    'pipeline: training_pipeline, ',
    '60s'
  )
  proxy.close()
  // Runs the fake made: each start that reached it and was not refused as a duplicate name.
  // Start requests that reached the server, and the runs they made (ZenML refuses a second run of one name).
  const reached = fake.requests.filter((r) => r.method === 'POST' && /\/pipeline_snapshots\/[^/]+\/runs$/.test(r.path))
  const made = reached.length
  const runs = new Set(
    reached.map((r) => (r.body as { run_configuration?: { run_name?: string } }).run_configuration?.run_name)
  ).size
  await fake.close()
  if (made > runs)
    faults.duplicates.push(`${sequence.name}: ${made} start requests reached the server for ${runs} run(s)`)
  if (runs !== 1 || result.outputs.status !== 'completed')
    faults.wrongOutcome.push(
      `${sequence.name}: ${runs} runs, status ${result.outputs.status}: ${result.stdout
        .split('\n')
        .filter((l) => l.startsWith('::error'))
        .join(' ')}`
    )
  if (elapsed > 65_000) faults.overDeadline.push(`${sequence.name}: ${elapsed} ms with timeout 60s`)
  if (
    leaked(
      `${result.stdout.replace(/::add-mask::.*/g, '')}${result.stderr}${result.summary}${JSON.stringify(result.outputs)}`
    )
  )
    faults.leaks.push(sequence.name)
}

const rows: [string, number | string][] = [
  ['seed', seed],
  ['configs fuzzed', configs.cases],
  ['inputs fuzzed', inputs.cases],
  ['event payloads fuzzed', payloads.cases],
  [
    'server replies fuzzed (zenml, http, workflow, prefect, airflow, dagster, sagemaker, vertex, databricks, kubeflow)',
    replies.cases
  ],
  [
    'crashes (not a clear error)',
    configs.crashes.length + inputs.crashes.length + payloads.crashes.length + replies.crashes.length
  ],
  ['unclear errors', configs.unclear.length + inputs.unclear.length + payloads.unclear.length + replies.unclear.length],
  ["credentials in a reply case's message or state", replies.leaks.length],
  ['fault sequences (through the bundle)', faults.sequences],
  ['duplicate runs', faults.duplicates.length],
  ['wrong run counts', faults.wrongOutcome.length],
  ['steps over their deadline', faults.overDeadline.length],
  ['credentials sent off origin', faults.offOrigin.length],
  ['secret leaks (any encoding)', faults.leaks.length]
]
console.log('| reliability | count |\n|---|---|')
for (const [name, value] of rows) console.log(`| ${name} | ${value} |`)
const problems = [
  ...configs.crashes,
  ...inputs.crashes,
  ...payloads.crashes,
  ...replies.crashes,
  ...configs.unclear,
  ...inputs.unclear,
  ...payloads.unclear,
  ...replies.unclear,
  ...replies.leaks,
  ...faults.duplicates,
  ...faults.wrongOutcome,
  ...faults.overDeadline,
  ...faults.offOrigin,
  ...faults.leaks
]
for (const problem of problems.slice(0, 20)) console.log(`- ${problem}`)
if (problems.length > 0) {
  console.log(`${problems.length} problem(s); replay with RELIABILITY_SEED=${seed}`)
  process.exitCode = 1
}
