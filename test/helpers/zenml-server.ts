/** A real ZenML server for the tests: scripts/lib/zenml-server.ts, which the demo uses too. */
export { ADMIN, startZenmlServer, type ZenmlServer } from '../../scripts/lib/zenml-server.js'
