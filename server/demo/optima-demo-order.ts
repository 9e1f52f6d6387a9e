import { formatWallDate, roundToDatetimeTicks } from './optima-demo-clock.ts';
import {
  CONTACT_FIRST_NAMES,
  CONTACT_LAST_NAMES,
  DEMO_CATEGORIES,
  DEMO_CUSTOMERS,
  DEMO_DEVICES,
  DEMO_EMPLOYEES,
  DEMO_OPERATORS,
  DEMO_STAGES,
  ORDER_DESCRIPTIONS,
  pickInt,
  pickOne,
  type DemoCustomer,
} from './optima-demo-data.ts';

/**
 * One service order (CDN.SrsZlecenia row) of the demo world, the way Optima would have written
 * it: snapshots of the customer on the order, '' for empty text, 1899-12-30 for some empty
 * dates, `datetime` tick precision on the audit stamps.
 */

export type DemoOrderRow = Record<string, string | number | null>;

/** Optima's "no date". */
export const EMPTY_OPTIMA_DATE = '1899-12-30 00:00:00.000';

/** Columns the demo fills on every order (one prepared INSERT for all rows). */
export const DEMO_ORDER_COLUMNS: readonly string[] = [
  'SrZ_SrZId', 'SrZ_DDfId', 'SrZ_NumerString', 'SrZ_NumerNr', 'SrZ_NumerPelny', 'SrZ_Opis', 'SrZ_Stan', 'SrZ_Bufor',
  'SrZ_Priorytet', 'SrZ_Wykonano', 'SrZ_CzasRealizacjiCzynnosci', 'SrZ_Waluta',
  'SrZ_DataDok', 'SrZ_DataPrzyjecia', 'SrZ_DataRealizacji', 'SrZ_DataZamkniecia',
  'SrZ_ProwadzacyTyp', 'SrZ_ProwadzacyId', 'SrZ_PodmiotTyp', 'SrZ_PodmiotId',
  'SrZ_PodNazwa1', 'SrZ_PodNazwa2', 'SrZ_PodNazwa3', 'SrZ_PodKraj', 'SrZ_PodUlica', 'SrZ_PodNrDomu', 'SrZ_PodNrLokalu',
  'SrZ_PodKodPocztowy', 'SrZ_PodMiasto', 'SrZ_PodPoczta', 'SrZ_PodAdres2',
  'SrZ_OdbiorcaTyp', 'SrZ_OdbID', 'SrZ_OdbNazwa1', 'SrZ_OdbNazwa2', 'SrZ_OdbNazwa3', 'SrZ_OdbUlica', 'SrZ_OdbNrDomu',
  'SrZ_OdbNrLokalu', 'SrZ_OdbKodPocztowy', 'SrZ_OdbMiasto', 'SrZ_OdbPoczta', 'SrZ_OdbTelefon',
  'SrZ_Telefon', 'SrZ_Email', 'SrZ_ZlecajacyNazwisko', 'SrZ_ZlecajacyTelefon',
  'SrZ_EtapId', 'SrZ_EtapOpis', 'SrZ_EtapData', 'SrZ_KatID', 'SrZ_SrUId',
  'SrZ_OpeZalId', 'SrZ_OpeZalKod', 'SrZ_OpeZalNazwisko', 'SrZ_OpeModId', 'SrZ_OpeModKod', 'SrZ_OpeModNazwisko',
  'SrZ_TS_Zal', 'SrZ_TS_Mod',
];

/** Who leads orders: SrZ_ProwadzacyTyp 3 (employee) or 8 (operator). GSOBCZAK has no e-mail and leads few. */
const LEADERS: readonly (readonly [type: 3 | 8, id: number])[] = [
  ...DEMO_EMPLOYEES.map((e) => [3, e.id] as const),
  [8, 2], [8, 3],
  ...DEMO_EMPLOYEES.map((e) => [3, e.id] as const),
  [8, 2], [8, 3],
  [8, 4],
];

const DAY = 86_400_000;
const MINUTE = 60_000;

export interface DemoOrderContext {
  readonly id: number;
  readonly numberNr: number;
  /** "Now" as a wall date (UTC fields = Optima's local clock). */
  readonly wallNow: Date;
}

