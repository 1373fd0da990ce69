import { CloseCode, SESSION_CLOSED_REASON } from '../../shared/protocol.ts'
import type { MessageKey } from '../i18n/i18n.tsx'
import { useI18n } from '../i18n/i18n.tsx'
import type { ConnectionState } from './use-board-connection.ts'

const LABEL: Record<ConnectionState['kind'], MessageKey> = {
  connecting: 'status.connecting',
  connected: 'status.connected',
  reconnecting: 'status.reconnecting',
  offline: 'status.offline',
  refused: 'status.refused',
}

export function ConnectionBadge({ connection }: { connection: ConnectionState }) {
  const { t } = useI18n()
  const text =
    connection.kind !== 'refused'
      ? t(LABEL[connection.kind])
      : // The server's reason for a change after the close (server/room/room.ts): said as such, not as a role.
        connection.code === CloseCode.forbidden && connection.reason === SESSION_CLOSED_REASON
        ? t('status.refusedClosed')
        : connection.code === CloseCode.forbidden
          ? t('status.refusedForbidden')
          : connection.code === CloseCode.boardDeleted
            ? t('board.deleted')
            : connection.code === CloseCode.tooManyChanges
              ? t('status.refusedTooFast')
              : connection.code === CloseCode.protocolMismatch
                ? t('status.refusedOutdated')
                : t(LABEL.refused, { reason: connection.reason || String(connection.code) })
  return (
    <span className={`connection connection-${connection.kind}`} role="status" aria-live="polite" data-testid="connection-status" data-state={connection.kind}>
      <span className="connection-dot" aria-hidden="true" />
      {text}
    </span>
  )
}
