import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkSelectSql } from '../../server/source/sql-check.ts';
import { QUERY_NAMES, QUERY_PARAMS, builtinQueryPath, loadOptimaQueries } from '../../server/source/optima/optima-queries.ts';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { loadColumnCatalogue } from './optima-column-catalogue.ts';
import { DEMO_CRM_SPECIAL } from '../../server/demo/optima-demo-crm.ts';

const catalogue = loadColumnCatalogue();
const queries = loadOptimaQueries();
const NOW = new Date('2026-05-15T10:00:00Z');

let dir: string;
let demo: ReturnType<typeof createOptimaDemoDatabase>;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'optima-builtin-'));
  demo = createOptimaDemoDatabase({ dir, orders: 120, seed: 7, now: NOW });
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Opens a demo file the way the SQLite reader does: read-only, attached AS CDN. */
function openAsCdn(path: string): Database.Database {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.prepare('ATTACH ? AS CDN').run(path);
  return db;
}

/** SQL text without comments and string literals, for the portability lint. */
function codeOnly(sql: string): string {
  return sql.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/'(?:[^']|'')*'/g, "''");
}

for (const name of QUERY_NAMES) {
  test(`${name}.sql is one T-SQL SELECT that reads only real Optima columns`, () => {
    const sql = readFileSync(builtinQueryPath(name), 'utf8');
    const check = checkSelectSql(sql);
    assert.ok(check.ok, check.ok ? '' : `${name}: ${check.message} (line ${check.line})`);
    const database = queries[name].database;
    for (const table of check.tables) {
      assert.ok(catalogue.byTable.has(table.toLowerCase()), `${name}: table ${table} is not in optima-columns.tsv`);
      assert.equal(catalogue.databaseOf.get(table.toLowerCase()), database, `${name}: ${table} lives in the ${catalogue.databaseOf.get(table.toLowerCase())} database`);
    }
    assert.ok(check.references.length > 0);
    for (const ref of check.references) {
      assert.notEqual(ref.column, '*', `${name}: SELECT * is not allowed`);
      assert.ok(ref.table, `${name}: column ${ref.column} must be qualified by its table alias`);
      const real = catalogue.columns.find((c) => c.table.toLowerCase() === ref.table?.toLowerCase() && c.column === ref.column);
      assert.ok(real, `${name}: ${ref.table}.${ref.column} is not in optima-columns.tsv (exact spelling)`);
    }
    assert.deepEqual([...check.params].sort(), [...QUERY_PARAMS[name]].sort(), `${name}: parameters`);
  });

  test(`${name}.sql stays in the portable subset (SQL Server and SQLite)`, () => {
    const code = codeOnly(readFileSync(builtinQueryPath(name), 'utf8'));
    const forbidden: readonly [RegExp, string][] = [
      [/\bTOP\b/i, 'TOP'],
      [/\bLIMIT\b/i, 'LIMIT'],
      [/\+/, "'+' (concatenation or date arithmetic)"],
      [/\|\|/, "'||'"],
      [/\*/, "'*'"],
      [/\b(GETDATE|SYSDATETIME|CURRENT_TIMESTAMP|DATEADD|DATEDIFF|DATEPART|CONVERT|ISNULL|IIF|STRFTIME|DATETIME|JULIANDAY)\s*\(/i, 'a vendor function'],
      [/\bNOLOCK\b|\bWITH\s*\(/i, 'a table hint'],
    ];
    for (const [pattern, what] of forbidden) assert.doesNotMatch(code, pattern, `${name}.sql uses ${what}`);
  });
}

test('the service-order files document their scope at the top', () => {
  for (const name of ['serwis-zlecenia-changed', 'serwis-zlecenia-ids'] as const) {
    const head = readFileSync(builtinQueryPath(name), 'utf8').split('SELECT')[0];
    assert.match(head, /Zakres/, `${name}: scope header`);
    assert.match(head, /SrZ_Bufor/, `${name}: scope names the buffer column`);
    assert.match(head, /@maxBufor/, `${name}: scope names its parameter`);
  }
});

test('serwis-zlecenia-changed returns exactly the in-scope orders modified at or after @since, oldest first', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const all = db.prepare('SELECT SrZ_SrZId AS id, SrZ_Bufor AS bufor, SrZ_TS_Mod AS ts FROM SrsZlecenia').all() as { id: number; bufor: number; ts: string }[];
    const since = [...all].sort((a, b) => (a.ts < b.ts ? -1 : 1))[Math.floor(all.length / 2)].ts;
    for (const maxBufor of [0, 32767]) {
      const rows = db.prepare(queries['serwis-zlecenia-changed'].sql).all({ since, maxBufor }) as Record<string, unknown>[];
      const expected = all.filter((r) => r.ts >= since && r.bufor >= 0 && r.bufor <= maxBufor).map((r) => r.id).sort((a, b) => a - b);
      assert.deepEqual(rows.map((r) => r.SrZ_SrZId as number).sort((a, b) => a - b), expected, `maxBufor ${maxBufor}`);
      const stamps = rows.map((r) => String(r.SrZ_TS_Mod));
      assert.deepEqual(stamps, [...stamps].sort(), 'ordered by SrZ_TS_Mod');
    }
  } finally {
    db.close();
  }
});

