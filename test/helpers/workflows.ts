/** Every workflow file of the repository, and how its steps refer to this action. */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { ROOT } from './run-action.js'

export interface WorkflowFile {
  /** Relative to the repository root. */
  path: string
  text: string
  yaml: Workflow
}

export interface Step {
  id?: string
  name?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
  'continue-on-error'?: boolean
}

export interface Job {
  uses?: string
  with?: Record<string, unknown>
  secrets?: Record<string, unknown> | 'inherit'
  needs?: string | string[]
  if?: string
  strategy?: { matrix?: unknown; 'max-parallel'?: unknown; 'fail-fast'?: boolean }
  outputs?: Record<string, string>
  env?: Record<string, unknown>
  steps?: Step[]
  permissions?: unknown
}

export interface Workflow {
  on: Record<string, any>
  permissions?: unknown
  jobs: Record<string, Job>
}

/** The placeholder the examples use for this action; users replace it with the release they pin. */
export const EXAMPLE_ACTION = /^your-org\/pipeline-trigger@[0-9a-f]{40}$/
export const EXAMPLE_REUSABLE = /^your-org\/pipeline-trigger\/\.github\/workflows\/([\w.-]+\.yml)@[0-9a-f]{40}$/
/** Where the reusable workflows check this action out (from their own repository and commit). */
export const SELF_CHECKOUT = './.pipeline-trigger-action'

function load(dir: string): WorkflowFile[] {
  return readdirSync(join(ROOT, dir))
    .filter((name) => name.endsWith('.yml'))
    .sort()
    .map((name) => {
      const path = `${dir}/${name}`
      const text = readFileSync(join(ROOT, path), 'utf8')
      return { path, text, yaml: parse(text) as Workflow }
    })
}

export const reusableWorkflows = (): WorkflowFile[] =>
  load('.github/workflows').filter((w) => 'workflow_call' in (w.yaml.on ?? {}))
export const allWorkflows = (): WorkflowFile[] => [...load('.github/workflows'), ...load('examples/workflows')]
export const exampleWorkflows = (): WorkflowFile[] => load('examples/workflows')