/** Builds one random, internally consistent order. Every key of DEMO_ORDER_COLUMNS is set. */
export function buildDemoOrder(random: () => number, ctx: DemoOrderContext): DemoOrderRow {
  const now = ctx.wallNow.getTime();
  const realization = atTime(now + pickInt(random, -75, 45) * DAY, pickInt(random, 7, 17), pickOne(random, [0, 15, 30, 45]));
  let received = atTime(realization - pickInt(random, 0, 14) * DAY, pickInt(random, 8, 16), pickInt(random, 0, 59), pickInt(random, 0, 59));
  if (received > now) received = now - pickInt(random, 60, 72 * 60) * MINUTE;
  const draft = random() < 0.05;
  const stan = draft ? 0 : realization < now ? weighted(random, [[2, 0.8], [1, 0.15], [0, 0.05]]) : weighted(random, [[0, 0.6], [1, 0.4]]);
  let closed: number | null = null;
  if (stan === 2) {
    closed = realization + pickInt(random, 30, 240) * MINUTE;
    if (closed > now) closed = Math.max(received, now - pickInt(random, 5, 600) * MINUTE);
  }
  const createdAt = Math.min(now, received + pickInt(random, 0, 30) * MINUTE + pickInt(random, 0, 999));
  const touched = Math.max(createdAt, closed ?? createdAt);
  // A few ms below now so tick rounding never stamps the future.
  const modifiedAt = Math.min(now - 4, touched + Math.floor(random() * Math.max(0, now - touched)) + pickInt(random, 0, 999));

  const emptyRealization = random() < 0.04;
  const emptyReceived = emptyRealization && random() < 0.3;
  const leader = random() < 0.08 ? null : pickOne(random, LEADERS);
  const customer = pickOne(random, DEMO_CUSTOMERS);
  const recipientKind = random();
  const recipient = recipientKind < 0.7 ? customer : recipientKind < 0.8 ? pickOne(random, DEMO_CUSTOMERS) : null;
  const stage = random() < 0.65 ? pickOne(random, stagesFor(stan, draft)) : null;
  const category = random() < 0.85 ? pickOne(random, DEMO_CATEGORIES) : null;
  const device = random() < 0.6 ? pickOne(random, DEMO_DEVICES) : null;
  const creator = pickOne(random, DEMO_OPERATORS.slice(0, 4));
  const modifier = pickOne(random, DEMO_OPERATORS.slice(0, 4));
  const contact = `${pickOne(random, CONTACT_FIRST_NAMES)} ${pickOne(random, CONTACT_LAST_NAMES)}`;
  const year = new Date(received).getUTCFullYear();

  return {
    SrZ_SrZId: ctx.id,
    SrZ_DDfId: 1,
    SrZ_NumerString: `SRW/@numer/${year}`,
    SrZ_NumerNr: ctx.numberNr,
    SrZ_NumerPelny: `SRW/${ctx.numberNr}/${year}`,
    SrZ_Opis: pickOne(random, ORDER_DESCRIPTIONS),
    SrZ_Stan: stan,
    SrZ_Bufor: draft ? 1 : 0,
    SrZ_Priorytet: weighted(random, [[1, 0.7], [2, 0.2], [3, 0.1]]),
    SrZ_Wykonano: stan === 2 ? 100 : stan === 1 ? pickInt(random, 10, 90) : 0,
    SrZ_CzasRealizacjiCzynnosci: stan === 0 ? 0 : pickInt(random, 15, 480),
    SrZ_Waluta: '',
    SrZ_DataDok: formatWallDate(new Date(Math.floor(received / DAY) * DAY)),
    SrZ_DataPrzyjecia: emptyReceived ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(received)),
    SrZ_DataRealizacji: emptyRealization ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(realization)),
    SrZ_DataZamkniecia: closed !== null ? formatWallDate(new Date(closed)) : random() < 0.5 ? null : EMPTY_OPTIMA_DATE,
    SrZ_ProwadzacyTyp: leader ? leader[0] : null,
    SrZ_ProwadzacyId: leader ? leader[1] : null,
    SrZ_PodmiotTyp: 1,
    SrZ_PodmiotId: customer.id,
    ...snapshot('SrZ_Pod', customer),
    SrZ_PodKraj: 'Polska',
    SrZ_PodAdres2: '',
    SrZ_OdbiorcaTyp: recipient ? 1 : null,
    SrZ_OdbID: recipient ? recipient.id : null,
    ...snapshot('SrZ_Odb', recipient),
    SrZ_OdbTelefon: recipient ? recipient.phone : '',
    SrZ_Telefon: customer.phone,
    SrZ_Email: customer.email,
    SrZ_ZlecajacyNazwisko: contact,
    SrZ_ZlecajacyTelefon: `+48 ${pickInt(random, 500, 799)} ${pickInt(random, 100, 999)} ${pickInt(random, 100, 999)}`,
    SrZ_EtapId: stage ? stage.id : null,
    SrZ_EtapOpis: stage ? stage.name : '',
    SrZ_EtapData: stage ? formatStamp(modifiedAt) : null,
    SrZ_KatID: category ? category.id : null,
    SrZ_SrUId: device ? device.id : null,
    SrZ_OpeZalId: creator.id,
    SrZ_OpeZalKod: creator.code,
    SrZ_OpeZalNazwisko: creator.name,
    SrZ_OpeModId: modifier.id,
    SrZ_OpeModKod: modifier.code,
    SrZ_OpeModNazwisko: modifier.name,
    SrZ_TS_Zal: formatStamp(createdAt),
    SrZ_TS_Mod: formatStamp(modifiedAt),
  };
}

/** A planned, not yet started order: no closing date, nothing done. */
const planned: DemoOrderRow = { SrZ_Stan: 0, SrZ_DataZamkniecia: null, SrZ_Wykonano: 0, SrZ_CzasRealizacjiCzynnosci: 0 };

