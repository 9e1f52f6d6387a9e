import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatConfigErrors, readConfig } from '../../server/config/read-config.ts';

const EXAMPLE = fileURLToPath(new URL('../../config.example.yaml', import.meta.url));

/** Writes `text` as `name` in a fresh folder; the folder is removed after the test. */
function writeTemp(t: { after(fn: () => void): void }, name: string, text: string): { file: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, name);
  writeFileSync(file, text);
  return { file, dir };
}

const VALID_YAML = `
source:
  type: sqlite
  sqlite:
    companyDb: demo/firma.db
    configDb: \${env:CONFIG_DB}
microsoft:
  tenantId: firma.onmicrosoft.com
  clientId: 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0
  clientSecret: '\${env:APP_SECRET}'
  authority: 'https://\${env:LOGIN_HOST}:8443'
mailboxes:
  default: serwis@firma.pl
calendar:
  name: 'Serwis $\${env:NOT_SUBSTITUTED}'
`;

test('the shipped config.example.yaml is valid once its environment variables are set', () => {
  const result = readConfig(EXAMPLE, { OPTIMA_SQL_PASSWORD: 'Tajne!2026' });
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  const c = result.config;
  assert.ok(c.source.type === 'mssql');
  assert.equal(c.source.mssql.password, 'Tajne!2026');
  assert.equal(c.source.mssql.server, 'SERWER\\OPTIMA');
  assert.ok(c.microsoft.certificate?.path.endsWith(join('certs', 'optima-sync.pem')));
  assert.ok(Object.keys(c.source.extraQueries).length > 0, 'the example shows an extra query');
  assert.ok(c.templates['serwis:zlecenie']?.subject);
  assert.deepEqual([c.sync.driftCheck, c.sync.driftPolicy], ['full-pass', 'restore'], 'the example shows the drift settings at their defaults');
});

test('${env:NAME} is replaced in any string, whole or inside text; $${env:...} stays literal', (t) => {
  const { file, dir } = writeTemp(t, 'config.yaml', VALID_YAML);
  const result = readConfig(file, { CONFIG_DB: 'demo/konfiguracja.db', APP_SECRET: 'app~secret.value', LOGIN_HOST: 'login.emulator.local' });
  assert.ok(result.ok, result.ok ? '' : formatConfigErrors(result.errors));
  assert.equal(result.config.microsoft.clientSecret, 'app~secret.value');
  assert.equal(result.config.microsoft.authority, 'https://login.emulator.local:8443');
  assert.deepEqual(result.config.microsoft.knownAuthorities, ['login.emulator.local:8443']);
  assert.equal(result.config.calendar.name, 'Serwis ${env:NOT_SUBSTITUTED}');
  // Relative paths are resolved against the config file's folder, substituted ones too.
  assert.ok(result.config.source.type === 'sqlite');
  assert.equal(result.config.source.sqlite.configDb, join(dir, 'demo', 'konfiguracja.db'));
  assert.equal(result.config.source.sqlite.companyDb, join(dir, 'demo', 'firma.db'));
  assert.equal(result.config.server.dataDir, join(dir, 'data'));
});

test('a missing or empty variable is an error at its path naming the variable', (t) => {
  const { file } = writeTemp(t, 'config.yaml', VALID_YAML);
  const result = readConfig(file, { CONFIG_DB: 'demo/konfiguracja.db', LOGIN_HOST: '' });
  assert.equal(result.ok, false);
  if (result.ok) return;
  assert.deepEqual(result.errors.map((e) => [e.path, e.line]), [['microsoft.clientSecret', 10], ['microsoft.authority', 11]]);
  assert.match(result.errors[0].message, /Brak zmiennej środowiskowej APP_SECRET/);
  assert.match(result.errors[1].message, /LOGIN_HOST jest pusta/);
});

test('PORT from the environment wins over server.port, and a bad PORT is reported', (t) => {
  const { file } = writeTemp(t, 'config.yaml', `${VALID_YAML}server:\n  port: 3000\n`);
  const env = { CONFIG_DB: 'k.db', APP_SECRET: 's', LOGIN_HOST: 'login.emulator.local' };
  const withPort = readConfig(file, { ...env, PORT: '8080' });
  assert.ok(withPort.ok);
  assert.equal(withPort.config.server.port, 8080);
  const without = readConfig(file, env);
  assert.ok(without.ok);
  assert.equal(without.config.server.port, 3000);
  const bad = readConfig(file, { ...env, PORT: 'http' });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.errors.map((e) => e.path), ['server.port']);
});

