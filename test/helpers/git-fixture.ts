/** Real git repositories for the tests: scripts/lib/git-fixture.ts, which the demo and the bench use too. */
export { GitFixture, ZEROS } from '../../scripts/lib/git-fixture.js'
