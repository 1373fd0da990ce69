// @vitest-environment jsdom
/**
 * What the connection badge says when the server refused the connection. Found by a new-user
 * walk-through: a card written offline that arrived after the facilitator closed the session was
 * answered "Deze wijziging mag niet met jouw rol (bijvoorbeeld een vergrendeld onderdeel)" — the
 * server knew the real reason (the session is closed) and the page did not say it.
 */
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { ConnectionBadge } from '../../client/board/connection-badge.tsx'
import { I18nProvider } from '../../client/i18n/i18n.tsx'
import { CloseCode } from '../../shared/protocol.ts'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

async function badge(code: number, reason: string) {
  const host = document.createElement('div')
  await act(async () =>
    createRoot(host).render(
      <I18nProvider>
        <ConnectionBadge connection={{ kind: 'refused', code, reason }} />
      </I18nProvider>,
    ),
  )
  return host.textContent ?? ''
}

describe('the connection badge after a refusal', () => {
  it('says the session was closed when that is why, and where the late work went', async () => {
    const text = await badge(CloseCode.forbidden, 'the session is closed: the board is read-only')
    expect(text).toMatch(/sessie is gesloten/i)
    expect(text).toMatch(/apart bewaard/)
    expect(text).not.toMatch(/jouw rol/)
  })

  it('keeps the role message for other refusals', async () => {
    expect(await badge(CloseCode.forbidden, 'record shape:x is locked by a facilitator')).toMatch(/jouw rol/)
  })
})
