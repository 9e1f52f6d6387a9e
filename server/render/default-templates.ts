import type { TemplateSet } from './templates.ts';

/**
 * Built-in templates, Polish first. Fields of a service order (`serwis:zlecenie`) as the source
 * adapter provides them: numer, stan (label), stanKod (0/1/2), bufor (true = draft), etap,
 * klient { nazwa, adres, telefon }, osobaKontaktowa, urzadzenie, kategoria, opis. Besides the
 * fields, templates see kolumny (raw row), dodatkowe (admin extra queries), poczatek, koniec, strefa.
 *
 * Fields of a service activity (`serwis:czynnosc`): czynnosc (service item name), opis,
 * zakonczona, zlecenie { numer, opis, stan }, klient { nazwa, adres }, telefon,
 * osobaKontaktowa, urzadzenie.
 *
 * Fields of a CRM task or contact (`crm:zadanie`): numer, temat, opis, lokalizacja, zadanie
 * (true = task), rodzaj, stan ('otwarte' | 'zamknięte' | 'anulowane'), priorytet (label),
 * priorytetKod, przypomnienie, czasPrzypomnienia, etap (CRM stage code), etapOpis,
 * klient { nazwa (the contact person when there is no customer), kod, adres, telefon, email },
 * osoba (contact person), opiekun, and — when participants are read (config) — uczestnicy
 * [{ nazwisko, email, organizator }].
 *
 * Fields of an occurrence of a recurring CRM task (`crm:wystapienie`): the same as its task's,
 * with the occurrence's own stan, przypomnienie and czasPrzypomnienia, plus zadanieId (the task's
 * id) and wystapienie (true).
 *
 * Every optional value sits inside an {{#if}}, so a record with empty fields gives no dangling
 * dash, colon or empty table row.
 */

export type TemplateLanguage = 'pl' | 'en';

function buildOrderBody(labels: Readonly<Record<'order' | 'state' | 'stage' | 'client' | 'address' | 'phone' | 'contact' | 'device' | 'category' | 'description', string>>): string {
  const row = (label: string, value: string, field: string): string =>
    `{{#if ${field}}}<tr><th align="left" valign="top">${label}</th><td>${value}</td></tr>{{/if}}\n`;
  return (
    '<table>\n' +
    row(labels.order, '{{numer}}', 'numer') +
    row(labels.state, '{{stan}}', 'stan') +
    row(labels.stage, '{{etap}}', 'etap') +
    row(labels.client, '{{klient.nazwa}}', 'klient.nazwa') +
    row(labels.address, '{{klient.adres}}', 'klient.adres') +
    row(labels.phone, '{{telefonLink telefon}}', 'telefon') +
    row(labels.contact, '{{osobaKontaktowa.nazwisko}}{{#if osobaKontaktowa.telefon}}, {{telefonLink osobaKontaktowa.telefon}}{{/if}}', 'osobaKontaktowa.nazwisko') +
    row(labels.device, '{{urzadzenie}}', 'urzadzenie') +
    row(labels.category, '{{kategoria}}', 'kategoria') +
    row(labels.description, '{{nl2br opis}}', 'opis') +
    '</table>'
  );
}

type ActivityLabel = 'activity' | 'order' | 'client' | 'address' | 'phone' | 'contact' | 'device' | 'description' | 'orderDescription';

function buildActivityBody(labels: Readonly<Record<ActivityLabel, string>>): string {
  const row = (label: string, value: string, field: string): string =>
    `{{#if ${field}}}<tr><th align="left" valign="top">${label}</th><td>${value}</td></tr>{{/if}}\n`;
  return (
    '<table>\n' +
    row(labels.activity, '{{czynnosc}}', 'czynnosc') +
    row(labels.order, '{{zlecenie.numer}}{{#if zlecenie.stan}} ({{zlecenie.stan}}){{/if}}', 'zlecenie.numer') +
    row(labels.client, '{{klient.nazwa}}', 'klient.nazwa') +
    row(labels.address, '{{klient.adres}}', 'klient.adres') +
    row(labels.phone, '{{telefonLink telefon}}', 'telefon') +
    row(labels.contact, '{{osobaKontaktowa.nazwisko}}{{#if osobaKontaktowa.telefon}}, {{telefonLink osobaKontaktowa.telefon}}{{/if}}', 'osobaKontaktowa.nazwisko') +
    row(labels.device, '{{urzadzenie}}', 'urzadzenie') +
    row(labels.description, '{{nl2br opis}}', 'opis') +
    row(labels.orderDescription, '{{nl2br zlecenie.opis}}', 'zlecenie.opis') +
    '</table>'
  );
}

type CrmLabel = 'record' | 'occurrence' | 'state' | 'stage' | 'priority' | 'client' | 'address' | 'phone' | 'contact' | 'participants' | 'organizer' | 'description';

function buildCrmBody(labels: Readonly<Record<CrmLabel, string>>): string {
  const row = (label: string, value: string, field: string): string =>
    `{{#if ${field}}}<tr><th align="left" valign="top">${label}</th><td>${value}</td></tr>{{/if}}\n`;
  return (
    '<table>\n' +
    row(labels.record, `{{rodzaj}} {{numer}}{{#if wystapienie}} (${labels.occurrence}){{/if}}`, 'numer') +
    row(labels.state, '{{stan}}', 'stan') +
    row(labels.stage, '{{etap}}{{#if etapOpis}} – {{etapOpis}}{{/if}}', 'etap') +
    row(labels.priority, '{{priorytet}}', 'priorytet') +
    // Without a customer the name is the contact person's: shown once, in the contact row.
    `{{#if klient.nazwa}}{{#unless (rowne klient.nazwa osoba)}}<tr><th align="left" valign="top">${labels.client}</th><td>{{klient.nazwa}}</td></tr>{{/unless}}{{/if}}\n` +
    row(labels.address, '{{klient.adres}}', 'klient.adres') +
    row(labels.phone, '{{telefonLink klient.telefon}}', 'klient.telefon') +
    row(labels.contact, '{{osoba}}', 'osoba') +
    row(
      labels.participants,
      `{{#each uczestnicy}}{{#unless @first}}<br>{{/unless}}{{nazwisko}}{{#if organizator}} (${labels.organizer}){{/if}}{{#if email}}, {{email}}{{/if}}{{/each}}`,
      'uczestnicy',
    ) +
    row(labels.description, '{{nl2br opis}}', 'opis') +
    '</table>'
  );
}

