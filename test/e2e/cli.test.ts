/** The CLI bundle (dist/cli/index.js) plans an event from a file, triggers nothing. */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT } from '../helpers/run-action.js'
import { schedulePayload } from '../helpers/events.js'
import { GitFixture } from '../helpers/git-fixture.js'
import { pushPayload } from '../helpers/scenario.js'

const CLI = join(ROOT, 'dist/cli/index.js')

/** Runs the CLI bundle as a user would, with only PATH (and HOME, when given) from this process. */
function cli(args: string[], options: { cwd?: string; home?: string } = {}) {
  const env = { PATH: process.env.PATH, ...(options.home ? { HOME: options.home } : {}) }
  return spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, encoding: 'utf8', env })
}

/** The CLI's stdout, after asserting that it succeeded. */
function cliOutput(args: string[], options: { cwd?: string; home?: string } = {}): string {
  const run = cli(args, options)
  assert.equal(run.status, 0, run.stderr)
  return run.stdout
}

/** `--input NAME=VALUE` pairs from a mapping of action inputs. */
const inputs = (values: Record<string, string>): string[] =>
  Object.entries(values).flatMap(([name, value]) => ['--input', `${name}=${value}`])

test('plan prints the requests for a schedule event and the given config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(schedulePayload('0 6 * * 1')))
  const out = cliOutput(
    ['plan', '--event', join(dir, 'event.json'), '--config', join(ROOT, 'test/fixtures/configs/pipeline-triggers.yml')],
    { cwd: dir }
  )
  const plan = JSON.parse(out) as { event: string; requests: { parameters: object }[] }
  assert.equal(plan.event, 'schedule')
  assert.deepEqual(plan.requests[0]!.parameters, {
    model_type: 'gradient_boosting',
    data_url: 's3://bucket/weekly.csv'
  })
})

test('plan with --changed-files and inline inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(
    join(dir, 'event.json'),
    JSON.stringify({
      ref: 'refs/heads/main',
      before: 'a'.repeat(40),
      after: 'b'.repeat(40),
      repository: { full_name: 'o/r' }
    })
  )
  writeFileSync(
    join(dir, 'files.json'),
    JSON.stringify(['data/x.csv', { path: 'data/y.csv', status: 'deleted' }, 'src/z.py'])
  )
  const out = cliOutput(
    [
      'plan',
      '--event',
      join(dir, 'event.json'),
      '--changed-files',
      join(dir, 'files.json'),
      ...inputs({
        token: 'ghp_SECRET123',
        pipeline: 'p',
        command: 'python\nrun.py',
        paths: 'data/**',
        'path-parameter': 'data_url'
      })
    ],
    { cwd: dir }
  )
  const plan = JSON.parse(out) as { event: string; requests: { parameters: { data_url: string } }[] }
  assert.equal(plan.event, 'push')
  assert.doesNotMatch(out, /add-mask/, 'no runner commands, so no secret is printed')
  assert.deepEqual(
    plan.requests.map((r) => r.parameters.data_url),
    ['data/x.csv']
  )
})

test('a config error exits 1 with the message; a bad call prints usage and exits 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(schedulePayload('x')))
  writeFileSync(join(dir, 'bad.yml'), 'version: 2\ntargets: {}\npipelines: {}\n')
  const bad = cli(['plan', '--event', join(dir, 'event.json'), '--config', join(dir, 'bad.yml')])
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /bad\.yml:1:10: version: Invalid input: expected 1/)
  const usage = cli(['nope'])
  assert.equal(usage.status, 2)
  assert.match(usage.stderr, /usage: pipeline-trigger plan/)
})

test('--help (and no arguments) prints the whole help on stdout with exit 0; --version the version', () => {
  for (const args of [['--help'], ['-h'], []]) {
    const help = cli(args)
    assert.equal(help.status, 0, args.join(' '))
    assert.equal(help.stderr, '')
    assert.match(help.stdout, /^pipeline-trigger \d+\.\d+\.\d+: what the action would trigger/)
    assert.match(
      help.stdout,
      /--changed-files FILE {2}The changed files, instead of asking git: a JSON array of paths, or of\n\s+\{"path": "\.\.\.", "status": "added\|modified/
    )
    assert.match(help.stdout, /Examples:\n {2}pipeline-trigger plan --event push\.json/)
  }
  const version = cli(['--version'])
  assert.equal(version.status, 0)
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version)
  const missing = cli(['plan'])
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /^plan needs --event FILE\.\nusage: pipeline-trigger plan/)
  assert.match(missing.stderr, /Run pipeline-trigger --help for the options and examples\./)
})

test('a parameters input that is not a mapping is refused, even one that reads "all" (only dispatch-inputs takes all)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(schedulePayload('0 5 * * *')))
  const run = cli([
    'plan',
    '--event',
    join(dir, 'event.json'),
    '--workspace',
    dir,
    ...inputs({ pipeline: 'p', command: 'true', parameters: 'all' })
  ])
  assert.equal(run.status, 1, run.stdout)
  assert.match(run.stderr, /Input parameters must be a mapping such as "model_type: random_forest", got "all"\./)
})

