/** The accepting trigger API on loopback: scripts/lib/accepting-receiver.ts, which the bench uses too. */
export { startAcceptingReceiver, type AcceptingReceiver } from '../../scripts/lib/accepting-receiver.js'
