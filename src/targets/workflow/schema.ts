/** The workflow target's config-file keys. */
import { z } from 'zod'
import { maxParallel } from '../schema-parts.js'

export const schema = z
  .strictObject({
    type: z.literal('workflow').describe('Starts another GitHub Actions workflow and can wait for it.'),
    repo: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { message: 'write owner/name, e.g. ml-org/ml-eval' })
      .optional()
      .describe('owner/name of the repository with the workflow. Default: this repository.'),
    workflow: z
      .string()
      .regex(/^([A-Za-z0-9_.-]+\.ya?ml|\d+)$/, {
        message: 'write the workflow file name under .github/workflows (e.g. evaluate.yml) or its numeric id'
      })
      .optional()
      .describe('workflow_dispatch: the workflow file under .github/workflows (e.g. evaluate.yml), or its id.'),
    ref: z
      .string()
      .min(1)
      .optional()
      .describe(
        "workflow_dispatch: the branch or tag to run. Default: this run's branch in this repository, the default branch in another."
      ),
    event: z
      .enum(['workflow_dispatch', 'repository_dispatch'])
      .optional()
      .describe(
        'workflow_dispatch (default; inputs checked against the workflow file) or repository_dispatch (parameters in client_payload; runs on the default branch).'
      ),
    'event-type': z
      .string()
      .min(1)
      .max(100)
      .optional()
      .describe(
        'repository_dispatch: the event type the receiving workflow listens for (on.repository_dispatch.types).'
      ),
    token: z
      .string()
      .regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, {
        message: 'write env:NAME, the environment variable that holds the token; secrets never go in this file'
      })
      .optional()
      .describe(
        'env:NAME with a token that may start workflows there. Default: the token input (github.token, this repository only).'
      ),
    'cancel-on-timeout': z.boolean().optional().describe('Cancel the workflow run when timeout runs out.'),
    'max-parallel': maxParallel
  })
  .superRefine((target, context) => {
    const event = target.event ?? 'workflow_dispatch'
    if (event === 'workflow_dispatch' && !target.workflow)
      context.addIssue({
        code: 'custom',
        path: ['workflow'],
        message: 'a workflow_dispatch target needs workflow: the file name under .github/workflows, e.g. evaluate.yml'
      })
    if (event === 'repository_dispatch' && !target['event-type'])
      context.addIssue({
        code: 'custom',
        path: ['event-type'],
        message:
          'a repository_dispatch target needs event-type: the type the receiving workflow lists under on.repository_dispatch.types'
      })
    if (event === 'repository_dispatch' && (target.workflow || target.ref)) {
      context.addIssue({
        code: 'custom',
        path: [target.workflow ? 'workflow' : 'ref'],
        message:
          'repository_dispatch runs every workflow that listens for event-type, on the default branch; remove workflow and ref, or use event: workflow_dispatch'
      })
    }
  })
  .describe(
    'Starts a workflow in this or another repository (workflow_dispatch or repository_dispatch), with the parameters as its inputs, and can wait for its run.'
  )

export type Config = z.infer<typeof schema>
