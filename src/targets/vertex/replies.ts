/**
 * What the vertex target reads from a PipelineJob (aiplatform.v1's GoogleCloudAiplatformV1PipelineJob):
 * only the fields it uses, so a proxy's page or another API fails where it arrives, naming the field.
 */
import { z } from 'zod'

/** google.rpc.Status: the job's or a task's error. */
const status = z.object({ code: z.number().nullish(), message: z.string().nullish() })

const artifact = z.object({
  schemaTitle: z.string().nullish(),
  displayName: z.string().nullish(),
  metadata: z.record(z.string(), z.unknown()).nullish()
})

const task = z.object({
  taskName: z.string().nullish(),
  state: z.string().nullish(),
  error: status.nullish(),
  outputs: z.record(z.string(), z.object({ artifacts: z.array(artifact).nullish() })).nullish()
})

export const pipelineJob = z.object({
  name: z
    .string()
    .regex(/^projects\/[^/]+\/locations\/[^/]+\/pipelineJobs\/[^/]+$/, { message: 'a job resource name' }),
  state: z.string().nullish(),
  error: status.nullish(),
  jobDetail: z.object({ taskDetails: z.array(task).nullish() }).nullish()
})

export type PipelineJob = z.infer<typeof pipelineJob>
export type TaskDetail = z.infer<typeof task>

/** A list reply: read only to prove the token and the location work. */
export const pipelineJobList = z.object({ pipelineJobs: z.array(z.unknown()).nullish() })

/** The partial response a status read asks for (the `fields` system parameter). */
export const JOB_FIELDS = 'name,state,error,jobDetail/taskDetails(taskName,state,error,outputs)'
