import type Database from 'better-sqlite3';
import type { Logger } from '../domain/logger.ts';
import type { OptimaDemoPerson } from './optima-db.ts';
import { createRandom, pickInt, pickOne, ORDER_DESCRIPTIONS } from './optima-demo-data.ts';
import { deleteOrder, insertOrder, reassignOrder, updateOrder } from './optima-demo-writes.ts';
import { describeError } from '../domain/describe-error.ts';
import { cancelCrmTask, closeCrmTask, updateCrmTask } from './optima-demo-crm.ts';

/** One thing the simulator did in Optima, for the demo page. */
export interface FeedEntry {
  readonly at: string;
  readonly text: string;
}

export interface Simulator {
  /** Newest first, at most 30. */
  feed(): readonly FeedEntry[];
  /** One change now (tests and the first seconds of the demo). */
  step(): FeedEntry;
  stop(): void;
}

/**
 * The demo's stand-in for people working in Optima: every few seconds it edits, adds, deletes or
 * reassigns a service order, or moves, renames, closes or cancels a CRM task, stamping TS_Mod as
 * Optima does, so the sync has work to show.
 */
export function startSimulator(options: {
  readonly db: Database.Database;
  readonly people: readonly OptimaDemoPerson[];
  readonly everyMs: number;
  readonly logger: Logger;
  readonly seed?: number;
}): Simulator {
  const random = createRandom(options.seed ?? Date.now() % 100_000);
  const feed: FeedEntry[] = [];
  const orderIds = () => (options.db.prepare('SELECT SrZ_SrZId AS id FROM SrsZlecenia WHERE SrZ_Bufor >= 0').all() as { id: number }[]).map((r) => r.id);
  const numberOf = (id: number) => (options.db.prepare('SELECT SrZ_NumerPelny AS n FROM SrsZlecenia WHERE SrZ_SrZId = ?').get(id) as { n: string } | undefined)?.n ?? `#${id}`;

  const crmStep = (): string | null => {
    const tasks = options.db.prepare(`SELECT CRK_CRKId AS id, COALESCE(CRK_NumerPelny, '') AS numer, COALESCE(CRK_Temat, '') AS temat
      FROM CRMKontakty WHERE CRK_Zadanie = 1 AND CRK_Bufor > 0 AND CRK_Anulowany = 0`).all() as { id: number; numer: string; temat: string }[];
    if (tasks.length === 0) return null;
    const task = pickOne(random, tasks);
    const label = task.numer || `#${task.id}`;
    const roll = random();
    if (roll < 0.4) {
      const row = options.db.prepare('SELECT CRK_TerminOd AS od, CRK_TerminDo AS do FROM CRMKontakty WHERE CRK_CRKId = ?').get(task.id) as { od: string | null; do: string | null };
      if (!row.od || row.od.startsWith('1899')) return null;
      const hours = pickInt(random, 1, 24);
      const shift = (text: string | null) => text && !text.startsWith('1899') ? new Date(Date.parse(text.replace(' ', 'T') + 'Z') + hours * 3_600_000).toISOString().replace('T', ' ').replace('Z', '') : text;
      updateCrmTask(options.db, task.id, { CRK_TerminOd: shift(row.od), CRK_TerminDo: shift(row.do) });
      return `CRM: przesunięto zadanie ${label} o ${hours} godz.`;
    }
    if (roll < 0.7) {
      const topic = pickOne(random, CRM_TOPICS);
      updateCrmTask(options.db, task.id, { CRK_Temat: topic });
      return `CRM: nowy temat zadania ${label}: „${topic}”`;
    }
    if (roll < 0.9) {
      closeCrmTask(options.db, task.id);
      return `CRM: zamknięto zadanie ${label} („${task.temat}”)`;
    }
    cancelCrmTask(options.db, task.id);
    return `CRM: anulowano zadanie ${label} („${task.temat}”)`;
  };

  const step = (): FeedEntry => {
    const ids = orderIds();
    const roll = random();
    let text: string;
    const crm = roll >= 0.75 ? crmStep() : null;
    if (crm !== null) {
      text = crm;
    } else if (ids.length === 0 || roll < 0.15) {
      const id = insertOrder(options.db);
      text = `Nowe zlecenie ${numberOf(id)}`;
    } else {
      const id = pickOne(random, ids);
      const number = numberOf(id);
      if (roll < 0.45) {
        const description = pickOne(random, ORDER_DESCRIPTIONS);
        updateOrder(options.db, id, { SrZ_Opis: description });
        text = `Zmieniono opis ${number}: „${description}”`;
      } else if (roll < 0.55) {
        const row = options.db.prepare('SELECT SrZ_DataRealizacji AS d FROM SrsZlecenia WHERE SrZ_SrZId = ?').get(id) as { d: string | null };
        const hours = pickInt(random, 1, 48);
        const base = row.d && !row.d.startsWith('1899') ? Date.parse(row.d.replace(' ', 'T') + 'Z') : Date.now();
        const moved = new Date(base + hours * 3_600_000).toISOString().replace('T', ' ').replace('Z', '');
        updateOrder(options.db, id, { SrZ_DataRealizacji: moved });
        text = `Przesunięto termin ${number} o ${hours} godz.`;
      } else if (roll < 0.68) {
        const person = pickOne(random, options.people);
        reassignOrder(options.db, id, { type: person.type, id: person.id });
        text = `Przekazano ${number} osobie: ${person.name}`;
      } else {
        deleteOrder(options.db, id);
        text = `Usunięto zlecenie ${number}`;
      }
    }
    const entry = { at: new Date().toISOString(), text };
    feed.unshift(entry);
    feed.length = Math.min(feed.length, 30);
    return entry;
  };

  const timer = setInterval(() => {
    try {
      step();
    } catch (err) {
      options.logger.log({ level: 'warn', message: `Symulator demo: ${describeError(err)}` });
    }
  }, options.everyMs);
  timer.unref();
  return { feed: () => feed, step, stop: () => clearInterval(timer) };
}

const CRM_TOPICS: readonly string[] = [
  'Telefon w sprawie oferty serwisowej', 'Spotkanie: przedłużenie umowy', 'Przypomnienie o przeglądzie rocznym',
  'Prezentacja nowych urządzeń', 'Negocjacja rabatu na części', 'Wizyta u klienta — zebranie wymagań',
];
