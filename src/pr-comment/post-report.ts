/**
 * The report on the pull request: one comment per pull request, edited in place, that every job
 * reporting on the pull request shares. GitHub holds the state: nothing of ours is kept anywhere else.
 *
 * The comment:
 * - opens with the hidden marker `<!-- pipeline-trigger:report -->`. Only a comment that starts
 *   with it AND whose author is trusted counts: a bot (`user.type` Bot: an app installed on the
 *   repository, github-actions[bot] for GITHUB_TOKEN) or someone with a hand in the repository
 *   (author_association OWNER, MEMBER or COLLABORATOR). Anyone may comment on a public pull
 *   request, so a fork's author who posts the marker cannot make a job adopt, or quote, their comment.
 * - holds one section per job, between `<!-- pipeline-trigger:section KEY sha=SHA digest=D -->` and
 *   `<!-- pipeline-trigger:end KEY -->`. KEY is the job's stable key (workflow/job/what it ran),
 *   URI-encoded so it has no space and no `-->`; SHA the commit the section reports on; D a digest
 *   of the job's whole section, so a job recognises its own section even after another job's write
 *   shortened it. A section's text cannot hold a marker of ours: `<!--` before `pipeline-trigger:` is
 *   written `&lt;!--`. A section may start with one hidden record line of ours (report-section.ts:
 *   its rows, for a later pass), kept whole when the section is shortened.
 * - is upserted: sections of the same commit are kept, ours replaced, sections of another commit (an
 *   older push) dropped, and the sections sorted by key, so every job writes the same body for the
 *   same sections. The body stays within GitHub's 65,536 characters: when the sections do not fit,
 *   the longest are shortened alike (at a line, a code fence closed) with a line saying so. Never an error.
 *
 * The steps, each round (at most 5):
 * 1. The pull request is read: if its head is no longer this job's commit, a newer push superseded
 *    it; nothing is written (its jobs report on the newer commit).
 * 2. Every page of the comments is read. Of the trusted marker comments, the one with the lowest id
 *    is THE comment: it is edited (nothing is written when the body would not change). None: one is
 *    created, and the comments are listed again. If a trusted marker comment with a lower id turns
 *    up then (another job created one at the same time), ours is deleted and our section merged into
 *    that one, read afresh: of two comments created at once, both jobs keep the older.
 * 3. After the write, a jittered 0.5 to 1.5 s, then the comment is read again. If our section (our
 *    key, commit and digest) is not in it, another job's write, made from what it read before ours
 *    landed, replaced it: next round, from the comment as it is now.
 * Five rounds in a row overwritten: not posted, said; the check runs' summaries and the job summary
 * hold the report either way.
 *
 * The client sends a process's writes at once while its write budget has room (GitHub's 80 a
 * minute and 500 an hour; src/github/request-budget.ts) and holds them after a rate limit. A listing
 * that a write is made from is therefore read only once the client could send the write at once
 * (`writeRoom`); otherwise the write would wait in the client and go out long after what it read.
 * The budget knows every write of the process, the step's check runs included.
 *
 * What is left (GitHub has no compare-and-swap, no ETag precondition, for comments): a job's section
 * can still be lost when another job read the comment before our write landed and its own write lands
 * after we read the comment back, that is when its read-to-write time (one listing's answer, one
 * PATCH, and any wait in its client for its write budget) is longer than our jittered wait
 * plus one GET. The other job then finds its own section and stops, and ours is gone until this job
 * runs again. The same holds for a push: a job that read the pull request's head just before a push
 * can still write its older commit's section, dropping the newer commit's, within one read-to-write
 * time; the newer commit's jobs put theirs back only if they are still checking. Listings are read
 * as GitHub answers them: a comment created a moment ago that a listing does not show yet can make
 * two comments; the later jobs then use the older one, and the other stays as it was.
 *
 * A later pass (reconcile, a callback) brings sections up to date with updatePullRequestReport: the
 * same rounds, head check and read-back, but it edits only sections the trusted comment already has
 * for the commit (the caller says which, from what it read), and never creates a comment.
 *
 * Permissions: `pull-requests: write` (or `issues: write`) to comment. A 403 on a write (a fork's
 * pull request gets a read-only token) means not posted, with the permission named; the report is in
 * the job summary instead. Reads are retried under the one policy; a create is not (an
 * answer that was lost may have made the comment: the listing after it finds and dedupes it).
 */
