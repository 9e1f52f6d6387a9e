import type Database from 'better-sqlite3';
import type { PersonRef } from '../domain/types.ts';
import { DEMO_TIME_ZONE, formatOptimaNow, formatWallDate } from './optima-demo-clock.ts';
import { DEMO_EMPLOYEES, createRandom, pickInt, pickOne } from './optima-demo-data.ts';
import { EMPTY_OPTIMA_DATE } from './optima-demo-order.ts';
import { listDemoColumns } from './optima-demo-schema.ts';
import type { DemoWriteOptions } from './optima-demo-writes.ts';
import {
  DAY, DEMO_CONTACT_PARTICIPANTS, DEMO_STAFF_PARTICIPANTS, MINUTE, buildDemoCrmRow, createDemoCrmWriter, describeCycle, findStaffParticipant, pickCustomerId,
  type DemoCrmRow, type DemoCrmWriter, type DemoParticipant,
} from './optima-demo-crm-rows.ts';
import { DEMO_CRM_SPECIAL_OCCURRENCES, DEMO_CRM_SPECIAL_TASKS, insertDemoCrmSpecial } from './optima-demo-crm-special.ts';
import { PODMIOT_KONTRAHENT } from './optima-demo-podmioty.ts';

/**
 * CRM tasks and contacts (CDN.CRMKontakty, `CRK_`) of the demo world, the way Optima stores them:
 * CRK_Zadanie 1 = task, 0 = contact; CRK_Bufor 1 open, 0 closed, −1 cancelled (or CRK_Anulowany);
 * owner CRK_OpiekunTyp/Id (3 employee, 8 operator); customer CRK_PodmiotTyp/PodID (PodmiotyView);
 * CRM stage CRK_EtapRealizacji (DefEtapy, DEt_Typ 2). Some tasks recur: their occurrences are rows
 * of CrmKontaktyCykl. Participants are rows of CrmUczestnicy. The first rows are hand-made
 * (optima-demo-crm-special.ts, DEMO_CRM_SPECIAL); the rest are generated with a PRNG of their
 * own, around the demo's "now", so adding them leaves orders and activities as they were.
 */

export type { DemoCrmRow } from './optima-demo-crm-rows.ts';
export { DEMO_CRM_COLUMNS } from './optima-demo-crm-rows.ts';
export { DEMO_CRM_SPECIAL, DEMO_CRM_SPECIAL_TASKS, type DemoRecurringTask, type DemoSplitOffTask } from './optima-demo-crm-special.ts';

/** CRM rows in a default demo database: the hand-made ones and 40 generated. */
export const DEMO_CRM_DEFAULT_COUNT = DEMO_CRM_SPECIAL_TASKS + 40;

const TOPICS: readonly (readonly [topic: string, location: string])[] = [
  ['Telefon do klienta w sprawie oferty', ''],
  ['Spotkanie handlowe — prezentacja nowej linii', 'Siedziba klienta'],
  ['Przygotować ofertę na przegląd roczny', ''],
  ['Negocjacje umowy serwisowej', 'Sala konferencyjna A'],
  ['Wizyta u klienta — odbiór zamówienia', 'ul. Długa 12, Kraków'],
  ['Przypomnienie o płatności', ''],
  ['Szkolenie produktowe dla działu sprzedaży', 'Biuro, sala 2'],
];
const NOTES: readonly string[] = ['', '', 'Zapytać o termin kolejnego przeglądu.', 'Klient prosi o kontakt po 14:00.\nPrzygotować cennik.'];
const CONTACT_PEOPLE: readonly string[] = ['Anna Kowalska', 'Piotr Nowak', 'Ewa Zielińska', ''];
/** CRM stages (DefEtapy, DEt_Typ 2) or none. */
const CRM_STAGES: readonly (number | null)[] = [null, null, 6, 7, 8, 9];

/** Owners: employees with a mailbox and the two operators 8:2 and 8:3. */
const OWNERS: readonly (readonly [type: 3 | 8, id: number])[] = [
  ...DEMO_EMPLOYEES.filter((e) => e.hdkEmail).map((e) => [3, e.id] as const),
  [8, 2], [8, 3],
];

/**
 * Writes `count` CRM rows around `wallNow` (Optima wall clock in UTC fields): first the hand-made
 * ones (at least those, whatever `count` says), then generated ones — mostly open tasks, about one
 * in five a contact, some closed, some cancelled, a few without a term, about one task in ten
 * recurring with 2–6 occurrences, most with one to three participants. Returns the number of CRM rows.
 */
export function insertDemoCrm(db: Database.Database, seed: number, wallNow: Date, count = DEMO_CRM_DEFAULT_COUNT): number {
  const writer = createDemoCrmWriter(db);
  insertDemoCrmSpecial(writer, wallNow);
  const random = createRandom(seed * 6113 + 29);
  const today = Math.floor(wallNow.getTime() / DAY) * DAY;
  let nextOccurrence = DEMO_CRM_SPECIAL_OCCURRENCES + 1;
  for (let id = DEMO_CRM_SPECIAL_TASKS + 1; id <= count; id++) {
    nextOccurrence = insertGeneratedTask(writer, random, { id, today, wallNow: wallNow.getTime(), nextOccurrence });
  }
  return Math.max(count, DEMO_CRM_SPECIAL_TASKS);
}

