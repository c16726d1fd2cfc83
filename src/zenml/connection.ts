/** A logged-in ZenML server: checked and connected before anything runs, so a wrong URL or key fails first. */
import { UserError } from '../errors.js'
import { ZenmlClient, type ServerInfo } from './zenml-client.js'

/** A ZenML server and the key to log in with. */
export interface ZenmlServerConfig {
  url: string
  apiKey: string
  project: string
}

export interface ZenmlConnection {
  client: ZenmlClient
  apiKey: string
  project: string
  info: ServerInfo
}

/** The oldest server the action talks to: run templates arrived in 0.63. */
const MIN_VERSION = [0, 63] as const

export async function connectZenml(
  server: ZenmlServerConfig,
  signal: AbortSignal,
  mask: (secret: string) => void,
  log: (message: string) => void
): Promise<ZenmlConnection> {
  const client = new ZenmlClient(server.url, server.apiKey, mask)
  const info = await client.info(signal)
  const [major = 0, minor = 0] = info.version.split('.').map(Number)
  if (major < MIN_VERSION[0] || (major === MIN_VERSION[0] && minor < MIN_VERSION[1])) {
    throw new UserError(
      `ZenML server ${client.url} runs ${info.version}; the action needs 0.63 or newer. Upgrade the server.`
    )
  }
  await client.login(signal)
  log(
    `ZenML server ${client.url}: version ${info.version} (${info.deploymentType}), logged in with the service-account key.`
  )
  return { client, apiKey: server.apiKey, project: server.project, info }
}
