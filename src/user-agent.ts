/** The User-Agent of every request the action sends, with the version from package.json (one source). */
import packageJson from '../package.json' with { type: 'json' }

export const USER_AGENT = `pipeline-trigger/${packageJson.version}`
