/** Who is online: name, role, stakeholder group and raised hands (hands first); a name follows that person's view. */
import { createUserId, useEditor } from 'tldraw'
import defaultGroups from '../../shared/format/data/stakeholder-groups.json' with { type: 'json' }
import { useI18n } from '../i18n/i18n.tsx'
import { useBoard, useFacilitationInfo, usePeople } from './board-context.tsx'

export function PeopleMenu() {
  const { session, identity } = useBoard()
  const { facilitation, actions } = useFacilitationInfo()
  const { members } = usePeople()
  const editor = useEditor()
  const { t, lang } = useI18n()
  const follow = (userId: string, menu: HTMLElement | null) => {
    editor.startFollowingUser(createUserId(userId))
    menu?.closest('details')?.removeAttribute('open')
  }
  const groups = session?.groups ?? defaultGroups
  const hands = members.filter((m) => m.hand).length
  return (
    <details className="report-menu people-menu">
      <summary data-testid="people-menu">
        {t('people.menu', { n: String(members.length) })}
        {hands > 0 ? ` · ${t('people.hands', { n: String(hands) })}` : ''}
      </summary>
      <ul data-testid="people-list">
        {members.map((m) => (
          <li key={m.userId} className={m.hand ? 'hand-up' : ''}>
            {m.hand && <span className="hand-badge">{t('people.raised')} · </span>}
            {m.hand && actions && (
              <button type="button" className="link-button" onClick={() => actions!.lowerHand(m.userId)} data-testid="lower-hand">
                {t('people.lowerTheirHand')}
              </button>
            )}
            {m.userId === identity.id ? (
              <strong>{m.name}</strong>
            ) : (
              <button
                type="button"
                className="link-button"
                title={t('people.follow', { name: m.name })}
                aria-label={t('people.follow', { name: m.name })}
                data-testid="follow-person"
                onClick={(e) => follow(m.userId, e.currentTarget)}
              >
                <strong>{m.name}</strong>
              </button>
            )}
            {' · '}
            {t(`role.${m.role}`)}
            {m.groupId && <> · {groups.find((g) => g.id === m.groupId)?.name[lang] ?? m.groupId}</>}
            {actions &&
              m.role === 'participant' &&
              m.keyHash &&
              (facilitation?.cofacilitators.some((c) => c.keyHash === m.keyHash) ? (
                <> · {t('people.becomingFacilitator')}</>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  data-testid="make-cofacilitator"
                  onClick={() =>
                    confirm(t('people.confirmCoFacilitator', { name: m.name })) && actions!.makeCoFacilitator({ keyHash: m.keyHash, name: m.name })
                  }
                >
                  {t('people.makeCoFacilitator')}
                </button>
              ))}
          </li>
        ))}
      </ul>
    </details>
  )
}
