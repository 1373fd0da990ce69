import type { Editor, TLShape } from 'tldraw'

/**
 * The record a card from the trash is written back as: where it was, on the page if its frame is
 * gone too — with a free place in the order of its parent's children. A sibling may hold its old
 * index by now; two equal indices in a group made tldraw throw "b00dsn >= b00dsn" while it
 * reparented the group's children (the session fuzzer, seed 17).
 */
export function restoredShape(editor: Editor, record: TLShape): TLShape {
  const parentId = editor.store.has(record.parentId) ? record.parentId : editor.getCurrentPageId()
  const taken = editor.getSortedChildIdsForParent(parentId).some((id) => id !== record.id && editor.getShape(id)?.index === record.index)
  return { ...record, parentId, ...(taken ? { index: editor.getHighestIndexForParent(parentId) } : {}) }
}