/** One generated task with its occurrences and participants; returns the next free occurrence id. */
function insertGeneratedTask(writer: DemoCrmWriter, random: () => number, ctx: { id: number; today: number; wallNow: number; nextOccurrence: number }): number {
  const { id, today } = ctx;
  const zadanie = random() < 0.8 ? 1 : 0;
  const [topic, location] = pickOne(random, TOPICS);
  const owner = pickOne(random, OWNERS);
  const start = today + pickInt(random, -10, 20) * DAY + pickInt(random, 16, 32) * 30 * MINUTE;
  const minutes = pickOne(random, [30, 60, 90, 120]);
  const roll = random();
  const bufor = roll < 0.1 ? -1 : roll < 0.3 ? 0 : 1;
  const noTerm = zadanie === 1 && random() < 0.05;
  const reminder = random() < 0.3;
  const withCustomer = random() < 0.85;
  const stage = pickOne(random, CRM_STAGES);
  const recurring = zadanie === 1 && !noTerm && random() < 0.1;
  const starts = recurring ? buildStarts(start, pickInt(random, 2, 6), pickOne(random, [1, 7, 14])) : [start];
  const stamp = formatWallDate(new Date(Math.min(start, ctx.wallNow) - pickInt(random, 1, 5) * DAY));
  writer.task(buildDemoCrmRow(id, {
    CRK_Zadanie: zadanie,
    CRK_Temat: topic,
    CRK_Opis: pickOne(random, NOTES),
    CRK_Lokalizacja: location,
    CRK_DataDok: formatWallDate(new Date(start - (start % DAY))),
    CRK_TerminOd: noTerm ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(start)),
    CRK_TerminDo: noTerm ? EMPTY_OPTIMA_DATE : formatWallDate(new Date(start + minutes * MINUTE)),
    CRK_OpiekunTyp: owner[0],
    CRK_OpiekunId: owner[1],
    CRK_Bufor: bufor,
    CRK_Anulowany: bufor === -1 ? 1 : 0,
    CRK_Priorytet: pickInt(random, 1, 4),
    CRK_Przypomnienie: reminder ? 1 : 0,
    CRK_CzasPrzypomnienia: reminder ? formatWallDate(new Date(start - 15 * MINUTE)) : EMPTY_OPTIMA_DATE,
    CRK_PodmiotTyp: withCustomer ? PODMIOT_KONTRAHENT : null,
    CRK_PodID: withCustomer ? pickCustomerId(id) : null,
    CRK_OsobaNazwisko: pickOne(random, CONTACT_PEOPLE),
    CRK_EtapRealizacji: stage,
    ...(recurring ? describeCycle(starts) : {}),
    CRK_TS_Mod: stamp,
  }));
  let next = ctx.nextOccurrence;
  if (recurring) {
    for (const at of starts) {
      // Occurrences of an open task that already took place are done; a closed or cancelled task's follow it.
      const occurrenceBufor = bufor === 1 ? (at + minutes * MINUTE < ctx.wallNow ? 0 : 1) : bufor;
      writer.occurrence({ id: next++, taskId: id, start: at, minutes, reminder: reminder ? 15 : null, bufor: occurrenceBufor });
    }
  }
  for (const [p, organizer] of pickParticipants(random, owner)) writer.participant(id, p, organizer);
  return next;
}

function buildStarts(first: number, count: number, stepDays: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i * stepDays * DAY);
}

/** None for about a third; else the owner as organizer (usually) and one or two others. */
function pickParticipants(random: () => number, owner: readonly [number, number]): (readonly [DemoParticipant, boolean])[] {
  if (random() < 0.35) return [];
  const chosen: (readonly [DemoParticipant, boolean])[] = [];
  const self = findStaffParticipant(owner[0], owner[1]);
  if (self && random() < 0.8) chosen.push([self, true]);
  const others = pickInt(random, 1, 2);
  for (let i = 0; i < others; i++) {
    const p = random() < 0.7 ? pickOne(random, DEMO_STAFF_PARTICIPANTS) : pickOne(random, DEMO_CONTACT_PARTICIPANTS);
    if (!chosen.some(([c]) => c.type === p.type && c.id === p.id && c.nazwisko === p.nazwisko)) chosen.push([p, false]);
  }
  return chosen;
}

// ── Writes, as Optima makes them ───────────────────────────────────────────────────────────

const CRM_COLUMNS = new Set(listDemoColumns('CRMKontakty'));

