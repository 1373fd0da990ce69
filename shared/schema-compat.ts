/**
 * Compares the tldraw schema a board was written in with the one this client runs.
 * A client older than its board must not write to it (it would write records the newer
 * clients cannot read), so it goes read-only and asks the user to reload.
 */

export interface SerializedSchemaV2 {
  schemaVersion: 2
  sequences: Record<string, number>
}

export type SchemaCompat = 'same' | 'local-newer' | 'board-newer'

export function isSerializedSchemaV2(value: unknown): value is SerializedSchemaV2 {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<SerializedSchemaV2>
  return v.schemaVersion === 2 && typeof v.sequences === 'object' && v.sequences !== null && Object.values(v.sequences).every((n) => Number.isInteger(n))
}

/** `board-newer` wins over `local-newer`: one unknown migration is enough to stop writing. */
export function compareSchemas(local: SerializedSchemaV2, board: SerializedSchemaV2): SchemaCompat {
  let localNewer = false
  for (const [sequence, boardVersion] of Object.entries(board.sequences)) {
    const localVersion = local.sequences[sequence]
    if (localVersion === undefined || boardVersion > localVersion) return 'board-newer'
    if (localVersion > boardVersion) localNewer = true
  }
  for (const sequence of Object.keys(local.sequences)) {
    if (!(sequence in board.sequences)) localNewer = true
  }
  return localNewer ? 'local-newer' : 'same'
}
