/** A real Dagster webserver for the tests: scripts/lib/dagster-server.ts. */
export { startDagsterServer, type DagsterServer } from '../../scripts/lib/dagster-server.js'
