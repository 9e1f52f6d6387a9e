import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteSourceReader } from '../../server/source/sqlite-source-reader.ts';
import { isSourceError } from '../../server/source/source-error.ts';
import type { SourceReader } from '../../server/source/source-reader.ts';
import type { RecordKind } from '../../server/domain/types.ts';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { deleteOrder, insertOrder, openOptimaDemoDatabase, reassignOrder, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { DEMO_CRM_SPECIAL, addCrmParticipant, deleteCrmOccurrence, updateCrmTask } from '../../server/demo/optima-demo-crm.ts';

const NOW = new Date('2026-05-15T10:00:00Z');
const KIND = 'serwis:zlecenie';

let dir: string;
let demo: ReturnType<typeof createOptimaDemoDatabase>;
let writer: Database.Database;
let reader: SourceReader;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'optima-reader-'));
  demo = createOptimaDemoDatabase({ dir, orders: 320, seed: 3, now: NOW });
  writer = openOptimaDemoDatabase(demo.companyDbPath);
  reader = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath });
});

after(async () => {
  await reader.close();
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

function bufferOf(): Map<number, number> {
  const rows = writer.prepare('SELECT SrZ_SrZId AS id, SrZ_Bufor AS bufor FROM SrsZlecenia').all() as { id: number; bufor: number }[];
  return new Map(rows.map((r) => [r.id, r.bufor]));
}

async function expectSourceError(promise: Promise<unknown>, pattern: RegExp, code?: string) {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isSourceError(error), `expected a SourceError, got ${String(error)}`);
    assert.match(error.message, pattern);
    if (code) assert.equal(error.data.code, code);
    return true;
  });
}

test('a full read returns every order in scope (drafts included by default, cancelled never)', async () => {
  const rows = await reader.readChangedRows(KIND, null);
  const buffer = bufferOf();
  const expected = [...buffer].filter(([, b]) => b >= 0).map(([id]) => id).sort((a, b) => a - b);
  assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b), expected);
  assert.ok(rows.some((r) => r.fields.bufor === true), 'drafts are in');
  assert.ok(expected.length < buffer.size, 'the demo has a cancelled order that stays out');
});

test('scope without drafts leaves buffer orders out of both queries', async () => {
  const confirmedOnly = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath, scope: { includeDrafts: false } });
  try {
    const expected = [...bufferOf()].filter(([, b]) => b === 0).map(([id]) => id).sort((a, b) => a - b);
    const rows = await confirmedOnly.readChangedRows(KIND, null);
    assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b), expected);
    assert.deepEqual([...(await confirmedOnly.readSourceIds(KIND))].sort((a, b) => a - b), expected);
  } finally {
    await confirmedOnly.close();
  }
});

test('changed rows honour the watermark to the millisecond (>=, inclusive)', async () => {
  const watermark = '2031-01-01 10:00:00.005';
  updateOrder(writer, 11, { SrZ_TS_Mod: '2031-01-01 10:00:00.006' }); // 1 ms after
  updateOrder(writer, 12, { SrZ_TS_Mod: '2031-01-01 10:00:00.004' }); // 1 ms before
  updateOrder(writer, 13, { SrZ_TS_Mod: watermark }); // exactly on it
  const rows = await reader.readChangedRows(KIND, watermark);
  assert.deepEqual(rows.map((r) => r.id).sort((a, b) => a - b), [11, 13]);
  assert.equal(rows.find((r) => r.id === 11)?.modifiedAt, '2031-01-01 10:00:00.006');
  const next = rows.map((r) => r.modifiedAt).sort().at(-1) ?? '';
  assert.deepEqual((await reader.readChangedRows(KIND, next)).map((r) => r.id), [11], 'the next run from the newest stamp sees only that row again');
});

