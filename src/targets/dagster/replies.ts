/**
 * What the dagster target reads from a webserver's GraphQL replies (see src/http/read-reply.ts),
 * after the shapes of Dagster 1.13's schema, as recorded from a real `dagster dev`. A field that can
 * fail is read in two steps: its __typename, then the member that typename names.
 */
import { z } from 'zod'

/** The envelope: data (null when the query itself failed) and errors. */
export const envelope = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string() })).nullish()
})

/** Any member of a result union: which one, and the message an error member carries. */
export const member = z.object({ __typename: z.string().min(1), message: z.string().nullish() })

export const configInvalid = z.object({ errors: z.array(z.object({ message: z.string() })) })

export const launched = z.object({ run: z.object({ runId: z.string().min(1), status: z.string().min(1) }) })

export const run = z.object({ runId: z.string().min(1), status: z.string().min(1) })

export const runs = z.object({ results: z.array(run) })

export const terminateFailure = z.object({ message: z.string(), run: z.object({ status: z.string().min(1) }) })

export const workspace = z.object({
  locationEntries: z.array(
    z.object({
      name: z.string(),
      /** LOADING or LOADED; a location that failed is LOADED with a PythonError. */
      loadStatus: z.string(),
      locationOrLoadError: z
        .object({
          __typename: z.string(),
          repositories: z
            .array(z.object({ name: z.string(), pipelines: z.array(z.object({ name: z.string() })) }))
            .nullish(),
          message: z.string().nullish(),
          cause: z.object({ message: z.string() }).nullish()
        })
        .nullish()
    })
  )
})

const metadataEntry = z.object({
  __typename: z.string(),
  label: z.string(),
  floatValue: z.number().nullish(),
  floatRepr: z.string().nullish(),
  intValue: z.number().nullish(),
  intRepr: z.string().nullish(),
  text: z.string().nullish(),
  boolValue: z.boolean().nullish(),
  jsonString: z.string().nullish()
})
export type MetadataEntry = z.infer<typeof metadataEntry>

export const events = z.object({
  cursor: z.string(),
  hasMore: z.boolean(),
  events: z.array(
    z.object({
      __typename: z.string(),
      stepKey: z.string().nullish(),
      metadataEntries: z.array(metadataEntry).nullish(),
      error: z.object({ message: z.string(), cause: z.object({ message: z.string() }).nullish() }).nullish(),
      message: z.string().nullish()
    })
  )
})