test('serwis-zlecenia-changed joins stage, category and device by their ids', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const rows = db.prepare(queries['serwis-zlecenia-changed'].sql).all({ since: '1753-01-01 00:00:00.000', maxBufor: 32767 }) as Record<string, unknown>[];
    const stages = new Map((db.prepare('SELECT DEt_DEtId AS id, DEt_Kod AS kod FROM DefEtapy').all() as { id: number; kod: string }[]).map((s) => [s.id, s.kod]));
    const devices = new Map((db.prepare('SELECT SrU_SrUId AS id, SrU_Nazwa AS nazwa FROM SrsUrzadzenia').all() as { id: number; nazwa: string }[]).map((d) => [d.id, d.nazwa]));
    const categories = new Map((db.prepare('SELECT Kat_KatID AS id, Kat_KodSzczegol AS kod FROM Kategorie').all() as { id: number; kod: string }[]).map((c) => [c.id, c.kod]));
    let joined = 0;
    for (const row of rows) {
      assert.equal(row.DEt_Kod ?? null, row.SrZ_EtapId === null ? null : stages.get(row.SrZ_EtapId as number));
      assert.equal(row.SrU_Nazwa ?? null, row.SrZ_SrUId === null ? null : devices.get(row.SrZ_SrUId as number));
      assert.equal(row.Kat_KodSzczegol ?? null, row.SrZ_KatID === null ? null : categories.get(row.SrZ_KatID as number));
      if (row.DEt_Kod && row.SrU_Nazwa && row.Kat_KodSzczegol) joined += 1;
    }
    assert.ok(joined > 0, 'some orders have a stage, a device and a category');
    assert.ok(rows.some((r) => r.SrZ_EtapId === null) && rows.some((r) => r.SrZ_SrUId === null), 'LEFT JOINs keep orders without them');
  } finally {
    db.close();
  }
});

test('serwis-zlecenia-ids returns every in-scope id and nothing else', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const all = db.prepare('SELECT SrZ_SrZId AS id, SrZ_Bufor AS bufor FROM SrsZlecenia').all() as { id: number; bufor: number }[];
    for (const maxBufor of [0, 32767]) {
      const ids = (db.prepare(queries['serwis-zlecenia-ids'].sql).all({ maxBufor }) as { SrZ_SrZId: number }[]).map((r) => r.SrZ_SrZId).sort((a, b) => a - b);
      assert.deepEqual(ids, all.filter((r) => r.bufor >= 0 && r.bufor <= maxBufor).map((r) => r.id).sort((a, b) => a - b));
      assert.deepEqual(Object.keys((db.prepare(queries['serwis-zlecenia-ids'].sql).get({ maxBufor }) as object) ?? {}), ['SrZ_SrZId'], 'one column only');
    }
  } finally {
    db.close();
  }
});

