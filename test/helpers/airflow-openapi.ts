/**
 * Airflow's own contract for what the airflow target sends: the OpenAPI 3.1 document shipped in
 * the pinned apache-airflow wheel (.venv-airflow, made by scripts/setup-python.sh), its request
 * body schemas checked with Ajv. A body the real server would refuse (a missing logical_date, an
 * unknown key: additionalProperties is false) fails the unit test that sends it.
 */
import { Ajv, type ValidateFunction } from 'ajv'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { AIRFLOW_VENV } from './airflow-server.js'

const FILE = 'airflow/api_fastapi/core_api/openapi/v2-rest-api-generated.yaml'

function specPath(): string {
  const lib = join(AIRFLOW_VENV, 'lib')
  const python = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python')) : undefined
  const path = python ? join(lib, python, 'site-packages', FILE) : ''
  if (!path || !existsSync(path))
    throw new Error(
      `Airflow's OpenAPI document is missing (${FILE} in ${AIRFLOW_VENV}): run bash scripts/setup-python.sh`
    )
  return path
}

let ajv: Ajv | undefined
const compiled = new Map<string, ValidateFunction>()

/** The errors of `body` against components/schemas/<schema> (none: it fits). */
export function airflowBodyErrors(schema: string, body: unknown): string[] {
  if (!ajv) {
    const spec = parse(readFileSync(specPath(), 'utf8')) as { components: unknown }
    ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true })
    ajv.addSchema({ $id: 'airflow', components: spec.components })
  }
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile({ $ref: `airflow#/components/schemas/${schema}` })
    compiled.set(schema, validate)
  }
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
}
