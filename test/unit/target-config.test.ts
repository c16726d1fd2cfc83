/**
 * The target-config input: an inline target of any type, described by a mapping of its own
 * config-file keys (src/targets/<type>/schema.ts), read through readSettings and loadConfig as the
 * runner sets the inputs (INPUT_*). Its keys win over the type's own inputs, as a config file's do.
 */
import assert from 'node:assert/strict'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { targetFromConfigInput } from '../../src/config/target-config-input.js'
import { loadConfig } from '../../src/config/load-config.js'
import { UserError } from '../../src/errors.js'
import { readSettings, type Settings } from '../../src/inputs/settings.js'
import { resolveTargets } from '../../src/targets/connect-targets.js'
import { TARGETS, TARGET_TYPES } from '../../src/targets/registry.js'
import { rejection } from '../helpers/rejection.js'
import { ROOT } from '../helpers/run-action.js'
import { withInputs } from '../helpers/with-inputs.js'

const EMPTY_WORKSPACE = join(ROOT, 'test', 'fixtures', 'no-such-workspace')
const TRIGGER_URL = 'https://api.example.com/trigger'

const settingsOf = (inputs: Record<string, string>): Promise<Settings> =>
  withInputs({ pipeline: 'training_pipeline', ...inputs }, () => readSettings(false))

async function inline(inputs: Record<string, string>, workspace = EMPTY_WORKSPACE) {
  const settings = await settingsOf(inputs)
  return { settings, ...(await loadConfig(settings, workspace)) }
}

const refusal = async (inputs: Record<string, string>): Promise<string> => (await rejection(inline(inputs))).message

describe('the target-config input in settings', () => {
  test('it needs the target input, and with it target takes any type, not only one with inputs of its own', async () => {
    assert.equal(
      (await rejection(settingsOf({ 'target-config': `url: ${TRIGGER_URL}` }))).message,
      `Input target-config is set but target is empty. Name the type its keys describe, e.g. target: http (one of: ${TARGET_TYPES.join(', ')}).`
    )
    const settings = await settingsOf({ target: 'workflow', 'target-config': 'workflow: train.yml\n' })
    assert.equal(settings.target, 'workflow')
    assert.equal(settings.targetConfig, 'workflow: train.yml')
    assert.equal(
      (await rejection(settingsOf({ target: 'nope', 'target-config': 'a: 1' }))).message,
      `Input target: "nope" is not supported. Use one of: ${TARGET_TYPES.join(', ')}.`
    )
    assert.equal((await settingsOf({})).targetConfig, '')
  })
})