test('pracownicy returns every employment version of every employee', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const rows = db.prepare(queries.pracownicy.sql).all() as Record<string, unknown>[];
    const versions = (db.prepare('SELECT COUNT(*) AS n FROM PracEtaty').get() as { n: number }).n;
    assert.equal(rows.length, versions);
    const employees = new Set(rows.map((r) => r.PRA_PraId));
    assert.equal(employees.size, (db.prepare('SELECT COUNT(*) AS n FROM PracKod').get() as { n: number }).n);
    assert.ok(rows.some((r) => r.PRE_HDKEmail === 'lukasz.zoltowski@serwis-demo.pl' && r.PRI_Nazwisko === 'Żółtowski'));
  } finally {
    db.close();
  }
});

test('operatorzy runs on the configuration database and returns every operator', () => {
  const db = openAsCdn(demo.configDbPath);
  try {
    const rows = db.prepare(queries.operatorzy.sql).all() as Record<string, unknown>[];
    assert.equal(rows.length, (db.prepare('SELECT COUNT(*) AS n FROM Operatorzy').get() as { n: number }).n);
    assert.deepEqual(Object.keys(rows[0]), ['Ope_OpeID', 'Ope_Kod', 'Ope_Nazwisko', 'Ope_Email', 'Ope_Nieaktywny']);
  } finally {
    db.close();
  }
});

test('serwis-czynnosci-changed returns the activities of in-scope orders stamped at or after @since, reserved ones unless told otherwise', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const all = db.prepare(
      'SELECT y.SrY_SrYId AS id, y.SrY_RezerwujCzas AS rez, z.SrZ_Bufor AS bufor, z.SrZ_TS_Mod AS ts FROM SrsCzynnosci y JOIN SrsZlecenia z ON z.SrZ_SrZId = y.SrY_SrZId',
    ).all() as { id: number; rez: number; bufor: number; ts: string }[];
    assert.ok(all.some((a) => a.rez === 0) && all.some((a) => a.rez === 1), 'the demo has reserved and unreserved activities');
    const since = [...all].sort((a, b) => (a.ts < b.ts ? -1 : 1))[Math.floor(all.length / 2)].ts;
    for (const maxBufor of [0, 32767]) {
      for (const onlyReserved of [0, 1]) {
        const inScope = (a: (typeof all)[number]) => a.bufor >= 0 && a.bufor <= maxBufor && (onlyReserved === 0 || a.rez === 1);
        const rows = db.prepare(queries['serwis-czynnosci-changed'].sql).all({ since, maxBufor, onlyReserved }) as Record<string, unknown>[];
        const expected = all.filter((a) => a.ts >= since && inScope(a)).map((a) => a.id).sort((a, b) => a - b);
        assert.deepEqual(rows.map((r) => r.SrY_SrYId as number).sort((a, b) => a - b), expected, `maxBufor ${maxBufor}, onlyReserved ${onlyReserved}`);
        const stamps = rows.map((r) => String(r.SrZ_TS_Mod));
        assert.deepEqual(stamps, [...stamps].sort(), 'ordered by the order\'s SrZ_TS_Mod');
        const ids = (db.prepare(queries['serwis-czynnosci-ids'].sql).all({ maxBufor, onlyReserved }) as { SrY_SrYId: number }[]).map((r) => r.SrY_SrYId).sort((a, b) => a - b);
        const allInScope = all.filter(inScope).map((a) => a.id).sort((a, b) => a - b);
        assert.deepEqual(ids, allInScope);
        const sum = db.prepare(queries['serwis-czynnosci-checksum'].sql).get({ maxBufor, onlyReserved }) as { IdCount: number; IdSum: number };
        assert.equal(sum.IdCount, allInScope.length);
        assert.equal(sum.IdSum, allInScope.reduce((s, id) => s + id, 0));
      }
    }
  } finally {
    db.close();
  }
});

