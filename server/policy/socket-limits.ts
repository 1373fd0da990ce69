/**
 * How many WebSockets one client address, and one board, may hold open on this process (issue 20,
 * finding 9: a viewer link — the platform shows those to the public — opened ~18,000 idle sockets,
 * the process's 20,000 file descriptors ran out and honest WebSockets failed for ~16 s).
 * Counted from the upgrade request on (a handshake in progress holds its place) until the socket
 * closes. Per process: behind nginx with two processes an address may hold twice as many.
 */

export interface SocketLimits {
  /** WebSockets one address may hold, over all boards (WS_PER_ADDRESS). */
  perAddress: number
  /** WebSockets one board may hold, from everyone (WS_PER_BOARD). */
  perBoard: number
}

/**
 * perAddress: a venue's Wi-Fi puts everyone behind one public address — 80 people on one board,
 * each maybe with a second tab, the beamers, and the other workshops of the day at the same
 * address: 500 leaves room for all of them and holds an attacker to 2.5 % of 20,000 descriptors.
 * perBoard: a plenary of 500 people with a second tab each, and the viewers on screens: 1,500.
 * Both are checked before the handshake, so a refusal costs no WebSocket.
 */
export const DEFAULT_SOCKET_LIMITS: SocketLimits = { perAddress: 500, perBoard: 1_500 }

export type Admission = { ok: true; release(): void } | { ok: false; status: string; message: string }

/** Open WebSockets per address and per board; a place is held from `admit` until `release`. */
export class SocketCounts {
  private readonly byAddress = new Map<string, number>()
  private readonly byBoard = new Map<string, number>()

  private readonly limits: SocketLimits

  constructor(limits: SocketLimits) {
    this.limits = limits
  }

  admit(address: string, board: string): Admission {
    if ((this.byAddress.get(address) ?? 0) >= this.limits.perAddress) {
      return {
        ok: false,
        status: '429 Too Many Requests',
        message: `too many connections from your address (at most ${this.limits.perAddress}): close some tabs, or try again in a moment`,
      }
    }
    if ((this.byBoard.get(board) ?? 0) >= this.limits.perBoard) {
      return {
        ok: false,
        status: '503 Service Unavailable',
        message: `this board has as many connections as it takes (${this.limits.perBoard}): try again in a moment`,
      }
    }
    const bump = (map: Map<string, number>, key: string, by: number) => {
      const next = (map.get(key) ?? 0) + by
      if (next > 0) map.set(key, next)
      else map.delete(key)
    }
    bump(this.byAddress, address, 1)
    bump(this.byBoard, board, 1)
    let released = false
    return {
      ok: true,
      release: () => {
        if (released) return
        released = true
        bump(this.byAddress, address, -1)
        bump(this.byBoard, board, -1)
      },
    }
  }
}
