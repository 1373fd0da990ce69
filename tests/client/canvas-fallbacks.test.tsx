// @vitest-environment jsdom
/**
 * tldraw's whole-board error screen is ours: Dutch, and its buttons keep the work — *Opnieuw
 * proberen* asks for a fresh editor on the same doc, *Pagina herladen* goes through the reload
 * that first waits for the server (deliver-changes.ts), and says so while it waits.
 */
import { act } from 'react'
import { createRoot } from 'react-dom/client'
import { describe, expect, it } from 'vitest'
import { BoardErrorFallback, CanvasRecoveryContext, type CanvasRecovery } from '../../client/board/canvas-fallbacks.tsx'
import type { ConnectionState } from '../../client/board/use-board-connection.ts'
import { I18nProvider } from '../../client/i18n/i18n.tsx'

;(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true

async function show(connection: ConnectionState) {
  const calls: string[] = []
  const recovery: CanvasRecovery = { retry: () => calls.push('retry'), reload: () => calls.push('reload'), connection }
  const host = document.createElement('div')
  await act(async () =>
    createRoot(host).render(
      <I18nProvider>
        <CanvasRecoveryContext.Provider value={recovery}>
          <BoardErrorFallback error={new Error('kapot')} />
        </CanvasRecoveryContext.Provider>
      </I18nProvider>,
    ),
  )
  const click = (testId: string) => act(async () => host.querySelector<HTMLButtonElement>(`[data-testid="${testId}"]`)!.click())
  return { host, calls, click }
}

describe('the board error screen', () => {
  it('says in Dutch that the work is kept; retry and reload go through the recovery', async () => {
    const { host, calls, click } = await show({ kind: 'connected' })
    expect(host.querySelector('h2')!.textContent).toBe('Het bord liep vast')
    expect(host.textContent).toContain('Je werk is niet verloren')
    expect(host.textContent).not.toContain('Something went wrong')
    await click('crash-retry')
    await click('crash-reload')
    expect(calls).toEqual(['retry', 'reload'])
    expect(host.querySelector('[role="status"]')!.textContent).toContain('worden naar de server gestuurd')
  })

  it('offline, says the page reloads once the last changes have arrived', async () => {
    const { host, click } = await show({ kind: 'reconnecting' })
    await click('crash-reload')
    expect(host.querySelector('[role="status"]')!.textContent).toContain('Geen verbinding met de server')
  })
})
