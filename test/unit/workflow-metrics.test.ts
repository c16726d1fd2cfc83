/**
 * The workflow target's metrics(): the run's `pipeline-metrics` artifact (metrics.json), read
 * against the GitHub fake of test/helpers/fake-github-actions.ts (the artifact list and download
 * held to GitHub's OpenAPI description), whose download redirects to a second server on another
 * origin, as GitHub's blob storage is; zips are built with fflate. What a test must script itself
 * (an answer GitHub does not give) comes from a scripted server.
 */
import assert from 'node:assert/strict'
import { afterEach, describe, test } from 'node:test'
import { strToU8, zipSync, type Zippable } from 'fflate'
import { Deadline, DeadlineExceeded, realClock } from '../../src/clock.js'
import { UserError } from '../../src/errors.js'
import { GitHubClient, GitHubRefusal } from '../../src/github/client.js'
import { isTransient } from '../../src/retry.js'
import { ActionsApi } from '../../src/targets/workflow/actions-api.js'
import { WorkflowTarget } from '../../src/targets/workflow/workflow-target.js'
import { FakeClock } from '../helpers/fake-clock.js'
import { startFakeActions, type FakeActions, type FakeArtifact } from '../helpers/fake-github-actions.js'
import { EVALUATE } from '../helpers/ml-eval-workflows.js'
import { rejection } from '../helpers/rejection.js'
import { scriptedServer, type Answer, type SeenRequest } from '../helpers/scripted-server.js'

type ResolvedWorkflow = ConstructorParameters<typeof WorkflowTarget>[0]

const TOKEN = 'ghs_metrics/Tok+en=42'
const REPO = 'ml-org/ml-eval'
const RUN = 8123
const WHERE = `the pipeline-metrics artifact of workflow run ${RUN}`
const MIB = 1024 * 1024

