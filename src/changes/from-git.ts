/**
 * Which files an event changed, from git. Base selection (and why):
 * - push: `before..after`, two-dot, which needs only the two commits, so a depth-1 checkout
 *   fetches `before` at depth 1 and nothing else;
 * - push of a new branch (`before` all zeros): from the merge-base with the default branch
 *   (the whole tree when the default branch itself is created);
 * - forced push: from the merge-base of the old and new tips, so a rebase does not report
 *   everything upstream did; the default branch's merge-base when the old tip is gone;
 * - pull request: three-dot, merge-base(base, head)..head, as GitHub shows it;
 * - merge_group: base_sha..head_sha;
 * - tag push: from the nearest earlier tag among the tagged commit's ancestors ("no base"
 *   and no files when there is none);
 * - deleted branches: no files.
 * Merge-bases deepen geometrically from depth 1 with a bounded number of fetches.
 */
import { UserError } from '../errors.js'
import type { TriggerEvent } from '../event/trigger-event.js'
import { ChangesUnavailable, type ChangeSet } from './change-set.js'
import type { Git } from './git.js'
import { parseNameStatus } from './name-status.js'

/** Depths tried, one fetch each, before a final unshallow. */
const DEEPEN_STEPS = [16, 128, 1024]

export type Log = (message: string) => void

/** git cannot answer here (no repository, or a fetch failed); the GitHub API may, given a token. */
export class GitUnavailable extends ChangesUnavailable {
  override name = 'GitUnavailable'
}

export class GitChanges {
  constructor(
    private readonly git: Git,
    private readonly log: Log
  ) {}

  /** The change set of a push, pull request or merge group; undefined for other events. */
  async forEvent(event: TriggerEvent): Promise<ChangeSet | undefined> {
    if (event.kind === 'push' && event.push) {
      const { before, after, created, deleted, forced } = event.push
      if (deleted) return this.none(before, 'the push deleted the ref')
      // The commits a plain push compares are looked up beside the repository check: one git call's wait less.
      const plain = !event.isTag && !created && !forced
      const missing = plain ? this.missingCommits([before, after]).catch(() => undefined) : undefined
      await this.checkRepository()
      if (event.isTag) return this.tagPush(event.refName, after)
      if (created) return this.newBranch(event, after)
      if (forced) return this.forcedPush(event, before, after)
      await this.ensureCommits([before, after], await missing)
      return this.diff(before, after, `push: ${short(before)}..${short(after)}`)
    }
    if (event.kind === 'pull_request' && event.pullRequest) {
      const { baseSha, headSha } = event.pullRequest
      await this.checkRepository()
      const mergeBase = await this.mergeBase(baseSha, headSha)
      if (!mergeBase) {
        throw new UserError(
          `Pull request: base ${short(baseSha)} and head ${short(headSha)} share no history, so the changed files cannot be listed. Fix: rebase the branch onto ${event.pullRequest.baseRef || 'the base branch'}, or use rules without paths for this event.`
        )
      }
      return this.diff(
        mergeBase,
        headSha,
        `pull request: ${short(baseSha)}...${short(headSha)} (merge-base ${short(mergeBase)})`
      )
    }
    if (event.kind === 'merge_group' && event.mergeGroup) {
      const { baseSha, headSha } = event.mergeGroup
      await this.checkRepository()
      await this.ensureCommits([baseSha, headSha])
      return this.diff(baseSha, headSha, `merge group: ${short(baseSha)}..${short(headSha)}`)
    }
    return undefined
  }

  /** The changes between two commits, two-dot (schedule and dispatch rules with paths). */
  async between(base: string, head: string, what: string): Promise<ChangeSet> {
    await this.checkRepository()
    await this.ensureCommits([base, head])
    return this.diff(base, head, `${what}: ${short(base)}..${short(head)}`)
  }

  private none(sha: string, why: string): ChangeSet {
    this.log(`Changed files: none (${why}).`)
    return { files: [], complete: true, base: sha, head: sha, description: why }
  }

  private async newBranch(event: TriggerEvent, after: string): Promise<ChangeSet> {
    const defaultBranch = event.defaultBranch
    if (!defaultBranch || defaultBranch === event.refName) {
      // The default branch itself was created: everything in it is new.
      await this.ensureCommits([after])
      const emptyTree = await this.emptyTree()
      return this.diff(emptyTree, after, `new default branch ${event.refName}: every file in ${short(after)}`)
    }
    const defaultTip = await this.fetchBranchTip(defaultBranch)
    const mergeBase = await this.mergeBase(defaultTip, after)
    if (!mergeBase) {
      throw new UserError(
        `New branch ${event.refName} shares no history with ${defaultBranch}, so the changed files cannot be listed. Fix: branch from ${defaultBranch}, or use rules without paths for this event.`
      )
    }
    return this.diff(
      mergeBase,
      after,
      `new branch: ${defaultBranch}...${short(after)} (merge-base ${short(mergeBase)})`
    )
  }

