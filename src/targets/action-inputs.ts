/**
 * What a target type reads from the action inputs: the names it declares (with action.yml's
 * default of each), what it makes of them, and, if it has one, its inline mode (the `target`
 * input). src/inputs/ reads every declared input the same way and hands each type its own; a
 * read of a name the type did not declare does not compile. No schema (zod) is loaded here: this
 * runs at every step's start, before anything says a target will be used.
 */

/** One action input a target reads. */
export interface InputSpec {
  /** action.yml's default, used when the input is empty (test/unit/contract.test.ts keeps them equal). */
  readonly default?: string
  /** A secret: masked as soon as the step starts, before anything could print it. */
  readonly secret?: true
  /** A YAML or JSON mapping (the YAML parser loads only when one is given). */
  readonly mapping?: true
  /** Describes an inline pipeline by itself (the command argv): given with a config input set, the step is refused. */
  readonly inlineOnly?: true
  /** Every step reads it too, whatever its target (the GitHub token): the README lists it with the common inputs. */
  readonly common?: true
}

/** How a target reads the inputs it declared; each method takes only a declared name. */
export interface InputReader<Name extends string> {
  /** The input's text, trimmed; its declared default when empty. */
  text(name: Name): string
  /** true or false (YAML 1.2 booleans); the declared default when empty; undefined without one. */
  boolean(name: Name): boolean | undefined
  /** One value per line, each trimmed; empty lines dropped. */
  lines(name: Name): string[]
  /** A YAML or JSON mapping (its errors name the input); undefined when empty. */
  mapping(name: Name): Record<string, unknown> | undefined
  /** One of the allowed words (else an error naming the input and the choices); undefined when empty. */
  oneOf<T extends string>(name: Name, allowed: readonly T[]): T | undefined
  /** A variable of the runner's environment (GITHUB_REPOSITORY, GITHUB_API_URL…); '' when unset. */
  env(name: string): string
  /** The step is a dry run: it connects to nothing, so a missing secret may pass. */
  readonly dryRun: boolean
}

/** Inline mode for a type: the step's one target described by the inputs, named by its type. */
export interface InlineTarget<Read, Config> {
  /** What a user sets to get this type, for the error when no target is given ("set http-url (target http)"). */
  readonly needs: string
  /** The inputs name this type when the `target` input is empty (the first such type in TARGET_TYPES wins). */
  given(inputs: Read): boolean
  /** The config-file target the inputs describe; a UserError names the input that is missing. */
  config(inputs: Read): Config
  /**
   * The target a later pass of an inline step (mode reconcile or report) asks about a run it
   * started, from the same inputs; absent where a later pass cannot ask this type.
   */
  followUp?(inputs: Read): Config
  /** Where a later pass cannot ask this type about an inline step's run: why, and the fix (the config file at `configPath`). */
  unfollowable?(configPath: string): string
}

export interface ActionInputs<Name extends string, Read, Config> {
  /** Every action input the type reads, with its default as action.yml has it. */
  readonly names: { readonly [N in Name]: InputSpec }
  /** The inputs as the type uses them: defaults for every target of the type (a config file's keys win). */
  read(input: InputReader<Name>): Read
  /** Inline mode; absent = the type is only for the config file. */
  readonly inline?: InlineTarget<Read, Config>
}

/**
 * Declares a type's inputs: `names` fixes which names `read` may ask for, so reading an input
 * that is not declared (and so not checked against action.yml) does not compile.
 */
export function actionInputs<Name extends string, Read, Config = never>(
  spec: ActionInputs<Name, Read, Config>
): ActionInputs<Name, Read, Config> {
  return spec
}
