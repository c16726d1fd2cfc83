/** The action: inputs → plan → targets → report. Any error fails the step with its message. */
import * as core from '@actions/core'
import * as github from '@actions/github'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ChangeSet } from './changes/changed-file.js'
import { errorMessage } from './errors.js'
import type { EventContext } from './event/normalize-event.js'
import { SUPPORTED_EVENTS } from './event/trigger-event.js'
import { executePlan, succeeded } from './execute/execute.js'
import { readSettings } from './inputs/settings.js'
import { preparePlan } from './prepare-plan.js'
import { attemptLine, resultLine } from './report/log-lines.js'
import { buildOutputs, changedFilesJson, fitOutputs, planJson, type OutputName } from './report/outputs.js'
import { buildSummary } from './report/summary.js'
import { createTarget } from './targets/create-target.js'
import type { TargetContext } from './targets/target.js'
import type { Settings } from './inputs/settings.js'
import { connectZenml, type ZenmlConnection } from './zenml/connection.js'
import type { TargetConfig } from './config/schema.js'
import type { TriggerRequest } from './plan/trigger-request.js'
import type { HttpSettings } from './targets/http-target.js'
import { checkUrl } from './http/url.js'
import { UserError } from './errors.js'

function eventContext(): EventContext {
  const { context } = github
  return {
    eventName: context.eventName,
    payload: context.payload as Record<string, unknown>,
    sha: context.sha ?? '',
    ref: context.ref ?? '',
    repository: process.env.GITHUB_REPOSITORY ?? '',
    runId: Number.isNaN(context.runId) ? '' : String(context.runId),
    runAttempt: Number.isNaN(context.runAttempt) ? 1 : context.runAttempt,
    serverUrl: context.serverUrl,
    workflow: context.workflow ?? '',
    ...(process.env.GITHUB_WORKFLOW_REF ? { workflowRef: process.env.GITHUB_WORKFLOW_REF } : {})
  }
}

type ZenmlTargetConfig = Extract<TargetConfig, { type: 'zenml' }>

/**
 * Connects, before anything runs, to every ZenML server the plan needs: the inputs' server for
 * command targets that report to it, and each zenml target's (its url / api-key: env:NAME, or
 * the inputs). A wrong URL or key fails the step before the first run.
 */
async function connectServers(settings: Settings, requests: TriggerRequest[]) {
  const byServer = new Map<string, Promise<ZenmlConnection>>()
  const connect = (url: string, apiKey: string, project: string) => {
    const key = JSON.stringify([url, apiKey, project])
    if (!byServer.has(key)) byServer.set(key, connectZenml(url, apiKey, project, (secret) => core.setSecret(secret), (m) => core.info(m)))
    return byServer.get(key)!
  }
  const forCommands = settings.zenmlUrl && requests.some((r) => r.targetConfig.type === 'command') ? await connect(settings.zenmlUrl, settings.zenmlApiKey, settings.project) : undefined
  const forTargets = new Map<ZenmlTargetConfig, ZenmlConnection>()
  for (const request of requests) {
    const config = request.targetConfig
    if (config.type !== 'zenml' || forTargets.has(config)) continue
    const url = config.url ?? settings.zenmlUrl
    const variable = config['api-key']?.slice('env:'.length)
    const apiKey = variable ? (process.env[variable] ?? '') : settings.zenmlApiKey
    if (apiKey) core.setSecret(apiKey)
    if (!url) throw new UserError(`Target ${request.target}: no ZenML server. Set url in its config, or the zenml-url input.`)
    if (!apiKey) {
      throw new UserError(
        variable
          ? `Target ${request.target}: the environment variable ${variable} (api-key: env:${variable}) is empty. Set it in the step's env: from a secret.`
          : `Target ${request.target}: no API key. Pass zenml-api-key from a secret, or set api-key: env:NAME in its config.`
      )
    }
    forTargets.set(config, await connect(url, apiKey, config.project ?? settings.project))
  }
  return { forCommands, forTargets }
}

/** Reads an `env:NAME` secret reference and masks the value; undefined when there is no reference. */
function secretFromEnv(reference: string | undefined, what: string): string | undefined {
  if (!reference) return undefined
  const name = reference.slice('env:'.length)
  const value = process.env[name] ?? ''
  if (!value) throw new UserError(`${what}: the environment variable ${name} (${reference}) is empty. Set it in the step's env: from a secret.`)
  core.setSecret(value)
  return value
}

/** An http target's settings: its config over the inputs, secrets read and masked, the URL checked. */
function httpSettings(config: Extract<TargetConfig, { type: 'http' }>, settings: Settings): HttpSettings {
  const url = config.url ?? settings.http.url
  if (!url) throw new UserError('Target http has no URL: set url in its config, or the http-url input.')
  const apiKey = secretFromEnv(config['api-key'], 'api-key') ?? settings.http.apiKey
  const signingSecret = secretFromEnv(config['signing-secret'], 'signing-secret') ?? settings.http.signingSecret
  const preset = config.preset ?? settings.http.preset
  const body = config.body ?? settings.http.body
  const resolved: HttpSettings = {
    url,
    ...(preset ? { preset } : {}),
    ...(apiKey ? { apiKey } : {}),
    apiKeyHeader: config['api-key-header'] ?? (preset === 'zenml-deployment' ? 'Authorization' : settings.http.apiKeyHeader),
    ...(signingSecret ? { signingSecret } : {}),
    ...(body ? { body } : {}),
    allowInsecureHttp: config['allow-insecure-http'] ?? settings.http.allowInsecureHttp,
    statusUrlField: config['status-url-field'] ?? settings.http.statusUrlField,
    ...(config['run-id-field'] ? { runIdField: config['run-id-field'] } : {}),
    ...(config['run-url-field'] ? { runUrlField: config['run-url-field'] } : {}),
    wait: settings.wait
  }
  checkUrl(resolved.url, 'http-url', resolved.allowInsecureHttp)
  return resolved
}

