/**
 * The fixed cast of the demo world: people, customers, devices, stages, categories. Polish
 * names and addresses with diacritics on purpose — they must survive every layer unchanged.
 * Only the choice among them is random (seeded), so every demo database has the same people.
 */

export const DEMO_EMAIL_DOMAIN = 'serwis-demo.pl';

export interface DemoEmployee {
  readonly id: number;
  readonly code: string;
  readonly first: string;
  readonly last: string;
  /** PRE_HDKEmail of the current employment version ('' = not set). */
  readonly hdkEmail: string;
  /** PRA_EPEmail (e-Pracownik login), the fallback when PRE_HDKEmail is empty. */
  readonly epEmail: string;
}

export interface DemoOperator {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  /** Ope_Email: '' when the operator has none (Optima's NOT NULL convention). */
  readonly email: string;
  readonly inactive: boolean;
}

/** Employees (person type 3): PracKod + Pracidx + PracEtaty. */
export const DEMO_EMPLOYEES: readonly DemoEmployee[] = [
  { id: 1, code: 'JKOWALSKI', first: 'Jan', last: 'Kowalski', hdkEmail: `jan.kowalski@${DEMO_EMAIL_DOMAIN}`, epEmail: '' },
  { id: 2, code: 'LZOLTOWSKI', first: 'Łukasz', last: 'Żółtowski', hdkEmail: `lukasz.zoltowski@${DEMO_EMAIL_DOMAIN}`, epEmail: '' },
  { id: 3, code: 'MWISNIEWSKA', first: 'Małgorzata', last: 'Wiśniewska', hdkEmail: `malgorzata.wisniewska@${DEMO_EMAIL_DOMAIN}`, epEmail: '' },
  { id: 4, code: 'PSZCZESNY', first: 'Paweł', last: 'Szczęsny', hdkEmail: `pawel.szczesny@${DEMO_EMAIL_DOMAIN}`, epEmail: '' },
  { id: 5, code: 'ADABROWSKA', first: 'Agnieszka', last: 'Dąbrowska', hdkEmail: '', epEmail: `agnieszka.dabrowska@${DEMO_EMAIL_DOMAIN}` },
];

/** Operators (person type 8): config database CDN.Operatorzy. */
export const DEMO_OPERATORS: readonly DemoOperator[] = [
  { id: 1, code: 'ADMIN', name: 'Administrator', email: '', inactive: false },
  { id: 2, code: 'KNOWAK', name: 'Katarzyna Nowak', email: `katarzyna.nowak@${DEMO_EMAIL_DOMAIN}`, inactive: false },
  { id: 3, code: 'TZIELINSKI', name: 'Tomasz Zieliński', email: `tomasz.zielinski@${DEMO_EMAIL_DOMAIN}`, inactive: false },
  { id: 4, code: 'GSOBCZAK', name: 'Grzegorz Sobczak', email: '', inactive: false },
  { id: 5, code: 'EJASINSKA', name: 'Ewa Jasińska', email: `ewa.jasinska@${DEMO_EMAIL_DOMAIN}`, inactive: true },
];

/** Service stages (DefEtapy). DEt_Typ 1 for service is an assumption; 2 = CRM is confirmed by Comarch BI. */
export const DEMO_STAGES: readonly { readonly id: number; readonly code: string; readonly name: string; readonly type: number }[] = [
  { id: 1, code: 'PRZYJĘTE', name: 'Przyjęte do serwisu', type: 1 },
  { id: 2, code: 'DIAGNOZA', name: 'Diagnoza usterki', type: 1 },
  { id: 3, code: 'CZĘŚCI', name: 'Oczekuje na części', type: 1 },
  { id: 4, code: 'NAPRAWA', name: 'Naprawa w toku', type: 1 },
  { id: 5, code: 'DO ODBIORU', name: 'Gotowe do odbioru', type: 1 },
  { id: 6, code: 'KONTAKT', name: 'Pierwszy kontakt', type: 2 },
  { id: 7, code: 'OFERTA', name: 'Oferta wysłana', type: 2 },
  { id: 8, code: 'NEGOCJACJE', name: 'Negocjacje warunków', type: 2 },
  { id: 9, code: 'ZAMÓWIENIE', name: 'Zamówienie przyjęte', type: 2 },
];

