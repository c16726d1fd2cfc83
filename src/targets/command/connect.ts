/** The command target: runs in this job, and follows the run on its ZenML server when one is set. */
import { sharedLogin } from '../../zenml/shared-login.js'
import type { ConnectContext } from '../module.js'
import type { Target } from '../target.js'
import { CommandTarget } from './command-target.js'
import type { ResolvedCommand } from './resolve.js'

export async function connectCommand(resolved: ResolvedCommand, context: ConnectContext): Promise<Target> {
  return new CommandTarget(resolved, context, resolved.server ? await sharedLogin(resolved.server, context) : undefined)
}