/** The environment a pipeline command inherits: the runner's, minus this action's inputs (the token among them). */
function childEnvironment(): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('INPUT_')) env[key] = value
  }
  return env
}

/** A fresh directory in RUNNER_TEMP for this step's files. */
function stepDirectory(): string {
  const base = process.env.RUNNER_TEMP || tmpdir()
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, 'pipeline-trigger-'))
}

/** Writes the whole changed-file list to RUNNER_TEMP; the outputs carry only its head. */
function writeChangedFiles(changes: ChangeSet | undefined, dir: string): string {
  if (!changes) return ''
  const path = join(dir, 'changed-files.json')
  writeFileSync(path, JSON.stringify({ complete: changes.complete, base: changes.base, head: changes.head, files: changedFilesJson(changes) }))
  return path
}

function setOutputs(outputs: Record<OutputName, string>, dir = stepDirectory()): void {
  const fitted = fitOutputs(outputs, (name, value) => {
    const path = join(dir, `${name}.json`)
    writeFileSync(path, value)
    return path
  })
  for (const message of fitted.cut) core.warning(message)
  for (const [name, value] of Object.entries(fitted.outputs)) core.setOutput(name, value)
}

export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd()
    const { event, changes, plan } = await preparePlan({ settings, context: eventContext(), workspace, log: (m) => core.info(m) })
    const dir = stepDirectory()
    const changedFilesPath = writeChangedFiles(changes, dir)

    if (!event.kind) {
      core.notice(`Event ${JSON.stringify(event.name)} is not handled, so nothing was triggered. Handled events: ${SUPPORTED_EVENTS.join(', ')}.`)
      setOutputs(buildOutputs(plan, [], undefined))
      return
    }

    for (const warning of plan.warnings) core.warning(warning)
    core.info(`Plan: ${plan.requests.length} run(s), ${plan.skipped.length} skipped.`)
    for (const skip of plan.skipped) core.info(`Skipped ${skip.pipeline}: ${JSON.stringify(skip.reason)}`)

    if (settings.dryRun) {
      for (const request of plan.requests) core.info(`DRY_RUN ${JSON.stringify(planJson({ requests: [request], skipped: [], warnings: [] }))}`)
      setOutputs(buildOutputs(plan, undefined, changes, changedFilesPath), dir)
      await core.summary.addRaw(buildSummary(event, plan, undefined, changes)).write()
      return
    }

    const servers = await connectServers(settings, plan.requests)
    const zenml = servers.forCommands
    const context: TargetContext = {
      workspace,
      tempDir: process.env.RUNNER_TEMP || tmpdir(),
      timeoutMs: settings.timeoutMs,
      env: childEnvironment(),
      ...(zenml ? { zenml } : {}),
      log: (message) => core.info(message)
    }
    if (!settings.wait && plan.requests.some((r) => r.targetConfig.type === 'command')) {
      core.notice('wait is false, but the command target runs the pipeline inside this job, so it always waits for it.')
    }
    const zenmlOptions = {
      wait: settings.wait,
      cancelOnTimeout: settings.cancelOnTimeout,
      ...(settings.enableCache !== undefined ? { enableCache: settings.enableCache } : {}),
      tags: [
        'github-actions',
        `repo:${event.repository}`,
        `sha:${event.sha.slice(0, 12)}`,
        ...(event.run.id ? [`gh-run:${event.run.serverUrl}/${event.repository}/actions/runs/${event.run.id}`] : []),
        ...settings.tags
      ]
    }
    const zenmlConnection = (config: ZenmlTargetConfig) => servers.forTargets.get(config)!
    const http = (config: Extract<TargetConfig, { type: 'http' }>) => httpSettings(config, settings)
    for (const request of plan.requests) if (request.targetConfig.type === 'http') http(request.targetConfig) // check every URL and secret first
    const results = await executePlan(plan.requests, (request) => createTarget(request.targetConfig, context, zenmlOptions, zenmlConnection, http), {
      attempt: (request) => core.info(attemptLine(request)),
      finished: (result) => core.info(resultLine(result))
    })

    setOutputs(buildOutputs(plan, results, changes, changedFilesPath), dir)
    await core.summary.addRaw(buildSummary(event, plan, results, changes)).write()
    const failed = results.filter((result) => !succeeded(result))
    if (failed.length > 0) {
      core.setFailed(
        `${failed.length} of ${results.length} run(s) failed: ${failed.map((r) => `${r.request.pipelineName} #${r.request.index} (${r.state.status}${r.state.message ? `: ${r.state.message}` : ''})`).join('; ')}`
      )
    }
  } catch (error) {
    core.setFailed(errorMessage(error))
  }
}
