/**
 * The runner's workflow commands, written by @actions/core's own modules (command.js,
 * file-command.js; summary.js in src/report/write-summary.ts). Why not `import '@actions/core'`: its index also loads its OIDC
 * client, and with it @actions/http-client and undici, about 0.9 MB evaluated at every start; that
 * was most of the start-up of a step that triggers nothing, and the action never asks for an OIDC
 * token. The functions below are the index's thin wrappers, with its names and behaviour, over
 * the same modules (the version is pinned in package.json; the e2e tests read what they write).
 */
import { EOL } from 'node:os'
import { issueCommand } from '../../node_modules/@actions/core/lib/command.js'
import { issueFileCommand, prepareKeyValueMessage } from '../../node_modules/@actions/core/lib/file-command.js'
import { toCommandProperties, toCommandValue } from '../../node_modules/@actions/core/lib/utils.js'

export interface InputOptions {
  required?: boolean
  trimWhitespace?: boolean
}

export function getInput(name: string, options: InputOptions = {}): string {
  const value = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || ''
  if (options.required && !value) throw new Error(`Input required and not supplied: ${name}`)
  return options.trimWhitespace === false ? value : value.trim()
}

export function getMultilineInput(name: string, options: InputOptions = {}): string[] {
  const lines = getInput(name, options)
    .split('\n')
    .filter((line) => line !== '')
  return options.trimWhitespace === false ? lines : lines.map((line) => line.trim())
}

/** YAML 1.2 core-schema booleans, as the runner documents them for inputs. */
export function getBooleanInput(name: string, options: InputOptions = {}): boolean {
  const value = getInput(name, options)
  if (['true', 'True', 'TRUE'].includes(value)) return true
  if (['false', 'False', 'FALSE'].includes(value)) return false
  throw new TypeError(
    `Input does not meet YAML 1.2 "Core Schema" specification: ${name}\nSupport boolean input list: \`true | True | TRUE | false | False | FALSE\``
  )
}

export function setOutput(name: string, value: unknown): void {
  if (process.env.GITHUB_OUTPUT) return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value))
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, toCommandValue(value))
}

/** Masks the value in the log from here on. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function notice(message: string): void {
  issueCommand('notice', toCommandProperties({}), message)
}

export function warning(message: string): void {
  issueCommand('warning', toCommandProperties({}), message)
}

export function error(message: string): void {
  issueCommand('error', toCommandProperties({}), message)
}

/** Fails the step: exit code 1 when the process ends, and the message as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}
