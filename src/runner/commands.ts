/**
 * The runner's workflow commands, with @actions/core's names and behaviour for the few this action
 * uses, written here in GitHub's documented formats (workflow-commands.ts), because:
 * - `import '@actions/core'` also loads its OIDC client, and with it @actions/http-client and
 *   undici, at every start, for an OIDC token the action never asks for. Measured (Node 20,
 *   median of 20 runs, 2 shared cores): `node -e "import('@actions/core')"` 183 ms; its lib/
 *   files that this file used to import, 96 ms; these modules, 93 ms; `node -e 0`, 87 ms.
 *   Bundled, the index takes 137 ms against 94 ms: most of the start-up of a step that triggers
 *   nothing.
 * - Importing its lib/ files instead (command.js, file-command.js, summary.js), as this file did,
 *   reaches past the package's `exports`, which name only its index: any release may move them.
 */
import { appendFileSync, existsSync } from 'node:fs'
import { EOL } from 'node:os'
import { commandLine, keyValueBlock } from './workflow-commands.js'

/** Writes one workflow command line to stdout, where the runner reads it. */
function issue(name: string, message: unknown, properties: Record<string, string> = {}): void {
  process.stdout.write(commandLine(name, properties, message) + EOL)
}

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

/** Appends the output to the GITHUB_OUTPUT file; a runner without one still reads the older `set-output` command. */
export function setOutput(name: string, value: unknown): void {
  const file = process.env.GITHUB_OUTPUT
  if (file) {
    // The runner creates the file; one that is missing means the step's environment is broken.
    if (!existsSync(file)) throw new Error(`GITHUB_OUTPUT names ${file}, which does not exist.`)
    return appendFileSync(file, keyValueBlock(name, value) + EOL, { encoding: 'utf8' })
  }
  process.stdout.write(EOL)
  issue('set-output', value, { name })
}

/** Masks the value in the log from here on. */
export function setSecret(secret: string): void {
  issue('add-mask', secret)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function notice(message: string): void {
  issue('notice', message)
}

export function warning(message: string): void {
  issue('warning', message)
}

export function error(message: string): void {
  issue('error', message)
}

/** Fails the step: exit code 1 when the process ends, and the message as an error annotation. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}
