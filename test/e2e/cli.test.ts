/** The CLI bundle (dist/cli/index.js) plans an event from a file, triggers nothing. */
import assert from 'node:assert/strict'
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { ROOT } from '../helpers/run-action.js'
import { schedulePayload } from '../helpers/events.js'

const CLI = join(ROOT, 'dist/cli/index.js')

test('plan prints the requests for a schedule event and the given config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(schedulePayload('0 6 * * 1')))
  const out = execFileSync(
    process.execPath,
    [
      CLI,
      'plan',
      '--event',
      join(dir, 'event.json'),
      '--config',
      join(ROOT, 'test/fixtures/configs/pipeline-triggers.yml')
    ],
    { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } }
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
  const out = execFileSync(
    process.execPath,
    [
      CLI,
      'plan',
      '--event',
      join(dir, 'event.json'),
      '--changed-files',
      join(dir, 'files.json'),
      '--input',
      'token=ghp_SECRET123',
      '--input',
      'pipeline=p',
      '--input',
      'command=python\nrun.py',
      '--input',
      'paths=data/**',
      '--input',
      'path-parameter=data_url'
    ],
    { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH } }
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
  const bad = spawnSync(
    process.execPath,
    [CLI, 'plan', '--event', join(dir, 'event.json'), '--config', join(dir, 'bad.yml')],
    { encoding: 'utf8' }
  )
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /bad\.yml:1:10: version: Invalid input: expected 1/)
  const usage = spawnSync(process.execPath, [CLI, 'nope'], { encoding: 'utf8' })
  assert.equal(usage.status, 2)
  assert.match(usage.stderr, /usage: pipeline-trigger plan/)
})

test('--help (and no arguments) prints the whole help on stdout with exit 0; --version the version', () => {
  for (const args of [['--help'], ['-h'], []]) {
    const help = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' })
    assert.equal(help.status, 0, args.join(' '))
    assert.equal(help.stderr, '')
    assert.match(help.stdout, /^pipeline-trigger \d+\.\d+\.\d+: what the action would trigger/)
    assert.match(
      help.stdout,
      /--changed-files FILE {2}The changed files, instead of asking git: a JSON array of paths, or of\n\s+\{"path": "\.\.\.", "status": "added\|modified/
    )
    assert.match(help.stdout, /Examples:\n {2}pipeline-trigger plan --event push\.json/)
  }
  const version = spawnSync(process.execPath, [CLI, '--version'], { encoding: 'utf8' })
  assert.equal(version.status, 0)
  assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version)
  const missing = spawnSync(process.execPath, [CLI, 'plan'], { encoding: 'utf8' })
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /^plan needs --event FILE\.\nusage: pipeline-trigger plan/)
  assert.match(missing.stderr, /Run pipeline-trigger --help for the options and examples\./)
})

test('a parameters input that is not a mapping is refused, even one that reads "all" (only dispatch-inputs takes all)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pt-cli-'))
  writeFileSync(join(dir, 'event.json'), JSON.stringify(schedulePayload('0 5 * * *')))
  const run = spawnSync(
    process.execPath,
    [
      CLI,
      'plan',
      '--event',
      join(dir, 'event.json'),
      '--workspace',
      dir,
      '--input',
      'pipeline=p',
      '--input',
      'command=true',
      '--input',
      'parameters=all'
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH } }
  )
  assert.equal(run.status, 1, run.stdout)
  assert.match(run.stderr, /Input parameters must be a mapping such as "model_type: random_forest", got "all"\./)
})