  private async tagPush(tag: string, after: string): Promise<ChangeSet> {
    // Checkouts fetch no tags, so ask origin which tags exist and which commits they point at.
    const listing = await this.git.run(['ls-remote', '--tags', 'origin'])
    if (listing.code !== 0) throw fetchError(['the tag list'], listing.stderr)
    const tagsByCommit = new Map<string, string>()
    const peeled = new Map<string, string>()
    for (const line of listing.stdout.toString('utf8').split('\n')) {
      const [sha, ref] = line.split('\t')
      if (!sha || !ref?.startsWith('refs/tags/')) continue
      const name = ref.slice('refs/tags/'.length)
      if (name.endsWith('^{}')) peeled.set(name.slice(0, -3), sha)
      else if (!peeled.has(name)) peeled.set(name, sha) // annotated tags are replaced by their ^{} line
    }
    for (const [name, sha] of peeled) if (name !== tag && !tagsByCommit.has(sha)) tagsByCommit.set(sha, name)
    if (tagsByCommit.size === 0) return this.none(after, `tag ${tag}: no earlier tag to compare with (no base)`)

    await this.ensureCommits([after])
    for (const deepen of [undefined, ...DEEPEN_STEPS.map((d) => `--depth=${d}`), '--unshallow']) {
      if (deepen) {
        if (!(await this.isShallow())) break
        const fetched = await this.git.run([
          'fetch',
          '--no-tags',
          '--no-recurse-submodules',
          '--refmap=',
          deepen,
          'origin',
          after
        ])
        if (fetched.code !== 0) throw fetchError([after], fetched.stderr)
      }
      const history = await this.git.run(['rev-list', after])
      // Strict ancestors only: another tag on the same commit (a moved `v1`) is not an earlier release.
      const previous = history.stdout
        .toString('utf8')
        .split('\n')
        .find((sha) => sha !== after && tagsByCommit.has(sha))
      if (previous)
        return this.diff(
          previous,
          after,
          `tag ${tag}: since the previous tag ${tagsByCommit.get(previous)} (${short(previous)})`
        )
    }
    return this.none(after, `tag ${tag}: no earlier tag among its ancestors (no base)`)
  }

  private async forcedPush(event: TriggerEvent, before: string, after: string): Promise<ChangeSet> {
    const oldTipFetched = await this.tryFetch(before)
    const mergeBase = oldTipFetched ? await this.mergeBase(before, after) : undefined
    if (mergeBase) {
      return this.diff(
        mergeBase,
        after,
        `forced push: merge-base of old tip ${short(before)} and ${short(after)} (${short(mergeBase)})`
      )
    }
    this.log(`The old tip ${short(before)} is gone or unrelated; comparing with the default branch instead.`)
    return this.newBranch(event, after)
  }

  private async diff(base: string, head: string, description: string): Promise<ChangeSet> {
    const result = await this.git.run([
      'diff',
      '--name-status',
      '-z',
      '-M',
      '-C',
      '--no-ext-diff',
      '--no-textconv',
      base,
      head,
      '--'
    ])
    if (result.code !== 0) throw new Error(`git diff ${base} ${head} failed: ${result.stderr}`)
    const parsed = parseNameStatus(result.stdout)
    const files = [...parsed]
    const invalid = parsed.invalidNames ?? 0
    const fullDescription =
      invalid > 0 ? `${description}; ${invalid} file name(s) are not valid UTF-8 and were left out` : description
    this.log(`Changed files: ${files.length} (${fullDescription}).`)
    return { files, complete: invalid === 0, base, head, description: fullDescription }
  }

  /** Whether the clone was shallow when the action started: fetches keep a full clone full. */
  private shallowAtStart?: boolean

  /** One git call: is this a repository, and is the clone shallow. */
  private async checkRepository(): Promise<void> {
    const result = await this.git.run(['rev-parse', '--git-dir', '--is-shallow-repository'])
    if (result.code !== 0) {
      throw new GitUnavailable(
        `The workspace is not a git repository (${result.stderr}).`,
        'Add actions/checkout before this step; any fetch-depth works, the action fetches what it needs.'
      )
    }
    this.shallowAtStart = result.stdout.toString('utf8').trim().split('\n').at(-1) === 'true'
  }

