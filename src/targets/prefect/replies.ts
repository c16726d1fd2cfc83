/**
 * What the prefect target reads from a Prefect 3 server's replies (see src/http/read-reply.ts): only
 * the fields it uses, so a proxy's HTML page, another server or a changed field fails where it
 * arrives, naming the field, instead of reading as "still running" until the timeout.
 */
import { z } from 'zod'

/** A Prefect id (deployment, flow run): a UUID, so it cannot turn a path like /deployments/{id}/… into another one. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The parts of parameter_openapi_schema that parameters.ts reads; the properties are checked there, one by one. */
const parameterSchema = z.object({
  properties: z.record(z.string(), z.unknown()).nullish(),
  required: z.array(z.string()).nullish(),
  additionalProperties: z.unknown().optional()
})

export const deployment = z.object({
  id: z.string().regex(UUID, { message: 'a UUID' }),
  paused: z.boolean().nullish(),
  status: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  parameter_openapi_schema: parameterSchema.nullish(),
  enforce_parameter_schema: z.boolean().nullish(),
  /** null for a flow.serve() deployment: its runs go to no work pool, so no work queue can be chosen. */
  work_pool_name: z.string().nullish()
})

export type Deployment = z.infer<typeof deployment>

const state = z.object({ type: z.string(), name: z.string().nullish(), message: z.string().nullish() })

export const flowRun = z.object({ state })

/** set_state's OrchestrationResult: ACCEPT, REJECT (with the state the run is in), ABORT, WAIT. */
export const setStateResult = z.object({
  status: z.string(),
  state: state.nullish(),
  details: z.object({ reason: z.string().nullish() }).nullish()
})

/** A work queue of a work pool: paused, or NOT_READY when no worker polled it lately. */
export const workQueue = z.object({
  name: z.string(),
  is_paused: z.boolean().nullish(),
  status: z.string().nullish()
})

export const workQueues = z.array(z.object({ name: z.string() }))
