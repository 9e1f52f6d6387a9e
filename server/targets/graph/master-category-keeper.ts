import type { Logger } from '../../domain/logger.ts';
import { toTargetError } from '../describe-target-error.ts';
import { planMasterCategories, readCategoryColors, selectUnsettled } from '../plan-master-categories.ts';
import type { MasterCategory, WantedCategory } from '../plan-master-categories.ts';
import { readGraphMessage } from './graph-reply.ts';
import type { GraphReply, GraphSender } from './graph-sender.ts';

/** Ensures coloured categories in a mailbox's master list before events carrying them are written. */
export interface MasterCategoryKeeper {
  /** Never throws: a failure is logged (one warning per mailbox) and the event goes out uncoloured. */
  ensure(mailbox: string, categories: readonly string[]): Promise<void>;
}

/** After a failure, the same categories are tried again no sooner than this (a permission granted meanwhile then takes effect). */
const RETRY_AFTER_FAILURE_MS = 60 * 60 * 1000;

/** The permission the master category list needs (reference/graph-calendar.md §2, `categories`). */
export const MAILBOX_SETTINGS_PERMISSION = 'MailboxSettings.ReadWrite';

interface MailboxState {
  /** Lower-case name → colour ensured in this process. */
  readonly ensured: Map<string, string>;
  /** Lower-case name → colour that failed, and when. */
  readonly failed: Map<string, { readonly color: string; readonly at: number }>;
  /** The pass in flight and the categories it handles. */
  running: { readonly names: ReadonlySet<string>; readonly done: Promise<void> } | null;
  /** The next pass, still taking categories: writes that arrive together share one pass. */
  gathering: { readonly wanted: Map<string, WantedCategory>; readonly done: Promise<void> } | null;
  warned: boolean;
}

/**
 * Keeps `/users/{mailbox}/outlook/masterCategories` in step with `categoryColors`, once per
 * mailbox and category per process: the first write carrying a coloured category lists the
 * master categories (one GET), adds what is missing (POST) and recolours what differs (PATCH).
 * A later write with a category (or colour) not yet ensured does it again for that one only.
 * Plain requests through the sender (its retries, throttling and request count), never `$batch`.
 *
 * The list needs `MailboxSettings.ReadWrite`, which a site may not grant: then the events are
 * still written with their category names (Outlook shows them uncoloured), and one warning per
 * mailbox says which permission to grant.
 */
export function createMasterCategoryKeeper(sender: GraphSender, logger: Logger, categoryColors: ReadonlyMap<string, string>): MasterCategoryKeeper {
  const wanted = readCategoryColors(categoryColors);
  const states = new Map<string, MailboxState>();

  function stateOf(mailbox: string): MailboxState {
    const key = mailbox.toLowerCase();
    let state = states.get(key);
    if (!state) {
      state = { ensured: new Map(), failed: new Map(), running: null, gathering: null, warned: false };
      states.set(key, state);
    }
    return state;
  }

  /** Ensured colours plus recent failures: neither is asked for again now. */
  function settledOf(state: MailboxState): Map<string, string> {
    const settled = new Map(state.ensured);
    const now = Date.now();
    for (const [name, failure] of state.failed) {
      if (now - failure.at < RETRY_AFTER_FAILURE_MS && !settled.has(name)) settled.set(name, failure.color);
    }
    return settled;
  }

  async function run(mailbox: string, state: MailboxState, missing: readonly WantedCategory[]): Promise<void> {
    try {
      const outcome = await syncCategories(sender, mailbox, missing);
      if (outcome.denied) return noteFailure(mailbox, state, missing, outcome.denied);
      for (const c of missing) {
        state.ensured.set(c.displayName.toLowerCase(), c.color);
        state.failed.delete(c.displayName.toLowerCase());
      }
    } catch (err) {
      const error = toTargetError(err);
      noteFailure(mailbox, state, missing, { status: error.status, code: error.code, detail: error.message, requestId: error.requestId });
    }
  }

  function noteFailure(mailbox: string, state: MailboxState, missing: readonly WantedCategory[], failure: CategoryFailure): void {
    const at = Date.now();
    for (const c of missing) state.failed.set(c.displayName.toLowerCase(), { color: c.color, at });
    const level = state.warned ? 'debug' : 'warn';
    state.warned = true;
    logger.log({
      level,
      message: failure.permission ? permissionMessage(mailbox) : `Nie udało się ustawić kolorów kategorii w skrzynce ${mailbox}: ${failure.detail} Zdarzenia są zapisywane z nazwami kategorii, bez kolorów; następna próba za godzinę.`,
      mailbox,
      requestId: failure.requestId ?? undefined,
      data: {
        status: failure.status,
        code: failure.code,
        categories: missing.map((c) => c.displayName),
        ...(failure.permission ? { permission: MAILBOX_SETTINGS_PERMISSION } : {}),
      },
    });
  }

  /**
   * Opens the next pass: it starts once the pass in flight (if any) is over and the writes queued
   * in the same turn of the event loop have added their categories, so they cost one GET together.
   */
  function openPass(mailbox: string, state: MailboxState): NonNullable<MailboxState['gathering']> {
    const wantedNow = new Map<string, WantedCategory>();
    const previous = state.running?.done ?? Promise.resolve();
    const done = (async () => {
      await previous;
      await new Promise<void>((resolve) => setImmediate(resolve));
      state.gathering = null;
      // What the previous pass settled meanwhile is not asked for again.
      const missing = selectUnsettled(wanted, settledOf(state), [...wantedNow.values()].map((c) => c.displayName));
      if (missing.length === 0) return;
      const pass = { names: new Set(missing.map((c) => c.displayName.toLowerCase())), done: run(mailbox, state, missing) };
      state.running = pass;
      await pass.done;
      if (state.running === pass) state.running = null;
    })();
    const gathering = { wanted: wantedNow, done };
    state.gathering = gathering;
    return gathering;
  }

  return {
    async ensure(mailbox, categories) {
      if (wanted.size === 0 || categories.length === 0) return;
      const state = stateOf(mailbox);
      for (;;) {
        const missing = selectUnsettled(wanted, settledOf(state), categories);
        if (missing.length === 0) return;
        const running = state.running;
        const notInFlight = running ? missing.filter((c) => !running.names.has(c.displayName.toLowerCase())) : missing;
        if (notInFlight.length === 0 && running) {
          await running.done;
          continue;
        }
        const gathering = state.gathering ?? openPass(mailbox, state);
        for (const c of notInFlight) gathering.wanted.set(c.displayName.toLowerCase(), c);
        await gathering.done;
      }
    },
  };
}

