/** The contract of facilitator notes: per board, oldest first, deleted one by one or with the board. */
import { expect, it } from 'vitest'
import { id, type OpenStorage } from './fixtures.ts'

export function notesContract(open: OpenStorage) {
  it('keeps facilitator notes per board, oldest first; deletes one, and all with the board', async () => {
    const { catalogue, notes, close } = await open()
    await catalogue.create(id('notes'), 'Sessie')
    await catalogue.create(id('other-notes'), 'Andere')
    const note = { boardId: id('notes'), createdBy: 'Fien', text: 'Pauze om 15:00' }
    await notes.add({ ...note, id: 'n1', createdAt: 1000 })
    await notes.add({ ...note, id: 'n2', createdAt: 2000, text: 'Wethouder komt om 16:00' })
    await notes.add({ ...note, boardId: id('other-notes'), id: 'n1', createdAt: 1500 })
    await expect(notes.add({ ...note, id: 'n1', createdAt: 3000 })).rejects.toThrow()
    await expect(notes.add({ ...note, boardId: id('no-such-board'), id: 'n9', createdAt: 3000 })).rejects.toThrow()
    expect((await notes.list(id('notes'))).map((n) => [n.id, n.text, n.createdBy, n.createdAt])).toEqual([
      ['n1', 'Pauze om 15:00', 'Fien', 1000],
      ['n2', 'Wethouder komt om 16:00', 'Fien', 2000],
    ])
    expect(await notes.delete(id('notes'), 'n1')).toBe(true)
    expect(await notes.delete(id('notes'), 'n1')).toBe(false)
    expect((await notes.list(id('notes'))).map((n) => n.id)).toEqual(['n2'])
    expect((await notes.list(id('other-notes'))).map((n) => n.id)).toEqual(['n1'])
    await catalogue.delete(id('notes'))
    expect(await notes.list(id('notes'))).toEqual([])
    await close()
  })
}
