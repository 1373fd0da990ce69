/**
 * One person's browser tab in the soak: a stock y-websocket client through nginx with a token
 * and a member key (published in its presence, as client/board/members.ts does), the backoff
 * the board page uses, and — when the server refuses it for good (4400–4499) — a reload a few
 * seconds later, as the person clicks "Opnieuw laden": a fresh document, so whatever it had not
 * sent is gone. Records when it was disconnected and every close it got.
 */
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { recordsOf } from '../../shared/doc-layout.ts'
import { MEMBER_KEY_PARAM } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { sha256Hex } from '../../shared/sha256.ts'
import { tokenFor } from '../helpers/server.ts'
import { isRefusal, type Ledger } from './soak-ledger.ts'

/** How long a person takes to read "refused" and click reload. */
const RELOAD_AFTER_MS = 5_000

export interface Outage {
  from: number
  /** When it had synced again (performance.now()); open while it is still out. */
  to?: number
}

export class SoakClient {
  readonly memberKey = randomBytes(32).toString('hex')
  readonly keyHash = sha256Hex(this.memberKey)
  doc!: Y.Doc
  provider!: WebsocketProvider
  readonly outages: Outage[] = []
  reloads = 0
  private reloadTimer: ReturnType<typeof setTimeout> | undefined
  private destroyed = false

  readonly wsUrl: string
  readonly board: string
  readonly role: Role
  readonly name: string
  readonly groupId: string
  protected readonly ledger: Ledger

  constructor(wsUrl: string, board: string, role: Role, name: string, groupId: string, ledger: Ledger) {
    this.wsUrl = wsUrl
    this.board = board
    this.role = role
    this.name = name
    this.groupId = groupId
    this.ledger = ledger
  }

  connect(): void {
    this.open()
  }

  /** Each new document (the first, and after every reload), for what the person watches in it. */
  protected watch(_doc: Y.Doc): void {}

  get records(): Y.Map<unknown> {
    return recordsOf(this.doc)
  }

  get online(): boolean {
    return this.provider.wsconnected && this.provider.synced
  }

  private open(): void {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(this.wsUrl, this.board, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token: tokenFor(this.board, this.role), [MEMBER_KEY_PARAM]: this.memberKey },
      maxBackoffTime: 5_000, // as client/board/use-board-connection.ts
      disableBc: true,
    })
    this.doc = doc
    this.provider = provider
    provider.awareness.setLocalStateField('member', {
      userId: this.memberKey.slice(0, 16),
      name: this.name,
      role: this.role,
      groupId: this.groupId,
      hand: false,
      keyHash: this.keyHash,
    })
    provider.on('status', ({ status }: { status: string }) => {
      const last = this.outages.at(-1)
      if (status === 'disconnected' && (!last || last.to !== undefined)) this.outages.push({ from: performance.now() })
    })
    provider.on('sync', (synced: boolean) => {
      const last = this.outages.at(-1)
      if (synced && last && last.to === undefined) last.to = performance.now()
    })
    provider.on('connection-close', (event: { code: number; reason: string } | null) => {
      if (!event) return
      const label = `${event.code} ${event.reason || '(no reason)'}`
      if (isRefusal(event.code)) {
        this.ledger.refusals.clients.add(`${this.role}: close ${label}`)
        this.ledger.note(`${this.name} closed by the server: ${label}`)
      } else {
        this.ledger.drops.add(label)
      }
    })
    provider.on('closed', () => {
      this.reloadTimer = setTimeout(() => this.reload(), RELOAD_AFTER_MS)
    })
    this.watch(doc)
  }

  private reload(): void {
    if (this.destroyed) return
    this.reloads++
    this.ledger.note(`${this.name} reloads the page`)
    const last = this.outages.at(-1)
    if (!last || last.to !== undefined) this.outages.push({ from: performance.now() })
    this.provider.destroy()
    this.doc.destroy()
    this.open()
  }

  destroy(): void {
    this.destroyed = true
    clearTimeout(this.reloadTimer)
    this.provider.destroy()
    this.doc.destroy()
  }
}