/** Updates columns of one CRM row and bumps CRK_TS_Mod, as saving the form in Optima does. False when there is no such row. */
export function updateCrmTask(db: Database.Database, id: number, patch: DemoCrmRow, options: DemoWriteOptions = {}): boolean {
  const values: DemoCrmRow = { CRK_TS_Mod: formatOptimaNow(options.now ?? new Date(), options.timeZone ?? DEMO_TIME_ZONE), ...patch };
  const columns = Object.keys(values).filter((c) => c !== 'CRK_CRKId');
  const unknown = columns.filter((c) => !CRM_COLUMNS.has(c));
  if (unknown.length > 0) throw new Error(`not a CDN.CRMKontakty column: ${unknown.join(', ')}`);
  return db.prepare(`UPDATE CRMKontakty SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE CRK_CRKId = @__id`).run({ ...values, __id: id }).changes > 0;
}

/** Cancels a task the way Optima does: CRK_Bufor = −1 and CRK_Anulowany = 1. */
export function cancelCrmTask(db: Database.Database, id: number, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_Bufor: -1, CRK_Anulowany: 1 }, options);
}

/** Closes (completes) a task: CRK_Bufor = 0. */
export function closeCrmTask(db: Database.Database, id: number, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_Bufor: 0 }, options);
}

/** Gives a task to another owner (3 = employee, 8 = operator). */
export function reassignCrmTask(db: Database.Database, id: number, person: PersonRef, options: DemoWriteOptions = {}): boolean {
  return updateCrmTask(db, id, { CRK_OpiekunTyp: person.type === 'pracownik' ? 3 : 8, CRK_OpiekunId: person.id }, options);
}

const OCCURRENCE_COLUMNS = new Set(listDemoColumns('CrmKontaktyCykl'));

/** Whether a child-row write also saves its task (bumps CRK_TS_Mod): default true. */
export type DemoCrmChildWriteOptions = DemoWriteOptions & { readonly touchTask?: boolean };

/** Bumps the task's stamp after a child-row write, unless told not to; false when there is no such task. */
function touchTask(db: Database.Database, taskId: number, options: DemoCrmChildWriteOptions): boolean {
  return options.touchTask === false || updateCrmTask(db, taskId, {}, options);
}

/**
 * Updates columns of one occurrence (CrmKontaktyCykl). Saved from the task's cycle window, so by
 * default the task's CRK_TS_Mod moves too; `touchTask: false` is an edit that leaves it alone
 * (the Terminarz, as far as is known [INF]). False when there is no such occurrence.
 */
export function updateCrmOccurrence(db: Database.Database, id: number, patch: DemoCrmRow, options: DemoCrmChildWriteOptions = {}): boolean {
  const columns = Object.keys(patch).filter((c) => c !== 'CRC_CRCId');
  const unknown = columns.filter((c) => !OCCURRENCE_COLUMNS.has(c));
  if (unknown.length > 0) throw new Error(`not a CDN.CrmKontaktyCykl column: ${unknown.join(', ')}`);
  const found = db.prepare('SELECT CRC_CRKId AS taskId FROM CrmKontaktyCykl WHERE CRC_CRCId = ?').get(id) as { taskId: number } | undefined;
  if (!found) return false;
  if (columns.length > 0) {
    db.prepare(`UPDATE CrmKontaktyCykl SET ${columns.map((c) => `"${c}" = @${c}`).join(', ')} WHERE CRC_CRCId = @__id`).run({ ...patch, __id: id });
  }
  return touchTask(db, found.taskId, options);
}

/** Deletes one occurrence (physically, as Optima does); by default the task's stamp moves. False when there is no such occurrence. */
export function deleteCrmOccurrence(db: Database.Database, id: number, options: DemoCrmChildWriteOptions = {}): boolean {
  const found = db.prepare('SELECT CRC_CRCId AS id, CRC_CRKId AS taskId FROM CrmKontaktyCykl WHERE CRC_CRCId = ?').get(id) as { id: number; taskId: number } | undefined;
  if (!found) return false;
  db.prepare('DELETE FROM CrmKontaktyCykl WHERE CRC_CRCId = ?').run(id);
  return touchTask(db, found.taskId, options);
}

/**
 * Adds a participant to a task (CrmUczestnicy) — an employee or operator by default of the demo's
 * staff, or anyone given by name and e-mail; by default the task's stamp moves. Returns the new CrU_CrUId.
 */
export function addCrmParticipant(
  db: Database.Database,
  taskId: number,
  participant: { readonly nazwisko: string; readonly email: string; readonly akronim?: string; readonly organizer?: boolean },
  options: DemoCrmChildWriteOptions = {},
): number {
  createDemoCrmWriter(db).participant(taskId, { type: 1, id: 0, akronim: participant.akronim ?? '', nazwisko: participant.nazwisko, email: participant.email }, participant.organizer === true);
  touchTask(db, taskId, options);
  return (db.prepare('SELECT MAX(CrU_CrUId) AS id FROM CrmUczestnicy').get() as { id: number }).id;
}
