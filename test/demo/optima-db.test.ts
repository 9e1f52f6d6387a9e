import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createOptimaDemoDatabase } from '../../server/demo/optima-db.ts';
import { OPTIMA_DEMO_TABLES } from '../../server/demo/optima-demo-columns.ts';
import { formatOptimaNow } from '../../server/demo/optima-demo-clock.ts';
import { deleteOrder, insertOrder, openOptimaDemoDatabase, reassignOrder, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { loadColumnCatalogue } from '../source/optima-column-catalogue.ts';
import { DEMO_CRM_SPECIAL, addCrmParticipant, deleteCrmOccurrence, updateCrmOccurrence } from '../../server/demo/optima-demo-crm.ts';

const NOW = new Date('2026-05-15T10:00:00Z');
/** 2026-05-15 10:00 UTC is 12:00 in Warsaw (CEST). */
const WALL_NOW = '2026-05-15 12:00:00.000';

let dir: string;
let demo: ReturnType<typeof createOptimaDemoDatabase>;
let db: Database.Database;
let orders: Record<string, unknown>[];

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'optima-demo-'));
  demo = createOptimaDemoDatabase({ dir: join(dir, 'default'), now: NOW });
  db = new Database(demo.companyDbPath, { readonly: true });
  orders = db.prepare('SELECT * FROM SrsZlecenia ORDER BY SrZ_SrZId').all() as Record<string, unknown>[];
});

