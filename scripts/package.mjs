// Builds dist/ from a clean slate: the action bundle (dist/index.js, plus the chunks it loads on
// demand) and the CLI (dist/cli/index.js). Deleting dist/ first means a file the build no longer
// makes cannot linger and pass check-dist.
//
// licenses.txt is written here, not by ncc: with on-demand chunks, ncc writes one license file per
// chunk over the same name, so the last chunk's list would be the only one. This one lists every
// production dependency in package-lock.json, with its license text, in a fixed order.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { minify } from 'terser'

rmSync('dist', { recursive: true, force: true })
const ncc = ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build']
// Source maps are written beside the bundle, but not registered at start-up: the register costs
// every run about 10 ms, and the action's errors are messages, not stack traces. To read a bug's
// stack against the sources, run with NODE_OPTIONS=--enable-source-maps.
const flags = ['--source-map', '--no-source-map-register', '--quiet']
execFileSync(process.execPath, [...ncc, 'src/index.ts', '-o', 'dist', ...flags], { stdio: 'inherit' })
execFileSync(process.execPath, [...ncc, 'src/cli.ts', '-o', 'dist/cli', ...flags], { stdio: 'inherit' })

// Every file minified, chunks included (ncc's --minify does the entry only): the action starts on
// every event, and V8 compiles a minified chunk in about half the time. Each map is carried through.
for (const dir of ['dist', 'dist/cli']) {
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.js'))) {
    const path = join(dir, file)
    const result = await minify(readFileSync(path, 'utf8'), {
      module: true,
      compress: { passes: 1 },
      mangle: true,
      format: { comments: false },
      sourceMap: { content: readFileSync(`${path}.map`, 'utf8'), url: `${file}.map`, includeSources: true }
    })
    writeFileSync(path, result.code)
    writeFileSync(`${path}.map`, result.map)
  }
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const seen = new Set()
const entries = []
for (const [path, info] of Object.entries(lock.packages).sort(([a], [b]) => a.localeCompare(b))) {
  if (!path || info.dev) continue
  const manifest = JSON.parse(readFileSync(join(path, 'package.json'), 'utf8'))
  const id = `${manifest.name}@${manifest.version}`
  if (seen.has(id)) continue
  seen.add(id)
  const file = readdirSync(path).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name))
  const text =
    file && existsSync(join(path, file))
      ? // Some packages ship CRLF license files: LF here, so the file is the same bytes on every checkout.
        readFileSync(join(path, file), 'utf8').replaceAll('\r\n', '\n').trim()
      : `${manifest.license ?? 'UNKNOWN'} (no license file in the package)`
  entries.push(`${manifest.name}\n${manifest.license ?? 'UNKNOWN'}\n${text}`)
}
const licenses = `${entries.join('\n\n')}\n`
writeFileSync('dist/licenses.txt', licenses)
writeFileSync('dist/cli/licenses.txt', licenses)