interface CrmInDb {
  readonly id: number;
  readonly zadanie: number;
  readonly bufor: number;
  readonly anulowany: number;
  readonly od: string | null;
  readonly dok: string | null;
  readonly ts: string;
  readonly occurrences: number;
}

interface OccurrenceInDb {
  readonly id: number;
  readonly taskId: number;
  readonly od: string;
  readonly split: number | null;
}

const hasDate = (v: string | null) => v !== null && !v.startsWith('1899-12-30');
const sortIds = (ids: readonly number[]) => [...ids].sort((a, b) => a - b);
const idsOf = (rows: readonly Record<string, unknown>[], column: string) => sortIds(rows.map((r) => r[column] as number));

function readCrm(db: Database.Database): { tasks: CrmInDb[]; occurrences: OccurrenceInDb[] } {
  const tasks = db.prepare(
    `SELECT CRK_CRKId AS id, CRK_Zadanie AS zadanie, CRK_Bufor AS bufor, CRK_Anulowany AS anulowany, CRK_TerminOd AS od, CRK_DataDok AS dok, CRK_TS_Mod AS ts,
            (SELECT COUNT(*) FROM CrmKontaktyCykl c WHERE c.CRC_CRKId = k.CRK_CRKId) AS occurrences
     FROM CRMKontakty k`,
  ).all() as CrmInDb[];
  const occurrences = db.prepare('SELECT CRC_CRCId AS id, CRC_CRKId AS taskId, CRC_TerminOd AS od, CRC_CrKWylaczonyId AS split FROM CrmKontaktyCykl').all() as OccurrenceInDb[];
  return { tasks, occurrences };
}

/** The CRM scope every crm-* file shares: kind and cancellation. */
function inCrmScope(t: CrmInDb, withContacts: number, withCancelled: number): boolean {
  return (t.zadanie === 1 || withContacts === 1) && ((t.bufor >= 0 && !t.anulowany) || withCancelled === 1);
}

test('crm-zadania queries: tasks with a term always, contacts, cancelled and recurring ones per switch, oldest stamp first', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const { tasks: all } = readCrm(db);
    assert.ok(all.some((r) => r.zadanie === 0) && all.some((r) => r.bufor === -1) && all.some((r) => r.bufor === 0), 'the demo has contacts, cancelled and closed rows');
    assert.ok(all.some((r) => r.zadanie === 1 && String(r.od).startsWith('1899-12-30')), 'the demo has a task without a term');
    assert.ok(all.filter((r) => r.occurrences > 0).length >= 5, 'the demo has recurring tasks with occurrences');
    const since = [...all].sort((a, b) => (a.ts < b.ts ? -1 : 1))[Math.floor(all.length / 2)].ts;
    for (const withContacts of [0, 1]) {
      for (const withCancelled of [0, 1]) {
        for (const occurrencesApart of [0, 1]) {
          const inScope = (r: CrmInDb) => inCrmScope(r, withContacts, withCancelled)
            && (hasDate(r.od) || (r.zadanie === 0 && hasDate(r.dok)))
            && (occurrencesApart === 0 || r.occurrences === 0);
          const params = { withContacts, withCancelled, occurrencesApart };
          const rows = db.prepare(queries['crm-zadania-changed'].sql).all({ since, ...params }) as Record<string, unknown>[];
          assert.deepEqual(idsOf(rows, 'CRK_CRKId'), sortIds(all.filter((r) => r.ts >= since && inScope(r)).map((r) => r.id)), JSON.stringify(params));
          const stamps = rows.map((r) => String(r.CRK_TS_Mod));
          assert.deepEqual(stamps, [...stamps].sort(), 'ordered by CRK_TS_Mod');
          const allInScope = sortIds(all.filter(inScope).map((r) => r.id));
          assert.deepEqual(idsOf(db.prepare(queries['crm-zadania-ids'].sql).all(params) as Record<string, unknown>[], 'CRK_CRKId'), allInScope);
          const sum = db.prepare(queries['crm-zadania-checksum'].sql).get(params) as { IdCount: number; IdSum: number };
          assert.equal(sum.IdCount, allInScope.length);
          assert.equal(sum.IdSum, allInScope.reduce((s, id) => s + id, 0));
          const one = all.find(inScope);
          assert.ok(one);
          assert.equal((db.prepare(queries['crm-zadania-by-id'].sql).get({ id: one.id, ...params }) as { CRK_CRKId: number }).CRK_CRKId, one.id);
        }
      }
    }
    const cancelled = all.find((r) => r.bufor === -1 && r.zadanie === 1 && hasDate(r.od));
    assert.ok(cancelled);
    assert.equal(db.prepare(queries['crm-zadania-by-id'].sql).get({ id: cancelled.id, withContacts: 0, withCancelled: 0, occurrencesApart: 0 }), undefined, 'a cancelled task is out of scope by default');
  } finally {
    db.close();
  }
});