test('an edit made through the demo writer is read back on the next incremental read', async () => {
  const at = new Date('2032-02-03T04:05:06.789Z');
  reassignOrder(writer, 20, { type: 'operator', id: 3 }, { now: at });
  updateOrder(writer, 20, { SrZ_Opis: 'Zmiana z symulatora: wymiana zaworu trójdrogowego' }, { now: at });
  const [row] = await reader.readChangedRows(KIND, '2032-01-01 00:00:00.000');
  assert.equal(row.id, 20);
  assert.deepEqual(row.owner, { type: 'operator', id: 3 });
  assert.equal(row.fields.opis, 'Zmiana z symulatora: wymiana zaworu trójdrogowego');
  assert.equal(row.modifiedAt, '2032-02-03 05:05:06.790', 'Warsaw wall clock, datetime ticks');
});

test('ids: every in-scope order, one query; a deleted order disappears', async () => {
  const before = reader.stats.queries;
  const ids = await reader.readSourceIds(KIND);
  assert.equal(reader.stats.queries, before + 1);
  assert.deepEqual([...ids].sort((a, b) => a - b), [...bufferOf()].filter(([, b]) => b >= 0).map(([id]) => id).sort((a, b) => a - b));
  const victim = [...ids][5];
  assert.ok(deleteOrder(writer, victim));
  assert.equal((await reader.readSourceIds(KIND)).has(victim), false);
});

test('people: employees from the company database and operators from the configuration database, two queries', async () => {
  const before = { ...reader.stats };
  const people = await reader.readPeople();
  assert.equal(reader.stats.queries, before.queries + 2);
  assert.ok(reader.stats.rowsRead > before.rowsRead);
  const withMail = people.filter((p) => p.email);
  assert.ok(withMail.length >= 6, `${withMail.length} people with e-mail`);
  const lukasz = people.find((p) => p.type === 'pracownik' && p.name === 'Łukasz Żółtowski');
  assert.equal(lukasz?.email, 'lukasz.zoltowski@serwis-demo.pl', 'the current employment version, not the old private address');
  assert.equal(people.find((p) => p.type === 'operator' && p.code === 'ADMIN')?.email, null);
  for (const person of demo.people) {
    const read = people.find((p) => p.type === person.type && p.id === person.id);
    assert.equal(read?.email ?? null, person.email, `${person.type} ${person.id}`);
  }
});

test('counts one query per call and the rows each returned', async () => {
  const fresh = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath });
  try {
    const rows = await fresh.readChangedRows(KIND, '2026-05-01 00:00:00.000');
    const ids = await fresh.readSourceIds(KIND);
    assert.deepEqual(fresh.stats, { queries: 2, rowsRead: rows.length + ids.size });
  } finally {
    await fresh.close();
  }
});

test('NULLs, a 10k-character description, control characters and emoji survive the round trip', async () => {
  const opis = `\tZgłoszenie „pilne” 👩‍🔧🇵🇱\u0000\u0001\u001b[31m\r\n${'Źdźbło żółwia; '.repeat(700)}`.slice(0, 10_000);
  const id = insertOrder(
    writer,
    { SrZ_Opis: opis, SrZ_PodNazwa1: null, SrZ_PodUlica: null, SrZ_Telefon: null, SrZ_Priorytet: null, SrZ_KatID: null, SrZ_SrUId: null, SrZ_ProwadzacyTyp: null, SrZ_ProwadzacyId: null, SrZ_TS_Mod: '2033-01-01 00:00:00.000' },
  );
  const [row] = await reader.readChangedRows(KIND, '2033-01-01 00:00:00.000');
  assert.equal(row.id, id);
  assert.equal(opis.length, 10_000);
  assert.equal(row.fields.opis, opis);
  assert.equal(row.columns.SrZ_Opis, opis);
  assert.equal(row.owner, null);
  assert.equal(row.fields.telefon, null);
  assert.equal(row.fields.kategoria, null);
});

test('the demo schema has every table and column the built-in queries use', async () => {
  assert.deepEqual(await reader.checkSchema(), []);
});

