/** A service order as a technician needs it: who, where, how to reach them, what, and when. */
import type { ReactNode } from 'react';
import { Badge, Card, Link, makeStyles, Subtitle1, Text, tokens } from '@fluentui/react-components';
import type { ServiceOrderView } from '../../shared/addin-api.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { formatWallClock } from '../i18n/format.ts';

const useStyles = makeStyles({
  list: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
  heading: { margin: 0 },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
});

export interface RecordViewProps {
  readonly record: ServiceOrderView;
}

/** The order's fields; phone numbers and e-mail are links that start a call or a message. */
export function RecordView({ record }: RecordViewProps) {
  const { t, language } = useI18n();
  const styles = useStyles();
  const status = [record.stan, record.bufor ? t.inBuffer : null].filter(Boolean).join(' · ');
  const rows: ReadonlyArray<readonly [string, string, ReactNode]> = [
    ['numer', t.number, record.numer],
    ['stan', t.status, status || null],
    ['etap', t.stage, record.etap],
    ['klient', t.customer, record.klient.nazwa],
    ['adres', t.address, record.klient.adres],
    ['telefon', t.phone, phoneLink(record.klient.telefon)],
    ['email', t.email, record.klient.email ? <Link href={`mailto:${record.klient.email}`}>{record.klient.email}</Link> : null],
    ['osoba', t.contactPerson, contactPerson(record.osobaKontaktowa.nazwisko, record.osobaKontaktowa.telefon)],
    ['urzadzenie', t.device, record.urzadzenie],
    ['kategoria', t.category, record.kategoria],
    ['opis', t.description, record.opis],
    ['prowadzacy', t.leader, record.prowadzacy?.name ?? null],
    ['dataPrzyjecia', t.dateAccepted, formatWallClock(record.dataPrzyjecia, language)],
    ['dataRealizacji', t.datePlanned, formatWallClock(record.dataRealizacji, language)],
    ['dataZamkniecia', t.dateClosed, formatWallClock(record.dataZamkniecia, language)],
  ];
  return (
    <Card data-testid="record-view" aria-labelledby="record-heading">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="record-heading" className={styles.heading}>
          {t.serviceOrder} {record.numer ?? `#${record.id}`}
        </Subtitle1>
        {record.stan ? <Badge appearance="tint">{record.stan}</Badge> : null}
      </div>
      <dl className={styles.list}>
        {rows
          .filter(([, , value]) => value !== null && value !== '')
          .map(([key, label, value]) => (
            <div key={key} data-field={key}>
              <dt className={styles.term}>{label}</dt>
              <dd className={styles.value}>
                <Text>{value}</Text>
              </dd>
            </div>
          ))}
      </dl>
    </Card>
  );

  function phoneLink(phone: string | null): ReactNode {
    return phone ? <Link href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</Link> : null;
  }

  function contactPerson(name: string | null, phone: string | null): ReactNode {
    if (!name && !phone) return null;
    return (
      <>
        {name}
        {name && phone ? ', ' : null}
        {phoneLink(phone)}
      </>
    );
  }
}
