import type Database from 'better-sqlite3';
import { DEMO_CUSTOMERS, DEMO_EMPLOYEES } from './optima-demo-data.ts';

/**
 * CDN.PodmiotyView of the demo world. In Optima it is a view over customers (Kontrahenci, type 1),
 * banks (2), employees (3), partners (4) and offices (5); here a table with the view's real column
 * names, keyed by the pair (Pod_PodmiotTyp, Pod_PodId). Ids repeat across types on purpose — bank 1
 * and customer 1 are different subjects — so a join on the id alone would show.
 */

/** Subject types of Optima's "podmiot" columns. */
export const PODMIOT_KONTRAHENT = 1;
export const PODMIOT_BANK = 2;
export const PODMIOT_PRACOWNIK = 3;
export const PODMIOT_URZAD = 5;

/** Banks and offices, with ids that collide with customers' ids. */
export const DEMO_OTHER_SUBJECTS: readonly { readonly type: number; readonly id: number; readonly code: string; readonly name1: string; readonly name2: string; readonly city: string }[] = [
  { type: PODMIOT_BANK, id: 1, code: 'BS ŻABIA WOLA', name1: 'Bank Spółdzielczy', name2: 'w Żabiej Woli', city: 'Żabia Wola' },
  { type: PODMIOT_BANK, id: 2, code: 'PEKAO', name1: 'Bank Pekao S.A.', name2: '', city: 'Warszawa' },
  { type: PODMIOT_URZAD, id: 1, code: 'US KRAKÓW', name1: 'Urząd Skarbowy Kraków-Krowodrza', name2: '', city: 'Kraków' },
];

const COLUMNS = [
  'Pod_PodmiotTyp', 'Pod_PodId', 'Pod_Kod', 'Pod_Nazwa1', 'Pod_Nazwa2', 'Pod_Nazwa3', 'Pod_Ulica', 'Pod_NrDomu', 'Pod_NrLokalu',
  'Pod_KodPocztowy', 'Pod_Miasto', 'Pod_Poczta', 'Pod_Kraj', 'Pod_Telefon1', 'Pod_Telefon2', 'Pod_TelefonSms', 'Pod_Email',
  'Pod_Nieaktywny', 'Pod_NIP', 'Pod_Grupa',
] as const;

/** The customer code Optima shows ("akronim"): plain capitals, as the demo makes them up. */
export function demoCustomerCode(id: number): string {
  return `KLIENT${String(id).padStart(3, '0')}`;
}

/** Writes every subject of the demo world into PodmiotyView. Returns how many. */
export function insertDemoPodmioty(db: Database.Database): number {
  const insert = db.prepare(`INSERT INTO PodmiotyView (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')})`);
  const empty = { Pod_Nazwa3: '', Pod_Telefon2: '', Pod_TelefonSms: '', Pod_Nieaktywny: 0, Pod_NIP: '', Pod_Kraj: 'Polska' };
  let count = 0;
  for (const c of DEMO_CUSTOMERS) {
    insert.run({
      ...empty,
      Pod_PodmiotTyp: PODMIOT_KONTRAHENT,
      Pod_PodId: c.id,
      Pod_Kod: demoCustomerCode(c.id),
      Pod_Nazwa1: c.name1,
      Pod_Nazwa2: c.name2,
      Pod_Ulica: c.street,
      Pod_NrDomu: c.house,
      Pod_NrLokalu: c.flat,
      Pod_KodPocztowy: c.postCode,
      Pod_Miasto: c.city,
      Pod_Poczta: c.postTown,
      Pod_Telefon1: c.phone,
      Pod_Email: c.email,
      Pod_Grupa: 'KLIENCI',
    });
    count += 1;
  }
  for (const s of DEMO_OTHER_SUBJECTS) {
    insert.run({
      ...empty, Pod_PodmiotTyp: s.type, Pod_PodId: s.id, Pod_Kod: s.code, Pod_Nazwa1: s.name1, Pod_Nazwa2: s.name2,
      Pod_Ulica: '', Pod_NrDomu: '', Pod_NrLokalu: '', Pod_KodPocztowy: '', Pod_Miasto: s.city, Pod_Poczta: '', Pod_Telefon1: '', Pod_Email: '', Pod_Grupa: '',
    });
    count += 1;
  }
  for (const e of DEMO_EMPLOYEES) {
    insert.run({
      ...empty, Pod_PodmiotTyp: PODMIOT_PRACOWNIK, Pod_PodId: e.id, Pod_Kod: e.code, Pod_Nazwa1: e.last, Pod_Nazwa2: e.first,
      Pod_Ulica: '', Pod_NrDomu: '', Pod_NrLokalu: '', Pod_KodPocztowy: '', Pod_Miasto: '', Pod_Poczta: '', Pod_Telefon1: '', Pod_Email: e.hdkEmail, Pod_Grupa: '',
    });
    count += 1;
  }
  return count;
}
