/**
 * What the databricks target reads from the Jobs API 2.2's replies (the databricks-sdk's Run,
 * Job, BaseJob, RunNowResponse), and only that: a proxy's page, a truncated body, an entry that is
 * null or a state word outside the model fails where it arrives, naming the field, instead of a
 * TypeError later or a run that looks "running" until the timeout.
 */
import { z } from 'zod'

/** RunLifecycleStateV2State: every word the model has; only TERMINATED is final. */
export const RUN_STATES = ['BLOCKED', 'PENDING', 'QUEUED', 'RUNNING', 'TERMINATING', 'TERMINATED', 'WAITING'] as const

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

export const jobList = z.object({
  jobs: z.array(z.object({ job_id: id })).nullish(),
  has_more: z.boolean().nullish()
})

export const jobReply = z.object({
  job_id: id,
  settings: z
    .object({
      name: z.string().nullish(),
      parameters: z.array(z.object({ name: z.string() })).nullish()
    })
    .nullish()
})

export const runNowReply = z.object({ run_id: id })

export const runReply = z.object({
  job_id: id.nullish(),
  run_page_url: z.string().nullish(),
  status: z.object({
    state: z.enum(RUN_STATES),
    termination_details: z
      .object({ code: z.string().nullish(), type: z.string().nullish(), message: z.string().nullish() })
      .nullish()
  }),
  tasks: z.array(z.object({ task_key: z.string().nullish(), run_id: id.nullish() })).nullish()
})

export type RunReply = z.infer<typeof runReply>

export const runOutput = z.object({
  notebook_output: z.object({ result: z.string().nullish() }).nullish(),
  logs: z.string().nullish()
})