after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function dump(path: string): string {
  const d = new Database(path, { readonly: true });
  try {
    const tables = (d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    return JSON.stringify(tables.map((t) => d.prepare(`SELECT * FROM "${t}" ORDER BY 1`).all()));
  } finally {
    d.close();
  }
}

test('the committed column lists equal optima-columns.tsv for every demo table', () => {
  const catalogue = loadColumnCatalogue();
  for (const table of OPTIMA_DEMO_TABLES) {
    const fromTsv = catalogue.columns.filter((c) => c.table === `CDN.${table.table}`);
    assert.ok(fromTsv.length > 0, `CDN.${table.table} is in the tsv`);
    assert.equal(fromTsv[0].database, table.database, table.table);
    assert.deepEqual(
      table.columns.map(([name, type]) => [name, type]),
      fromTsv.map((c) => [c.column, c.typeHint]),
      `CDN.${table.table} drifted from the tsv: regenerate server/demo/optima-demo-columns.ts`,
    );
  }
});

test('the files have the real Optima tables with every real column', () => {
  const catalogue = loadColumnCatalogue();
  for (const [path, database] of [[demo.companyDbPath, 'company'], [demo.configDbPath, 'config']] as const) {
    const file = new Database(path, { readonly: true });
    try {
      for (const table of OPTIMA_DEMO_TABLES.filter((t) => t.database === database)) {
        const actual = (file.prepare('SELECT name FROM pragma_table_info(?)').all(table.table) as { name: string }[]).map((c) => c.name);
        const expected = catalogue.columns.filter((c) => c.table === `CDN.${table.table}`).map((c) => c.column);
        assert.deepEqual(actual, expected, table.table);
      }
    } finally {
      file.close();
    }
  }
});

test('at least 300 orders by default, in all three states, some in the buffer', () => {
  assert.ok(orders.length >= 300, `${orders.length} orders`);
  assert.deepEqual([...new Set(orders.map((o) => o.SrZ_Stan))].sort(), [0, 1, 2]);
  assert.ok(orders.filter((o) => o.SrZ_Bufor === 1).length >= 3, 'drafts in the buffer');
  assert.ok(orders.some((o) => (o.SrZ_Bufor as number) < 0), 'a cancelled order to test the scope');
  for (const o of orders.filter((x) => x.SrZ_Stan === 2)) {
    assert.match(String(o.SrZ_DataZamkniecia), /^2\d{3}-/, `closed order ${o.SrZ_SrZId} has a closing date`);
  }
});

test('at least six technicians and operators with company e-mails lead orders', () => {
  const withMail = demo.people.filter((p) => p.email);
  assert.ok(withMail.length >= 6);
  for (const p of withMail) assert.match(p.email ?? '', /^[a-z]+\.[a-z]+@serwis-demo\.pl$/);
  assert.ok(demo.people.some((p) => p.type === 'pracownik') && demo.people.some((p) => p.type === 'operator'));
  const leaders = new Set(orders.filter((o) => o.SrZ_ProwadzacyTyp !== null).map((o) => `${o.SrZ_ProwadzacyTyp}:${o.SrZ_ProwadzacyId}`));
  const leadingWithMail = withMail.filter((p) => leaders.has(`${p.type === 'pracownik' ? 3 : 8}:${p.id}`));
  assert.ok(leadingWithMail.length >= 6, `${leadingWithMail.length} people with e-mail lead orders`);
  assert.ok(orders.some((o) => o.SrZ_ProwadzacyTyp === null), 'some orders have no leader');
  const config = new Database(demo.configDbPath, { readonly: true });
  const operators = config.prepare('SELECT Ope_OpeID AS id, Ope_Email AS email FROM Operatorzy').all() as { id: number; email: string }[];
  config.close();
  for (const p of demo.people.filter((x) => x.type === 'operator')) {
    assert.equal(operators.find((o) => o.id === p.id)?.email || null, p.email, `operator ${p.id} as stored`);
  }
});

test('Polish names and addresses keep their diacritics', () => {
  const text = orders.map((o) => `${o.SrZ_PodNazwa1} ${o.SrZ_PodUlica} ${o.SrZ_PodMiasto} ${o.SrZ_Opis}`).join('\n');
  for (const word of ['Łódź', 'Gdańsk', 'Świętokrzyska', 'Żółkiewskiego']) assert.ok(text.includes(word), word);
  assert.match(text, /[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]/);
  assert.ok(demo.people.some((p) => p.name === 'Łukasz Żółtowski'));
});

test('realization times sit in the DST gap, right after it, and in the repeated autumn hour', () => {
  const times = new Set(orders.map((o) => o.SrZ_DataRealizacji));
  for (const t of ['2026-03-29 02:30:00.000', '2026-03-29 03:00:00.000', '2026-10-25 02:30:00.000']) assert.ok(times.has(t), t);
});

test("Optima's empty date 1899-12-30 appears, alone and with no fallback date", () => {
  const empty = orders.filter((o) => String(o.SrZ_DataRealizacji).startsWith('1899-12-30'));
  assert.ok(empty.length >= 2);
  assert.ok(empty.some((o) => String(o.SrZ_DataPrzyjecia).startsWith('2')), 'falls back to the date received');
  assert.ok(empty.some((o) => String(o.SrZ_DataPrzyjecia).startsWith('1899-12-30')), 'no date at all');
});

test('stages, categories and devices are real rows the orders point to', () => {
  const stages = db.prepare('SELECT DEt_DEtId AS id, DEt_Typ AS typ FROM DefEtapy').all() as { id: number; typ: number }[];
  assert.ok(stages.some((s) => s.typ === 2) && stages.some((s) => s.typ !== 2), 'service and CRM stages');
  const used = new Set(orders.map((o) => o.SrZ_EtapId).filter((x) => x !== null));
  assert.ok(used.size >= 3);
  for (const id of used) assert.notEqual(stages.find((s) => s.id === id)?.typ, 2, 'orders use service stages');
  assert.ok(orders.some((o) => o.SrZ_KatID !== null) && orders.some((o) => o.SrZ_SrUId !== null));
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  assert.ok(count('Kategorie') > 0 && count('SrsUrzadzenia') > 0);
});

test('audit stamps have datetime millisecond precision and never lie in the future', () => {
  for (const o of orders) {
    assert.match(String(o.SrZ_TS_Mod), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{2}[037]$/, `order ${o.SrZ_SrZId}`);
    assert.ok(String(o.SrZ_TS_Mod) <= WALL_NOW, `order ${o.SrZ_SrZId} modified ${o.SrZ_TS_Mod}`);
    assert.ok(String(o.SrZ_TS_Zal) <= String(o.SrZ_TS_Mod));
  }
  assert.ok(new Set(orders.map((o) => String(o.SrZ_TS_Mod).slice(-3))).size > 20, 'milliseconds vary');
});

test('the same seed and time give the same database; another seed another one', () => {
  const again = createOptimaDemoDatabase({ dir: join(dir, 'again'), now: NOW });
  const other = createOptimaDemoDatabase({ dir: join(dir, 'other'), now: NOW, seed: 2 });
  assert.equal(dump(again.companyDbPath), dump(demo.companyDbPath));
  assert.equal(dump(again.configDbPath), dump(demo.configDbPath));
  assert.notEqual(dump(other.companyDbPath), dump(demo.companyDbPath));
});

test('writes behave like Optima: TS_Mod and the modifying operator move, deletes are physical', () => {
  const copy = createOptimaDemoDatabase({ dir: join(dir, 'writes'), orders: 20, now: NOW });
  const w = openOptimaDemoDatabase(copy.companyDbPath);
  try {
    const at = new Date('2026-05-16T08:30:00.001Z');
    const read = (id: number) => w.prepare('SELECT * FROM SrsZlecenia WHERE SrZ_SrZId = ?').get(id) as Record<string, unknown> | undefined;

    assert.ok(updateOrder(w, 15, { SrZ_Stan: 2, SrZ_DataZamkniecia: '2026-05-16 10:29:00.000' }, { now: at, operatorId: 3 }));
    const updated = read(15);
    assert.equal(updated?.SrZ_Stan, 2);
    assert.equal(updated?.SrZ_TS_Mod, '2026-05-16 10:30:00.000', 'Warsaw wall clock, rounded to datetime ticks');
    assert.equal(updated?.SrZ_TS_Mod, formatOptimaNow(at));
    assert.equal(updated?.SrZ_OpeModKod, 'TZIELINSKI');
    assert.equal(updateOrder(w, 9999, { SrZ_Stan: 1 }), false);
    assert.throws(() => updateOrder(w, 15, { SrZ_Nieistniejaca: 1 }), /not a CDN\.SrsZlecenia column/);

    assert.ok(reassignOrder(w, 16, { type: 'pracownik', id: 4 }, { now: at }));
    assert.deepEqual([read(16)?.SrZ_ProwadzacyTyp, read(16)?.SrZ_ProwadzacyId], [3, 4]);
    reassignOrder(w, 16, { type: 'operator', id: 2 }, { now: at });
    assert.deepEqual([read(16)?.SrZ_ProwadzacyTyp, read(16)?.SrZ_ProwadzacyId], [8, 2]);
    reassignOrder(w, 16, null, { now: at });
    assert.deepEqual([read(16)?.SrZ_ProwadzacyTyp, read(16)?.SrZ_ProwadzacyId], [null, null]);

    const id = insertOrder(w, { SrZ_Opis: 'Nowe zgłoszenie z symulatora' }, { now: at });
    assert.equal(id, 21);
    const inserted = read(id);
    assert.equal(inserted?.SrZ_Opis, 'Nowe zgłoszenie z symulatora');
    assert.equal(inserted?.SrZ_Stan, 0);
    assert.equal(inserted?.SrZ_TS_Zal, inserted?.SrZ_TS_Mod);
    assert.equal(inserted?.SrZ_TS_Mod, '2026-05-16 10:30:00.000');
    assert.ok(String(inserted?.SrZ_DataRealizacji) > '2026-05-16', 'planned after today');
    const maxNr = (w.prepare("SELECT MAX(SrZ_NumerNr) AS nr FROM SrsZlecenia WHERE SrZ_NumerString = 'SRW/@numer/2026' AND SrZ_SrZId < ?").get(id) as { nr: number }).nr;
    assert.equal(inserted?.SrZ_NumerPelny, `SRW/${maxNr + 1}/2026`);

    assert.ok(deleteOrder(w, 15));
    assert.equal(read(15), undefined);
    assert.equal(deleteOrder(w, 15), false);
  } finally {
    w.close();
  }
});

test('100 000 orders build in one go (the benchmark relies on it)', { timeout: 60_000 }, () => {
  const big = createOptimaDemoDatabase({ dir: join(dir, 'big'), orders: 100_000, now: NOW });
  const file = new Database(big.companyDbPath, { readonly: true });
  try {
    assert.equal((file.prepare('SELECT COUNT(*) AS n FROM SrsZlecenia').get() as { n: number }).n, 100_000);
  } finally {
    file.close();
  }
});

test('activities: several per order for some, different technicians, some done, some not reserved, each inside its order\'s day', () => {
  const rows = db.prepare(
    `SELECT y.SrY_SrYId AS id, y.SrY_SrZId AS orderId, y.SrY_Lp AS lp, y.SrY_SerwisantTyp AS typ, y.SrY_SerwisantId AS kto,
            y.SrY_TerminOd AS od, y.SrY_TerminDo AS "do", y.SrY_Zakonczona AS done, y.SrY_RezerwujCzas AS rez, y.SrY_TwrNazwa AS nazwa,
            z.SrZ_Stan AS stan
     FROM SrsCzynnosci y JOIN SrsZlecenia z ON z.SrZ_SrZId = y.SrY_SrZId`,
  ).all() as { id: number; orderId: number; lp: number; typ: number; kto: number; od: string; do: string; done: number; rez: number; nazwa: string; stan: number }[];
  const total = (db.prepare('SELECT COUNT(*) AS n FROM SrsCzynnosci').get() as { n: number }).n;
  assert.equal(rows.length, total, 'every activity belongs to an existing order');
  const perOrder = new Map<number, number>();
  for (const r of rows) perOrder.set(r.orderId, (perOrder.get(r.orderId) ?? 0) + 1);
  assert.ok([...perOrder.values()].some((n) => n >= 3), 'some orders have several activities');
  assert.ok(new Set(rows.map((r) => `${r.typ}:${r.kto}`)).size >= 5, 'different technicians, employees and operators');
  assert.ok(rows.some((r) => r.typ === 3) && rows.some((r) => r.typ === 8));
  assert.ok(rows.some((r) => r.done === 1) && rows.some((r) => r.done === 0), 'some done, some not');
  assert.ok(rows.some((r) => r.rez === 0) && rows.some((r) => r.rez === 1), 'some do not reserve time in the Terminarz');
  for (const r of rows) {
    assert.ok(r.do > r.od, `activity ${r.id} ends after it starts`);
    assert.ok(r.nazwa.length > 0);
    if (r.stan === 2) assert.equal(r.done, 1, `activity ${r.id} of a realized order is done`);
  }
});

test('CRM: recurring tasks with materialized occurrences, one split off into its own task, as DEMO_CRM_SPECIAL describes', () => {
  const occurrences = db.prepare('SELECT CRC_CRCId AS id, CRC_CRKId AS taskId, CRC_TerminOd AS od, CRC_TerminDo AS "do", CRC_CrKWylaczonyId AS split FROM CrmKontaktyCykl').all() as { id: number; taskId: number; od: string; do: string; split: number | null }[];
  const tasks = db.prepare('SELECT CRK_CRKId AS id, CRK_Zadanie AS zadanie, CRK_Cykl AS cykl, CRK_Bufor AS bufor, CRK_TerminOd AS od FROM CRMKontakty').all() as { id: number; zadanie: number; cykl: number; bufor: number; od: string }[];
  const taskIds = new Set(tasks.map((t) => t.id));
  for (const o of occurrences) {
    assert.ok(taskIds.has(o.taskId), `occurrence ${o.id} belongs to a task`);
    assert.ok(o.do > o.od, `occurrence ${o.id} ends after it starts`);
    assert.equal(tasks.find((t) => t.id === o.taskId)?.cykl, 1, `the task of occurrence ${o.id} is marked recurring`);
  }
  for (const special of Object.values(DEMO_CRM_SPECIAL)) {
    assert.deepEqual(occurrences.filter((o) => o.taskId === special.taskId).map((o) => o.id).sort((a, b) => a - b), [...special.occurrenceIds], `task ${special.taskId}`);
  }
  assert.equal(DEMO_CRM_SPECIAL.fiveOccurrences.occurrenceIds.length, 5);
  const { splitOffOccurrenceId, standaloneTaskId } = DEMO_CRM_SPECIAL.withSplitOff;
  assert.deepEqual(occurrences.filter((o) => o.split !== null).map((o) => [o.id, o.split]), [[splitOffOccurrenceId, standaloneTaskId]]);
  const standalone = tasks.find((t) => t.id === standaloneTaskId);
  assert.equal(standalone?.zadanie, 1);
  assert.equal(standalone?.cykl, 0, 'the split-off task is not recurring itself');
  const recurring = new Set(occurrences.map((o) => o.taskId));
  assert.ok(recurring.size >= 5, `${recurring.size} recurring tasks`);
  const states = tasks.filter((t) => recurring.has(t.id));
  assert.ok(states.some((t) => t.bufor === 0) && states.some((t) => t.bufor === -1) && states.some((t) => t.zadanie === 0), 'closed, cancelled and a recurring contact');
});

test('CRM: participants with and without e-mail, customers resolvable through PodmiotyView, CRM stages, reminders, every priority', () => {
  const participants = db.prepare('SELECT CrU_CrKId AS taskId, CrU_Email AS email, CrU_Organizator AS org FROM CrmUczestnicy').all() as { taskId: number; email: string; org: number }[];
  assert.ok(participants.some((p) => p.email.includes('@')) && participants.some((p) => p.email === ''), 'with and without e-mail');
  assert.ok(participants.some((p) => p.org === 1), 'organizers');
  const tasks = db.prepare(
    `SELECT k.CRK_CRKId AS id, k.CRK_PodmiotTyp AS typ, k.CRK_PodID AS pod, k.CRK_Priorytet AS priorytet, k.CRK_Przypomnienie AS przyp,
            k.CRK_EtapRealizacji AS etap, p.Pod_Nazwa1 AS nazwa, e.DEt_Typ AS etapTyp
     FROM CRMKontakty k
     LEFT JOIN PodmiotyView p ON p.Pod_PodmiotTyp = k.CRK_PodmiotTyp AND p.Pod_PodId = k.CRK_PodID
     LEFT JOIN DefEtapy e ON e.DEt_DEtId = k.CRK_EtapRealizacji`,
  ).all() as { id: number; typ: number | null; pod: number | null; priorytet: number; przyp: number; etap: number | null; nazwa: string | null; etapTyp: number | null }[];
  const withSubject = tasks.filter((t) => t.typ !== null);
  assert.ok(withSubject.filter((t) => t.nazwa !== null).length >= withSubject.length - 1, 'every subject but the deliberate one resolves');
  assert.ok(tasks.some((t) => t.typ === null), 'some without a customer');
  assert.ok(tasks.some((t) => t.typ === 2), 'a bank, whose id is also a customer\'s');
  assert.ok(tasks.filter((t) => t.etap !== null && t.id !== DEMO_CRM_SPECIAL.unresolved.taskId).every((t) => t.etapTyp === 2), 'CRM tasks use CRM stages');
  assert.deepEqual([...new Set(tasks.map((t) => t.priorytet))].sort(), [0, 1, 2, 3, 4]);
  assert.ok(tasks.some((t) => t.przyp === 1) && tasks.some((t) => t.przyp === 0));
  const reminders = db.prepare('SELECT CRC_Przypomnienie AS flag, CRC_CzasPrzypomnienia AS at FROM CrmKontaktyCykl').all() as { flag: number; at: string }[];
  assert.ok(reminders.some((r) => r.flag === 1 && r.at.startsWith('2')), 'occurrences with a reminder time');
  assert.ok(reminders.some((r) => r.flag === 1 && r.at.startsWith('1899-12-30')), 'a reminder flag without a time');
});

test('CRM writes: an occurrence updated or deleted and a participant added move the task\'s stamp unless told not to', () => {
  const copy = createOptimaDemoDatabase({ dir: join(dir, 'crm-writes'), orders: 10, now: NOW });
  const w = openOptimaDemoDatabase(copy.companyDbPath);
  try {
    const { taskId, occurrenceIds } = DEMO_CRM_SPECIAL.fiveOccurrences;
    const stampOf = () => (w.prepare('SELECT CRK_TS_Mod AS ts FROM CRMKontakty WHERE CRK_CRKId = ?').get(taskId) as { ts: string }).ts;
    const at = new Date('2026-05-16T08:30:00.000Z');
    assert.ok(updateCrmOccurrence(w, occurrenceIds[1], { CRC_TerminOd: '2026-05-15 10:00:00.000' }, { now: at }));
    assert.equal(stampOf(), '2026-05-16 10:30:00.000');
    assert.throws(() => updateCrmOccurrence(w, occurrenceIds[1], { CRC_Nieistniejaca: 1 }), /not a CDN\.CrmKontaktyCykl column/);
    assert.ok(deleteCrmOccurrence(w, occurrenceIds[2], { now: new Date('2026-05-16T09:00:00.000Z'), touchTask: false }));
    assert.equal(stampOf(), '2026-05-16 10:30:00.000', 'an edit that does not save the task');
    assert.equal(deleteCrmOccurrence(w, occurrenceIds[2]), false);
    assert.equal((w.prepare('SELECT COUNT(*) AS n FROM CrmKontaktyCykl WHERE CRC_CRKId = ?').get(taskId) as { n: number }).n, 4);
    const id = addCrmParticipant(w, taskId, { nazwisko: 'Gość z zewnątrz', email: 'gosc@example.com' }, { now: new Date('2026-05-16T09:30:00.000Z') });
    assert.equal((w.prepare('SELECT CrU_Nazwisko AS n FROM CrmUczestnicy WHERE CrU_CrUId = ?').get(id) as { n: string }).n, 'Gość z zewnątrz');
    assert.equal(stampOf(), '2026-05-16 11:30:00.000');
  } finally {
    w.close();
  }
});

test('100 000 CRM rows build in one go (the benchmark relies on it), with occurrences and participants', { timeout: 60_000 }, () => {
  const big = createOptimaDemoDatabase({ dir: join(dir, 'big-crm'), orders: 20, crmTasks: 100_000, now: NOW });
  const file = new Database(big.companyDbPath, { readonly: true });
  try {
    const count = (table: string) => (file.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    assert.equal(count('CRMKontakty'), 100_000);
    assert.ok(count('CrmKontaktyCykl') > 10_000, 'recurring tasks at scale');
    assert.ok(count('CrmUczestnicy') > 50_000);
  } finally {
    file.close();
  }
});
