/**
 * The formats of GitHub's workflow commands, as "Workflow commands for GitHub Actions" documents
 * them (docs.github.com/actions/reference/workflow-commands-for-github-actions):
 * - a line on stdout, `::name key=value,key=value::message`, with `%`, CR and LF in the message
 *   percent-encoded, and `:` and `,` too in a value;
 * - for environment files such as GITHUB_OUTPUT, a `name<<delimiter` block, the value, and the
 *   delimiter on a line of its own, the delimiter random so no value can end the block early.
 * The runner reads exactly these; see commands.ts for why they are written here.
 */
import { randomUUID } from 'node:crypto'
import { EOL } from 'node:os'

/** A value as a command carries it: a string as it is, nothing as empty, anything else as JSON. */
export function commandValue(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string' || value instanceof String) return String(value)
  return JSON.stringify(value)
}

const escapeMessage = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

const escapeProperty = (text: string): string => escapeMessage(text).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** One workflow command line, without its line end; properties without a value are left out. */
export function commandLine(name: string, properties: Record<string, string>, message: unknown): string {
  const given = Object.entries(properties).filter(([, value]) => value)
  const list = given.map(([key, value]) => `${key}=${escapeProperty(value)}`).join(',')
  return `::${name}${list ? ` ${list}` : ''}::${escapeMessage(commandValue(message))}`
}

/** One `name<<delimiter` block of an environment file such as GITHUB_OUTPUT, without its line end. */
export function keyValueBlock(name: string, value: unknown): string {
  const delimiter = `ghadelimiter_${randomUUID()}`
  const text = commandValue(value)
  // A random UUID makes this all but impossible; if it ever happens, the block would end early.
  if (name.includes(delimiter) || text.includes(delimiter))
    throw new Error(`The output ${name}: its name or value contains the block's delimiter ${delimiter}.`)
  return `${name}<<${delimiter}${EOL}${text}${EOL}${delimiter}`
}