test('a missing column or table is reported with the query that needs it and the fix', async () => {
  const copyDir = mkdtempSync(join(tmpdir(), 'optima-broken-'));
  try {
    const company = join(copyDir, 'firma.db');
    const config = join(copyDir, 'konf.db');
    writer.pragma('wal_checkpoint(TRUNCATE)');
    copyFileSync(demo.companyDbPath, company);
    copyFileSync(demo.configDbPath, config);
    const db = new Database(company);
    db.exec('ALTER TABLE SrsZlecenia DROP COLUMN SrZ_Email');
    db.close();
    const cfg = new Database(config);
    cfg.exec('DROP TABLE Operatorzy');
    cfg.close();
    const broken = createSqliteSourceReader({ companyDbPath: company, configDbPath: config });
    try {
      const problems = await broken.checkSchema();
      assert.deepEqual(problems.map((p) => [p.table, p.column]), [['CDN.SrsZlecenia', 'SrZ_Email'], ['CDN.Operatorzy', null]]);
      assert.match(problems[0].message, /SrZ_Email.*serwis-zlecenia-changed.*nadpisz zapytanie/);
      assert.match(problems[1].message, /Brak tabeli CDN\.Operatorzy.*konfiguracyjn/);
      await expectSourceError(broken.readChangedRows(KIND, null), /serwis-zlecenia-changed.*SrZ_Email/, 'query-failed');
    } finally {
      await broken.close();
    }
  } finally {
    rmSync(copyDir, { recursive: true, force: true });
  }
});

test('a missing database file is a clear error naming the path and the setting, and does not stick', async () => {
  const missingDir = mkdtempSync(join(tmpdir(), 'optima-missing-'));
  try {
    const company = join(missingDir, 'firma.db');
    const missing = createSqliteSourceReader({ companyDbPath: company, configDbPath: demo.configDbPath });
    await expectSourceError(missing.readSourceIds(KIND), /Nie można otworzyć bazy Optima '.*firma\.db': plik nie istnieje — sprawdź source\.sqlite\.companyDb/, 'source-unreachable');
    writeFileSync(company, 'to nie jest baza danych, tylko tekst'.repeat(50));
    await expectSourceError(missing.readSourceIds(KIND), /nie jest bazą SQLite.*source\.sqlite\.companyDb/);
    copyFileSync(demo.companyDbPath, company);
    assert.ok((await missing.readSourceIds(KIND)).size > 0, 'the next call opens the file once it is there');
    await missing.close();

    const noConfig = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: join(missingDir, 'brak.db') });
    await expectSourceError(noConfig.readPeople(), /brak\.db.*source\.sqlite\.configDb/);
    await noConfig.close();
  } finally {
    rmSync(missingDir, { recursive: true, force: true });
  }
});

test('the reader never writes to Optima', async () => {
  await assert.rejects(reader.runExtraQuery('DELETE FROM CDN.SrsZlecenia', {}), /tylko polecenie SELECT/);
  const before = bufferOf().size;
  await reader.readChangedRows(KIND, null);
  assert.equal(bufferOf().size, before);
});

test('extra queries: one SELECT with named parameters, values bound apart from the text', async () => {
  const rows = await reader.runExtraQuery(
    'SELECT z.SrZ_NumerPelny, z.SrZ_Bufor FROM CDN.SrsZlecenia AS z WHERE z.SrZ_SrZId = @SrZ_SrZId AND z.SrZ_Bufor >= @bufor',
    { SrZ_SrZId: 30, bufor: false, unused: 'ignored' },
  );
  assert.equal(rows.length, 1);
  assert.match(String(rows[0].SrZ_NumerPelny), /^SRW\/\d+\/\d{4}$/);
  const injected = await reader.runExtraQuery('SELECT z.SrZ_SrZId FROM CDN.SrsZlecenia AS z WHERE z.SrZ_NumerPelny = @n', { n: "x' OR '1'='1" });
  assert.equal(injected.length, 0);
  await expectSourceError(reader.runExtraQuery('SELECT a FROM t WHERE b = @nieznany', {}), /@nieznany/, 'query-invalid');
});

