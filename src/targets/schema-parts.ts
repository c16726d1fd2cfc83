/** Config-file keys more than one target has. */
import { z } from 'zod'

export const maxParallel = z
  .number()
  .int()
  .min(1)
  .max(256)
  .optional()
  .describe(
    "How many of this target's requests start at once (default: the max-parallel input, else 4; 1 for command, which runs on the runner's CPUs)."
  )

/** env:NAME: the environment variable that holds a secret; secrets never go in the config file. */
export const envRef = z.string().regex(/^env:[A-Za-z_][A-Za-z0-9_]*$/, {
  message: 'write env:NAME, the environment variable that holds the secret; secrets never go in this file'
})