import { createHash } from 'node:crypto'
import type { Clock } from '../clock.js'
import { GitHubRefusal, type GitHubClient } from '../github/client.js'
import { commentsApi, type IssueComment } from '../github/comments-api.js'

interface ReportTarget {
  client: GitHubClient
  /** owner/name */
  repository: string
  pullNumber: number
  /** The commit the sections report on: the pull request's head when the job started. */
  headSha: string
  clock: Clock
  log(message: string): void
}

/** A section as the caller writes or reads it. */
export interface SectionText {
  /** A stable key of the job's section: workflow/job/what it ran. */
  key: string
  /** The rendered section. */
  markdown: string
  /** One hidden line of ours (`<!-- pipeline-trigger:… -->`), kept whole; another line is not written. */
  record?: string
}

export interface PullRequestReportOptions extends ReportTarget {
  /** A stable key of this job's section: workflow/job/what it ran. */
  section: string
  /** This job's rendered section. */
  markdown: string
  /** The hidden record of its rows (report-section.ts). */
  record?: string
}

export interface ReportUpdateOptions extends ReportTarget {
  /**
   * The sections to replace, given the commit's sections as THE comment has them now (asked again
   * each round); none: nothing to write. Sections not returned are kept as they are.
   */
  edit(sections: SectionText[]): SectionText[]
}

export type ReportPosted =
  | { posted: true; commentId: number; url: string }
  /** `refused`: GitHub refused the write (403): the token may not comment. */
  | { posted: false; reason: string; refused?: true }

export const REPORT_MARKER = '<!-- pipeline-trigger:report -->'
/** GitHub's limit on a comment's body, in characters. */
export const COMMENT_LIMIT = 65_536
const ROUNDS = 5
const TRUSTED_ASSOCIATIONS: readonly string[] = ['OWNER', 'MEMBER', 'COLLABORATOR']
/** Where the report is when the comment is not. */
const ELSEWHERE = 'the job summary has the report instead (and the check runs, where the token could write them)'

interface Section {
  key: string
  sha: string
  digest: string
  /** The hidden record line, or ''. */
  record: string
  markdown: string
}

interface Comment {
  id: number
  body: string
  url: string
}

/** The fields of a listed comment that decide whether it is ours. */
const SECTION =
  /<!-- pipeline-trigger:section (\S+) sha=(\S+)(?: digest=(\S+))? -->\n([\s\S]*?)\n<!-- pipeline-trigger:end \1 -->/g
/** A record line: a hidden comment of ours, with no `-->` before its end and no `<!--` after its start. */
const RECORD_LINE = /^<!-- pipeline-trigger:[a-z-]+ (?:(?!-->|<!--)[^\n])* -->$/

/** Posts or updates this job's section of the pull request's report comment. */
export function postPullRequestReport(options: PullRequestReportOptions): Promise<ReportPosted> {
  const section: SectionText = {
    key: options.section,
    markdown: options.markdown,
    ...(options.record !== undefined ? { record: options.record } : {})
  }
  return upsertReport(options, true, () => [section])
}

/**
 * Replaces sections the report comment has for the commit, as `edit` says from what they hold now;
 * creates nothing. Not posted (with the reason) when there is no comment, the commit is no longer the
 * pull request's head, or `edit` has nothing to replace.
 */
export function updatePullRequestReport(options: ReportUpdateOptions): Promise<ReportPosted> {
  const sha = encodeURIComponent(options.headSha)
  return upsertReport(options, false, (body) =>
    options.edit(
      parseSections(body).flatMap((s) =>
        s.sha === sha
          ? [{ key: safeDecode(s.key), markdown: s.markdown, ...(s.record ? { record: s.record } : {}) }]
          : []
      )
    )
  )
}

/**
 * The rounds of a write (see the file's comment): `sectionsFor` gives the sections to upsert from
 * THE comment's body as it is now (the empty string when there is none yet, which `create` allows).
 */