describe('inline mode with target-config', () => {
  test('the mapping becomes the target a config file would hold, named by its type, and resolves as one', async () => {
    const { config, notice } = await inline({
      target: 'http',
      'target-config': [
        `url: ${TRIGGER_URL}`,
        'api-key: env:TRIGGER_API_KEY',
        'status-url: https://api.example.com/runs/{run_id}',
        ''
      ].join('\n')
    })
    assert.equal(notice, undefined)
    const { targets } = config
    assert.deepEqual(config.targets, {
      http: {
        type: 'http',
        url: TRIGGER_URL,
        'api-key': 'env:TRIGGER_API_KEY',
        'status-url': 'https://api.example.com/runs/{run_id}'
      }
    })
    assert.equal(config.pipelines.training_pipeline!.target, 'http')
    const settings = await settingsOf({})
    const resolved = resolveTargets(Object.entries(targets), settings, {
      env: { TRIGGER_API_KEY: 'key-from-the-environment' },
      mask: () => {}
    }).get('http') as unknown as { url: URL; apiKey: string; statusUrl: string }
    assert.equal(resolved.url.href, TRIGGER_URL)
    assert.equal(resolved.statusUrl, 'https://api.example.com/runs/{run_id}')
    assert.equal(resolved.apiKey, 'key-from-the-environment')
  })

  test('JSON works too, and a type without inputs of its own (workflow) is usable inline', async () => {
    const { config } = await inline({ target: 'workflow', 'target-config': '{"workflow": "train.yml", "ref": "main"}' })
    assert.deepEqual(config.targets, { workflow: { type: 'workflow', workflow: 'train.yml', ref: 'main' } })
    // A type key that agrees is allowed (a target copied from a config file); one that does not is refused.
    const agreed = await inline({ target: 'workflow', 'target-config': 'type: workflow\nworkflow: train.yml' })
    assert.deepEqual(agreed.config.targets.workflow, { type: 'workflow', workflow: 'train.yml' })
    assert.equal(
      await refusal({ target: 'workflow', 'target-config': 'workflow: train.yml\ntype: http' }),
      'Input target-config (line 2): type: "http", but the target input is "workflow". Fix: remove type from the mapping (the target input names it), or make the two agree.'
    )
  })

  test("its keys win over the type's own inputs, as a config file's keys do; the inputs fill in the rest", async () => {
    const zenml = await inline({
      target: 'zenml',
      'zenml-url': 'https://zenml.example.com',
      'zenml-api-key': 'ZENKEY_a',
      snapshot: 'from-the-input',
      stack: 'gpu',
      'target-config': 'snapshot: from-target-config'
    })
    assert.deepEqual(zenml.config.targets, { zenml: { type: 'zenml', snapshot: 'from-target-config', stack: 'gpu' } })

    const command = await inline({
      target: 'command',
      command: 'python\nold.py',
      'target-config': 'run: [python, new.py]\nworking-directory: ml'
    })
    assert.deepEqual(command.config.targets.command, {
      type: 'command',
      run: ['python', 'new.py'],
      'working-directory': 'ml'
    })

    const settings = await settingsOf({
      target: 'http',
      'http-url': 'https://inputs.example.com/trigger',
      'api-key-header': 'X-Input-Header',
      'target-config': `url: ${TRIGGER_URL}`
    })
    const { config } = await loadConfig(settings, EMPTY_WORKSPACE)
    const resolved = resolveTargets(Object.entries(config.targets), settings, {
      env: {},
      mask: () => {}
    }).get('http') as unknown as { url: URL; apiKeyHeader: string }
    assert.equal(resolved.url.href, TRIGGER_URL, 'the key of target-config')
    assert.equal(resolved.apiKeyHeader, 'X-Input-Header', 'an input the mapping does not set still counts')
  })

  test('a secret written as a value is refused, naming the key, its line and the fix, never the value', async () => {
    const secret = 'sk-live-0123456789abcdef'
    const message = await refusal({
      target: 'http',
      'target-config': `url: ${TRIGGER_URL}\napi-key: ${secret}\n`
    })
    assert.equal(
      message,
      'Input target-config (line 2): api-key: expected env:NAME, the environment variable that holds the secret, not the secret itself (its value is not shown here). Fix: pass the secret to the step as an environment variable (env: {HTTP_API_KEY: ${{ secrets.HTTP_API_KEY }}}) and write api-key: env:HTTP_API_KEY.'
    )
    assert.ok(!message.includes(secret))
    // Every type's secret keys, whichever way its schema spells env:NAME.
    const zenml = await refusal({ target: 'zenml', 'target-config': `{"api-key": "${secret}"}` })
    assert.match(
      zenml,
      /^Input target-config \(line 1\): api-key: expected env:NAME, .* write api-key: env:ZENML_API_KEY\.$/
    )
    assert.ok(!zenml.includes(secret))
    const token = await refusal({ target: 'workflow', 'target-config': `workflow: a.yml\ntoken: ${secret}` })
    assert.match(token, /^Input target-config \(line 2\): token: expected env:NAME, .*env:WORKFLOW_TOKEN\.$/)
    // A secret that YAML reads as a number (or a list) is refused the same way, its value not shown.
    const number = await refusal({
      target: 'dagster',
      'target-config': 'url: https://d.example\napi-token: 123456789\nlocation: loc\n'
    })
    assert.match(
      number,
      /^Input target-config \(line 2\): api-token: expected env:NAME, .*\(its value is not shown here\).*env:DAGSTER_API_TOKEN\.$/
    )
    assert.ok(!number.includes('123456789'))
    const list = await refusal({ target: 'airflow', 'target-config': 'url: https://a.example\npassword: [hunter22]\n' })
    assert.match(list, /^Input target-config \(line 2\): password: expected env:NAME, .*env:AIRFLOW_PASSWORD\.$/)
    assert.ok(!list.includes('hunter22'))
  })

  test('every other mistake names the input, the key, its line, what was expected and the fix', async () => {
    assert.equal(
      await refusal({ target: 'http', 'target-config': `url: ${TRIGGER_URL}\n\nstatus-ur: https://x` }),
      'Input target-config (line 3): status-ur: not a key of a http target. Fix: did you mean "status-url"? allowed here: url, preset, api-key, api-key-header, signing-secret, body, allow-insecure-http, status-url-field, status-url, run-id-field, run-url-field, metrics-field, max-parallel.'
    )
    assert.equal(
      await refusal({ target: 'http', 'target-config': `url: ${TRIGGER_URL}\nallow-insecure-http: "yes"` }),
      'Input target-config (line 2): allow-insecure-http: Invalid input: expected boolean, received string, got "yes". Fix: see the http target\'s keys in docs/config-reference.md.'
    )
    assert.equal(
      await refusal({ target: 'command', 'target-config': 'working-directory: ml' }),
      "Input target-config: run: missing: a command target needs it (a list). Fix: add run to the mapping (docs/config-reference.md lists the command target's keys)."
    )
    assert.equal(
      await refusal({ target: 'http', 'target-config': '- a\n- b' }),
      'Input target-config must be a mapping such as "model_type: random_forest", got ["a","b"].'
    )
    assert.match(
      await refusal({ target: 'http', 'target-config': 'url: [' }),
      /^Input target-config is not valid YAML or JSON: /
    )
    assert.match(
      await refusal({ target: 'http', 'target-config': 'url: x\n__proto__: {}' }),
      /^Input target-config:2:1: __proto__ cannot be a key here/
    )
  })

  test('with the config input set it is refused; beside the default config file, that file is not read (a notice says so)', async () => {
    const settings = await settingsOf({
      target: 'http',
      'target-config': `url: ${TRIGGER_URL}`,
      config: 'ci/triggers.yml'
    })
    assert.match(
      (await rejection(loadConfig(settings, EMPTY_WORKSPACE))).message,
      /^Inputs target, target-config describe an inline pipeline, but config is set to "ci\/triggers\.yml"\. Use one or the other/
    )
    const workspace = mkdtempSync(join(tmpdir(), 'pt-target-config-'))
    mkdirSync(join(workspace, '.github'))
    writeFileSync(join(workspace, '.github/pipeline-triggers.yml'), 'not: [a, valid, config\n')
    const beside = await inline({ target: 'http', 'target-config': `url: ${TRIGGER_URL}` }, workspace)
    assert.equal(beside.file, undefined)
    assert.equal(
      beside.notice,
      'Inputs target, target-config describe the pipeline, so .github/pipeline-triggers.yml is not read.'
    )
    assert.deepEqual(beside.config.targets, { http: { type: 'http', url: TRIGGER_URL } })
  })
})

