/** The strip at the top of the canvas: board title, connection state, share link, language. */
import { createContext, useContext, useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { TrashMenu } from './trash-menu.tsx'
import { OutlineMenu } from './outline-menu.tsx'
import { FacilitatorNotesMenu } from './facilitator-notes.tsx'
import { ProgressMenu } from './progress-menu.tsx'
import { OUTCOME_FORMATS, outcomePath } from '../../shared/api.ts'
import type { Session } from '../../shared/format/model.ts'
import type { Identity } from '../identity.ts'
import type { Role } from '../../shared/roles.ts'
import { ShareMenu } from './share-menu.tsx'
import type { Facilitation } from '../../shared/facilitation.ts'
import { AgendaBar } from './agenda-bar.tsx'
import { VoteBar } from './vote-bar.tsx'
import type { FacilitatorActions } from './facilitation.ts'
import type { Member } from './members.ts'
import { PeopleMenu } from './people-menu.tsx'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { ConnectionBadge } from './connection-badge.tsx'
import { ExportItems } from './export-menu.tsx'
import { HistoryMenu, type OpenSnapshot } from './history.tsx'
import { PanelBoundary } from './panel-boundary.tsx'
import type { ConnectionState } from './use-board-connection.ts'

export interface BoardChrome {
  boardId: string
  title: string
  connection: ConnectionState
  /** The session of a board made from a template; null for a blank board. */
  session: Session | null
  identity: Identity
  /** SHA-256 of this browser's member key (owner of the cards made here). */
  keyHash: string
  /** The board's document (trash, layout); null before it is synced. */
  doc: Y.Doc | null
  role: Role
  token: string
  facilitation: Facilitation | null
  /** Server time minus local time. */
  serverOffset: number
  /** Set for facilitators only. */
  actions: FacilitatorActions | null
  members: Member[]
  hand: boolean
  setHand(up: boolean): void
  /** When a facilitator closed the session (the board is read-only), else null. */
  closedAt: number | null
  /** Opens a snapshot read-only beside the board. */
  openSnapshot(open: OpenSnapshot): void
}

export const BoardChromeContext = createContext<BoardChrome | null>(null)

export function BoardHeader() {
  const chrome = useContext(BoardChromeContext)
  const { t, lang } = useI18n()
  const [copied, setCopied] = useState(false)
  const [menuOpen, setMenuOpen] = useState(false)
  useStylePanelBelowChrome()
  if (!chrome) return null
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(location.href)
      setCopied(true)
      setTimeout(() => setCopied(false), 2_000)
    } catch {
      window.prompt(t('board.copyLink'), location.href)
    }
  }
  return (
    <div className={`board-top${menuOpen ? ' menu-open' : ''}`} id="board-top">
    <div className="board-header" data-testid="board-header">
      <a className="board-home" href="/" aria-label={t('board.toLobby')}>⌂</a>
      <span className="board-heading">
        <strong className="board-title" data-testid="board-title">{chrome.title || t('board.untitled')}</strong>
        {chrome.session?.centraleOpgave && (
          <span className="board-opgave" title={chrome.session.centraleOpgave} data-testid="board-opgave">{chrome.session.centraleOpgave}</span>
        )}
      </span>
      <ConnectionBadge connection={chrome.connection} />
      {/* Below ~1000 px everything else folds into this one menu (CSS decides when it shows). */}
      <button type="button" className="menu-button" aria-expanded={menuOpen} aria-controls="board-top" onClick={() => setMenuOpen(!menuOpen)} data-testid="menu-button">
        {menuOpen ? t('board.menuClose') : t('board.menu')}
      </button>
      <span className="header-more">
      {chrome.role === 'facilitator' ? (
        <PanelBoundary where="share" as="span" compact><ShareMenu boardId={chrome.boardId} token={chrome.token} /></PanelBoundary>
      ) : (
        <button type="button" className="link-button" onClick={() => void copy()}>
          {copied ? t('board.linkCopied') : t('board.copyLink')}
        </button>
      )}
      <span className="role-badge" data-testid="role">{t(`role.${chrome.role}`)}</span>
      <details className="report-menu">
        <summary data-testid="report-menu">{t('report.menu')}</summary>
        <ul>
          {OUTCOME_FORMATS.map((format) => (
            <li key={format}>
 <a href={outcomePath(chrome.boardId, format, chrome.token, lang)} target="_blank" rel="noopener" data-testid={`report-${format}`}>{t(`report.${format}`)}</a>
            </li>
          ))}
          <li>
            <a href={`/api/boards/${chrome.boardId}/outcome.pdf?lang=${lang}&token=${encodeURIComponent(chrome.token)}`} download data-testid="report-pdf">{t('report.pdf')}</a>
          </li>
          <PanelBoundary where="export" as="li" compact><ExportItems /></PanelBoundary>
          <PanelBoundary where="progress" as="li" compact><ProgressMenu /></PanelBoundary>
        </ul>
      </details>
      <PanelBoundary where="history" as="span" compact><HistoryMenu /></PanelBoundary>
      <PanelBoundary where="trash" as="span" compact><TrashMenu /></PanelBoundary>
      <PanelBoundary where="facilitator-notes" as="span" compact><FacilitatorNotesMenu /></PanelBoundary>
      <PanelBoundary where="outline" as="span" compact><OutlineMenu /></PanelBoundary>
      <PanelBoundary where="people" as="span" compact><PeopleMenu /></PanelBoundary>
      <LargeTextToggle />
      <LanguageToggle />
      </span>
    </div>
    <PanelBoundary where="agenda-bar"><AgendaBar /></PanelBoundary>
    <PanelBoundary where="vote-bar"><VoteBar /></PanelBoundary>
    </div>
  )
}

const LARGE_TEXT_KEY = 'board.largeText'

/** Larger text for the board's chrome (instructions, menus, forms); remembered per browser. */
export function LargeTextToggle() {
  const { t } = useI18n()
  const [large, setLarge] = useState(() => localStorage.getItem(LARGE_TEXT_KEY) === 'on')
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', large)
  }, [large])
  const toggle = () => {
    localStorage.setItem(LARGE_TEXT_KEY, large ? 'off' : 'on')
    setLarge(!large)
  }
  return (
    <button type="button" className="link-button large-text-toggle" aria-pressed={large} title={t('board.largeText')} onClick={toggle} data-testid="large-text">
      A+<span className="visually-hidden"> {t('board.largeText')}</span>
    </button>
  )
}

/**
 * On laptops (1366–1440 px) the board's chrome reaches over tldraw's style panel at the top
 * right. Where they overlap, the style panel moves down below the chrome (a CSS variable the
 * stylesheet reads), so neither is cut off.
 */
function useStylePanelBelowChrome() {
  useEffect(() => {
    const root = document.documentElement
    const measure = () => {
      const top = document.getElementById('board-top')?.getBoundingClientRect()
      const right = document.querySelector('.tlui-layout__top__right')?.getBoundingClientRect()
      const overlaps = !!top && !!right && right.width > 0 && top.right > right.left && top.left < right.right
      root.style.setProperty('--style-panel-offset', overlaps ? `${Math.ceil(top.bottom)}px` : '0px')
    }
    measure()
    const observer = new ResizeObserver(measure)
    const top = document.getElementById('board-top')
    if (top) observer.observe(top)
    addEventListener('resize', measure)
    return () => {
      observer.disconnect()
      removeEventListener('resize', measure)
      root.style.removeProperty('--style-panel-offset')
    }
  }, [])
}
