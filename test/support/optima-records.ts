import Database from 'better-sqlite3';

/**
 * Service activities, CRM tasks, their occurrences and participants as Optima holds them in a demo company database (the columns a
 * user would look at), read with plain SQL so tests compare what the server shows with Optima itself.
 * Wall-clock columns come back as `YYYY-MM-DDTHH:mm:ss` (Optima's text without milliseconds).
 */

export interface OptimaActivity {
  readonly id: number;
  readonly name: string | null;
  readonly description: string | null;
  readonly done: boolean;
  readonly from: string;
  readonly to: string;
  readonly worker: { readonly type: 'pracownik' | 'operator'; readonly id: number } | null;
  readonly order: { readonly number: string; readonly phone: string | null; readonly customer: string };
}

export interface OptimaCrmTask {
  readonly id: number;
  readonly number: string;
  readonly task: boolean;
  readonly topic: string;
  readonly description: string | null;
  readonly location: string | null;
  readonly from: string;
  readonly to: string;
  readonly owner: { readonly type: 'pracownik' | 'operator'; readonly id: number } | null;
  readonly bufor: number;
  readonly priority: number;
  readonly contactPerson: string | null;
}

export function readOptimaActivities(companyDbPath: string): OptimaActivity[] {
  return readRows(companyDbPath, `SELECT y.SrY_SrYId AS id, y.SrY_TwrNazwa AS name, y.SrY_Opis AS description, y.SrY_Zakonczona AS done,
      y.SrY_TerminOd AS od, y.SrY_TerminDo AS "do", y.SrY_SerwisantTyp AS typ, y.SrY_SerwisantId AS kto,
      z.SrZ_NumerPelny AS orderNumber, z.SrZ_Telefon AS phone, z.SrZ_PodNazwa1 AS n1, z.SrZ_PodNazwa2 AS n2, z.SrZ_PodNazwa3 AS n3
    FROM SrsCzynnosci y JOIN SrsZlecenia z ON z.SrZ_SrZId = y.SrY_SrZId ORDER BY y.SrY_SrYId`).map((r) => ({
    id: Number(r.id), name: blankToNull(r.name), description: blankToNull(r.description), done: Number(r.done) === 1,
    from: toWallClock(r.od), to: toWallClock(r.do), worker: toPerson(r.typ, r.kto),
    // Optima keeps a customer's name in up to three lines; it reads as one, space-separated.
    order: { number: String(r.orderNumber), phone: blankToNull(r.phone), customer: [r.n1, r.n2, r.n3].map(blankToNull).filter((n) => n !== null).join(' ') },
  }));
}

export function readOptimaCrmTasks(companyDbPath: string): OptimaCrmTask[] {
  return readRows(companyDbPath, `SELECT CRK_CRKId AS id, CRK_NumerPelny AS number, CRK_Zadanie AS zadanie, CRK_Temat AS topic, CRK_Opis AS description,
      CRK_Lokalizacja AS location, CRK_TerminOd AS od, CRK_TerminDo AS "do", CRK_OpiekunTyp AS typ, CRK_OpiekunId AS kto,
      CRK_Bufor AS bufor, CRK_Priorytet AS priority, CRK_OsobaNazwisko AS person
    FROM CRMKontakty ORDER BY CRK_CRKId`).map((r) => ({
    id: Number(r.id), number: String(r.number), task: Number(r.zadanie) === 1, topic: String(r.topic),
    description: blankToNull(r.description), location: blankToNull(r.location), from: toWallClock(r.od), to: toWallClock(r.do),
    owner: toPerson(r.typ, r.kto), bufor: Number(r.bufor), priority: Number(r.priority), contactPerson: blankToNull(r.person),
  }));
}

/** One materialized occurrence of a recurring CRM task (CDN.CrmKontaktyCykl). */
export interface OptimaCrmOccurrence {
  readonly id: number;
  readonly taskId: number;
  readonly from: string;
  readonly to: string;
}

/** One participant of a CRM task (CDN.CrmUczestnicy). */
export interface OptimaCrmParticipant {
  readonly taskId: number;
  readonly name: string | null;
  readonly acronym: string | null;
  readonly email: string | null;
  readonly organizer: boolean;
}

export function readOptimaCrmOccurrences(companyDbPath: string): OptimaCrmOccurrence[] {
  return readRows(companyDbPath, `SELECT CRC_CRCId AS id, CRC_CRKId AS taskId, CRC_TerminOd AS od, CRC_TerminDo AS "do"
    FROM CrmKontaktyCykl ORDER BY CRC_CRCId`).map((r) => ({ id: Number(r.id), taskId: Number(r.taskId), from: toWallClock(r.od), to: toWallClock(r.do) }));
}

export function readOptimaCrmParticipants(companyDbPath: string): OptimaCrmParticipant[] {
  return readRows(companyDbPath, `SELECT CrU_CrKId AS taskId, CrU_Nazwisko AS name, CrU_Akronim AS acronym, CrU_Email AS email, CrU_Organizator AS organizer
    FROM CrmUczestnicy ORDER BY CrU_CrUId`).map((r) => ({
    taskId: Number(r.taskId), name: blankToNull(r.name), acronym: blankToNull(r.acronym), email: blankToNull(r.email), organizer: Number(r.organizer) === 1,
  }));
}

function readRows(companyDbPath: string, sql: string): Record<string, unknown>[] {
  const db = new Database(companyDbPath, { readonly: true });
  try {
    return db.prepare(sql).all() as Record<string, unknown>[];
  } finally {
    db.close();
  }
}

function toPerson(typ: unknown, kto: unknown): OptimaActivity['worker'] {
  if (typ === 3) return { type: 'pracownik', id: Number(kto) };
  if (typ === 8) return { type: 'operator', id: Number(kto) };
  return null;
}

function toWallClock(value: unknown): string {
  return String(value).slice(0, 19).replace(' ', 'T');
}

function blankToNull(value: unknown): string | null {
  return value === null || value === undefined || String(value).trim() === '' ? null : String(value);
}