test('a YAML syntax error is one error naming the line and column', (t) => {
  const { file } = writeTemp(t, 'config.yaml', 'source:\n  type: mssql\n  mssql:\n    server: x\n   user: sa\n');
  const result = readConfig(file, {});
  assert.ok(!result.ok);
  assert.equal(result.errors.length, 1);
  assert.equal(result.errors[0].line, 5);
  assert.match(result.errors[0].message, /YAML w linii 5, kolumnie 1/);
});

test('JSON files are read too; a JSON syntax error names its line without quoting the file', (t) => {
  const json = '{\n  "source": {\n    "type": "mssql",\n    "mssql": { "password": "Tajne-Haslo-99" }\n    "extra": 1\n  }\n}\n';
  const { file } = writeTemp(t, 'config.json', json);
  const result = readConfig(file, {});
  assert.ok(!result.ok);
  assert.equal(result.errors.length, 1);
  assert.deepEqual([result.errors[0].line, result.errors[0].column], [5, 5]);
  assert.ok(!result.errors[0].message.includes('Tajne-Haslo-99'));

  const good = writeTemp(t, 'config.json', JSON.stringify({
    source: { type: 'sqlite', sqlite: { companyDb: 'a.db', configDb: 'b.db' } },
    microsoft: { tenantId: 'firma.onmicrosoft.com', clientId: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0', clientSecret: '${env:S}' },
    mailboxes: { unassigned: 'skip' }, calendar: { timeZone: 'Mars/Olympus' },
  }, null, 2));
  const invalid = readConfig(good.file, { S: 'x' });
  assert.ok(!invalid.ok);
  assert.deepEqual(invalid.errors.map((e) => [e.path, e.line]), [['calendar.timeZone', 18]], 'validation errors in JSON get lines too');
});

test('validation errors carry the line of the setting in the file, in file order', (t) => {
  const { file } = writeTemp(t, 'config.yaml', `${VALID_YAML}sync:\n  intervalSeconds: 1\nlogs:\n  levle: debug\n`);
  const result = readConfig(file, { CONFIG_DB: 'k.db', APP_SECRET: 's', LOGIN_HOST: 'login.emulator.local' });
  assert.ok(!result.ok);
  assert.deepEqual(result.errors.map((e) => [e.path, e.line]), [['sync.intervalSeconds', 17], ['logs.levle', 19]]);
  assert.match(result.errors[1].message, /czy chodziło o „level”/);
});

test('secrets from the file or the environment never appear in errors or in the formatted list', (t) => {
  const yaml = `
source:
  type: mssql
  mssql:
    server: sql1
    user: sa
    password: 'Tajne-Haslo-99'
    companyDatabase: CDN_Firma
    pasword: 'Tajne-Haslo-99'
microsoft:
  tenantId: '\${env:SECRET_IN_WRONG_PLACE}'
  clientId: nope
  clientSecret: 'Sup3r~Tajne.Sekret'
  certificate: { path: c.pem, passphrase: 'Pass-Phrase-77' }
mailboxes:
  default: '\${env:SECRET_IN_WRONG_PLACE}'
`;
  const { file } = writeTemp(t, 'config.yaml', yaml);
  const result = readConfig(file, { SECRET_IN_WRONG_PLACE: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-Env-Secret' });
  assert.ok(!result.ok);
  assert.ok(result.errors.length >= 4, JSON.stringify(result.errors));
  const text = JSON.stringify(result.errors) + formatConfigErrors(result.errors, file);
  for (const secret of ['Tajne-Haslo-99', 'Sup3r~Tajne.Sekret', 'Pass-Phrase-77', 'Env-Secret', 'eyJ']) {
    assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
  }
});

test('a missing file and an empty file are explained', (t) => {
  const { file, dir } = writeTemp(t, 'empty.yaml', '# nothing yet\n');
  const empty = readConfig(file, {});
  assert.ok(!empty.ok);
  assert.match(empty.errors[0].message, /pusty/);
  const missing = readConfig(join(dir, 'config.yaml'), {});
  assert.ok(!missing.ok);
  assert.match(missing.errors[0].message, /config\.example\.yaml/);
});
