/**
 * A CRM task or contact, or one occurrence of a recurring task, as its owner needs it: the topic,
 * when, with whom and where, how urgent, the stage, who else takes part, and the notes.
 */
import type { CrmRecordView } from '../../shared/addin-api.ts';
import type { Messages } from '../i18n/messages.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { formatWallClock, formatWallClockRange } from '../i18n/format.ts';
import { RecordCard, type RecordBadge } from './RecordCard.tsx';
import { renderEmail, renderPhone } from './contact-links.tsx';
import { ParticipantList } from './ParticipantList.tsx';

export interface CrmRecordCardProps {
  readonly record: CrmRecordView;
}

export function CrmRecordCard({ record }: CrmRecordCardProps) {
  const { t, language } = useI18n();
  const number = record.numer ?? `#${record.wystapienie && record.zadanieId !== null ? record.zadanieId : record.id}`;
  return (
    <RecordCard
      kind={record.kind}
      heading={`${describeKind(record, t)} ${number}`}
      badges={[stateBadge(record, t)]}
      lead={record.temat}
      fields={[
        { key: 'termin', label: t.when, value: formatWallClockRange(record.terminOd, record.terminDo, language) },
        { key: 'przypomnienie', label: t.reminder, value: formatWallClock(record.przypomnienie, language, { withTime: true }) },
        { key: 'klient', label: t.customer, value: record.klient.nazwa },
        { key: 'adres', label: t.address, value: record.klient.adres },
        { key: 'telefon', label: t.phone, value: renderPhone(record.klient.telefon) },
        { key: 'email', label: t.email, value: renderEmail(record.klient.email) },
        // The contact person is often the customer's own name on a private customer: said once.
        { key: 'osoba', label: t.contactPerson, value: record.osoba !== record.klient.nazwa ? record.osoba : null },
        { key: 'lokalizacja', label: t.location, value: record.lokalizacja },
        { key: 'priorytet', label: t.priority, value: t.priorityLabel(record.priorytetKod, record.priorytet) },
        { key: 'etap', label: t.stage, value: record.etap },
        {
          key: 'uczestnicy', label: t.participants, block: true,
          value: record.uczestnicy.length > 0 ? <ParticipantList participants={record.uczestnicy} /> : null,
        },
        { key: 'opis', label: t.description, value: record.opis },
        { key: 'opiekun', label: t.owner, value: record.opiekun?.name ?? null },
      ]}
    />
  );
}

/** "Zadanie CRM", "Kontakt CRM" or "Wystąpienie zadania cyklicznego". */
function describeKind(record: CrmRecordView, t: Messages): string {
  if (record.wystapienie) return t.crmOccurrence;
  return record.rodzaj === 'Kontakt' ? t.crmContact : t.crmTask;
}

function stateBadge(record: CrmRecordView, t: Messages): RecordBadge | null {
  if (!record.stan) return null;
  const color = record.stan === 'anulowane' ? 'danger' : record.stan === 'zamknięte' ? 'success' : 'brand';
  return { text: t.crmState[record.stan], color };
}
