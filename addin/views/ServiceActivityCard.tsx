/**
 * A service activity as its technician needs it: what to do, when, at which customer and how to
 * reach them, and the order it belongs to.
 */
import type { ServiceActivityView } from '../../shared/addin-api.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { formatWallClockRange } from '../i18n/format.ts';
import { RecordCard } from './RecordCard.tsx';
import { renderContactPerson, renderPhone } from './contact-links.tsx';

export interface ServiceActivityCardProps {
  readonly record: ServiceActivityView;
}

export function ServiceActivityCard({ record }: ServiceActivityCardProps) {
  const { t, language } = useI18n();
  return (
    <RecordCard
      kind={record.kind}
      heading={t.serviceActivity}
      badges={[record.zakonczona ? { text: t.activityDone, color: 'success' } : null]}
      lead={record.czynnosc}
      fields={[
        { key: 'termin', label: t.when, value: formatWallClockRange(record.terminOd, record.terminDo, language) },
        { key: 'klient', label: t.customer, value: record.klient.nazwa },
        { key: 'adres', label: t.address, value: record.klient.adres },
        { key: 'telefon', label: t.phone, value: renderPhone(record.klient.telefon) },
        { key: 'osoba', label: t.contactPerson, value: renderContactPerson(record.osobaKontaktowa.nazwisko, record.osobaKontaktowa.telefon) },
        { key: 'urzadzenie', label: t.device, value: record.urzadzenie },
        { key: 'opis', label: t.description, value: record.opis },
        { key: 'zlecenie', label: t.order, value: record.zlecenie.numer },
        { key: 'stanZlecenia', label: t.orderStatus, value: record.zlecenie.stan },
        { key: 'opisZlecenia', label: t.orderDescription, value: record.zlecenie.opis },
        { key: 'serwisant', label: t.technician, value: record.serwisant?.name ?? null },
      ]}
    />
  );
}