test('an override file replaces a built-in query; a bad one is refused up front with its path', async () => {
  const file = join(dir, 'tylko-zrealizowane.sql');
  writeFileSync(file, 'SELECT z.SrZ_SrZId FROM CDN.SrsZlecenia AS z WHERE z.SrZ_Stan = 2 AND z.SrZ_Bufor <= @maxBufor');
  const custom = createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath, overrides: { 'serwis-zlecenia-ids': file } });
  try {
    const expected = (writer.prepare('SELECT SrZ_SrZId AS id FROM SrsZlecenia WHERE SrZ_Stan = 2').all() as { id: number }[]).map((r) => r.id);
    assert.deepEqual([...(await custom.readSourceIds(KIND))].sort((a, b) => a - b), expected.sort((a, b) => a - b));
  } finally {
    await custom.close();
  }
  const bad = join(dir, 'zle.sql');
  writeFileSync(bad, 'UPDATE CDN.SrsZlecenia SET SrZ_Stan = 2');
  assert.throws(() => createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath, overrides: { 'serwis-zlecenia-ids': bad } }), (error: unknown) => {
    assert.ok(isSourceError(error));
    assert.equal(error.data.code, 'query-invalid');
    assert.match(error.message, /zle\.sql/);
    return true;
  });
  assert.throws(
    () => createSqliteSourceReader({ companyDbPath: demo.companyDbPath, configDbPath: demo.configDbPath, overrides: { pracownicy: join(dir, 'nie-ma.sql') } }),
    /nie-ma\.sql.*nadpisania zapytania pracownicy/,
  );
});

test('kinds without a built-in query fail loudly instead of looking empty', async () => {
  await expectSourceError(reader.readSourceIds('crm:kontakt' as RecordKind), /crm:kontakt.*nie jest jeszcze obsługiwany/, 'unsupported-kind');
  await expectSourceError(reader.readChangedRows('crm:kontakt' as RecordKind, null), /crm:kontakt.*sync\.kinds/, 'unsupported-kind');
});

test('a watermark that is not a timestamp is refused with the fix', async () => {
  await expectSourceError(reader.readChangedRows(KIND, 'wczoraj'), /wczoraj.*pełną synchronizację/, 'bad-watermark');
});

