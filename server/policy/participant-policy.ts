/**
 * The participant policy the Room judges peers by: what a connection may write into the board
 * (server/policy/update-policy.ts: records, ownership, sizes) and which presences it may set
 * (server/policy/awareness-policy.ts).
 */
import { judgeAwareness } from './awareness-policy.ts'
import type { RoomPolicy } from '../room/room.ts'
import { addsAnything, judgeUpdate } from './update-policy.ts'

export const participantPolicy: RoomPolicy = { judgeUpdate, judgeAwareness, addsAnything }
