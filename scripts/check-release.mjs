// Checks a release tag before the release workflow moves anything, and prints the moving tag
// that should follow it: `v0.MINOR` before 1.0 (where a minor release may break), `vMAJOR` after.
// Usage: node scripts/check-release.mjs v0.1.0
import { readFileSync } from 'node:fs'

const tag = process.argv[2] ?? ''
const fail = (message) => {
  console.error(`::error::${message}`)
  process.exit(1)
}

const version = /^v(\d+)\.(\d+)\.(\d+)$/.exec(tag)
if (!version)
  fail(`Tag ${JSON.stringify(tag.slice(0, 80))} is not a release version such as v0.1.0; nothing was moved.`)
const [, major, minor] = version

const packageVersion = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
if (`v${packageVersion}` !== tag) {
  fail(
    `Tag ${tag} does not match package.json's version ${packageVersion}; set "version": "${tag.slice(1)}" and tag again.`
  )
}

const changelog = readFileSync(new URL('../CHANGELOG.md', import.meta.url), 'utf8')
if (!changelog.split('\n').some((line) => line.startsWith(`## [${tag.slice(1)}]`))) {
  fail(`CHANGELOG.md has no "## [${tag.slice(1)}]" section; move the Unreleased notes under it and tag again.`)
}

console.log(major === '0' ? `v0.${minor}` : `v${major}`)