async function upsertReport(
  options: ReportTarget,
  create: boolean,
  sectionsFor: (body: string) => SectionText[]
): Promise<ReportPosted> {
  const { client, pullNumber, headSha, clock, log } = options
  const comments = commentsApi(client, options.repository, pullNumber)
  /** The sections our last write upserted: the read-back looks for them. */
  let ours: Section[] = []
  const oursFrom = (body: string): Section[] => sectionsFor(body).map((section) => toSection(section, headSha))
  const pr = `pull request #${pullNumber}`
  /** Nothing to write: no comment to edit, or no section to replace. */
  let nothing: string | undefined

  const currentHead = () => comments.headSha()

  /** The trusted marker comments, lowest id first. */
  const reportComments = async (): Promise<Comment[]> => {
    const found: Comment[] = []
    for (let page = 1; page <= 100; page++) {
      const { comments: listed, more } = await comments.list(page)
      for (const comment of listed)
        if (isReportComment(comment)) found.push({ id: comment.id, body: comment.body, url: comment.url })
      if (!more) break
    }
    return found.sort((a, b) => a.id - b.id)
  }

  /**
   * A listing that a write is made from is read only once the client could send the write at once:
   * read sooner, the write would wait for the write budget and go out as stale as that wait.
   */
  const settle = () => client.writeRoom()

  /** A write: a 403 (the token may not comment) ends the report, not the step; see the loop. */
  const written = async <T>(request: () => Promise<T>): Promise<T> => {
    try {
      return await request()
    } catch (error) {
      throw error instanceof GitHubRefusal && error.status === 403 ? new WriteRefused(error) : error
    }
  }

  /** Our body on the comment; undefined when it was deleted since the listing (next round, from the comments as they are). */
  const update = async (comment: Comment, body: string): Promise<Comment | undefined> => {
    log(`Editing the report comment ${comment.id} of ${pr}.`)
    try {
      // Retried: the same body written twice is the same comment.
      const { id, body: now, url } = await written(() => comments.update(comment.id, body))
      return { id, body: now, url }
    } catch (error) {
      if (error instanceof GitHubRefusal && error.status === 404) return undefined
      throw error
    }
  }

  /** Writes our section into THE comment; returns the comment written, or undefined to go round again. */
  const write = async (): Promise<Comment | undefined> => {
    // Twice at most: a second pass follows only our deleting a duplicate.
    for (let pass = 1; pass <= 2; pass++) {
      await settle()
      const [target] = await reportComments()
      if (target || !create) {
        ours = target ? oursFrom(target.body) : []
        if (!target || ours.length === 0) {
          nothing = target
            ? `the report comment ${target.id} has no section of ${headSha.slice(0, 7)} to bring up to date`
            : `${pr} has no report comment to bring up to date`
          return undefined
        }
        const body = mergeReport(target.body, ours)
        return body === target.body ? target : update(target, body)
      }
      ours = oursFrom('')
      // Not retried: a create whose answer was lost may have made the comment; the listing below finds it.
      const made = await written(() => comments.create(mergeReport(undefined, ours)))
      const created: Comment = { id: made.id, body: made.body, url: made.url }
      const older = (await reportComments()).find((comment) => comment.id < created.id)
      if (!older) {
        log(`Created the report comment ${created.id} of ${pr}.`)
        return created
      }
      // Another job created one at the same time: the older one is THE comment; ours goes, and
      // our section is merged into the older one as it is after the delete (the next pass).
      log(
        `Another job created the report comment ${older.id} of ${pr} at the same time; ours (${created.id}) is deleted.`
      )
      await written(() => comments.delete(created.id)).catch((error: unknown) => {
        // Already gone (a retried delete whose first answer was lost): done.
        if (!(error instanceof GitHubRefusal && error.status === 404)) throw error
      })
    }
    return undefined
  }

  for (let round = 1; round <= ROUNDS; round++) {
    const head = await currentHead()
    if (head !== headSha) {
      const reason = `a newer push (${head.slice(0, 7)}) superseded this one (${headSha.slice(0, 7)}) on ${pr}; the newer commit's jobs report on it`
      log(`No report comment: ${reason}.`)
      return { posted: false, reason }
    }
    let comment: Comment | undefined
    try {
      comment = await write()
    } catch (error) {
      if (!(error instanceof WriteRefused)) throw error
      const reason = `the token may not comment on ${pr} (permissions: pull-requests: write; a pull request from a fork gets a read-only token); ${ELSEWHERE}. (${error.message})`
      log(`No report comment: ${reason}`)
      return { posted: false, reason, refused: true }
    }
    if (nothing !== undefined) {
      log(`No report comment written: ${nothing}.`)
      return { posted: false, reason: nothing }
    }
    if (comment) {
      // Another job's write made from what it read before ours landed would land within about this long.
      await clock.sleep(500 + Math.floor(clock.random() * 1000))
      const now = await readBack(comment.id)
      if (now !== undefined && ours.every((section) => isOurs(now.body, section))) {
        log(`Report posted on ${pr}: ${now.url}`)
        return { posted: true, commentId: now.id, url: now.url }
      }
      log(
        `Another job's write replaced this job's section${ours.length > 1 ? 's' : ''} of the report comment ${comment.id} (round ${round} of ${ROUNDS}); merging again.`
      )
    }
  }
  const reason = `other jobs' writes replaced this job's section of the report comment on ${pr} ${ROUNDS} times in a row; ${ELSEWHERE}`
  log(`No report comment: ${reason}.`)
  return { posted: false, reason }

  async function readBack(id: number): Promise<Comment | undefined> {
    try {
      const now = await comments.get(id)
      return { id: now.id, body: now.body, url: now.url }
    } catch (error) {
      if (error instanceof GitHubRefusal && error.status === 404) return undefined
      throw error
    }
  }
}

