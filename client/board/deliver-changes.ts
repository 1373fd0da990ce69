/**
 * Before a reload, the server must have every change this page made: they live in the page's
 * Y.Doc (tldraw's store writes into it), and a reload throws the doc away. The server answers a
 * sync step 1 with step 2 only after it has handled what came before it on the same socket, so
 * one such round trip after the connection is synced means everything arrived. Offline, this
 * waits for the connection to come back (the provider then sends what the server lacks).
 */
import * as encoding from 'lib0/encoding'
import * as syncProtocol from 'y-protocols/sync'
import { messageSync, type WebsocketProvider } from 'y-websocket'

export function changesDelivered(provider: WebsocketProvider): Promise<void> {
  return new Promise((resolve) => {
    let asked = false
    const onSync = (synced: boolean) => {
      if (!synced) return
      if (!asked) return ask()
      provider.off('sync', onSync)
      provider.off('status', onStatus)
      resolve()
    }
    // A question lost with its socket is asked again once the next one has synced.
    const onStatus = ({ status }: { status: string }) => {
      if (status !== 'connected') asked = false
    }
    const ask = () => {
      const ws = provider.ws
      if (!provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return
      asked = true
      // The provider sets `synced` again when the server's step 2 arrives.
      provider.synced = false
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, messageSync)
      syncProtocol.writeSyncStep1(encoder, provider.doc)
      ws.send(encoding.toUint8Array(encoder))
    }
    provider.on('sync', onSync)
    provider.on('status', onStatus)
    // The store hands its last changes to the doc on the next frame (no frames in Node tests).
    const nextFrame = globalThis.requestAnimationFrame ?? ((run: () => void) => setTimeout(run, 0))
    nextFrame(() => {
      if (provider.synced) ask()
    })
  })
}
