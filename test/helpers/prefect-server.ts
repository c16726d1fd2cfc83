/** A real Prefect server and flow runner for the tests: scripts/lib/prefect-server.ts. */
export {
  PREFECT_PYTHON,
  startPrefectServer,
  type PrefectRunner,
  type PrefectServer
} from '../../scripts/lib/prefect-server.js'
