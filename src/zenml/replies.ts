/**
 * What the action reads from a ZenML server's replies (see src/http/read-reply.ts).
 * Shapes: the ZenML server's own OpenAPI description (the API docs every server serves at /docs): login,
 * pages, snapshots, run templates and runs, as checked against a real 0.98.0 server in the e2e tests.
 */
import { z } from 'zod'
import { readReply } from '../http/read-reply.js'

const record = z.record(z.string(), z.unknown())
const parameters = record.nullish()

export const infoReply = z.object({
  version: z.string().regex(/^\d+\.\d+/, { message: 'a version such as 0.98.0' }),
  deployment_type: z.string().nullish(),
  auth_scheme: z.string().nullish(),
  pro_dashboard_url: z.string().nullish()
})

export const loginReply = z.object({ access_token: z.string().min(1) })

// Every ZenML entity id is a UUID. Checking it here keeps a server's (or proxy's) nonsense out of
// the URLs the action builds from it and out of every message that names the entity.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const entity = z.object({
  id: z.string().regex(UUID, { message: 'a UUID such as 3f2c6e0a-8d1b-4c2e-9a7f-0b1c2d3e4f5a' }),
  name: z.string().nullish()
})

export const pipelineReply = entity

export const pageOf = <T>(item: z.ZodType<T>) => z.object({ items: z.array(item) })

/** A snapshot (≥0.90) or run template (0.63–0.85), hydrated: where its parameters are listed. */
export const runnableReply = entity.extend({
  body: z
    .object({ runnable: z.boolean().nullish(), is_dynamic: z.boolean().nullish(), pipeline_id: z.string().nullish() })
    .nullish(),
  metadata: z
    .object({
      config_template: z
        .object({ steps: z.record(z.string(), z.object({ parameters }).nullish()).nullish() })
        .nullish(),
      step_configurations: z
        .record(z.string(), z.object({ config: z.object({ parameters }).nullish() }).nullish())
        .nullish()
    })
    .nullish()
})

/** A run as a start or a lookup returns it: a just-created run may not say its status yet. */
export const runReply = entity.extend({
  body: z.object({ status: z.string().nullish(), status_reason: z.string().nullish() }).nullish()
})

/** A run read to follow it: without a status there is nothing to follow. */
export const polledRunReply = entity.extend({
  body: z.object({ status: z.string().min(1), status_reason: z.string().nullish() })
})

/**
 * A run read for its metrics: `metadata.run_metadata` holds what the pipeline logged with
 * log_metadata, on the run and (with include_full_metadata) on its steps as `<step>::<key>`.
 */
export const runMetadataReply = entity.extend({
  metadata: z.object({ run_metadata: record.nullish() }).nullish()
})

/** The reply as `schema` says, or a final error naming the field and what came. */
export function readZenmlReply<T>(
  schema: z.ZodType<T>,
  body: unknown,
  what: string,
  secrets: (string | undefined)[] = []
): T {
  return readReply(schema, body, {
    server: 'ZenML server',
    what,
    secrets,
    fix: 'check that zenml-url points at the ZenML server itself (0.63 or newer), not a proxy or login page in front of it'
  })
}