export const DEMO_CATEGORIES: readonly { readonly id: number; readonly general: string; readonly detail: string; readonly description: string }[] = [
  { id: 1, general: 'SERWIS', detail: 'NAPRAWA', description: 'Naprawa u klienta' },
  { id: 2, general: 'SERWIS', detail: 'PRZEGLĄD', description: 'Przegląd okresowy' },
  { id: 3, general: 'SERWIS', detail: 'MONTAŻ', description: 'Montaż i uruchomienie' },
  { id: 4, general: 'SERWIS', detail: 'GWARANCJA', description: 'Naprawa gwarancyjna' },
  { id: 5, general: 'SERWIS', detail: 'REKLAMACJA', description: 'Reklamacja klienta' },
  { id: 6, general: 'SERWIS', detail: 'KONSERWACJA', description: 'Konserwacja urządzeń' },
];

const DEVICE_KINDS: readonly (readonly [kind: string, model: string])[] = [
  ['Kocioł gazowy', 'Vaillant ecoTEC plus VC 206'],
  ['Klimatyzator ścienny', 'Daikin Perfera FTXM25'],
  ['Pompa ciepła', 'Viessmann Vitocal 200-S'],
  ['Drukarka laserowa', 'HP LaserJet Pro M404dn'],
  ['Ekspres ciśnieniowy', 'Jura E8 Piano Black'],
  ['Rekuperator', 'Pro-Vent Mistral 400'],
  ['Agregat chłodniczy', 'Carrier 30RB 060'],
  ['Zasilacz UPS', 'APC Smart-UPS 1500'],
  ['Waga sklepowa', 'Dibal M-525 z drukarką etykiet'],
  ['Napęd bramy przesuwnej', 'Nice Robus 600'],
];

/** 40 devices: every kind four times, with serial numbers. */
export const DEMO_DEVICES: readonly { readonly id: number; readonly code: string; readonly name: string; readonly serial: string }[] = Array.from(
  { length: DEVICE_KINDS.length * 4 },
  (_, i) => {
    const [kind, model] = DEVICE_KINDS[i % DEVICE_KINDS.length];
    return { id: i + 1, code: `URZ/${String(i + 1).padStart(4, '0')}`, name: `${kind} ${model}`, serial: `SN-${(734211 + i * 7919).toString(36).toUpperCase()}` };
  },
);

export interface DemoCustomer {
  readonly id: number;
  readonly name1: string;
  readonly name2: string;
  readonly street: string;
  readonly house: string;
  readonly flat: string;
  readonly postCode: string;
  readonly city: string;
  readonly postTown: string;
  readonly phone: string;
  readonly email: string;
}

const CUSTOMER_NAMES: readonly (readonly [string, string])[] = [
  ['Piekarnia „Złoty Kłos” s.c.', ''],
  ['Przychodnia Zdrowie Sp. z o.o.', ''],
  ['Hotel Pod Żaglami', ''],
  ['Szkoła Podstawowa nr 12', 'im. Marii Skłodowskiej-Curie'],
  ['Restauracja Łososiowa', ''],
  ['Biuro Rachunkowe Ćwikła i Wspólnicy', ''],
  ['Apteka Pod Łabędziem', ''],
  ['Zakład Stolarski Józef Wąsik', ''],
  ['Gabinet Stomatologiczny', 'dr Żaneta Źrebiec'],
  ['Kancelaria Notarialna Ślęzak', ''],
  ['Sklep Spożywczy „Groszek”', 'Elżbieta Gęsiak'],
  ['Pensjonat Świerkowy Dwór', ''],
  ['Urząd Gminy Żabia Wola', ''],
  ['Drukarnia Offsetowa Łęcki', ''],
  ['Warsztat Samochodowy Mąka & Syn', ''],
  ['Przedszkole Niepubliczne Bąbelek', ''],
  ['Cukiernia Słodki Kącik', ''],
  ['Fundacja Pomocy Zwierzętom „Łapa”', ''],
  ['Hurtownia Elektryczna Prąd-Pol', ''],
  ['Kwiaciarnia Róża Wiatrów', ''],
  ['Klinika Weterynaryjna Pazur', ''],
  ['Spółdzielnia Mieszkaniowa „Śródmieście”', ''],
  ['Zespół Szkół Łączności', ''],
  ['Jan Brzęczyszczykiewicz', ''],
  ['Grażyna Żurek', ''],
  ['Zdzisław Kołodziej', ''],
  ['Bożena Ścibor', ''],
  ['Ośrodek Wypoczynkowy', 'Jeziorańskie Źródło'],
];

