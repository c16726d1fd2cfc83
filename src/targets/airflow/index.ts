/** The airflow target: an Airflow 3 DAG run through the REST API v2. */
import type { TargetModule } from '../module.js'
import { airflowInputs, type AirflowInputs } from './inputs.js'
import { resolveAirflow, type ResolvedAirflow } from './resolve.js'
import { schema, type Config } from './schema.js'

export const airflow: TargetModule<'airflow', Config, ResolvedAirflow, AirflowInputs> = {
  type: 'airflow',
  schema,
  inputs: airflowInputs,
  defaultMaxParallel: 4,
  resolve: resolveAirflow,
  connect: async (resolved, context) => (await import('./connect.js')).connectAirflow(resolved, context)
}
