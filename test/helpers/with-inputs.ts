/**
 * Runs `read` with the given action inputs set as the runner sets them (INPUT_<NAME>, hyphens
 * kept) and every other INPUT_* variable cleared; the environment is restored afterwards.
 */
export async function withInputs<T>(inputs: Record<string, string>, read: () => Promise<T>): Promise<T> {
  const saved = Object.entries(process.env).filter(([name]) => name.startsWith('INPUT_'))
  for (const [name] of saved) delete process.env[name]
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value
  try {
    return await read()
  } finally {
    for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name]
    for (const [name, value] of saved) process.env[name] = value
  }
}
