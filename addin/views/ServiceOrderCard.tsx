/** A service order as a technician needs it: who, where, how to reach them, what, and when. */
import type { ServiceOrderView } from '../../shared/addin-api.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { formatWallClock } from '../i18n/format.ts';
import { RecordCard } from './RecordCard.tsx';
import { renderContactPerson, renderEmail, renderPhone } from './contact-links.tsx';

export interface ServiceOrderCardProps {
  readonly record: ServiceOrderView;
}

/** The order's fields; phone numbers and e-mail are links that start a call or a message. */
export function ServiceOrderCard({ record }: ServiceOrderCardProps) {
  const { t, language } = useI18n();
  const status = [record.stan, record.bufor ? t.inBuffer : null].filter(Boolean).join(' · ');
  return (
    <RecordCard
      kind={record.kind}
      heading={`${t.serviceOrder} ${record.numer ?? `#${record.id}`}`}
      badges={[record.stan ? { text: record.stan } : null]}
      fields={[
        { key: 'numer', label: t.number, value: record.numer },
        { key: 'stan', label: t.status, value: status || null },
        { key: 'etap', label: t.stage, value: record.etap },
        { key: 'klient', label: t.customer, value: record.klient.nazwa },
        { key: 'adres', label: t.address, value: record.klient.adres },
        { key: 'telefon', label: t.phone, value: renderPhone(record.klient.telefon) },
        { key: 'email', label: t.email, value: renderEmail(record.klient.email) },
        { key: 'osoba', label: t.contactPerson, value: renderContactPerson(record.osobaKontaktowa.nazwisko, record.osobaKontaktowa.telefon) },
        { key: 'urzadzenie', label: t.device, value: record.urzadzenie },
        { key: 'kategoria', label: t.category, value: record.kategoria },
        { key: 'opis', label: t.description, value: record.opis },
        { key: 'prowadzacy', label: t.leader, value: record.prowadzacy?.name ?? null },
        { key: 'dataPrzyjecia', label: t.dateAccepted, value: formatWallClock(record.dataPrzyjecia, language) },
        { key: 'dataRealizacji', label: t.datePlanned, value: formatWallClock(record.dataRealizacji, language) },
        { key: 'dataZamkniecia', label: t.dateClosed, value: formatWallClock(record.dataZamkniecia, language) },
      ]}
    />
  );
}
