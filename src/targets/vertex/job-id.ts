/**
 * The pipelineJobId a request's idempotency key gives. The aiplatform.v1 discovery document says
 * of pipelineJobId: "less than 128 characters, and valid characters are `/a-z-/`"; the SDK's own
 * check is ^[a-z][-a-z0-9]{0,127}$. The id is made to fit the stricter one, so neither can refuse
 * it: our key (pt-<32 hex>) keeps its letters and dashes, and each digit 0–9 becomes g–p (letters
 * hex never uses), so the mapping is one to one: one key, one job id, never two keys on one job.
 */
export function pipelineJobId(idempotencyKey: string): string {
  const letters = idempotencyKey
    .toLowerCase()
    .replace(/[0-9]/g, (digit) => String.fromCharCode(103 + Number(digit)))
    .replace(/[^a-z-]/g, '-')
  return (/^[a-z]/.test(letters) ? letters : `p${letters}`).slice(0, 127)
}
