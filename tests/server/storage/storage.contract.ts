/** The contract of the composed Storage itself: readiness, size, closing. */
import { randomBytes } from 'node:crypto'
import { expect, it } from 'vitest'
import { id, updateSetting, type OpenStorage } from './fixtures.ts'

export function storageContract(open: OpenStorage) {
  it('answers a ping while open and refuses one once closed (readiness), and reports its size', async () => {
    const storage = await open()
    const before = await storage.usageBytes()
    // Random text: a database that compresses what it stores (PostgreSQL) cannot shrink it.
    await storage.log.append(id('usage'), [updateSetting('big', randomBytes(150_000).toString('base64'))])
    expect(await storage.usageBytes()).toBeGreaterThan(before + 150_000)
    await expect(storage.ping()).resolves.toBeUndefined()
    await storage.close()
    await expect(storage.ping()).rejects.toThrow()
  })
}
