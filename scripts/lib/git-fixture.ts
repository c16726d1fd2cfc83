/**
 * Real git repositories for the tests, the demo and the bench: a bare origin, an author clone
 * that commits and pushes, and workspaces checked out the way actions/checkout does it (depth 1,
 * one ref).
 * Nothing reads or writes the user's git config: HOME points into the fixture.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export const ZEROS = '0'.repeat(40)

export class GitFixture {
  readonly root = mkdtempSync(join(tmpdir(), 'pt-git-'))
  readonly origin = join(this.root, 'origin.git')
  readonly author = join(this.root, 'author')
  readonly url = `file://${this.origin}`
  private readonly env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: this.root,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Test Author',
    GIT_AUTHOR_EMAIL: 'author@example.com',
    GIT_COMMITTER_NAME: 'Test Author',
    GIT_COMMITTER_EMAIL: 'author@example.com',
    LC_ALL: 'C'
  }
  private tick = 0

  constructor(defaultBranch = 'main') {
    this.git(this.root, 'init', '--quiet', '--bare', '-b', defaultBranch, this.origin)
    this.git(this.root, 'init', '--quiet', '-b', defaultBranch, this.author)
    this.git(this.author, 'remote', 'add', 'origin', this.url)
  }

  git(cwd: string, ...args: string[]): string {
    // A fixed, advancing clock makes commit ids repeatable from run to run.
    const date = `${1_700_000_000 + this.tick++} +0000`
    return execFileSync('git', args, {
      cwd,
      env: { ...this.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']
    }).trim()
  }

  /** Runs git with text on standard input (e.g. fast-import). */
  gitInput(cwd: string, input: string, ...args: string[]): string {
    return execFileSync('git', args, { cwd, env: this.env, input, encoding: 'utf8' }).trim()
  }

  /** Writes (string) or deletes (null) files, then commits them all. Returns the new commit. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.author, path)
      if (content === null) rmSync(full, { force: true })
      else {
        mkdirSync(dirname(full), { recursive: true })
        writeFileSync(full, content)
      }
    }
    this.git(this.author, 'add', '--all')
    this.git(this.author, 'commit', '--quiet', '--allow-empty', '-m', message)
    return this.head()
  }

  head(): string {
    return this.git(this.author, 'rev-parse', 'HEAD')
  }

  checkout(...args: string[]): void {
    this.git(this.author, 'checkout', '--quiet', ...args)
  }

  push(ref: string, options: { force?: boolean } = {}): void {
    this.git(this.author, 'push', '--quiet', ...(options.force ? ['--force'] : []), 'origin', `HEAD:${ref}`)
  }

  /** A workspace as actions/checkout leaves it: one ref fetched at depth 1, checked out detached. */
  workspace(ref: string, name = `ws-${this.tick}`): string {
    const dir = join(this.root, name)
    this.git(this.root, 'init', '--quiet', dir)
    this.git(dir, 'remote', 'add', 'origin', this.url)
    this.git(dir, 'fetch', '--quiet', '--no-tags', '--depth=1', 'origin', `+${ref}:refs/remotes/origin/checkout`)
    this.git(dir, 'checkout', '--quiet', '--detach', 'refs/remotes/origin/checkout')
    return dir
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true })
  }
}
