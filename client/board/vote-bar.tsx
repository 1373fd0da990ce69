/**
 * Dot voting: facilitators start a round on the current phase's frame (or a selected frame) and
 * close it; everyone spreads their dots over the cards. Dots go to the server only, so nobody
 * sees anyone else's until the round closes and the tallies appear on the cards.
 */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { useEditor, useValue } from 'tldraw'
import type { MyDots } from '../../shared/api.ts'
import type { VoteState } from '../../shared/voting.ts'
import { api, ApiError } from '../api-client.ts'
import { memberKey } from '../identity.ts'
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useConnection, useFacilitationInfo, type BoardInfo } from './board-context.tsx'
import { afterFailure, pendingDot, withPending, type PendingDot } from './dot-queue.ts'
import { targetFrame } from './facilitation.ts'

/** Memo: the header renders again with the connection; the bar only with what it reads. */
export const VoteBar = memo(function VoteBar() {
  const board = useBoard()
  const { facilitation } = useFacilitationInfo()
  const connected = useConnection().kind === 'connected'
  const editor = useEditor()
  const { t } = useI18n()
  const [error, setError] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const selected = useValue('selected shape', () => editor.getOnlySelectedShape(), [editor])
  const vote = facilitation?.vote ?? null
  const { mine, waiting, place } = useDots(board, connected, vote, setError)

  const dot = (delta: 1 | -1) => {
    if (!vote || !selected) return
    setError(null)
    place(vote.id, selected.id, delta)
  }
  const isFacilitator = board.role === 'facilitator'

  if (vote?.open) {
    const here = selected ? (mine?.mine[selected.id] ?? 0) : 0
    return (
      <div className="vote-bar" data-testid="vote-bar">
        {/* A viewer has no dots: told what the participants do, not invited to spread dots of its own. */}
        <strong>
          {board.role === 'viewer' ? t('vote.openViewer', { dots: vote.dots }) : t('vote.open', { dots: vote.dots, left: mine?.left ?? vote.dots })}
        </strong>
        <span className="muted">{t('vote.anonymous')}</span>
        {board.role !== 'viewer' &&
          (selected ? (
            <>
              <button type="button" onClick={() => dot(1)} disabled={(mine?.left ?? 0) <= 0} data-testid="vote-add">
                {t('vote.add')}
              </button>
              <button type="button" onClick={() => dot(-1)} disabled={here === 0}>
                {t('vote.remove')}
              </button>
              <span>{t('vote.here', { n: String(here) })}</span>
            </>
          ) : (
            <span>{t('vote.select')}</span>
          ))}
        {isFacilitator && (
          <button
            type="button"
            onClick={() => void api.closeVote(board.boardId, board.token, vote.id).catch((e: unknown) => setError((e as Error).message))}
            data-testid="vote-close"
          >
            {t('vote.close')}
          </button>
        )}
        {waiting > 0 && (
          <span className="muted" role="status" data-testid="vote-pending">
            {t('vote.pending', { n: waiting })}
          </span>
        )}
        {error && (
          <span className="error" role="alert">
            {error}
          </span>
        )}
      </div>
    )
  }

  return (
    <div className="vote-bar closed">
      {vote && vote.results.length > 0 && (
        <details>
          <summary>{t('vote.results')}</summary>
          <ol data-testid="vote-results">
            {vote.results.map((r) => (
              <li key={r.shapeId}>
                {r.title} — {r.count}
              </li>
            ))}
          </ol>
        </details>
      )}
      {isFacilitator &&
        !board.closedAt &&
        (starting ? (
          <StartVote onDone={() => setStarting(false)} />
        ) : (
          <button type="button" onClick={() => setStarting(true)} data-testid="vote-start">
            {t('vote.start')}
          </button>
        ))}
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  )
})

/** How long a dot that could not go waits before it is tried again while the page says it is connected. */
const RETRY_MS = 2_000

/**
 * This browser's dots in the open vote: the server's last answer with the dots still waiting to
 * be sent counted in (client/board/dot-queue.ts). A dot waits while the connection is down, or
 * when its request got no answer, and goes once the connection is back; only a real refusal is
 * shown (through `onRefused`).
 */
