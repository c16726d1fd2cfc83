/**
 * Turns the runner's event (name, payload, environment) into a TriggerEvent. Pure: main.ts
 * passes @actions/github's context, the CLI passes a payload read from a file.
 */
import { CHAIN_INPUT, parseChainContext } from '../core/chain.js'
import { UserError, preview } from '../errors.js'
import { ZERO_SHA, type TriggerEvent } from './trigger-event.js'

export interface EventContext {
  eventName: string
  payload: Record<string, unknown>
  sha: string
  ref: string
  /** owner/repo, '' when unknown. */
  repository: string
  runId: string
  runAttempt: number
  serverUrl: string
  workflow: string
  /** GITHUB_WORKFLOW_REF, when known. */
  workflowRef?: string
}

type Json = Record<string, unknown>

const obj = (value: unknown): Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {}
const str = (value: unknown): string => (typeof value === 'string' ? value : '')

function shortRef(ref: string): { name: string; isTag: boolean } {
  if (ref.startsWith('refs/tags/')) return { name: ref.slice('refs/tags/'.length), isTag: true }
  if (ref.startsWith('refs/heads/')) return { name: ref.slice('refs/heads/'.length), isTag: false }
  return { name: ref, isTag: false }
}

function requireSha(value: string, field: string, eventName: string): string {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value)) {
    throw new UserError(
      `The ${eventName} event payload has no valid ${field} (got ${preview(value)}); is GITHUB_EVENT_PATH the event GitHub delivered?`
    )
  }
  return value
}

/**
 * @param workflowInputs the `workflow-inputs` input (toJSON(inputs)). Inside a reusable workflow
 *   it is the only way to see workflow_call inputs, because the payload is the caller's event.
 * @param pipelineContext the `pipeline-context` input; otherwise a dispatch input or
 *   client_payload key of that name carries the upstream chain context.
 */
export function normalizeEvent(
  context: EventContext,
  workflowInputs?: Record<string, unknown>,
  pipelineContext = ''
): TriggerEvent {
  const event = normalizeKind(context, workflowInputs)
  const fromEvent = event.inputs?.[CHAIN_INPUT]
  const chain =
    pipelineContext.trim() !== ''
      ? parseChainContext(pipelineContext, 'Input pipeline-context')
      : parseChainContext(
          fromEvent,
          event.kind === 'repository_dispatch'
            ? `client_payload.${CHAIN_INPUT}`
            : `The ${CHAIN_INPUT} input of the ${event.name} event`
        )
  if (chain) return { ...event, chain }
  // A workflow_run continues the upstream run's chain: it is the first link, and its URL the root.
  // (Its own pipeline-context, if it had one, reaches this step only through the pipeline-context input.)
  if (event.upstream)
    return {
      ...event,
      chain: {
        root: event.upstream.htmlUrl || `${context.serverUrl}/${event.repository}/actions/runs/${event.upstream.runId}`,
        depth: 1,
        chain: [`workflow:${event.upstream.workflow}`]
      }
    }
  return event
}

function normalizeKind(context: EventContext, workflowInputs?: Record<string, unknown>): TriggerEvent {
  const payload = context.payload
  const repositoryJson = obj(payload.repository)
  const repository = context.repository || str(repositoryJson.full_name)
  const { name: refName, isTag } = shortRef(context.ref)
  const base: TriggerEvent = {
    name: context.eventName,
    repository,
    sha: context.sha || str(payload.after),
    ref: context.ref,
    refName,
    isTag,
    defaultBranch: str(repositoryJson.default_branch) || undefined,
    run: {
      id: context.runId,
      attempt: context.runAttempt,
      serverUrl: context.serverUrl,
      workflow: context.workflow,
      ...(context.workflowRef ? { workflowRef: context.workflowRef } : {})
    }
  }

  if (workflowInputs !== undefined && context.eventName !== 'workflow_dispatch') {
    // Called as a reusable workflow: plan with workflow_call rules, whatever the caller's event.
    return { ...base, kind: 'workflow_call', inputs: workflowInputs }
  }

  switch (context.eventName) {
    case 'push': {
      const before = str(payload.before)
      const after = str(payload.after) || context.sha
      const deleted = payload.deleted === true || ZERO_SHA.test(after)
      return {
        ...base,
        kind: 'push',
        sha: deleted ? context.sha : requireSha(after, 'after', 'push'),
        push: {
          before: requireSha(before, 'before', 'push'),
          after,
          created: payload.created === true || ZERO_SHA.test(before),
          deleted,
          forced: payload.forced === true
        }
      }
    }
    case 'pull_request':
    case 'pull_request_target': {
      const pr = obj(payload.pull_request)
      const baseJson = obj(pr.base)
      const headJson = obj(pr.head)
      const headRef = str(headJson.ref)
      return {
        ...base,
        kind: 'pull_request',
        refName: headRef || refName,
        pullRequest: {
          number: typeof pr.number === 'number' ? pr.number : Number(payload.number),
          baseSha: requireSha(str(baseJson.sha), 'pull_request.base.sha', context.eventName),
          headSha: requireSha(str(headJson.sha), 'pull_request.head.sha', context.eventName),
          baseRef: str(baseJson.ref),
          headRef,
          ...(typeof pr.changed_files === 'number' ? { changedFiles: pr.changed_files } : {})
        }
      }
    }
    case 'merge_group': {
      const group = obj(payload.merge_group)
      return {
        ...base,
        kind: 'merge_group',
        mergeGroup: {
          baseSha: requireSha(str(group.base_sha), 'merge_group.base_sha', 'merge_group'),
          headSha: requireSha(str(group.head_sha), 'merge_group.head_sha', 'merge_group'),
          headRef: str(group.head_ref)
        }
      }
    }
    case 'schedule':
      return { ...base, kind: 'schedule', cron: str(payload.schedule) || undefined }
    case 'workflow_dispatch':
      // Typed values from toJSON(inputs) win over the payload, whose booleans are strings.
      return { ...base, kind: 'workflow_dispatch', inputs: workflowInputs ?? obj(payload.inputs) }
    case 'repository_dispatch':
      return {
        ...base,
        kind: 'repository_dispatch',
        dispatchType: str(payload.action),
        inputs: obj(payload.client_payload)
      }
    case 'workflow_run': {
      const run = obj(payload.workflow_run)
      const id = typeof run.id === 'number' || typeof run.id === 'string' ? String(run.id) : ''
      if (!/^\d+$/.test(id)) {
        throw new UserError(
          `The workflow_run event payload has no workflow_run.id (got ${JSON.stringify(run.id ?? null)}), so the upstream run is unknown and nothing was triggered. Is GITHUB_EVENT_PATH the event GitHub delivered?`
        )
      }
      return {
        ...base,
        kind: 'workflow_run',
        upstream: {
          runId: id,
          sha: requireSha(str(run.head_sha), 'workflow_run.head_sha', 'workflow_run'),
          workflow: str(run.name),
          conclusion: str(run.conclusion),
          htmlUrl: str(run.html_url),
          branch: str(run.head_branch),
          headRepository: str(obj(run.head_repository).full_name)
        }
      }
    }
    default:
      return base
  }
}