test('CRM participants: one more query only when rows changed, attached to tasks and to occurrences through their task', async () => {
  const crm = createSqliteSourceReader({
    companyDbPath: demo.companyDbPath,
    configDbPath: demo.configDbPath,
    scope: { includeDrafts: true, crmOccurrences: true, crmParticipants: true },
  });
  try {
    const participantRows = (writer.prepare('SELECT COUNT(*) AS n FROM CrmUczestnicy').get() as { n: number }).n;
    let before = { ...crm.stats };
    const occurrences = await crm.readChangedRows('crm:wystapienie', null);
    assert.equal(crm.stats.queries, before.queries + 2, 'occurrences and their participants');
    assert.ok(crm.stats.rowsRead - before.rowsRead > occurrences.length, 'participant rows are counted too');
    assert.ok(crm.stats.rowsRead - before.rowsRead <= occurrences.length + participantRows);
    const five = DEMO_CRM_SPECIAL.fiveOccurrences;
    const ofFive = occurrences.filter((r) => r.fields.zadanieId === five.taskId);
    assert.deepEqual(ofFive.map((r) => r.id).sort((a, b) => a - b), [...five.occurrenceIds]);
    for (const r of ofFive) {
      assert.equal(r.participants?.length, 3, `occurrence ${r.id} lists its task's participants`);
      assert.ok(r.participants?.some((p) => p.organizer && p.email?.endsWith('@serwis-demo.pl')));
      assert.ok(r.participants?.some((p) => p.email === null), 'one without an e-mail');
      assert.ok(r.participants?.every((p) => p.email === null || p.email === p.email.toLowerCase()));
      assert.deepEqual((r.fields.uczestnicy as { nazwisko: string }[]).map((u) => u.nazwisko), r.participants?.map((p) => p.name));
    }

    before = { ...crm.stats };
    const tasks = await crm.readChangedRows('crm:zadanie', null);
    assert.equal(crm.stats.queries, before.queries + 2);
    assert.ok(!tasks.some((t) => t.id === five.taskId), 'the recurring task is out: its occurrences are the events');
    assert.ok(tasks.some((t) => t.id === DEMO_CRM_SPECIAL.withSplitOff.standaloneTaskId), 'the split-off occurrence syncs as its own task');
    assert.ok(tasks.every((t) => Array.isArray(t.participants)), 'every task gets a list, empty or not');
    assert.ok(tasks.some((t) => (t.participants?.length ?? 0) > 0) && tasks.some((t) => t.participants?.length === 0));

    before = { ...crm.stats };
    assert.deepEqual(await crm.readChangedRows('crm:zadanie', '2099-01-01 00:00:00.000'), []);
    assert.equal(crm.stats.queries, before.queries + 1, 'nothing changed: no participants read');

    // An idle poll overlaps its watermark and gets the newest rows again: their participants are already known.
    const newest = tasks.map((t) => t.modifiedAt).sort().at(-1) ?? '';
    before = { ...crm.stats };
    const again = await crm.readChangedRows('crm:zadanie', newest);
    assert.ok(again.length > 0);
    assert.equal(crm.stats.queries, before.queries + 1, 'the same tasks at the same stamps: participants reused');
    for (const row of again) assert.deepEqual(row.participants, tasks.find((t) => t.id === row.id)?.participants);
    const saved = again[0].id;
    updateCrmTask(writer, saved, {}, { now: new Date('2035-01-01T10:00:00Z') });
    addCrmParticipant(writer, saved, { nazwisko: 'Nowy Uczestnik', email: 'Nowy@Example.com' }, { now: new Date('2035-01-01T10:00:00Z') });
    before = { ...crm.stats };
    const edited = await crm.readChangedRows('crm:zadanie', newest);
    assert.equal(crm.stats.queries, before.queries + 2, 'a task saved again: its participants are read');
    assert.ok(edited.find((t) => t.id === saved)?.participants?.some((p) => p.name === 'Nowy Uczestnik' && p.email === 'nowy@example.com'));

    before = { ...crm.stats };
    const one = await crm.readRow('crm:wystapienie', five.occurrenceIds[1]);
    assert.equal(crm.stats.queries, before.queries + 2);
    assert.equal(one?.participants?.length, 3);
    assert.equal(one?.kind, 'crm:wystapienie');
    before = { ...crm.stats };
    assert.equal(await crm.readRow('crm:wystapienie', DEMO_CRM_SPECIAL.withSplitOff.splitOffOccurrenceId), null, 'a split-off occurrence is not an occurrence event');
    assert.equal(crm.stats.queries, before.queries + 1, 'nothing found, no participants read');
  } finally {
    await crm.close();
  }
  // Without the switch: one query, no participants.
  const before = { ...reader.stats };
  const plain = await reader.readChangedRows('crm:zadanie', null);
  assert.equal(reader.stats.queries, before.queries + 1);
  assert.ok(plain.length > 0 && plain.every((r) => r.participants === undefined));
  assert.ok(plain.some((t) => t.id === DEMO_CRM_SPECIAL.fiveOccurrences.taskId), 'without occurrences apart the recurring task is one event');
});

test('occurrences: ids and checksum for deletions; deleting one in Optima removes exactly it and moves its task\'s stamp', async () => {
  const { taskId, occurrenceIds } = DEMO_CRM_SPECIAL.bankSubject;
  const ids = await reader.readSourceIds('crm:wystapienie');
  for (const id of occurrenceIds) assert.ok(ids.has(id), `occurrence ${id}`);
  assert.equal(ids.has(DEMO_CRM_SPECIAL.withSplitOff.splitOffOccurrenceId), false);
  const sum = await reader.readSourceChecksum('crm:wystapienie');
  assert.equal(sum.count, ids.size);
  assert.equal(sum.idSum, [...ids].reduce((s, id) => s + BigInt(id), 0n));

  const victim = occurrenceIds[3];
  assert.ok(deleteCrmOccurrence(writer, victim, { now: new Date('2034-03-01T10:00:00Z') }));
  const after = await reader.readSourceChecksum('crm:wystapienie');
  assert.equal(after.count, sum.count - 1);
  assert.equal(after.idSum, sum.idSum - BigInt(victim));
  const changed = await reader.readChangedRows('crm:wystapienie', '2034-01-01 00:00:00.000');
  assert.deepEqual(changed.map((r) => r.id).sort((a, b) => a - b), occurrenceIds.filter((id) => id !== victim), 'the task was saved: its other occurrences are re-read');
  assert.ok(changed.every((r) => r.fields.zadanieId === taskId && r.modifiedAt === '2034-03-01 11:00:00.000'));
});