/** [street, post code, city, post town]; an empty street is a village addressed by place + number. */
const ADDRESSES: readonly (readonly [string, string, string, string])[] = [
  ['Świętokrzyska', '00-116', 'Warszawa', ''],
  ['Marszałkowska', '00-624', 'Warszawa', ''],
  ['Aleje Jerozolimskie', '02-001', 'Warszawa', ''],
  ['Piotrkowska', '90-406', 'Łódź', ''],
  ['Łąkowa', '90-562', 'Łódź', ''],
  ['Długa', '80-827', 'Gdańsk', ''],
  ['Grunwaldzka', '80-244', 'Gdańsk', ''],
  ['Żółkiewskiego', '31-539', 'Kraków', ''],
  ['Floriańska', '31-019', 'Kraków', ''],
  ['Świdnicka', '50-066', 'Wrocław', ''],
  ['Półwiejska', '61-888', 'Poznań', ''],
  ['Wały Chrobrego', '70-502', 'Szczecin', ''],
  ['Lipowa', '15-424', 'Białystok', ''],
  ['Żeromskiego', '25-369', 'Kielce', ''],
  ['Szeroka', '87-100', 'Toruń', ''],
  ['3 Maja', '35-030', 'Rzeszów', ''],
  ['Krakowskie Przedmieście', '20-002', 'Lublin', ''],
  ['pl. Wolności', '45-018', 'Opole', ''],
  ['Bohaterów Monte Cassino', '81-767', 'Sopot', ''],
  ['Kościuszki', '43-300', 'Bielsko-Biała', ''],
  ['Źródlana', '65-001', 'Zielona Góra', ''],
  ['', '05-825', 'Żabia Wola', 'Grodzisk Mazowiecki'],
  ['', '66-016', 'Łężyca', 'Czerwieńsk'],
];

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = CUSTOMER_NAMES.map(([name1, name2], i) => {
  const [street, postCode, city, postTown] = ADDRESSES[(i * 7) % ADDRESSES.length];
  return {
    id: i + 1,
    name1,
    name2,
    street,
    house: String(1 + ((i * 37) % 140)),
    flat: i % 3 === 0 ? String(1 + ((i * 11) % 60)) : '',
    postCode,
    city,
    postTown,
    phone: `+48 ${600 + ((i * 17) % 190)} ${String(100 + ((i * 271) % 900)).padStart(3, '0')} ${String(100 + ((i * 577) % 900)).padStart(3, '0')}`,
    email: i % 4 === 3 ? '' : `biuro${i + 1}@klient-demo.pl`,
  };
});

export const CONTACT_FIRST_NAMES: readonly string[] = ['Anna', 'Piotr', 'Krzysztof', 'Ewa', 'Michał', 'Zofia', 'Wojciech', 'Jadwiga', 'Jerzy', 'Łucja', 'Bartłomiej', 'Urszula', 'Mieczysław', 'Żaneta'];
export const CONTACT_LAST_NAMES: readonly string[] = ['Nowak', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zając', 'Szymańska', 'Woźniak', 'Dąbrowski', 'Kozłowska', 'Jankowski', 'Mazur', 'Krawczyk', 'Piątek', 'Grabowska', 'Pawłowski', 'Michalska', 'Król', 'Wieczorek', 'Jabłoński', 'Wróbel', 'Ślusarczyk', 'Żak'];

export const ORDER_DESCRIPTIONS: readonly string[] = [
  'Kocioł nie grzeje wody użytkowej, błąd F28',
  'Przegląd roczny klimatyzacji — wymiana filtrów i odgrzybianie',
  'Drukarka zacina papier w podajniku nr 2',
  'Wymiana uszczelki pompy; klient zgłasza przeciek pod urządzeniem',
  'Montaż rekuperatora w budynku gospodarczym',
  'Serwis gwarancyjny: głośna praca wentylatora',
  'Reklamacja — urządzenie wyłącza się po ok. 10 minutach',
  'Konserwacja agregatu chłodniczego przed sezonem',
  'Ekspres: brak ciśnienia, odkamienianie i wymiana młynka',
  'Zgłoszenie telefoniczne: „nie działa ogrzewanie podłogowe”',
  'Legalizacja i kalibracja wagi sklepowej',
  'Pompa ciepła: błąd czujnika temperatury zewnętrznej',
  'Naprawa bramy wjazdowej — siłownik nie domyka skrzydła',
  'Przegląd instalacji gazowej przed sezonem grzewczym',
  'Wymiana akumulatorów w UPS-ie serwerowni',
  'Klient prosi o telefon przed przyjazdem.\nKod do bramy: 1234#, wjazd od ul. Bocznej.',
  'Uruchomienie po montażu; szkolenie użytkownika z obsługi sterownika',
];

/** Small deterministic PRNG (mulberry32): same seed, same demo database. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random integer in [min, max]. */
export function pickInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** Random element of a non-empty list. */
export function pickOne<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}
