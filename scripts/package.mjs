// Builds dist/ from a clean slate: the action bundle (dist/index.js) and the CLI (dist/cli/index.js).
// Deleting dist/ first means a file the build no longer makes cannot linger and pass check-dist.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'

rmSync('dist', { recursive: true, force: true })
const ncc = ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build']
const flags = ['--source-map', '--license', 'licenses.txt', '--quiet']
execFileSync(process.execPath, [...ncc, 'src/index.ts', '-o', 'dist', ...flags], { stdio: 'inherit' })
execFileSync(process.execPath, [...ncc, 'src/cli.ts', '-o', 'dist/cli', ...flags], { stdio: 'inherit' })