const cleanups: (() => Promise<void> | void)[] = []
let fake: FakeActions | undefined
afterEach(async () => {
  if (fake) assert.deepEqual(fake.contractErrors, [], "the requests and answers keep to GitHub's published contract")
  fake = undefined
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function startFake(): Promise<FakeActions> {
  const server = await startFakeActions({
    token: TOKEN,
    server: 'github.com',
    repositories: { [REPO]: { defaultBranch: 'main', workflows: { 'evaluate.yml': { id: 101, text: EVALUATE } } } }
  })
  fake = server
  cleanups.push(() => server.close())
  return server
}

/** A step deadline of its own; a test that waits for it passes a short one. */
function deadline(ms = 60_000): Deadline {
  const own = new Deadline(realClock, ms)
  cleanups.push(() => own.dispose())
  return own
}

function workflowTarget(apiUrl: string, within: Deadline = deadline()) {
  const config: ResolvedWorkflow = {
    type: 'workflow',
    name: 'evaluate',
    maxParallel: 4,
    owner: 'ml-org',
    repo: 'ml-eval',
    event: 'workflow_dispatch',
    workflow: 'evaluate.yml',
    token: TOKEN,
    apiUrl,
    cancelOnTimeout: true
  }
  const client = new GitHubClient({ token: TOKEN, apiUrl, deadline: within, clock: realClock, log: () => {} })
  return new WorkflowTarget(config, new ActionsApi(client, () => {}), new FakeClock())
}

/** metrics() of run RUN, with `artifacts` seeded for it. */
async function metricsOf(artifacts: FakeArtifact[], within: Deadline = deadline()) {
  const server = fake ?? (await startFake())
  server.seedArtifacts(REPO, RUN, artifacts)
  const target = workflowTarget(server.url, within)
  return target.metrics(target.follow(String(RUN)), within.signal)
}

const metricsZip = (files: Zippable): Uint8Array => zipSync(files)
const json = (value: unknown) => strToU8(JSON.stringify(value))
const artifact = (zip: Uint8Array, extra: Partial<FakeArtifact> = {}): FakeArtifact => ({
  name: 'pipeline-metrics',
  zip,
  ...extra
})
const routes = (server: FakeActions) => server.requests.map((r) => `${r.method} ${r.path}`)
const plain = (value: object) => JSON.parse(JSON.stringify(value)) as unknown

describe('workflow target: metrics from the pipeline-metrics artifact', () => {
  test('metrics.json is read from the artifact and bounded: nested objects flattened, the rest said', async () => {
    const server = await startFake()
    const [id] = server.seedArtifacts(REPO, RUN, [
      artifact(metricsZip({ 'metrics.json': json({ accuracy: 0.93, eval: { f1: 0.91 }, model: 'rf', passed: true }) })),
      artifact(metricsZip({ 'model.pkl': strToU8('not this one') }), { name: 'model' })
    ])
    const reading = await metricsOf([])
    assert.deepEqual(plain(reading), {
      metrics: { accuracy: 0.93, 'eval.f1': 0.91, model: 'rf' },
      ignored: ['"passed": a boolean: only numbers and short strings are metrics']
    })
    assert.equal(Object.getPrototypeOf(reading.metrics), null)
    assert.deepEqual(routes(server), [
      `GET /repos/${REPO}/actions/runs/${RUN}/artifacts?name=pipeline-metrics&per_page=100`,
      `GET /repos/${REPO}/actions/artifacts/${id}/zip`
    ])
    for (const request of server.requests) assert.equal(request.headers.authorization, `token ${TOKEN}`)
    assert.equal(server.blob.requests.length, 1)
  })

  test('the token goes to the API only: the blob storage, on another origin, gets the signed URL and no credentials', async () => {
    const server = await startFake()
    await metricsOf([artifact(metricsZip({ 'metrics.json': json({ accuracy: 1 }) }))])
    assert.notEqual(new URL(server.blob.url).origin, new URL(server.url).origin)
    const [download] = server.blob.requests
    assert.match(download!.path, /^\/actions-results\/\d+\/artifact\.zip\?.*&sig=/)
    assert.equal(download!.headers.authorization, undefined)
    assert.equal(download!.headers.cookie, undefined)
    const sent = JSON.stringify(download!.headers)
    assert.ok(!sent.includes(TOKEN) && !sent.includes(encodeURIComponent(TOKEN)), sent)
  })

  test("measured: were GitHub's redirect followed by fetch itself, Node's fetch would drop the token on the way to the other origin too", async () => {
    // The target never relies on this (it asks with redirect: manual); this pins what the platform does.
    const server = await startFake()
    const [id] = server.seedArtifacts(REPO, RUN, [artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }))])
    const within = deadline()
    const client = new GitHubClient({
      token: TOKEN,
      apiUrl: server.url,
      deadline: within,
      clock: realClock,
      log: () => {}
    })
    const followed = await client.call('following the download', { permission: '`actions: read`' }, (octokit) =>
      octokit.rest.actions.downloadArtifact({
        owner: 'ml-org',
        repo: 'ml-eval',
        artifact_id: id!,
        archive_format: 'zip'
      })
    )
    assert.equal(followed.status, 200)
    assert.equal(server.requests.at(-1)!.headers.authorization, `token ${TOKEN}`, 'the API got the token')
    assert.equal(server.blob.requests.length, 1)
    assert.equal(server.blob.requests[0]!.headers.authorization, undefined, 'the blob storage did not')
  })

  test('a zip with other files and metrics.json in a folder: the one metrics.json is read', async () => {
    const reading = await metricsOf([
      artifact(
        metricsZip({
          'README.md': strToU8('# evaluation'),
          out: { 'confusion.csv': strToU8('1,0\n0,1'), 'metrics.json': json({ recall: 0.8 }) }
        })
      )
    ])
    assert.deepEqual(plain(reading), { metrics: { recall: 0.8 }, ignored: [] })
  })

  test('metrics.json at the root wins over others in folders; several in folders and none at the root are not guessed between', async () => {
    const root = await metricsOf([
      artifact(metricsZip({ 'metrics.json': json({ a: 1 }), sub: { 'metrics.json': json({ a: 2 }) } }))
    ])
    assert.deepEqual(plain(root.metrics), { a: 1 })
    fake = undefined
    const several = await metricsOf([
      artifact(metricsZip({ a: { 'metrics.json': json({ a: 1 }) }, b: { 'metrics.json': json({ a: 2 }) } }))
    ])
    assert.deepEqual(plain(several), {
      metrics: {},
      ignored: [
        `${WHERE} holds 2 files named metrics.json ("a/metrics.json", "b/metrics.json") and none at its root, so which one holds the metrics is unclear (upload one, at the root); no metrics were read`
      ]
    })
  })
})