test('explain: each file a real push changed, against each rule, matched or why not; inline names the input and the target by its type', () => {
  const git = new GitFixture()
  try {
    const base = git.commit({
      '.github/pipeline-triggers.yml': readFileSync(join(ROOT, 'examples/pipeline-triggers.yml'), 'utf8'),
      'data/iris/old.csv': '1'
    })
    git.push('refs/heads/main')
    const tip = git.commit(
      { 'data/iris/2026-11.csv': 'new', 'data/iris/README.md': 'x', 'data/iris/old.csv': null, 'src/train.py': 'x' },
      'data'
    )
    git.push('refs/heads/main')
    const workspace = git.workspace('refs/heads/main')
    const event = join(workspace, '..', 'push.json')
    writeFileSync(event, JSON.stringify(pushPayload({ ref: 'refs/heads/main', before: base, after: tip })))

    // --config is read from the workspace, as the action reads it (this process runs elsewhere).
    const out = cliOutput(
      ['explain', '--event', event, '--workspace', workspace, '--config', '.github/pipeline-triggers.yml'],
      { home: workspace }
    )
    assert.match(out, /^4 changed file\(s\) \(.*\), 1 changed-file rule\(s\) for this event\./)
    assert.match(
      out,
      /data\/iris\/2026-11\.csv {2}\(added\)\n {2}RUN 0 {2}training {2}pipelines\.training\.on\.push\.paths\[0\]: matches "data\/\{dataset\}\/\*\*\/\*\.csv" \(dataset=iris\)/
    )
    assert.match(
      out,
      /data\/iris\/old\.csv {2}\(deleted\)\n {2}no {5}training .*but it was deleted and the rule takes added/
    )
    assert.match(
      out,
      /src\/train\.py {2}\(added\)\n {2}no {5}training .*matches none of "data\/\{dataset\}\/\*\*\/\*\.csv"/
    )
    assert.match(out, /1 run\(s\) would be triggered:\n {2}run 0: training \(push to main/)

    // Inline: the rule is the paths input, and the target goes by its type, never an internal name.
    const inline = inputs({ pipeline: 'train', command: 'python\nrun.py', paths: 'data/**/*.csv' })
    const explainedInline = cli(
      ['explain', '--event', event, '--workspace', workspace, '--config', join(workspace, 'none.yml'), ...inline],
      { home: workspace }
    )
    assert.equal(explainedInline.status, 1)
    assert.equal(explainedInline.stderr, `pipeline-trigger: --config ${join(workspace, 'none.yml')}: no such file.\n`)
    const inlineWorkspace = git.workspace('refs/heads/main', 'inline-ws')
    rmSync(join(inlineWorkspace, '.github'), { recursive: true })
    const args = ['--event', event, '--workspace', inlineWorkspace, ...inline]
    const text = cliOutput(['explain', ...args], { home: workspace })
    assert.match(text, /RUN 0 {2}train {2}input paths: matches "data\/\*\*\/\*\.csv"/)
    assert.doesNotMatch(text, /pipelines\.train/)
    const plan = JSON.parse(cliOutput(['plan', ...args], { home: workspace })) as {
      requests: { target: string; reason: string }[]
    }
    assert.deepEqual(
      plan.requests.map((r) => [r.target, r.reason]),
      [['command', 'push to main: "data/iris/2026-11.csv" matched input paths']]
    )
  } finally {
    git.remove()
  }
})

test('explain outside a clone says what to do in a terminal, not in a workflow', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(
    join(dir, 'push.json'),
    JSON.stringify(pushPayload({ ref: 'refs/heads/main', before: 'a'.repeat(40), after: 'b'.repeat(40) }))
  )
  const run = cli(
    [
      'explain',
      '--event',
      join(dir, 'push.json'),
      '--workspace',
      dir,
      ...inputs({ pipeline: 'p', command: 'true', paths: 'data/**' })
    ],
    { home: dir }
  )
  assert.equal(run.status, 1)
  assert.match(
    run.stderr,
    /^pipeline-trigger: The workspace is not a git repository \(.*\)\. From a terminal: run inside a clone that has the event's commits \(or pass --workspace DIR\), or list the files with --changed-files FILE\.\n$/
  )
  assert.doesNotMatch(run.stderr, /actions\/checkout/)
  writeFileSync(join(dir, 'broken.json'), '{"ref": ')
  const broken = cli(['explain', '--event', join(dir, 'broken.json')])
  assert.equal(broken.status, 1)
  assert.match(broken.stderr, /^pipeline-trigger: --event .*broken\.json is not JSON: /)
})

test('report: a saved runs output renders as the pull-request report; a file that is not one is refused, naming the entry and field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-report-'))
  const runs = join(dir, 'runs.json')
  writeFileSync(
    runs,
    JSON.stringify([
      {
        pipeline: 'training_pipeline',
        target: 'zenml',
        'run-id': 'run-2',
        'run-url': 'https://zenml.example.com/runs/2',
        status: 'completed',
        parameters: {},
        metrics: { accuracy: 0.85 },
        verdict: 'failure',
        'verdict-reason': 'accuracy >= baseline - 0.01 failed: 0.85 < 0.89 (baseline 0.9)',
        gates: [
          {
            gate: 'accuracy >= baseline - 0.01',
            metric: 'accuracy',
            outcome: 'fail',
            value: 0.85,
            threshold: 0.89,
            baseline: 0.9
          }
        ],
        baseline: { sha: 'a'.repeat(40), metrics: { accuracy: 0.9 } },
        history: [{ sha: 'a'.repeat(40), metrics: { accuracy: 0.9 } }]
      }
    ])
  )
  const printed = cli(['report', '--runs', runs])
  assert.equal(printed.status, 0, printed.stderr)
  assert.match(printed.stdout, /❌ failure/)
  assert.match(printed.stdout, /accuracy 0\.85 \(-0\.05\)/)
  assert.match(printed.stdout, /xychart-beta[\s\S]*line \[0\.9, 0\.85\]/)

  writeFileSync(runs, JSON.stringify([{ pipeline: 'p', status: 'exploded' }]))
  const refused = cli(['report', '--runs', runs])
  assert.equal(refused.status, 1)
  assert.match(refused.stderr, /--runs .*runs\.json: at 0\.status: .*Expected the action's runs output/)
  assert.equal(cli(['report']).status, 2)
  rmSync(dir, { recursive: true, force: true })
})