const CRM_BODY_PL = buildCrmBody({
  record: 'Dokument CRM',
  occurrence: 'wystąpienie zadania cyklicznego',
  state: 'Stan',
  stage: 'Etap',
  priority: 'Priorytet',
  client: 'Klient',
  address: 'Adres',
  phone: 'Telefon',
  contact: 'Osoba kontaktowa',
  participants: 'Uczestnicy',
  organizer: 'organizator',
  description: 'Opis',
});

const CRM_BODY_EN = buildCrmBody({
  record: 'CRM record',
  occurrence: 'occurrence of a recurring task',
  state: 'Status',
  stage: 'Stage',
  priority: 'Priority',
  client: 'Customer',
  address: 'Address',
  phone: 'Phone',
  contact: 'Contact person',
  participants: 'Participants',
  organizer: 'organizer',
  description: 'Description',
});

/** Polish defaults (the product's default language). */
export const DEFAULT_TEMPLATES_PL: TemplateSet = {
  'serwis:zlecenie': {
    subject: '{{numer}}{{#if klient.nazwa}} – {{klient.nazwa}}{{/if}}{{#if opis}}: {{skroc opis 80}}{{/if}}',
    body: buildOrderBody({
      order: 'Zlecenie',
      state: 'Stan',
      stage: 'Etap',
      client: 'Klient',
      address: 'Adres',
      phone: 'Telefon',
      contact: 'Osoba kontaktowa',
      device: 'Urządzenie',
      category: 'Kategoria',
      description: 'Opis',
    }),
    location: '{{klient.adres}}',
  },
  'serwis:czynnosc': {
    subject: '{{#if czynnosc}}{{czynnosc}}{{else}}Czynność{{/if}}{{#if zlecenie.numer}} – {{zlecenie.numer}}{{/if}}{{#if klient.nazwa}} {{klient.nazwa}}{{/if}}',
    body: buildActivityBody({
      activity: 'Czynność',
      order: 'Zlecenie',
      client: 'Klient',
      address: 'Adres',
      phone: 'Telefon',
      contact: 'Osoba kontaktowa',
      device: 'Urządzenie',
      description: 'Opis czynności',
      orderDescription: 'Opis zlecenia',
    }),
    location: '{{klient.adres}}',
  },
  'crm:zadanie': {
    subject: '{{#if temat}}{{temat}}{{else}}{{rodzaj}} {{numer}}{{/if}}',
    body: CRM_BODY_PL,
    location: '{{lokalizacja}}',
  },
  // An occurrence reads like its task in the calendar; the body says it is one occurrence of a cycle.
  'crm:wystapienie': {
    subject: '{{#if temat}}{{temat}}{{else}}{{rodzaj}} {{numer}}{{/if}}',
    body: CRM_BODY_PL,
    location: '{{lokalizacja}}',
  },
};

/** English labels over the same fields (values such as the state label stay as Optima has them). */
export const DEFAULT_TEMPLATES_EN: TemplateSet = {
  'serwis:zlecenie': {
    subject: '{{numer}}{{#if klient.nazwa}} – {{klient.nazwa}}{{/if}}{{#if opis}}: {{truncate opis 80}}{{/if}}',
    body: buildOrderBody({
      order: 'Service order',
      state: 'Status',
      stage: 'Stage',
      client: 'Customer',
      address: 'Address',
      phone: 'Phone',
      contact: 'Contact person',
      device: 'Device',
      category: 'Category',
      description: 'Description',
    }),
    location: '{{klient.adres}}',
  },
  'serwis:czynnosc': {
    subject: '{{#if czynnosc}}{{czynnosc}}{{else}}Service activity{{/if}}{{#if zlecenie.numer}} – {{zlecenie.numer}}{{/if}}{{#if klient.nazwa}} {{klient.nazwa}}{{/if}}',
    body: buildActivityBody({
      activity: 'Activity',
      order: 'Service order',
      client: 'Customer',
      address: 'Address',
      phone: 'Phone',
      contact: 'Contact person',
      device: 'Device',
      description: 'Activity description',
      orderDescription: 'Order description',
    }),
    location: '{{klient.adres}}',
  },
  'crm:zadanie': {
    subject: '{{#if temat}}{{temat}}{{else}}{{rodzaj}} {{numer}}{{/if}}',
    body: CRM_BODY_EN,
    location: '{{lokalizacja}}',
  },
  'crm:wystapienie': {
    subject: '{{#if temat}}{{temat}}{{else}}{{rodzaj}} {{numer}}{{/if}}',
    body: CRM_BODY_EN,
    location: '{{lokalizacja}}',
  },
};

/** The built-in set for a language. */
export function selectDefaultTemplates(language: TemplateLanguage): TemplateSet {
  return language === 'en' ? DEFAULT_TEMPLATES_EN : DEFAULT_TEMPLATES_PL;
}