describe('workflow target: a run without usable metrics is a note, not an error', () => {
  test('no pipeline-metrics artifact: a note saying how to publish one; nothing downloaded', async () => {
    const server = await startFake()
    const reading = await metricsOf([artifact(metricsZip({ 'model.pkl': strToU8('x') }), { name: 'model' })])
    assert.deepEqual(plain(reading), {
      metrics: {},
      ignored: [
        `workflow run ${RUN} published no pipeline-metrics artifact (to report metrics, upload metrics.json with actions/upload-artifact under that name); no metrics were read`
      ]
    })
    assert.equal(server.requests.length, 1)
    assert.equal(server.blob.requests.length, 0)
  })

  test('an expired artifact, as listed and as found at its download (410)', async () => {
    const listed = await metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { expired: true })])
    assert.deepEqual(listed.ignored, [
      `${WHERE} has expired (GitHub keeps artifacts for the repository's retention days); no metrics were read`
    ])
    fake = undefined
    const gone = await metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { expired: 'at-download' })])
    assert.deepEqual(gone.ignored, [
      `${WHERE} has expired (GitHub answered 410 Gone to its download); no metrics were read`
    ])
    assert.equal(fake!.blob.requests.length, 0)
  })

  test('an artifact listed larger than 1 MiB is not downloaded; one that turns out larger is not read past 1 MiB', async () => {
    const listed = await metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { sizeInBytes: 5 * MIB })])
    assert.deepEqual(listed.ignored, [
      `${WHERE} is ${5 * MIB} bytes, more than the 1 MiB the action downloads (upload metrics.json alone in it); no metrics were read`
    ])
    assert.equal(fake!.requests.length, 1, 'not even asked where to download it')
    fake = undefined
    // Incompressible bytes, stored: a zip of 1.5 MiB that the listing calls small.
    const noise = new Uint8Array(1.5 * MIB).map((_, i) => (i * 2654435761) >>> 24)
    const large = await metricsOf([artifact(zipSync({ 'noise.bin': [noise, { level: 0 }] }), { sizeInBytes: 1000 })])
    assert.deepEqual(large.ignored, [
      `${WHERE} holds more than the 1 MiB the action downloads (upload metrics.json alone in it); no metrics were read`
    ])
  })

  test('metrics.json that is not JSON: a note naming the artifact and the parse error', async () => {
    const reading = await metricsOf([artifact(metricsZip({ 'metrics.json': strToU8('{"accuracy": 0.9,') }))])
    assert.equal(reading.ignored.length, 1)
    assert.match(
      reading.ignored[0]!,
      new RegExp(`^metrics\\.json in ${WHERE} is not JSON \\(.+\\); no metrics were read$`)
    )
    assert.deepEqual(plain(reading.metrics), {})
  })

  test('a zip without metrics.json, an empty one, and bytes that are no zip at all', async () => {
    const without = await metricsOf([
      artifact(metricsZip({ 'results.json': json({ a: 1 }), 'metrics.txt': strToU8('a=1') }))
    ])
    assert.deepEqual(without.ignored, [
      `${WHERE} holds no metrics.json (it holds "results.json", "metrics.txt"); no metrics were read`
    ])
    fake = undefined
    const empty = await metricsOf([artifact(metricsZip({}))])
    assert.deepEqual(empty.ignored, [`${WHERE} holds no metrics.json (it is empty); no metrics were read`])
    fake = undefined
    const garbage = await metricsOf([artifact(strToU8('<html>not a zip</html>'))])
    assert.match(garbage.ignored[0]!, new RegExp(`^${WHERE} is not a zip archive the action can read \\(.+\\)`))
  })

  test('a zip bomb: metrics.json declaring more than 1 MiB is not inflated; one declaring less than it holds is inflated into what it declares, no further', async () => {
    // 16 MiB of spaces after a valid object: valid JSON, 16 KiB compressed.
    const padded = new Uint8Array(16 * MIB).fill(0x20)
    padded.set(strToU8('{"a":1}'))
    const bomb = zipSync({ 'metrics.json': padded })
    const declared = await metricsOf([artifact(bomb)])
    assert.deepEqual(declared.ignored, [
      `metrics.json in ${WHERE} declares ${16 * MIB} bytes uncompressed, more than the 1 MiB the action reads, so it was not inflated; no metrics were read`
    ])

    // The same zip, its central directory rewritten to declare 7 bytes: inflated into a buffer of
    // 7 bytes (were it inflated whole, it would be 16 MiB, and said to be damaged).
    fake = undefined
    const lying = bomb.slice()
    const view = new DataView(lying.buffer)
    const central = lying.findLastIndex((_, i) => i <= lying.length - 46 && view.getUint32(i, true) === 0x02014b50)
    assert.ok(central > 0)
    view.setUint32(central + 24, 7, true)
    const reading = await metricsOf([artifact(lying)])
    assert.deepEqual(plain(reading), { metrics: { a: 1 }, ignored: [] }, 'only the 7 bytes it declares were inflated')
  })

  test('a download that does not match the digest GitHub lists is not read', async () => {
    const reading = await metricsOf([
      artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { digest: `sha256:${'0'.repeat(64)}` })
    ])
    assert.equal(reading.ignored.length, 1)
    assert.match(
      reading.ignored[0]!,
      new RegExp(`^${WHERE} downloaded as sha256:[0-9a-f]{64}, not the sha256:0{64} GitHub lists for it`)
    )
    // Artifacts of upload-artifact before v4 have no digest: read as they are.
    fake = undefined
    const old = await metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { digest: null })])
    assert.deepEqual(plain(old.metrics), { a: 1 })
  })

  test('a run that was never found has no artifact to read: a note, and no call', async () => {
    const server = await startFake()
    const reading = await workflowTarget(server.url).metrics(
      { correlation: 'pt-lost', dispatchedAt: 0 },
      deadline().signal
    )
    assert.deepEqual(reading.ignored, [
      'the dispatched run (run-name with pt-lost) was never found, so its pipeline-metrics artifact could not be read'
    ])
    assert.equal(server.requests.length, 0)
  })
})