test('with occurrences apart the recurring task leaves crm-zadania, the task split off from it stays', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const { taskId } = DEMO_CRM_SPECIAL.fiveOccurrences;
    const { taskId: splitParent, standaloneTaskId } = DEMO_CRM_SPECIAL.withSplitOff;
    const read = (occurrencesApart: number) => idsOf(
      db.prepare(queries['crm-zadania-changed'].sql).all({ since: '1753-01-01 00:00:00.000', withContacts: 0, withCancelled: 0, occurrencesApart }) as Record<string, unknown>[],
      'CRK_CRKId',
    );
    assert.ok(read(0).includes(taskId), 'as one event while occurrences are not synced apart');
    assert.ok(read(0).includes(splitParent));
    assert.ok(!read(1).includes(taskId), 'its occurrences are the events');
    assert.ok(!read(1).includes(splitParent));
    assert.ok(read(1).includes(standaloneTaskId), 'the split-off occurrence is a task of its own');
    const byId = (id: number, occurrencesApart: number) => db.prepare(queries['crm-zadania-by-id'].sql).get({ id, withContacts: 0, withCancelled: 0, occurrencesApart });
    assert.ok(byId(taskId, 0));
    assert.equal(byId(taskId, 1), undefined);
  } finally {
    db.close();
  }
});