/**
 * The days of the year's two clock changes in Poland (EU rule: last Sunday of March and of
 * October), `YYYY-MM-DD`: the demo places its DST edge cases on them, in the demo's own year, so
 * they stay inside a date window as years go by.
 */
export function findDstDays(year: number): { readonly spring: string; readonly autumn: string } {
  const lastSunday = (month: number) => {
    const d = new Date(Date.UTC(year, month + 1, 0));
    d.setUTCDate(d.getUTCDate() - d.getUTCDay());
    return d.toISOString().slice(0, 10);
  };
  return { spring: lastSunday(2), autumn: lastSunday(9) };
}

/** Hand-made orders placed first in every demo database: the cases a sync must get right. */
export function buildDemoSpecialOrders(year: number): readonly { readonly label: string; readonly patch: DemoOrderRow }[] {
  const { spring, autumn } = findDstDays(year);
  return [
    { label: 'DST gap', patch: { SrZ_DataRealizacji: `${spring} 02:30:00.000`, ...planned, SrZ_Opis: 'Przegląd kotłowni w noc zmiany czasu — 02:30 nie istnieje (zegar przeskakuje z 02:00 na 03:00)' } },
    { label: 'after DST gap', patch: { SrZ_DataRealizacji: `${spring} 03:00:00.000`, ...planned, SrZ_Opis: 'Pierwsza pełna godzina czasu letniego: wymiana filtrów klimatyzacji' } },
    { label: 'DST ambiguous', patch: { SrZ_DataRealizacji: `${autumn} 02:30:00.000`, ...planned, SrZ_Opis: 'Awaria agregatu w noc zmiany czasu — 02:30 występuje dwa razy' } },
    { label: 'after DST fall-back', patch: { SrZ_DataRealizacji: `${autumn} 03:00:00.000`, ...planned, SrZ_Opis: 'Kontrola po zmianie czasu na zimowy' } },
    { label: 'empty realization', patch: { SrZ_DataRealizacji: EMPTY_OPTIMA_DATE, SrZ_Opis: 'Termin realizacji nieustalony — obowiązuje data przyjęcia' } },
    { label: 'no dates', patch: { SrZ_DataRealizacji: EMPTY_OPTIMA_DATE, SrZ_DataPrzyjecia: EMPTY_OPTIMA_DATE, SrZ_Opis: 'Zlecenie bez żadnej daty (import z arkusza)' } },
    { label: 'draft', patch: { ...planned, SrZ_Bufor: 1, SrZ_Opis: 'Szkic zlecenia w buforze — do uzupełnienia' } },
    { label: 'cancelled', patch: { SrZ_Bufor: -1, SrZ_Opis: 'Zlecenie anulowane (bufor -1): poza zakresem synchronizacji' } },
    { label: 'leader without e-mail', patch: { SrZ_ProwadzacyTyp: 8, SrZ_ProwadzacyId: 4, SrZ_Opis: 'Prowadzi operator bez adresu e-mail (GSOBCZAK)' } },
    { label: 'no leader', patch: { SrZ_ProwadzacyTyp: null, SrZ_ProwadzacyId: null, SrZ_Opis: 'Zlecenie bez prowadzącego' } },
    { label: 'emoji', patch: { SrZ_Opis: 'Klient: „Pilne!” 🔧🔥 — woda kapie na tablicę rozdzielczą.\nDzwonić po 16:00.' } },
  ];
}

/** Customer/recipient snapshot columns (`SrZ_Pod*` / `SrZ_Odb*`); no recipient = empty text. */
function snapshot(prefix: 'SrZ_Pod' | 'SrZ_Odb', c: DemoCustomer | null): DemoOrderRow {
  return {
    [`${prefix}Nazwa1`]: c?.name1 ?? '',
    [`${prefix}Nazwa2`]: c?.name2 ?? '',
    [`${prefix}Nazwa3`]: '',
    [`${prefix}Ulica`]: c?.street ?? '',
    [`${prefix}NrDomu`]: c?.house ?? '',
    [`${prefix}NrLokalu`]: c?.flat ?? '',
    [`${prefix}KodPocztowy`]: c?.postCode ?? '',
    [`${prefix}Miasto`]: c?.city ?? '',
    [`${prefix}Poczta`]: c ? c.postTown || c.city : '',
  };
}

function stagesFor(stan: number, draft: boolean) {
  const byId = (ids: readonly number[]) => DEMO_STAGES.filter((s) => ids.includes(s.id));
  if (draft) return byId([1]);
  return stan === 0 ? byId([1, 2]) : stan === 1 ? byId([2, 3, 4]) : byId([5]);
}

function weighted<T>(random: () => number, options: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [value, weight] of options) {
    if (r < weight) return value;
    r -= weight;
  }
  return options[options.length - 1][0];
}

function atTime(ms: number, hour: number, minute: number, second = 0): number {
  return Math.floor(ms / DAY) * DAY + ((hour * 60 + minute) * 60 + second) * 1000;
}

/** Audit stamp with `datetime` tick precision (milliseconds end in 0, 3 or 7). */
function formatStamp(ms: number): string {
  return formatWallDate(roundToDatetimeTicks(new Date(ms)));
}