interface CategoryFailure {
  readonly status: number | null;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | null;
  /** The application lacks MailboxSettings.ReadWrite (403 other than "mailbox outside the access scope"). */
  readonly permission?: boolean;
}

function permissionMessage(mailbox: string): string {
  return (
    `Kategorie w skrzynce ${mailbox} nie dostaną kolorów: aplikacja nie ma uprawnienia ${MAILBOX_SETTINGS_PERMISSION} (lista kategorii głównych Outlooka). ` +
    `Nadaj w Entra ID uprawnienie aplikacyjne ${MAILBOX_SETTINGS_PERMISSION} ze zgodą administratora (albo rolę „Application MailboxSettings.ReadWrite” w RBAC for Applications), ` +
    `a przy logowaniu delegowanym zakres ${MAILBOX_SETTINGS_PERMISSION}. Do tego czasu zdarzenia są zapisywane z nazwami kategorii, bez kolorów.`
  );
}

/**
 * One pass over the mailbox's list: GET, then POST the missing and PATCH the miscoloured ones.
 * A 409 on POST (added meanwhile, by another run or a person in Outlook) lists again and recolours.
 * A 403 on the list is returned as `denied` rather than thrown (the caller words it).
 */
async function syncCategories(sender: GraphSender, mailbox: string, missing: readonly WantedCategory[]): Promise<{ denied: CategoryFailure | null }> {
  const base = `/users/${encodeURIComponent(mailbox)}/outlook/masterCategories`;
  const listed = await listMasterCategories(sender, mailbox, base);
  if ('denied' in listed) return listed;
  const plan = planMasterCategories(listed.categories, missing);
  let conflicted = false;
  await Promise.all([
    ...plan.create.map(async (c) => {
      const reply = await sender.send(mailbox, { method: 'POST', path: base, body: { displayName: c.displayName, color: c.color }, accept: (r) => r.status === 409 });
      if (reply.status === 409) conflicted = true;
    }),
    ...plan.recolor.map((c) => recolor(sender, mailbox, base, c)),
  ]);
  if (!conflicted) return { denied: null };
  const again = await listMasterCategories(sender, mailbox, base);
  if ('denied' in again) return again;
  await Promise.all(planMasterCategories(again.categories, missing).recolor.map((c) => recolor(sender, mailbox, base, c)));
  return { denied: null };
}

async function recolor(sender: GraphSender, mailbox: string, base: string, category: MasterCategory): Promise<void> {
  await sender.send(mailbox, { method: 'PATCH', path: `${base}/${encodeURIComponent(category.id)}`, body: { color: category.color } });
}

async function listMasterCategories(
  sender: GraphSender,
  mailbox: string,
  base: string,
): Promise<{ readonly categories: readonly MasterCategory[] } | { readonly denied: CategoryFailure }> {
  const categories: MasterCategory[] = [];
  let reply = await sender.send(mailbox, { method: 'GET', path: base, accept: (r) => r.status === 403 });
  for (;;) {
    if (reply.status === 403) return { denied: deniedFailure(reply) };
    const value = reply.json?.value;
    if (!Array.isArray(value)) throw new Error('Microsoft Graph zwrócił listę kategorii bez pola „value”.');
    for (const item of value as Record<string, unknown>[]) {
      if (typeof item?.id === 'string' && typeof item.displayName === 'string') {
        categories.push({ id: item.id, displayName: item.displayName, color: typeof item.color === 'string' ? item.color : 'none' });
      }
    }
    const next = reply.json?.['@odata.nextLink'];
    if (typeof next !== 'string' || next === '') return { categories };
    reply = await sender.send(mailbox, { method: 'GET', path: next, accept: (r) => r.status === 403 });
  }
}

function deniedFailure(reply: GraphReply): CategoryFailure {
  const graphMessage = readGraphMessage(reply);
  // "Access to OData is disabled" = the whole mailbox is outside the app's scope: the event writes
  // fail too and say so; here it is not a missing MailboxSettings permission.
  const outsideScope = /Access to OData is disabled/i.test(graphMessage);
  return {
    status: reply.status,
    code: reply.code,
    detail: outsideScope ? 'skrzynka jest poza zakresem dostępu aplikacji.' : graphMessage,
    requestId: reply.requestId,
    permission: !outsideScope,
  };
}