test('crm-wystapienia queries: materialized, not split-off occurrences of in-scope tasks stamped at or after @since', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const { tasks, occurrences } = readCrm(db);
    const taskOf = new Map(tasks.map((t) => [t.id, t]));
    assert.ok(occurrences.some((o) => o.split !== null), 'the demo has a split-off occurrence');
    const since = [...tasks].filter((t) => t.occurrences > 0).map((t) => t.ts).sort()[2];
    for (const withContacts of [0, 1]) {
      for (const withCancelled of [0, 1]) {
        const params = { withContacts, withCancelled };
        const inScope = (o: OccurrenceInDb) => !o.split && hasDate(o.od) && inCrmScope(taskOf.get(o.taskId)!, withContacts, withCancelled);
        const rows = db.prepare(queries['crm-wystapienia-changed'].sql).all({ since, ...params }) as Record<string, unknown>[];
        assert.deepEqual(idsOf(rows, 'CRC_CRCId'), sortIds(occurrences.filter((o) => inScope(o) && taskOf.get(o.taskId)!.ts >= since).map((o) => o.id)), JSON.stringify(params));
        assert.ok(rows.length > 0);
        const stamps = rows.map((r) => String(r.CRK_TS_Mod));
        assert.deepEqual(stamps, [...stamps].sort(), 'ordered by the task\'s CRK_TS_Mod');
        for (const row of rows) assert.equal(row.CRK_CRKId, occurrences.find((o) => o.id === row.CRC_CRCId)?.taskId, 'joined to its own task');
        const allInScope = sortIds(occurrences.filter(inScope).map((o) => o.id));
        assert.deepEqual(idsOf(db.prepare(queries['crm-wystapienia-ids'].sql).all(params) as Record<string, unknown>[], 'CRC_CRCId'), allInScope);
        const sum = db.prepare(queries['crm-wystapienia-checksum'].sql).get(params) as { IdCount: number; IdSum: number };
        assert.equal(sum.IdCount, allInScope.length);
        assert.equal(sum.IdSum, allInScope.reduce((s, id) => s + id, 0));
      }
    }
    const full = { since: '1753-01-01 00:00:00.000', withContacts: 0, withCancelled: 0 };
    const rows = db.prepare(queries['crm-wystapienia-changed'].sql).all(full) as Record<string, unknown>[];
    const ofTask = (taskId: number) => rows.filter((r) => r.CRK_CRKId === taskId).map((r) => r.CRC_CRCId as number);
    const five = DEMO_CRM_SPECIAL.fiveOccurrences;
    assert.deepEqual(sortIds(ofTask(five.taskId)), [...five.occurrenceIds], 'the task with 5 occurrences gives 5 rows');
    const split = DEMO_CRM_SPECIAL.withSplitOff;
    assert.equal(ofTask(split.taskId).length, split.occurrenceIds.length - 1);
    assert.ok(!rows.some((r) => r.CRC_CRCId === split.splitOffOccurrenceId), 'the split-off occurrence is not synced twice');
    assert.equal(db.prepare(queries['crm-wystapienia-by-id'].sql).get({ id: split.splitOffOccurrenceId, ...full }), undefined);
    assert.equal(ofTask(DEMO_CRM_SPECIAL.cancelled.taskId).length, 0, 'occurrences of a cancelled task leave with it');
    assert.equal(ofTask(DEMO_CRM_SPECIAL.contact.taskId).length, 0, 'occurrences of a contact only with contacts');
    assert.equal(ofTask(DEMO_CRM_SPECIAL.closed.taskId).length, DEMO_CRM_SPECIAL.closed.occurrenceIds.length, 'a closed task keeps its occurrences in scope');
    const withAll = db.prepare(queries['crm-wystapienia-changed'].sql).all({ ...full, withContacts: 1, withCancelled: 1 }) as Record<string, unknown>[];
    assert.equal(withAll.filter((r) => r.CRK_CRKId === DEMO_CRM_SPECIAL.cancelled.taskId).length, DEMO_CRM_SPECIAL.cancelled.occurrenceIds.length);
    assert.equal(withAll.filter((r) => r.CRK_CRKId === DEMO_CRM_SPECIAL.contact.taskId).length, DEMO_CRM_SPECIAL.contact.occurrenceIds.length);
    const one = db.prepare(queries['crm-wystapienia-by-id'].sql).get({ id: five.occurrenceIds[2], ...full }) as Record<string, unknown>;
    assert.deepEqual(Object.keys(one), Object.keys(rows[0]), 'by id returns the same columns');
  } finally {
    db.close();
  }
});

test('CRM queries resolve the customer through PodmiotyView by type and id, and the stage only among CRM stages (DEt_Typ 2)', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const subjects = db.prepare('SELECT Pod_PodmiotTyp AS typ, Pod_PodId AS id, Pod_Nazwa1 AS nazwa FROM PodmiotyView').all() as { typ: number; id: number; nazwa: string }[];
    const stages = db.prepare('SELECT DEt_DEtId AS id, DEt_Kod AS kod, DEt_Typ AS typ FROM DefEtapy').all() as { id: number; kod: string; typ: number }[];
    const full = { since: '1753-01-01 00:00:00.000', withContacts: 1, withCancelled: 1 };
    const tasks = db.prepare(queries['crm-zadania-changed'].sql).all({ ...full, occurrencesApart: 0 }) as Record<string, unknown>[];
    const occurrences = db.prepare(queries['crm-wystapienia-changed'].sql).all(full) as Record<string, unknown>[];
    for (const row of [...tasks, ...occurrences]) {
      const subject = subjects.find((s) => s.typ === row.CRK_PodmiotTyp && s.id === row.CRK_PodID);
      assert.equal(row.Pod_Nazwa1 ?? null, subject?.nazwa ?? null, `CRM row ${row.CRK_CRKId}`);
      const stage = stages.find((s) => s.id === row.CRK_EtapRealizacji && s.typ === 2);
      assert.equal(row.DEt_Kod ?? null, stage?.kod ?? null, `CRM row ${row.CRK_CRKId}`);
    }
    const task = (id: number) => tasks.find((r) => r.CRK_CRKId === id)!;
    const bank = task(DEMO_CRM_SPECIAL.bankSubject.taskId);
    assert.equal(bank.CRK_PodmiotTyp, 2);
    assert.notEqual(bank.Pod_Nazwa1, subjects.find((s) => s.typ === 1 && s.id === bank.CRK_PodID)?.nazwa, 'the bank, not the customer with the same id');
    assert.equal(bank.DEt_Kod, stages.find((s) => s.id === bank.CRK_EtapRealizacji)?.kod);
    const unresolved = task(DEMO_CRM_SPECIAL.unresolved.taskId);
    assert.equal(unresolved.Pod_Nazwa1, null, 'a subject missing from PodmiotyView keeps the task (LEFT JOIN)');
    assert.equal(unresolved.DEt_Kod, null, 'a service stage is not a CRM stage');
    assert.ok(tasks.filter((r) => r.Pod_Nazwa1 !== null).length > tasks.length / 2, 'most tasks have a resolved customer');
  } finally {
    db.close();
  }
});

