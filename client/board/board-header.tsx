/** The strip at the top of the canvas: board title, connection state, share link, language. */
import { useEffect, useState } from 'react'
import { TrashMenu } from './trash-menu.tsx'
import { OutlineMenu } from './outline-menu.tsx'
import { FacilitatorNotesMenu } from './facilitator-notes.tsx'
import { ProgressMenu } from './progress-menu.tsx'
import { OUTCOME_FORMATS } from '../../shared/api.ts'
import { fileUrl } from '../api-client.ts'
import { ShareMenu } from './share-menu.tsx'
import { AgendaBar } from './agenda-bar.tsx'
import { VoteBar } from './vote-bar.tsx'
import { PeopleMenu } from './people-menu.tsx'
import { LanguageToggle, useI18n } from '../i18n/i18n.tsx'
import { ConnectionBadge } from './connection-badge.tsx'
import { ExportItems } from './export-menu.tsx'
import { HistoryMenu } from './history.tsx'
import { useBoard, useConnection } from './board-context.tsx'
import { PanelBoundary } from './panel-boundary.tsx'

export function BoardHeader() {
  const board = useBoard()
  const connection = useConnection()
  const { t, lang } = useI18n()
  const [copied, setCopied] = useState(false)
  const [menuOpen, setMenuOpen] = useState(false)
  useStylePanelBelowChrome()
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
        <a className="board-home" href="/" aria-label={t('board.toLobby')}>
          ⌂
        </a>
        <span className="board-heading">
          <strong className="board-title" data-testid="board-title">
            {board.title || t('board.untitled')}
          </strong>
          {board.session?.centraleOpgave && (
            <span className="board-opgave" title={board.session.centraleOpgave} data-testid="board-opgave">
              {board.session.centraleOpgave}
            </span>
          )}
        </span>
        <ConnectionBadge connection={connection} />
        {/* Below ~1000 px everything else folds into this one menu (CSS decides when it shows). */}
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="board-top"
          onClick={() => setMenuOpen(!menuOpen)}
          data-testid="menu-button"
        >
          {menuOpen ? t('board.menuClose') : t('board.menu')}
        </button>
        <span className="header-more">
          {board.role === 'facilitator' ? (
            <PanelBoundary where="share" as="span" compact>
              <ShareMenu boardId={board.boardId} token={board.token} />
            </PanelBoundary>
          ) : (
            <button type="button" className="link-button" onClick={() => void copy()}>
              {copied ? t('board.linkCopied') : t('board.copyLink')}
            </button>
          )}
          <span className="role-badge" data-testid="role">
            {t(`role.${board.role}`)}
          </span>
          <details className="report-menu">
            <summary data-testid="report-menu">{t('report.menu')}</summary>
            <ul>
              {OUTCOME_FORMATS.map((format) => (
                <li key={format}>
                  <a
                    href={fileUrl(board.boardId, board.token, `outcome.${format}`, undefined, lang)}
                    target="_blank"
                    rel="noopener"
                    data-testid={`report-${format}`}
                  >
                    {t(`report.${format}`)}
                  </a>
                </li>
              ))}
              <li>
                <a href={fileUrl(board.boardId, board.token, 'outcome.pdf', undefined, lang)} download data-testid="report-pdf">
                  {t('report.pdf')}
                </a>
              </li>
              <PanelBoundary where="export" as="li" compact>
                <ExportItems />
              </PanelBoundary>
              <PanelBoundary where="progress" as="li" compact>
                <ProgressMenu />
              </PanelBoundary>
            </ul>
          </details>
          <PanelBoundary where="history" as="span" compact>
            <HistoryMenu />
          </PanelBoundary>
          <PanelBoundary where="trash" as="span" compact>
            <TrashMenu />
          </PanelBoundary>
          <PanelBoundary where="facilitator-notes" as="span" compact>
            <FacilitatorNotesMenu />
          </PanelBoundary>
          <PanelBoundary where="outline" as="span" compact>
            <OutlineMenu />
          </PanelBoundary>
          <PanelBoundary where="people" as="span" compact>
            <PeopleMenu />
          </PanelBoundary>
          <LargeTextToggle />
          <LanguageToggle />
        </span>
      </div>
      <PanelBoundary where="agenda-bar">
        <AgendaBar />
      </PanelBoundary>
      <PanelBoundary where="vote-bar">
        <VoteBar />
      </PanelBoundary>
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
