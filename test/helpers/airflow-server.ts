/** A real Airflow 3 server for the tests: scripts/lib/airflow-server.ts. */
export { AIRFLOW_VENV, startAirflowServer, type AirflowServer } from '../../scripts/lib/airflow-server.js'
