/**
 * What a target type is, as one module: its config-file keys, the action inputs it reads (and its
 * inline mode), its resolution from the config and those inputs, and its connection. The registry
 * (registry.ts) holds one per type, and the compiler holds every module to this shape: a part
 * missing does not compile.
 */
import type { z } from 'zod'
import type { Clock, Deadline } from '../clock.js'
import type { ActionInputs } from './action-inputs.js'
import type { ResolveContext } from './resolve-context.js'
import type { Target } from './target.js'

/** What every resolved target has, whatever its type. */
export interface ResolvedCommon<Type extends string = string> {
  type: Type
  /** The target's name in the config. */
  name: string
  /** How many requests of this target may start at once. */
  maxParallel: number
}

/** What connecting a target may use: the runner, the clock and deadline, masking, the log, shared logins. */
export interface ConnectContext {
  workspace: string
  /** A per-job directory for run configs and result files (RUNNER_TEMP). */
  tempDir: string
  /** The environment children inherit, without the action's own INPUT_* values. */
  env: Record<string, string>
  clock: Clock
  deadline: Deadline
  mask(secret: string): void
  log(message: string): void
  /** Tags naming where runs come from (repository, commit, workflow run). */
  provenance: string[]
  /**
   * What several targets of the step share, opened once (a login per server and key): the first
   * call with a key opens it, every later one gets the same promise, a failure included. The key
   * names its kind first and holds no secret, only its digest (`zenml-login <url> <key digest>`).
   */
  shared<T>(key: string, open: () => Promise<T>): Promise<T>
}

export interface TargetModule<
  Type extends string,
  Config extends { type: Type },
  Resolved extends ResolvedCommon<Type>,
  Inputs
> {
  readonly type: Type
  /** The config-file keys (zod): the runtime check, the TypeScript type and the published JSON Schema. */
  readonly schema: z.ZodType<Config>
  /** The action inputs it reads (its inputs.ts), what it makes of them, and its inline mode if it has one. */
  readonly inputs: ActionInputs<string, Inputs, Config>
  /** max-parallel when neither the config nor the input says. */
  readonly defaultMaxParallel: number
  /** The config's keys laid over the action inputs, secrets read and masked, every default filled in. */
  resolve(name: string, config: Config, context: ResolveContext<Inputs>): Resolved
  /** The Target, logged in where it needs a server. Its code loads here, only when something is triggered. */
  connect(resolved: Resolved, context: ConnectContext): Promise<Target>
}

/** Any target module, for code that handles them all alike. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTargetModule = TargetModule<string, any, any, any>