function useDots(board: BoardInfo, connected: boolean, vote: VoteState | null, onRefused: (message: string) => void) {
  const { t } = useI18n()
  const [answer, setAnswer] = useState<MyDots | null>(null)
  const [queue, setQueue] = useState<PendingDot[]>([])
  const [stalled, setStalled] = useState(false)
  const [retry, setRetry] = useState(0)
  const sending = useRef(false)
  // Answers apply in the order their requests were made: "my dots" asked on reconnect must not undo a dot answered after it.
  const asked = useRef(0)
  const applied = useRef(0)
  // The secret member key, not the public id: only this browser can read or move its dots.
  const voter = useMemo(() => memberKey(), [])
  // Keyed on the board and the vote only, not on the whole board slice (its identity changes with a rename).
  const { boardId, token } = board
  // A viewer has no dots: the server would refuse to say how many (only voters on the board may ask).
  const votes = board.role !== 'viewer'
  const accept = useCallback((seq: number, mine: MyDots) => {
    if (seq < applied.current) return
    applied.current = seq
    setAnswer(mine)
  }, [])

  // Asked again when the connection is back: what went while it was down is counted.
  useEffect(() => {
    if (!boardId || !token || !vote?.open || !votes) return setAnswer(null)
    if (!connected) return
    const seq = ++asked.current
    api.myDots(boardId, token, vote.id, voter).then(
      (mine) => accept(seq, mine),
      (e: unknown) => {
        if (!(e instanceof ApiError && e.status === 0)) onRefused((e as Error).message)
      },
    )
  }, [boardId, token, vote?.id, vote?.open, voter, votes, connected, accept, onRefused])

  const retryTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(retryTimer.current), [])
  useEffect(() => {
    const first = queue[0]
    if (!first || !connected || sending.current || retryTimer.current || !boardId || !token) return
    sending.current = true
    const seq = ++asked.current
    api.dot(boardId, token, first.voteId, voter, first.shapeId, first.delta, first.requestId).then(
      (mine) => {
        sending.current = false
        accept(seq, mine)
        setStalled(false)
        setQueue((q) => q.slice(1))
      },
      (e: unknown) => {
        sending.current = false
        const next = afterFailure(e, first)
        if (next === 'refused') {
          onRefused(e instanceof ApiError && e.status === 404 ? t('vote.closedBeforeSent') : (e as Error).message)
          setQueue((q) => q.slice(1))
          return
        }
        if (next === 'wait') setStalled(true)
        else setQueue((q) => q.map((d) => (d === first ? { ...d, notYetVoter: d.notYetVoter + 1 } : d)))
        retryTimer.current = setTimeout(() => {
          retryTimer.current = undefined
          setRetry((n) => n + 1)
        }, RETRY_MS)
      },
    )
  }, [queue, connected, retry, boardId, token, voter, accept, onRefused, t])

  const place = useCallback((voteId: string, shapeId: string, delta: 1 | -1) => setQueue((q) => [...q, pendingDot(voteId, shapeId, delta)]), [])
  const mine = vote?.open && votes ? withPending(answer, vote.dots, queue, vote.id) : null
  const waiting = !connected || stalled ? queue.length : 0
  return { mine, waiting, place }
}

function StartVote({ onDone }: { onDone(): void }) {
  const { boardId, token } = useBoard()
  const { facilitation } = useFacilitationInfo()
  const editor = useEditor()
  const { t } = useI18n()
  const [dots, setDots] = useState(3)
  const [minutes, setMinutes] = useState('')
  const [error, setError] = useState<string | null>(null)
  const start = (event: FormEvent) => {
    event.preventDefault()
    const frameId = targetFrame(editor, facilitation)
    if (!frameId) return setError(t('vote.select'))
    api.startVote(boardId, token, frameId, dots, minutes ? Number(minutes) : undefined).then(onDone, (e: unknown) => setError((e as Error).message))
  }
  return (
    <form className="vote-start" onSubmit={start}>
      <label>
        {t('vote.dots')} <input type="number" min={1} max={20} value={dots} onChange={(e) => setDots(Math.max(1, Math.min(20, Number(e.target.value) || 1)))} />
      </label>
      <label>
        {t('vote.minutes')} <input type="number" min={0} max={240} value={minutes} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <button type="submit" className="primary" data-testid="vote-begin">
        {t('vote.begin')}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </form>
  )
}