describe('any mapping given as target-config', () => {
  const keyOf = (type: (typeof TARGET_TYPES)[number]) =>
    Object.keys((TARGETS[type].schema as unknown as { shape: object }).shape)
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.constantFrom('env:TRIGGER_KEY', 'env:1bad', TRIGGER_URL, 'http://127.0.0.1:8080/x', 'a.yml', 'owner/name'),
    fc.integer({ min: -2, max: 300 }),
    fc.boolean(),
    fc.constant(null),
    fc.array(fc.string({ maxLength: 6 }), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 2 })
  )

  test("yields a target its type's schema accepts, or a UserError naming target-config", () => {
    const outcomes = { accepted: 0, refused: 0 }
    for (const type of TARGET_TYPES) {
      const key = fc.oneof(fc.constantFrom(...keyOf(type)), fc.string({ minLength: 1, maxLength: 10 }))
      fc.assert(
        fc.property(fc.dictionary(key, value, { maxKeys: 6 }), fc.boolean(), (mapping, asJson) => {
          const text = asJson
            ? JSON.stringify(mapping)
            : Object.entries(mapping)
                .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
                .join('\n')
          let target: unknown
          try {
            target = targetFromConfigInput(type, text)
          } catch (error) {
            assert.ok(error instanceof UserError, String(error))
            assert.match(error.message, /^Input target-config\b/)
            outcomes.refused++
            return
          }
          assert.equal(TARGETS[type].schema.safeParse(target).success, true)
          assert.equal((target as { type: string }).type, type)
          outcomes.accepted++
        }),
        { numRuns: 150 }
      )
    }
    // Both ends were reached: the property says something about each.
    assert.ok(outcomes.accepted > 20 && outcomes.refused > 20, JSON.stringify(outcomes))
  })
})