test('crm-uczestnicy queries: participants of in-scope tasks stamped at or after @since, and of one task by id', () => {
  const db = openAsCdn(demo.companyDbPath);
  try {
    const { tasks } = readCrm(db);
    const taskOf = new Map(tasks.map((t) => [t.id, t]));
    const all = db.prepare('SELECT CrU_CrUId AS id, CrU_CrKId AS taskId FROM CrmUczestnicy').all() as { id: number; taskId: number }[];
    const since = [...tasks].map((t) => t.ts).sort()[Math.floor(tasks.length / 2)];
    for (const withContacts of [0, 1]) {
      for (const withCancelled of [0, 1]) {
        const rows = db.prepare(queries['crm-uczestnicy-changed'].sql).all({ since, withContacts, withCancelled }) as Record<string, unknown>[];
        const expected = all.filter((p) => taskOf.get(p.taskId)!.ts >= since && inCrmScope(taskOf.get(p.taskId)!, withContacts, withCancelled));
        assert.deepEqual(idsOf(rows, 'CrU_CrUId'), sortIds(expected.map((p) => p.id)));
        const order = rows.map((r) => [r.CrU_CrKId as number, r.CrU_CrUId as number]);
        assert.deepEqual(order, [...order].sort((a, b) => a[0] - b[0] || a[1] - b[1]), 'grouped by task, in Optima\'s order');
      }
    }
    const { taskId } = DEMO_CRM_SPECIAL.fiveOccurrences;
    const byId = db.prepare(queries['crm-uczestnicy-by-id'].sql).all({ id: taskId }) as Record<string, unknown>[];
    assert.deepEqual(idsOf(byId, 'CrU_CrUId'), sortIds(all.filter((p) => p.taskId === taskId).map((p) => p.id)));
    assert.ok(byId.length >= 3);
    assert.ok(byId.some((r) => r.CrU_Email === '') && byId.some((r) => String(r.CrU_Email).includes('@')), 'with and without e-mail');
  } finally {
    db.close();
  }
});

test('the occurrence files say why the task\'s stamp is their watermark and that split-off occurrences stay out', () => {
  for (const name of ['crm-wystapienia-changed', 'crm-wystapienia-ids'] as const) {
    const head = readFileSync(builtinQueryPath(name), 'utf8').split('SELECT')[0];
    assert.match(head, /CRC_CrKWylaczonyId/, `${name}: scope names the split-off column`);
    assert.match(head, /@withContacts/, `${name}: scope names its parameters`);
  }
  const changed = readFileSync(builtinQueryPath('crm-wystapienia-changed'), 'utf8').split('SELECT')[0];
  assert.match(changed, /TS_Mod/);
  assert.match(changed, /CRK_TS_Mod/);
  assert.match(changed, /checksum|suma kontrolna/i);
});
