/**
 * Each target type reads its own action inputs (src/targets/<type>/inputs.ts) through the one
 * reader of src/inputs/settings.ts, and its inline mode turns them into the step's one target.
 * The inputs are set as the runner sets them (INPUT_*), then read by readSettings.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { describe, test } from 'node:test'
import { inlineFollowUpTarget } from '../../src/config/inline-config.js'
import { loadConfig } from '../../src/config/load-config.js'
import { readSettings, type Settings } from '../../src/inputs/settings.js'
import { resolveTargets } from '../../src/targets/connect-targets.js'
import { INLINE_TYPES, TARGET_TYPES, inlineOf } from '../../src/targets/target-types.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { withInputs } from '../helpers/with-inputs.js'

const EMPTY_WORKSPACE = join(ROOT, 'test', 'fixtures', 'no-such-workspace')

const settingsOf = (inputs: Record<string, string>, mask = false): Promise<Settings> =>
  withInputs(inputs, () => readSettings(mask))

async function inlineTarget(inputs: Record<string, string>) {
  const settings = await settingsOf({ pipeline: 'training_pipeline', ...inputs })
  const { config } = await loadConfig(settings, EMPTY_WORKSPACE)
  return { settings, targets: config.targets }
}

async function refusal(inputs: Record<string, string>): Promise<string> {
  const error = await rejection(inlineTarget(inputs))
  return error.message
}

describe('target inputs', () => {
  test('each type reads its declared inputs, with action.yml defaults where empty', async () => {
    const settings = await settingsOf({
      'zenml-url': 'https://zenml.example.com',
      'zenml-api-key': 'ZENKEY_a',
      tags: 'team:ml\n  \nnightly ',
      'http-body': 'pipeline: "{pipeline}"',
      'http-preset': 'zenml-deployment'
    })
    assert.deepEqual(Object.keys(settings.targets), TARGET_TYPES)
    assert.equal(settings.targets.zenml.project, 'default')
    assert.deepEqual(settings.targets.zenml.tags, ['team:ml', 'nightly'])
    assert.equal(settings.targets.zenml.cancelOnTimeout, false)
    assert.equal(settings.targets.zenml.enableCache, undefined)
    assert.equal(settings.targets.command.zenmlUrl, 'https://zenml.example.com')
    assert.equal(settings.targets.http.apiKeyHeader, 'X-API-Key')
    assert.equal(settings.targets.http.statusUrlField, 'status_url')
    assert.deepEqual(settings.targets.http.body, { pipeline: '{pipeline}' })
    assert.equal(settings.targets.http.preset, 'zenml-deployment')
  })

  test('every declared secret is masked once when the step starts, used or not', async () => {
    const written: string[] = []
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string) => written.push(String(chunk)) > 0) as typeof process.stdout.write
    try {
      await settingsOf(
        { token: 'ghs_tok', 'api-key': 'http-key-1', 'signing-secret': 'sign-2', command: 'python\nrun.py' },
        true
      )
    } finally {
      process.stdout.write = write
    }
    assert.deepEqual(
      written.filter((line) => line.startsWith('::add-mask::')).map((line) => line.trim()),
      // The token is the step's and the workflow type's secret: masked once.
      ['::add-mask::ghs_tok', '::add-mask::http-key-1', '::add-mask::sign-2']
    )
  })

  test('a wrong value names the input and the fix, as the reader says it for every type', async () => {
    assert.match(
      (await rejection(settingsOf({ 'http-preset': 'lambda' }))).message,
      /^Input http-preset: "lambda" is not supported\. Use one of: zenml-deployment\.$/
    )
    assert.match(
      (await rejection(settingsOf({ 'zenml-url': 'https://zenml.example.com' }))).message,
      /^Inputs zenml-url and zenml-api-key go together: zenml-api-key is empty; pass the service-account key from a secret\.$/
    )
    // A dry run connects to nothing: the plan job of a fan-out goes without the secret.
    await settingsOf({ 'zenml-url': 'https://zenml.example.com', 'dry-run': 'true' })
    // dry-run: check asks the targets, so it needs what a run needs.
    assert.match(
      (await rejection(settingsOf({ 'zenml-url': 'https://zenml.example.com', 'dry-run': 'check' }))).message,
      /^Inputs zenml-url and zenml-api-key go together/
    )
    const check = await settingsOf({ 'dry-run': 'check' })
    assert.deepEqual([check.dryRun, check.checkTargets], [true, true])
    const plain = await settingsOf({ 'dry-run': 'True' })
    assert.deepEqual([plain.dryRun, plain.checkTargets], [true, false])
    assert.equal(
      (await rejection(settingsOf({ 'dry-run': 'yes' }))).message,
      'Input dry-run: "yes" is not supported. Use false, true (plan only) or check (plan, and ask each target).'
    )
    // The target input takes the types with an inline mode, in the registry's order; another type only with target-config.
    assert.deepEqual(INLINE_TYPES.slice(0, 3), ['command', 'http', 'zenml'])
    assert.equal(
      (await rejection(settingsOf({ target: 'workflow' }))).message,
      `Input target: "workflow" has no inputs of its own. Describe it with the target-config input, a mapping of its config-file keys (docs/config-reference.md), or use one of: ${INLINE_TYPES.join(', ')}.`
    )
    assert.equal(
      (await rejection(settingsOf({ target: 'nope' }))).message,
      `Input target: "nope" is not supported. Use one of: ${INLINE_TYPES.join(', ')}.`
    )
  })
})

describe('inline mode from the registry', () => {
  test('the target input names the type; without it the first type whose inputs name it wins', async () => {
    const zenml = { 'zenml-url': 'https://zenml.example.com', 'zenml-api-key': 'ZENKEY_a' }
    assert.deepEqual((await inlineTarget({ ...zenml, snapshot: 'nightly' })).targets, {
      zenml: { type: 'zenml', snapshot: 'nightly' }
    })
    // zenml-url is also the server a command reports to, and http-url names the http target.
    assert.deepEqual((await inlineTarget({ ...zenml, command: 'python\n run.py ' })).targets, {
      command: { type: 'command', run: ['python', 'run.py'] }
    })
    assert.deepEqual((await inlineTarget({ ...zenml, 'http-url': 'https://api.example.com/t' })).targets, {
      http: { type: 'http' }
    })
    assert.deepEqual((await inlineTarget({ ...zenml, target: 'zenml', command: 'python' })).targets, {
      zenml: { type: 'zenml' }
    })
  })

  test('the inline target resolves from its own type inputs', async () => {
    const { settings, targets } = await inlineTarget({
      command: 'python\nrun.py',
      'zenml-url': 'https://zenml.example.com/',
      'zenml-api-key': 'ZENKEY_a',
      project: 'research'
    })
    const resolved = resolveTargets(Object.entries(targets), settings, { env: {}, mask: () => {} })
    assert.deepEqual(resolved.get('command'), {
      type: 'command',
      name: 'command',
      maxParallel: 1,
      run: ['python', 'run.py'],
      configArg: '--config',
      workingDirectory: '.',
      server: { url: 'https://zenml.example.com', apiKey: 'ZENKEY_a', project: 'research' }
    })
  })

  test("a missing input is named by the type's inline mode; no input at all lists every way", async () => {
    assert.equal(
      await refusal({ target: 'http' }),
      'Target http needs the http-url input: the trigger endpoint, e.g. https://api.example.com/trigger.'
    )
    assert.equal(
      await refusal({ target: 'zenml' }),
      'Target zenml needs the inputs zenml-url and zenml-api-key (from a secret).'
    )
    assert.match(await refusal({ target: 'command' }), /^Input command is empty but target is command\./)
    const nothing = await refusal({})
    assert.ok(
      nothing.startsWith(
        'Nothing to trigger: no config file at .github/pipeline-triggers.yml and no target inputs. Either add the config file, set the command input (one argument per line, e.g. "python" and "run.py"), set http-url (target http), '
      ),
      nothing
    )
    // Every type with an inline mode says what sets it; target-config, which takes any type, comes last after "or".
    for (const type of INLINE_TYPES) assert.ok(nothing.includes(inlineOf(type)!.needs), type)
    assert.ok(
      nothing.endsWith(
        `, ${inlineOf(INLINE_TYPES.at(-1)!)!.needs}, or set target and target-config (any type, its config-file keys as a mapping).`
      ),
      nothing
    )
  })

  test('an inline-only input (the command argv) beside a config input is refused, naming it', async () => {
    const settings = await settingsOf({ command: 'python', config: 'ci/triggers.yml' })
    assert.deepEqual(settings.inlineOnlyInputs, ['command'])
    const error = await rejection(loadConfig(settings, EMPTY_WORKSPACE))
    assert.match(
      error.message,
      /^Inputs command describe an inline pipeline, but config is set to "ci\/triggers\.yml"\./
    )
  })

  test("a later pass asks an inline step's target only where its type can follow a run", () => {
    const settings = { zenml: {}, command: {}, http: {}, workflow: {} } as unknown as Settings['targets']
    assert.deepEqual(inlineFollowUpTarget('zenml', settings, 'ci.yml'), { type: 'zenml' })
    assert.equal(inlineFollowUpTarget('command', settings, 'ci.yml'), undefined)
    assert.equal(inlineFollowUpTarget('workflow', settings, 'ci.yml'), undefined)
    // http runs are followed through the config file's status-url only: the error says so, with the fix.
    assert.throws(
      () => inlineFollowUpTarget('http', settings, 'ci.yml'),
      /its target "http" is an inline step's \(inputs only\), and an inline http target cannot be followed later: .*Fix: put the target in the config file \(ci\.yml\)/
    )
    assert.equal(inlineFollowUpTarget('toString', settings, 'ci.yml'), undefined)
    assert.ok(INLINE_TYPES.includes('zenml'))
  })
})

test('what every step reads at its start loads no schema: target-types.ts and inline mode reach no zod import', () => {
  const seen = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    const text = readFileSync(file, 'utf8')
    // Static value imports only: `import type` and `import()` load nothing at start.
    for (const [, what, from] of text.matchAll(/^import (?!type )([^'"]*?)\s*from '([^']+)'/gm)) {
      assert.notEqual(from, 'zod', `${file} imports zod (${what})`)
      if (from!.startsWith('.')) visit(resolve(dirname(file), from!.replace(/\.js$/, '.ts')))
    }
  }
  visit(join(ROOT, 'src/inputs/settings.ts'))
  visit(join(ROOT, 'src/config/inline-config.ts'))
  assert.ok(seen.has(join(ROOT, 'src/targets/zenml/inputs.ts')))
  // target-config brings the schemas, through import() only when the input is set.
  assert.ok(!seen.has(join(ROOT, 'src/config/target-config-input.ts')))
  assert.match(
    readFileSync(join(ROOT, 'src/config/inline-config.ts'), 'utf8'),
    /await import\('\.\/target-config-input\.js'\)/
  )
})
