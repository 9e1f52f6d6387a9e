import type { SourceRow } from '../../server/domain/types.ts';

/** A realistic service order row, as the Optima source adapter hands it to render; override what a test is about. */
export function makeOrderRow(overrides: Partial<Omit<SourceRow, 'fields'>> & { fields?: Record<string, unknown> } = {}): SourceRow {
  const { fields, ...rest } = overrides;
  return {
    key: 'serwis:zlecenie:12',
    kind: 'serwis:zlecenie',
    id: 12,
    modifiedAt: '2026-03-20 10:15:00.123',
    start: '2026-03-30T08:30:00',
    end: null,
    owner: { type: 'pracownik', id: 7 },
    columns: { SrZ_SrZId: 12, SrZ_NumerPelny: 'ZS/12/2026', SrZ_Stan: 1 },
    ...rest,
    fields: {
      numer: 'ZS/12/2026',
      stan: 'W realizacji',
      stanKod: 1,
      bufor: false,
      etap: 'Diagnoza',
      // Shaped as server/source/optima/map-service-order.ts maps a row.
      klient: { nazwa: 'Kowalski Sp. z o.o.', adres: 'ul. Długa 1, 30-001 Kraków' },
      telefon: '600100200',
      osobaKontaktowa: { nazwisko: 'Jan Kowalski', telefon: '501 222 333' },
      urzadzenie: 'Kocioł Vaillant ecoTEC',
      kategoria: 'Przegląd',
      opis: 'Przegląd roczny kotła',
      ...fields,
    },
  };
}