/** GitHub refused a write with 403: the token may not comment here. */
class WriteRefused extends Error {
  constructor(readonly refusal: GitHubRefusal) {
    super(refusal.message)
  }
}

/** A comment of ours: it starts with the marker and its author is trusted. */
function isReportComment(comment: IssueComment): boolean {
  if (!comment.body.startsWith(REPORT_MARKER)) return false
  return comment.user?.type === 'Bot' || TRUSTED_ASSOCIATIONS.includes(comment.authorAssociation ?? '')
}

/** Our section (key, commit and digest) is in the body: shortened or not, it is the one we wrote. */
function isOurs(body: string, ours: Section): boolean {
  if (!body.startsWith(REPORT_MARKER)) return false
  return parseSections(body).some((s) => s.key === ours.key && s.sha === ours.sha && s.digest === ours.digest)
}

/** A section as written: its key and commit encoded, its digest, its record checked, its text neutralized. */
function toSection(section: SectionText, headSha: string): Section {
  const record = section.record !== undefined && RECORD_LINE.test(section.record) ? section.record : ''
  return {
    key: encodeURIComponent(section.key),
    sha: encodeURIComponent(headSha),
    digest: createHash('sha256').update(`${record}\n${section.markdown}`).digest('hex').slice(0, 16),
    record,
    markdown: neutralize(section.markdown)
  }
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** A section's text cannot open or close a section: our markers' `<!--` is written as text. */
function neutralize(markdown: string): string {
  return markdown.replace(/<!--(\s*pipeline-trigger:)/gi, '&lt;!--$1').replace(/\n+$/, '')
}

function parseSections(body: string): Section[] {
  return [...body.matchAll(SECTION)].map((m) => {
    const text = m[4]!
    const newline = text.indexOf('\n')
    const first = newline < 0 ? text : text.slice(0, newline)
    const record = RECORD_LINE.test(first) ? first : ''
    return {
      key: m[1]!,
      sha: m[2]!,
      digest: m[3] ?? '',
      record,
      markdown: record ? (newline < 0 ? '' : text.slice(newline + 1)) : text
    }
  })
}

const open = (s: Section) => `<!-- pipeline-trigger:section ${s.key} sha=${s.sha} digest=${s.digest} -->`
const close = (s: Section) => `<!-- pipeline-trigger:end ${s.key} -->`

/**
 * The comment's body with `ours` upserted into `existing`: the sections of our commit kept, ours
 * replaced, other commits' dropped, sorted by key, within `limit` characters.
 */
function mergeReport(existing: string | undefined, ours: Section[], limit = COMMENT_LIMIT): string {
  const sections = [...ours]
  const keys = new Set(ours.map((section) => section.key))
  const sha = ours[0]?.sha
  // The first of a key counts (a hand-edited comment may repeat one).
  for (const section of existing?.startsWith(REPORT_MARKER) ? parseSections(existing) : [])
    if (section.sha === sha && !keys.has(section.key)) {
      keys.add(section.key)
      sections.push(section)
    }
  sections.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return fit(sections, ours, limit)
}

const render = (sections: Section[], left: number): string =>
  [
    REPORT_MARKER,
    ...sections.map((s) => `${open(s)}\n${s.record ? `${s.record}\n` : ''}${s.markdown}\n${close(s)}`),
    ...(left ? [`_${left} more ${left === 1 ? 'section' : 'sections'} left out to fit GitHub's comment limit._`] : [])
  ].join('\n\n')

/** The note a shortened section ends with. */
const cutNote = (dropped: number) =>
  `\n\n_… ${dropped} characters cut to fit GitHub's ${COMMENT_LIMIT}-character limit on a comment; the check runs' summaries and the job summary have it all._`
/** Room for the note and a closing fence, whatever the count. */
const NOTE_ROOM = cutNote(COMMENT_LIMIT * 1000).length + 4

/**
 * The body, shortened to fit: every section longer than one cap is cut to it (the cap as large as
 * fits), so the longest are shortened first and alike; records are never cut. Where even the markers
 * and records leave no room (hundreds of sections), sections other than ours are left out, the last
 * keys first, and counted; where ours alone do not fit, their records go, then their text is cut.
 */
function fit(sections: Section[], ours: Section[], limit: number): string {
  let list = sections
  for (let left = 0; ; left++) {
    const whole = render(list, left)
    if (whole.length <= limit) return whole
    const overhead = whole.length - list.reduce((sum, s) => sum + s.markdown.length, 0)
    const budget = limit - overhead
    if (budget >= list.length * (NOTE_ROOM + 200)) {
      const cap = waterLevel(
        list.map((s) => s.markdown.length),
        budget
      )
      const cut = render(
        list.map((s) => (s.markdown.length > cap ? { ...s, markdown: shorten(s.markdown, cap) } : s)),
        left
      )
      if (cut.length <= limit) return cut
    }
    const drop = list.findLastIndex((s) => !ours.includes(s))
    if (drop < 0) return fitOurs(list, left, limit)
    list = list.filter((_, i) => i !== drop)
  }
}

/** Only our sections are left and they do not fit: without their records, each cut to its share. */
function fitOurs(list: Section[], left: number, limit: number): string {
  const bare = list.map((s) => ({ ...s, record: '' }))
  const overhead = render(bare, left).length - bare.reduce((sum, s) => sum + s.markdown.length, 0)
  const share = Math.max(0, Math.floor((limit - overhead) / bare.length))
  return render(
    bare.map((s) => ({ ...s, markdown: shorten(s.markdown, share) })),
    left
  )
}

/** The largest cap such that the lengths, each cut to it, sum to at most `budget`. */
function waterLevel(lengths: number[], budget: number): number {
  const sorted = [...lengths].sort((a, b) => a - b)
  let rest = budget
  for (let i = 0; i < sorted.length; i++) {
    const share = Math.floor(rest / (sorted.length - i))
    if (sorted[i]! > share) return share
    rest -= sorted[i]!
  }
  return Number.POSITIVE_INFINITY
}

/** The text cut to at most `max` characters at a line, an open code fence closed, with the note. */
function shorten(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown
  const room = max - NOTE_ROOM
  if (room <= 0) return ''
  let head = markdown.slice(0, room)
  const line = head.lastIndexOf('\n')
  if (line > room / 2) head = head.slice(0, line)
  // Not half a surrogate pair.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1)
  if (head.split('\n').filter((l) => /^\s*```/.test(l)).length % 2 === 1) head += '\n```'
  return `${head}${cutNote(markdown.length - head.length)}`
}
