/**
 * Around every panel and menu of ours: when one throws while drawing, a Dutch message takes its
 * place (with *Opnieuw proberen*, which mounts it afresh) and the canvas and every other panel
 * carry on. The error goes to the server's log (client-errors.ts). React catches render errors
 * only in a class component, hence the one class here.
 */
import { Component, Fragment, type ReactNode } from 'react'
import { reportClientError } from '../client-errors.ts'
import { useI18n } from '../i18n/i18n.tsx'

interface Props {
  /** The panel's name in reports and in `data-panel` (a-z, 0-9, -). */
  where: string
  /** The fallback's element: `li` inside a list, `span` inside a line of menus. */
  as?: 'div' | 'li' | 'span'
  /** One line for narrow places (the header); the help is read out, not shown. */
  compact?: boolean
  /** Classes that put the message where the panel was (`card-panel`, `floating`). */
  className?: string
  children: ReactNode
}

interface State {
  failed: boolean
  /** Bumped by a retry: the children's key, so they mount afresh. */
  attempt: number
}

export class PanelBoundary extends Component<Props, State> {
  override state: State = { failed: false, attempt: 0 }

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true }
  }

  // React logs the error and its component stack to the console itself.
  override componentDidCatch(error: unknown): void {
    reportClientError(this.props.where, error)
  }

  private readonly retry = () => this.setState((s) => ({ failed: false, attempt: s.attempt + 1 }))

  override render(): ReactNode {
    const { where, as = 'div', compact = false, className = '', children } = this.props
    if (this.state.failed)
      return (
        <PanelFallback
          where={where}
          as={as}
          className={`panel-fallback${compact ? ' compact' : ''} ${className}`.trim()}
          compact={compact}
          onRetry={this.retry}
        />
      )
    return <Fragment key={this.state.attempt}>{children}</Fragment>
  }
}

function PanelFallback({
  where,
  as: Element,
  className,
  compact,
  onRetry,
}: {
  where: string
  as: 'div' | 'li' | 'span'
  className: string
  compact: boolean
  onRetry(): void
}) {
  const { t } = useI18n()
  return (
    // The alert is an inner span: an `li` must keep its role in its list.
    <Element className={className} data-testid="panel-fallback" data-panel={where}>
      <span role="alert">
        {t('panel.failed')}
        <span className={compact ? 'visually-hidden' : undefined}> {t('panel.failedHelp')}</span>
      </span>{' '}
      <button type="button" className="link-button" onClick={onRetry} data-testid="panel-retry">
        {t('board.retry')}
      </button>
    </Element>
  )
}