  private async hasCommit(sha: string): Promise<boolean> {
    return (await this.git.run(['cat-file', '-e', `${sha}^{commit}`])).code === 0
  }

  /** The commits not in the object store, asked in one git call. */
  private async missingCommits(shas: string[]): Promise<string[]> {
    const result = await this.git.run(
      ['cat-file', '--batch-check'],
      Buffer.from(shas.map((sha) => `${sha}^{commit}\n`).join(''))
    )
    if (result.code !== 0) throw new GitUnavailable(`git cat-file failed (${result.stderr}).`, '')
    const answers = result.stdout.toString('utf8').split('\n')
    return shas.filter((_, i) => !/ commit \d+$/.test(answers[i] ?? ''))
  }

  private async tryFetch(sha: string): Promise<boolean> {
    if (await this.hasCommit(sha)) return true
    const result = await this.git.run(await this.fetchArgs([sha]))
    return result.code === 0 && (await this.hasCommit(sha))
  }

  /**
   * A fetch of exact commits that changes nothing but the object store: no refs (--refmap=),
   * and --depth=1 only in a clone that is shallow already, so a full clone stays full.
   */
  private async fetchArgs(what: string[]): Promise<string[]> {
    const depth = (this.shallowAtStart ?? (await this.isShallow())) ? ['--depth=1'] : []
    return ['fetch', '--no-tags', '--no-recurse-submodules', '--refmap=', ...depth, 'origin', ...what]
  }

  /** @param known the missing ones, when already asked; asked again if that failed. */
  private async ensureCommits(shas: string[], known?: string[]): Promise<void> {
    const missing = known ?? (await this.missingCommits(shas))
    if (missing.length === 0) return
    this.log(`Fetching ${missing.map(short).join(', ')} at depth 1.`)
    const result = await this.git.run(await this.fetchArgs(missing))
    if (result.code !== 0) throw fetchError(missing, result.stderr)
  }

  /** The default branch's tip, asked of origin (ls-remote), so no ref is created or moved. */
  private async fetchBranchTip(branch: string): Promise<string> {
    const listing = await this.git.run(['ls-remote', '--heads', 'origin', `refs/heads/${branch}`])
    if (listing.code !== 0) throw fetchError([`refs/heads/${branch}`], listing.stderr)
    const tip = listing.stdout.toString('utf8').split('\t')[0]?.trim()
    if (!tip)
      throw new UserError(
        `The default branch ${branch} does not exist on origin, so a new branch cannot be compared with it. Check repository.default_branch.`
      )
    await this.ensureCommits([tip])
    return tip
  }

  /** The merge-base of two commits, deepening a shallow clone step by step; undefined if none. */
  private async mergeBase(a: string, b: string): Promise<string | undefined> {
    await this.ensureCommits([a, b])
    const steps = [...DEEPEN_STEPS.map((depth) => [`--depth=${depth}`]), ['--unshallow']]
    for (let step = 0; ; step++) {
      const result = await this.git.run(['merge-base', a, b])
      if (result.code === 0) return result.stdout.toString('utf8').trim()
      const deepen = steps[step]
      if (!deepen || !(await this.isShallow())) return undefined
      this.log(`No merge-base of ${short(a)} and ${short(b)} yet; fetching with ${deepen[0]}.`)
      const fetched = await this.git.run([
        'fetch',
        '--no-tags',
        '--no-recurse-submodules',
        '--refmap=',
        ...deepen,
        'origin',
        a,
        b
      ])
      if (fetched.code !== 0) throw fetchError([a, b], fetched.stderr)
    }
  }

  private async isShallow(): Promise<boolean> {
    return (await this.git.run(['rev-parse', '--is-shallow-repository'])).stdout.toString('utf8').trim() === 'true'
  }

  private async emptyTree(): Promise<string> {
    // The empty tree's id depends on the repository's hash algorithm, so ask git.
    const result = await this.git.run(['hash-object', '-t', 'tree', '/dev/null'])
    return result.stdout.toString('utf8').trim()
  }
}

function short(sha: string): string {
  return sha.slice(0, 12)
}

function fetchError(what: string[], stderr: string): GitUnavailable {
  return new GitUnavailable(
    `git fetch of ${what.map(short).join(', ')} from origin failed: ${stderr || 'no message'}.`,
    'The action fetches the commits it compares with its token input: check that the token can read this repository (the default github.token can with contents: read; README, section Permissions).'
  )
}
