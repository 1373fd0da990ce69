/**
 * Dot voting: facilitators start a round on the current phase's frame (or a selected frame) and
 * close it; everyone spreads their dots over the cards. Dots go to the server only, so nobody
 * sees anyone else's until the round closes and the tallies appear on the cards.
 */
import { useCallback, useContext, useEffect, useMemo, useState, type FormEvent } from 'react'
import { useEditor, useValue } from 'tldraw'
import type { MyDots } from '../../shared/api.ts'
import { api } from '../api-client.ts'
import { memberKey } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { BoardChromeContext } from './board-header.tsx'
import { targetFrame } from './facilitation.ts'

export function VoteBar() {
  const chrome = useContext(BoardChromeContext)
  const editor = useEditor()
  const { t } = useI18n()
  const [mine, setMine] = useState<MyDots | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const selected = useValue('selected shape', () => editor.getOnlySelectedShape(), [editor])
  const vote = chrome?.facilitation?.vote ?? null
  // The secret member key, not the public id: only this browser can read or move its dots.
  const voter = useMemo(() => memberKey(), [])

  // Keyed on the board and the vote only: not on the chrome, which changes when people do.
  const boardId = chrome?.boardId
  const token = chrome?.token
  // A viewer has no dots: the server would refuse to say how many (only voters on the board may ask).
  const votes = !!chrome && chrome.role !== 'viewer'
  const refresh = useCallback(() => {
    if (!boardId || !token || !vote?.open || !votes) return setMine(null)
    api.myDots(boardId, token, vote.id, voter).then(setMine, (e: unknown) => setError((e as Error).message))
  }, [boardId, token, vote?.id, vote?.open, voter, votes])
  useEffect(refresh, [refresh])

  if (!chrome) return null
  const dot = (delta: 1 | -1) => {
    if (!vote || !selected) return
    setError(null)
    api.dot(chrome.boardId, chrome.token, vote.id, voter, selected.id, delta).then(setMine, (e: unknown) => setError((e as Error).message))
  }
  const isFacilitator = chrome.role === 'facilitator'

  if (vote?.open) {
    const here = selected ? mine?.mine[selected.id] ?? 0 : 0
    return (
      <div className="vote-bar" data-testid="vote-bar">
        <strong>{t('vote.open', { dots: String(vote.dots), left: String(mine?.left ?? vote.dots) })}</strong>
        <span className="muted">{t('vote.anonymous')}</span>
        {chrome.role !== 'viewer' && (selected ? (
          <>
            <button type="button" onClick={() => dot(1)} disabled={(mine?.left ?? 0) <= 0} data-testid="vote-add">{t('vote.add')}</button>
            <button type="button" onClick={() => dot(-1)} disabled={here === 0}>{t('vote.remove')}</button>
            <span>{t('vote.here', { n: String(here) })}</span>
          </>
        ) : <span>{t('vote.select')}</span>)}
        {isFacilitator && <button type="button" onClick={() => void api.closeVote(chrome.boardId, chrome.token, vote.id).catch((e: unknown) => setError((e as Error).message))} data-testid="vote-close">{t('vote.close')}</button>}
        {error && <span className="error" role="alert">{error}</span>}
      </div>
    )
  }

  return (
    <div className="vote-bar closed">
      {vote && vote.results.length > 0 && (
        <details>
          <summary>{t('vote.results')}</summary>
          <ol data-testid="vote-results">{vote.results.map((r) => <li key={r.shapeId}>{r.title} — {r.count}</li>)}</ol>
        </details>
      )}
      {isFacilitator && !chrome.closedAt && (starting ? <StartVote onDone={() => setStarting(false)} /> : <button type="button" onClick={() => setStarting(true)} data-testid="vote-start">{t('vote.start')}</button>)}
      {error && <span className="error" role="alert">{error}</span>}
    </div>
  )
}

function StartVote({ onDone }: { onDone(): void }) {
  const chrome = useContext(BoardChromeContext)!
  const editor = useEditor()
  const { t } = useI18n()
  const [dots, setDots] = useState(3)
  const [minutes, setMinutes] = useState('')
  const [error, setError] = useState<string | null>(null)
  const start = (event: FormEvent) => {
    event.preventDefault()
    const frameId = targetFrame(editor, chrome.facilitation)
    if (!frameId) return setError(t('vote.select'))
    api.startVote(chrome.boardId, chrome.token, frameId, dots, minutes ? Number(minutes) : undefined).then(onDone, (e: unknown) => setError((e as Error).message))
  }
  return (
    <form className="vote-start" onSubmit={start}>
      <label>{t('vote.dots')} <input type="number" min={1} max={20} value={dots} onChange={(e) => setDots(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} /></label>
      <label>{t('vote.minutes')} <input type="number" min={0} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} /></label>
      <button type="submit" className="primary" data-testid="vote-begin">{t('vote.begin')}</button>
      {error && <span className="error" role="alert">{error}</span>}
    </form>
  )
}
