/** Who takes part in a CRM task: names, e-mail links, and who organizes it. */
import { makeStyles, Text, tokens } from '@fluentui/react-components';
import type { CrmParticipantView } from '../../shared/addin-api.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { renderEmail } from './contact-links.tsx';

const useStyles = makeStyles({
  list: { margin: 0, paddingLeft: 0, listStyleType: 'none', display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXS },
  item: { overflowWrap: 'anywhere' },
  note: { color: tokens.colorNeutralForeground3 },
});

export interface ParticipantListProps {
  readonly participants: readonly CrmParticipantView[];
}

export function ParticipantList({ participants }: ParticipantListProps) {
  const { t } = useI18n();
  const styles = useStyles();
  return (
    <ul className={styles.list}>
      {participants.map((p, index) => (
        <li key={`${p.nazwisko}-${p.email ?? index}`} className={styles.item}>
          <Text>
            {p.nazwisko}
            {p.organizator ? <span className={styles.note}> ({t.organizer})</span> : null}
            {p.email && p.email !== p.nazwisko ? <>{' · '}{renderEmail(p.email)}</> : null}
          </Text>
        </li>
      ))}
    </ul>
  );
}
