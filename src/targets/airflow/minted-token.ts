/**
 * A bearer token the action minted at /auth/token with username + password. It expires
 * ([api_auth] jwt_expiration_time, a day by default, often less on a platform), and a wait can
 * outlast it: on a 401 the API mints once more and tries the call once again. Targets of one
 * server and user share one MintedToken, so a renewal by one serves them all.
 */
export class MintedToken {
  private current: Promise<string>

  /** @param mint one login, masking the token it gets; a failure is the caller's error. */
  constructor(
    first: Promise<string>,
    private readonly mint: (signal: AbortSignal) => Promise<string>
  ) {
    this.current = first
  }

  get(): Promise<string> {
    return this.current
  }

  /** A token other than `stale`: the one another call already renewed, or a new one minted now. */
  async renew(stale: string, signal: AbortSignal): Promise<string> {
    if ((await this.current) === stale) {
      const next = this.mint(signal)
      this.current = next
      // A failed renewal is not kept: the next 401 tries again.
      next.catch(() => {
        if (this.current === next) this.current = Promise.resolve(stale)
      })
    }
    return this.current
  }
}
