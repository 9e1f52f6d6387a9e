import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfig } from '../../server/config/validate-config.ts';
import type { ConfigError } from '../../server/config/config-error.ts';
import { CONFIG_DEFAULTS } from '../../server/config/schema.ts';

/** The smallest config that is valid: everything else comes from the defaults. */
function minimal(): Record<string, any> {
  return {
    source: { type: 'mssql', mssql: { server: 'SERWER\\OPTIMA', user: 'optima_sync', password: 'x', companyDatabase: 'CDN_Firma' } },
    microsoft: { tenantId: 'firma.onmicrosoft.com', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', certificate: { path: 'certs/app.pem' } },
    mailboxes: { default: 'Serwis@Firma.pl' },
  };
}

function errorsOf(raw: unknown): readonly ConfigError[] {
  const result = validateConfig(raw);
  assert.equal(result.ok, false, 'expected the config to be rejected');
  return result.ok ? [] : result.errors;
}

function messageAt(errors: readonly ConfigError[], path: string): string {
  const found = errors.filter((e) => e.path === path);
  assert.equal(found.length, 1, `expected one error at ${path}, got: ${JSON.stringify(errors.map((e) => e.path))}`);
  return found[0].message;
}

test('a minimal config is accepted and every default is filled in', () => {
  const result = validateConfig(minimal());
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const c = result.config;
  assert.equal(c.source.type, 'mssql');
  assert.ok(c.source.type === 'mssql');
  assert.equal(c.source.mssql.configDatabase, 'CDN_KNF_Konfiguracja');
  assert.equal(c.source.mssql.encrypt, true);
  assert.equal(c.source.mssql.trustServerCertificate, false);
  assert.equal(c.source.mssql.port, null);
  assert.equal(c.source.includeDrafts, true);
  assert.deepEqual(c.source.extraQueries, {});
  assert.equal(c.microsoft.authority, 'https://login.microsoftonline.com');
  assert.equal(c.microsoft.graphBaseUrl, 'https://graph.microsoft.com');
  assert.deepEqual([c.microsoft.knownAuthorities, c.microsoft.graphHosts], [[], []]);
  assert.equal(c.microsoft.clientSecret, null);
  assert.deepEqual(c.mailboxes, { default: 'serwis@firma.pl', map: {}, unassigned: 'default', useOptimaEmail: true });
  assert.deepEqual(c.calendar, { ...CONFIG_DEFAULTS.calendar, categoryColors: {} });
  assert.deepEqual(c.filters, { default: { states: null, stages: null, people: null, numberPrefixes: null, daysBack: 90, daysAhead: 365 } });
  assert.deepEqual(c.looks, {});
  assert.deepEqual([c.source.companies, c.source.companyName], [[], null]);
  assert.deepEqual(c.sync, { kinds: ['serwis:zlecenie'], intervalSeconds: 30, fullPass: { dailyAt: '02:00' }, overlapSeconds: 120, language: 'pl', driftCheck: 'full-pass', driftPolicy: 'restore' });
  assert.deepEqual(c.guards, { minDeletions: 10, maxDeletePercent: 20 });
  assert.deepEqual(c.server, { port: 3000, dataDir: './data', adminToken: null, tls: null });
  assert.deepEqual(c.logs, { retentionDays: 30, level: 'info' });
  assert.deepEqual(c.templates, {});
});

test('a config with many mistakes lists every one of them, each at its own path', () => {
  const raw = minimal();
  raw.source.type = 'mssq';
  raw.source.mssql.companyDatabse = 'CDN_Firma';
  delete raw.source.mssql.companyDatabase;
  raw.source.extraQueries = { kontakty: { sql: '   ', params: {} } };
  raw.microsoft = { tenantId: 'firma.onmicrosoft.com', clientSecret: 's', authority: 'http://login.example.com' };
  raw.mailboxes = { default: 'serwis-at-firma.pl', map: { 'employee:12': 'jan@firma.pl', 'operator:3': 'anna' }, unassigned: 'nobody' };
  raw.calendar = { timeZone: 'Europe/Warszawa', defaultDurationMinutes: 0 };
  raw.sync = { intervalSeconds: 2, language: 'de', fullPass: { dailyAt: '2am' } };
  raw.templates = { 'serwis:zlecnie': { subject: '{{numer}}' }, 'crm:zadanie': { subject: '{{#if x}}open' } };
  raw.guards = { maxDeletePercent: 101 };
  raw.logs = { level: 'verbose' };
  raw.extra = true;

  const errors = errorsOf(raw);
  assert.deepEqual(errors.map((e) => e.path).toSorted(), [
    'calendar.defaultDurationMinutes', 'calendar.timeZone', 'extra', 'guards.maxDeletePercent', 'logs.level',
    'mailboxes.default', 'mailboxes.map.employee:12', 'mailboxes.map.operator:3', 'mailboxes.unassigned',
    'microsoft.authority', 'microsoft.clientId', 'source.extraQueries.kontakty.sql', 'source.mssql.companyDatabase',
    'source.mssql.companyDatabse', 'source.type', 'sync.fullPass.dailyAt', 'sync.intervalSeconds', 'sync.language',
    'templates.crm:zadanie.subject', 'templates.serwis:zlecnie',
  ]);
  assert.match(messageAt(errors, 'microsoft.clientId'), /^Brak wartości — wpisz identyfikator aplikacji \(Application ID\) z Entra ID/);
  assert.match(messageAt(errors, 'source.mssql.companyDatabse'), /czy chodziło o „companyDatabase”/);
  assert.match(messageAt(errors, 'templates.serwis:zlecnie'), /czy chodziło o „serwis:zlecenie”/);
  assert.match(messageAt(errors, 'source.type'), /czy chodziło o „mssql”/);
  assert.match(messageAt(errors, 'microsoft.authority'), /https:\/\//);
  assert.match(messageAt(errors, 'sync.intervalSeconds'), /od 5 do 86400/);
  assert.match(messageAt(errors, 'calendar.timeZone'), /Europe\/Warsaw/);
  assert.match(messageAt(errors, 'mailboxes.map.employee:12'), /pracownik:<id> albo operator:<id>/);
  assert.match(messageAt(errors, 'templates.crm:zadanie.subject'), /\{\{\/if\}\}/);
});

test('drift settings: each choice is kept; a typo names the allowed values and the likely one', () => {
  const raw = minimal();
  raw.sync = { driftCheck: 'every-run', driftPolicy: 'report' };
  const result = validateConfig(raw);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.deepEqual([result.config.sync.driftCheck, result.config.sync.driftPolicy], ['every-run', 'report']);

  raw.sync = { driftCheck: 'fullpass', driftPolicy: 'restor' };
  const errors = errorsOf(raw);
  assert.match(messageAt(errors, 'sync.driftCheck'), /„full-pass” albo „every-run” albo „off”.*czy chodziło o „full-pass”/);
  assert.match(messageAt(errors, 'sync.driftPolicy'), /czy chodziło o „restore”/);
  raw.sync = { driftPolicy: true };
  assert.match(messageAt(errorsOf(raw), 'sync.driftPolicy'), /„restore” albo „report”/);
});

test('unknown keys far from any known one get the list of allowed keys instead of a guess', () => {
  const raw = minimal();
  raw.calendar = { colour: 'blue' };
  assert.match(messageAt(errorsOf(raw), 'calendar.colour'), /dozwolone tutaj: name, timeZone, defaultDurationMinutes, reminderMinutes/);
});

test('missing sections and missing credentials are named with the fix', () => {
  const errors = errorsOf({ microsoft: { tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' } });
  assert.match(messageAt(errors, 'source'), /type: mssql/);
  assert.match(messageAt(errors, 'microsoft.certificate'), /certificate .* albo clientSecret/);
  assert.match(messageAt(errors, 'mailboxes.default'), /unassigned: skip/);
  assert.equal(validateConfig('just text').ok, false);
});

test('normalises what it accepts: zone spelling, e-mails, URLs, numbers given as text', () => {
  const raw = minimal();
  raw.calendar = { timeZone: 'europe/warsaw', reminderMinutes: null };
  raw.mailboxes = { default: null, unassigned: 'skip', map: { 'pracownik:12': 'Jan.Kowalski@Firma.PL' } };
  raw.microsoft.authority = 'https://login.emulator.local:8443/';
  raw.microsoft.graphBaseUrl = 'https://graph.emulator.local:9443/';
  raw.microsoft.certificate.thumbprintSha256 = 'AB:'.repeat(31) + 'AB';
  raw.sync = { intervalSeconds: '45', fullPass: { everyHours: 6 } };
  raw.server = { port: '8443', adminToken: 'a-long-enough-admin-token' };
  raw.source.mssql.encrypt = 'false';
  const result = validateConfig(raw);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const c = result.config;
  assert.equal(c.calendar.timeZone, 'Europe/Warsaw');
  assert.equal(c.calendar.reminderMinutes, null);
  assert.deepEqual(c.mailboxes.map, { 'pracownik:12': 'jan.kowalski@firma.pl' });
  assert.equal(c.mailboxes.default, null);
  assert.equal(c.microsoft.authority, 'https://login.emulator.local:8443');
  assert.equal(c.microsoft.graphBaseUrl, 'https://graph.emulator.local:9443');
  assert.deepEqual(c.microsoft.knownAuthorities, ['login.emulator.local:8443'], 'an emulator host is trusted without extra settings');
  assert.deepEqual(c.microsoft.graphHosts, ['graph.emulator.local']);
  assert.equal(c.microsoft.certificate?.thumbprintSha256, 'ab'.repeat(32));
  assert.deepEqual(c.sync.fullPass, { everyHours: 6 });
  assert.equal(c.sync.intervalSeconds, 45);
  assert.equal(c.server.port, 8443);
  assert.ok(c.source.type === 'mssql' && c.source.mssql.encrypt === false);
});

test('extra queries: one SELECT, every @parameter mapped to a row field, no unused parameter', () => {
  const raw = minimal();
  raw.source.extraQueries = {
    kontakty: { sql: 'SELECT KnO_Email FROM CDN.KntOsoby WHERE KnO_KntId = @podmiotId', params: { podmiotId: 'columns.SrZ_PodmiotId' } },
    brakParametru: { sql: 'SELECT 1 AS x FROM CDN.KntOsoby WHERE KnO_KntId = @kto', params: {} },
    zbedny: { sql: 'SELECT 1 AS x FROM CDN.KntOsoby WHERE KnO_KntId = @id', params: { id: 'id', inny: 'fields.numer' } },
    zlePole: { sql: 'SELECT 1 AS x FROM CDN.KntOsoby WHERE KnO_KntId = @id', params: { id: 'colums.SrZ_PodmiotId' } },
    zapis: { sql: 'DELETE FROM CDN.KntOsoby', params: {} },
  };
  const errors = errorsOf(raw);
  assert.deepEqual(errors.map((e) => e.path).toSorted(), [
    'source.extraQueries.brakParametru.sql', 'source.extraQueries.zapis.sql',
    'source.extraQueries.zbedny.params.inny', 'source.extraQueries.zlePole.params.id',
  ]);
  assert.match(messageAt(errors, 'source.extraQueries.brakParametru.sql'), /@kto/);
  assert.match(messageAt(errors, 'source.extraQueries.zlePole.params.id'), /czy chodziło o „columns”/);

  raw.source.extraQueries = { kontakty: raw.source.extraQueries.kontakty };
  const ok = validateConfig(raw);
  assert.ok(ok.ok);
  assert.deepEqual(ok.config.source.extraQueries.kontakty.params, { podmiotId: 'columns.SrZ_PodmiotId' });
});

test('no error message repeats a secret, whatever field it was typed into', () => {
  const raw = minimal();
  const secrets = ['Sup3r~Tajne.Sekret', 'Haslo-SQL-0001', 'short-tok'];
  raw.microsoft.clientSecret = secrets[0]; // with a certificate too: an error about clientSecret
  raw.source.mssql.password = secrets[1];
  raw.mailboxes.default = secrets[1]; // a secret pasted into the wrong field
  raw.server = { adminToken: secrets[2] }; // too short
  raw.source.mssql.pasword = secrets[1]; // misspelt key
  const errors = errorsOf(raw);
  assert.ok(errors.length >= 4, JSON.stringify(errors));
  const text = JSON.stringify(errors);
  for (const s of secrets) assert.ok(!text.includes(s), `secret ${s.slice(0, 4)}… appears in: ${text}`);
});

test('sync.kinds: service orders only by default; activities can be added; unknown and unsupported kinds are named', () => {
  const plain = validateConfig(minimal());
  assert.ok(plain.ok);
  assert.deepEqual(plain.config.sync.kinds, ['serwis:zlecenie'], 'existing installs keep syncing orders only');
  assert.deepEqual(plain.config.activities, { done: 'mark', onlyReserved: true });

  const both = validateConfig({ ...minimal(), sync: { kinds: ['serwis:zlecenie', 'serwis:czynnosc', 'serwis:czynnosc'] }, activities: { done: 'remove', onlyReserved: false } });
  assert.ok(both.ok, JSON.stringify(!both.ok && both.errors));
  assert.deepEqual(both.config.sync.kinds, ['serwis:zlecenie', 'serwis:czynnosc'], 'a kind listed twice is synced once');
  assert.deepEqual(both.config.activities, { done: 'remove', onlyReserved: false });

  const errors = errorsOf({ ...minimal(), sync: { kinds: ['serwis:czynosc', 'crm:zadanie'] }, activities: { done: 'hide', onlyReserved: 'tak' } });
  assert.match(messageAt(errors, 'sync.kinds[0]'), /czy chodziło o „serwis:czynnosc”/);
  assert.ok(!errors.some((e) => e.path === 'sync.kinds[1]'), 'CRM tasks are a syncable kind');
  assert.match(messageAt(errors, 'activities.done'), /„mark” albo „remove”/);
  assert.match(messageAt(errors, 'activities.onlyReserved'), /true albo false/);
  assert.match(messageAt(errorsOf({ ...minimal(), sync: { kinds: [] } }), 'sync.kinds'), /co najmniej jeden/);
  assert.match(messageAt(errorsOf({ ...minimal(), sync: { kinds: 'serwis:czynnosc' } }), 'sync.kinds'), /listy/);
});

test('crm: tasks only, cancelled removed and closed marked by default; each switch is checked', () => {
  const plain = validateConfig(minimal());
  assert.ok(plain.ok);
  assert.deepEqual(plain.config.crm, { contacts: false, cancelled: 'remove', closed: 'mark', participantsInBody: true, participantsAsAttendees: false });
  const set = validateConfig({ ...minimal(), sync: { kinds: ['serwis:zlecenie', 'crm:zadanie'] }, crm: { contacts: true, cancelled: 'mark', closed: 'remove' } });
  assert.ok(set.ok, JSON.stringify(!set.ok && set.errors));
  assert.deepEqual(set.config.sync.kinds, ['serwis:zlecenie', 'crm:zadanie']);
  assert.deepEqual(set.config.crm, { contacts: true, cancelled: 'mark', closed: 'remove', participantsInBody: true, participantsAsAttendees: false });
  const errors = errorsOf({ ...minimal(), crm: { contacts: 'tak', cancelled: 'hide', closed: 'ukryj', cykl: true } });
  assert.match(messageAt(errors, 'crm.contacts'), /true albo false/);
  assert.match(messageAt(errors, 'crm.cancelled'), /„remove” albo „mark”/);
  assert.match(messageAt(errors, 'crm.closed'), /„mark” albo „remove”/);
  assert.ok(errors.some((e) => e.path.startsWith('crm')  && /cykl/.test(e.path + e.message)), 'an unknown key is named');
});
