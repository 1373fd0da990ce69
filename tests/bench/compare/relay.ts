/**
 * The floor of `npm run bench:compare`: a plain `ws` relay. Every frame a client sends goes to
 * every other client on the same path, one send per frame per peer — no document, no validation,
 * no storage, no batching. PORT from the environment; prints `relay on <port>` when listening.
 */
import { WebSocketServer, type WebSocket } from 'ws'

const rooms = new Map<string, Set<WebSocket>>()
const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0), perMessageDeflate: false })
wss.on('connection', (ws, request) => {
  const path = new URL(request.url ?? '/', 'http://x').pathname
  const room = rooms.get(path) ?? new Set<WebSocket>()
  rooms.set(path, room)
  room.add(ws)
  ws.on('message', (data, isBinary) => {
    for (const peer of room) if (peer !== ws && peer.readyState === peer.OPEN) peer.send(data, { binary: isBinary })
  })
  ws.on('close', () => room.delete(ws))
  ws.on('error', () => {})
})
wss.on('listening', () => console.log(`relay on ${(wss.address() as { port: number }).port}`))
