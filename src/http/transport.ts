/**
 * A request that got no answer, in words: which step of the action it was, which host, what went
 * wrong on the way, and what to check. `fetch failed`, `bad port` or `ENOTFOUND` alone name
 * none of these, so no transport error reaches the log without passing through here.
 */

/** Node's and undici's error codes, in words a user can act on. */
const CAUSES: [RegExp, string][] = [
  [/^ECONNREFUSED$/, 'refused the connection (nothing listens on that port)'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'closed the connection before answering'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_NONAME|EAI_FAIL)$/, 'could not be found: its name did not resolve (DNS)'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT)$/, 'did not accept a connection in time'],
  [/^(EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN)$/, 'is unreachable from the runner (no route)'],
  [/^(UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/, 'stopped answering midway'],
  [
    /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_|HOSTNAME_MISMATCH)/,
    'presented a TLS certificate the runner does not trust'
  ]
]

/** The innermost error of a chain of `cause`s, with its code if it has one. */
function rootCause(error: unknown): { code?: string; message: string } {
  let current = error as { cause?: unknown; code?: unknown; message?: unknown } | undefined
  for (let depth = 0; current?.cause && depth < 5; depth++) current = current.cause as typeof current
  const code = typeof current?.code === 'string' ? current.code : undefined
  const message = typeof current?.message === 'string' ? current.message : String(current)
  return { ...(code ? { code } : {}), message }
}

/** "refused the connection (ECONNREFUSED)": what happened between the runner and the host. */
export function transportCause(error: unknown): string {
  const { code, message } = rootCause(error)
  if (message === 'bad port')
    return 'uses a port that fetch refuses to connect to (a blocked port such as 6000 or 10080): use the service’s usual port'
  if (code) {
    for (const [pattern, words] of CAUSES) if (pattern.test(code)) return `${words} (${code})`
  }
  return `gave no answer (${code ?? message})`
}

/** The host a URL names, with its port: what a user compares with their own setting. */
export function hostOf(url: URL | string): string {
  try {
    return new URL(url).host
  } catch {
    return String(url)
  }
}

/**
 * One sentence for a request that got no answer: "logging in to the ZenML server: 127.0.0.1:8237
 * refused the connection (ECONNREFUSED). Check that zenml-url is right and reachable from the runner."
 */
export function transportMessage(what: string, url: URL | string, error: unknown, check: string): string {
  return `${what}: ${hostOf(url)} ${transportCause(error)}. Check ${check}.`
}