describe('workflow target: metrics calls that fail', () => {
  test('the blob storage resets the connection: a lost answer, transient, naming the download and its host, not the signed URL', async () => {
    const error = await rejection(
      metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { blob: 'reset' })])
    )
    assert.ok(isTransient(error), error.message)
    const host = new URL(fake!.blob.url).host
    assert.ok(
      error.message.startsWith(
        `downloading ${WHERE} of ${REPO}: ${host} closed the connection before answering (ECONNRESET). Check that the runner can reach GitHub's artifact storage`
      ),
      error.message
    )
    assert.ok(!error.message.includes('sig='), 'the signed URL is a credential: never quoted')
  })

  test('the blob storage never answers: the step deadline ends the download, saying which and whose', async () => {
    const started = Date.now()
    const error = await rejection(
      metricsOf([artifact(metricsZip({ 'metrics.json': json({ a: 1 }) }), { blob: 'hang' })], deadline(1500))
    )
    assert.ok(Date.now() - started < 5000, `ended after ${Date.now() - started} ms`)
    assert.ok(error instanceof DeadlineExceeded, error.message)
    assert.equal(
      error.message,
      `downloading ${WHERE} of ${REPO}: timeout (2s) ran out while waiting for ${new URL(fake!.blob.url).host} to answer`
    )
  })

  test('a run GitHub does not know (or the token cannot see): the 404 names actions: read', async () => {
    const server = await startFake()
    const target = workflowTarget(server.url)
    const error = await rejection(target.metrics(target.follow('999'), deadline().signal))
    assert.ok(error instanceof GitHubRefusal && error.status === 404, error.message)
    assert.match(
      error.message,
      /^GitHub API: listing the artifacts of workflow run 999 of ml-org\/ml-eval: HTTP 404: Not Found\. Fix: the token needs `actions: read`/
    )
  })

  const listing = {
    status: 200,
    body: { total_count: 1, artifacts: [{ id: 5, name: 'pipeline-metrics', size_in_bytes: 100, expired: false }] }
  }
  async function scripted(download: Answer) {
    const server = await scriptedServer((request: SeenRequest) =>
      request.path.includes('/artifacts?') ? listing : download
    )
    cleanups.push(() => server.close())
    const target = workflowTarget(server.url)
    return { server, run: () => target.metrics(target.follow(String(RUN)), deadline().signal) }
  }

  test('a download sent to plain http off loopback is refused before any request, and its signed URL is not quoted', async () => {
    const { run } = await scripted({
      status: 302,
      headers: { location: 'http://storage.example.net/a.zip?sig=SIGNED-SECRET' }
    })
    const error = await rejection(run())
    assert.ok(error instanceof UserError && !isTransient(error))
    assert.equal(
      error.message,
      `GitHub API: asking where to download artifact 5 of ${REPO}: the download is at http://storage.example.net, not an https URL, so the action does not fetch it. Fix: check that GITHUB_API_URL points at the GitHub REST API (https://api.github.com, or https://HOST/api/v3 on GitHub Enterprise Server), not a proxy in front of it.`
    )
  })

  test('an answer to the download without a redirect is an error with the fix, not a download', async () => {
    const { server, run } = await scripted({ status: 200, headers: { 'content-type': 'application/zip' }, body: 'PK' })
    const error = await rejection(run())
    assert.ok(error instanceof UserError)
    assert.match(
      error.message,
      /^GitHub API: asking where to download artifact 5 of ml-org\/ml-eval: HTTP 200 without a Location to download from, where GitHub answers 302 with one\. Fix: check that GITHUB_API_URL/
    )
    assert.equal(server.requests.length, 2)
  })

  test("the storage's own answers: a refused signed link (403, as when it expired) is final with the fix; 503 is transient; a redirect is not followed", async () => {
    const storage = await scriptedServer((_, i): Answer => {
      if (i === 0) return { status: 403, body: '<Error><Code>AuthenticationFailed</Code></Error>' }
      if (i === 1) return { status: 503, body: '<Error><Code>ServerBusy</Code></Error>' }
      return { status: 302, headers: { location: 'https://elsewhere.example/a.zip' } }
    })
    cleanups.push(() => storage.close())
    const { run } = await scripted({ status: 302, headers: { location: `${storage.url}/a.zip?sig=x` } })
    const host = new URL(storage.url).host
    const [refused, busy, redirected] = [await rejection(run()), await rejection(run()), await rejection(run())]
    assert.ok(refused instanceof UserError && !isTransient(refused), refused.message)
    assert.match(
      refused.message,
      new RegExp(
        `^downloading ${WHERE} of ${REPO}: ${host} answered HTTP 403\\. Fix: the signed link GitHub gave may have expired before it was used: run the step again`
      )
    )
    assert.ok(isTransient(busy), busy.message)
    assert.match(busy.message, new RegExp(`${host} answered HTTP 503\\. The storage asked to try again later`))
    assert.ok(redirected instanceof UserError && !isTransient(redirected), redirected.message)
    assert.match(
      redirected.message,
      /answered with a redirect, which the action does not follow from the artifact storage/
    )
    assert.equal(storage.requests.length, 3, 'the redirect was not followed')
    assert.ok(storage.requests.every((r) => r.headers.authorization === undefined))
  })
})
