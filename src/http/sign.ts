/**
 * Request signing, GitHub's webhook scheme plus a timestamp against replay:
 * X-Signature-256: sha256=hex(HMAC_SHA256(secret, "<unix seconds>.<raw body>")).
 * The receiver recomputes it over the exact bytes it received and compares in constant time.
 */
import { createHmac } from 'node:crypto'

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}
