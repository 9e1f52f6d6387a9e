import type { RecordKind, SourceRow } from '../domain/types.ts';
import type { Logger } from '../domain/logger.ts';
import type { SourceReader } from '../source/source-reader.ts';
import type { TemplateStore } from '../state/template-store.ts';
import type { ExtraQuery } from '../sync/collect-changes.ts';
import type { PreviewResponse, SaveTemplatesResponse, TemplateProblem, TemplatesResponse, TemplateTexts } from '../../shared/addin-api.ts';
import { extraQueryParams } from '../sync/collect-changes.ts';
import { describeError } from '../domain/describe-error.ts';
import { renderEvent, type RenderContext } from './render-event.ts';
import { compileTemplates, readTemplateError, TEMPLATE_PARTS } from './templates.ts';
import type { CompiledKindTemplates, CompiledTemplates, KindTemplates, TemplateError, TemplatePart, TemplateSet } from './templates.ts';

/**
 * The templates in force and the admin's way to change them (add-in Settings): the newest saved
 * version per kind (state.db) over the configuration's/built-in ones, a preview of a real record
 * with draft texts, save (compiled first: a broken draft is refused with part and line, nothing
 * saved) and revert (an old version saved again as the newest). A save swaps the compiled set at
 * once; the runtime derives its sync settings (and the render fingerprint, so the next run is a
 * full pass) from `current()`.
 */
export interface TemplateService {
  /** The set in force now; a new object after every save or revert. */
  current(): ActiveTemplates;
  isKnownKind(kind: string): kind is RecordKind;
  getTemplates(): TemplatesResponse;
  /** Renders `row` with draft `texts` (nothing saved, nothing changed). */
  preview(kind: string, texts: TemplateTexts, row: SourceRow, extra?: Readonly<Record<string, unknown>>): PreviewOutcome;
  save(kind: string, texts: TemplateTexts, savedBy: string): SaveOutcome;
  revert(kind: string, version: number, by: string): SaveOutcome;
}

export interface ActiveTemplates {
  readonly set: TemplateSet;
  readonly compiled: CompiledTemplates;
  /** Saved version in force per kind; a kind missing here runs on the configuration/defaults. */
  readonly versions: Readonly<Partial<Record<RecordKind, number>>>;
}

/** A request the service cannot act on (unknown kind or version, a record that cannot be shown). */
export interface TemplateRefusal {
  readonly ok: false;
  readonly refused: { readonly code: 'not_found' | 'bad_request'; readonly message: string; readonly messageEn: string };
}

export type PreviewOutcome = PreviewResponse | TemplateRefusal;
export type SaveOutcome = SaveTemplatesResponse | TemplateRefusal;

export interface TemplateServiceOptions {
  readonly store: TemplateStore;
  /** Kinds that can have templates (the synced ones). */
  readonly kinds: readonly RecordKind[];
  /** Configuration over built-in defaults: what a kind uses while nothing is saved. */
  readonly base: TemplateSet;
  /** Zone, default duration and reminder the sync renders with (for previews). */
  readonly render: Omit<RenderContext, 'compiled' | 'extra'>;
  readonly now: () => Date;
  readonly logger?: Logger;
}

export type CreateTemplateServiceResult =
  | { readonly ok: true; readonly service: TemplateService }
  | { readonly ok: false; readonly errors: readonly TemplateError[] };

/** Longest text accepted for one template part (an Outlook body is far smaller in practice). */
export const MAX_TEMPLATE_LENGTH = 100_000;

/** Mailbox used to render a preview: the content does not depend on whose calendar it is. */
const PREVIEW_MAILBOX = 'podglad@podglad.invalid';

/**
 * Builds the service over the saved versions. A saved version that no longer compiles (e.g. a
 * helper it used is gone after an upgrade) is set aside with a warning and the kind runs on its
 * configured templates; broken configured templates are returned as errors, as before.
 */
export function createTemplateService(options: TemplateServiceOptions): CreateTemplateServiceResult {
  const set: Partial<Record<RecordKind, KindTemplates>> = { ...options.base };
  const versions: Partial<Record<RecordKind, number>> = {};
  for (const kind of options.kinds) {
    const saved = options.store.getLatest(kind);
    if (!saved) continue;
    const problems = compileKind(kind, saved.texts);
    if (problems.length > 0) {
      options.logger?.log({
        level: 'warn',
        message: `Zapisane szablony „${kind}” (wersja ${saved.version}) nie kompilują się: ${problems.map(describeProblem).join('; ')} — używam szablonów z konfiguracji; popraw je w ustawieniach dodatku.`,
      });
      continue;
    }
    set[kind] = saved.texts;
    versions[kind] = saved.version;
  }
  const compiled = compileTemplates(set);
  if (!compiled.ok) return { ok: false, errors: compiled.errors };
  let active: ActiveTemplates = { set, compiled: compiled.compiled, versions };

  const isKnownKind = (kind: string): kind is RecordKind => (options.kinds as readonly string[]).includes(kind);

  const save = (kind: string, texts: TemplateTexts, savedBy: string): SaveOutcome => {
    if (!isKnownKind(kind)) return unknownKind(kind, options.kinds);
    const problems = checkTexts(texts);
    if (problems.length > 0) return { ok: false, problems };
    const kindProblems = compileKind(kind, texts);
    if (kindProblems.length > 0) return { ok: false, problems: kindProblems };
    const nextSet = { ...active.set, [kind]: pickTexts(texts) };
    const nextCompiled = compileTemplates(nextSet);
    if (!nextCompiled.ok) return { ok: false, problems: nextCompiled.errors.map(toProblem) };
    const saved = options.store.saveVersion({ kind, texts: pickTexts(texts), savedBy: savedBy.trim().toLowerCase(), savedAt: options.now().toISOString() });
    active = { set: nextSet, compiled: nextCompiled.compiled, versions: { ...active.versions, [kind]: saved.version } };
    options.logger?.log({
      level: 'info', action: 'templates-saved', data: { kind, version: saved.version },
      message: `Zapisano szablony „${kind}” jako wersję ${saved.version} (${saved.savedBy}) — następny przebieg zaktualizuje wydarzenia.`,
    });
    return { ok: true, version: saved.version };
  };

  return {
    ok: true,
    service: {
      current: () => active,
      isKnownKind,
      getTemplates: () => {
        const kinds: Record<string, TemplatesResponse['kinds'][string]> = {};
        for (const kind of options.kinds) {
          const texts = active.set[kind];
          if (!texts) continue;
          const version = active.versions[kind] ?? null;
          kinds[kind] = { texts: pickTexts(texts), isDefault: version === null, version };
        }
        const history = options.store.listVersions().filter((v) => isKnownKind(v.kind));
        return { kinds, history };
      },
      preview: (kind, texts, row, extra) => {
        if (!isKnownKind(kind)) return unknownKind(kind, options.kinds);
        if (row.kind !== kind) {
          return refuse('bad_request', `Rekord ${row.key} nie jest rodzaju „${kind}” — wybierz rekord tego rodzaju do podglądu.`, `Record ${row.key} is not of kind "${kind}" — pick a record of that kind for the preview.`);
        }
        const problems = checkTexts(texts);
        if (problems.length > 0) return { ok: false, problems };
        const compiled = compileTemplates({ [kind]: pickTexts(texts) });
        if (!compiled.ok) return { ok: false, problems: compiled.errors.map(toProblem) };
        return renderPreview(row, compiled.compiled.kinds[kind] as CompiledKindTemplates, { ...options.render, extra });
      },
      save,
      revert: (kind, version, by) => {
        if (!isKnownKind(kind)) return unknownKind(kind, options.kinds);
        const old = options.store.getVersion(kind, version);
        if (!old) {
          return refuse('not_found', `Nie ma wersji ${version} szablonów „${kind}” — wybierz wersję z historii.`, `There is no version ${version} of the "${kind}" templates — pick a version from the history.`);
        }
        return save(kind, old.texts, by);
      },
    },
  };
}

/**
 * Renders one row exactly as the sync would, with the draft templates. Each part is wrapped so a
 * failure while rendering (a helper given a value it cannot take) is reported at its part and line.
 */
function renderPreview(row: SourceRow, templates: CompiledKindTemplates, ctx: Omit<RenderContext, 'compiled'>): PreviewOutcome {
  const seen: { failure: TemplateProblem | null } = { failure: null };
  const wrap = (part: TemplatePart) => (context: unknown): string => {
    try {
      return templates[part](context);
    } catch (e) {
      seen.failure = toProblem(readTemplateError(`${row.kind}.${part}`, e));
      throw e;
    }
  };
  const wrapped: CompiledKindTemplates = { subject: wrap('subject'), body: wrap('body'), location: wrap('location') };
  const result = renderEvent(row, PREVIEW_MAILBOX, { ...ctx, compiled: { kinds: { [row.kind]: wrapped } } });
  if ('desired' in result) {
    const e = result.desired.event;
    return { ok: true, event: { subject: e.subject, bodyHtml: e.bodyHtml, location: e.location, start: e.start, end: e.end, timeZone: e.timeZone } };
  }
  if (seen.failure !== null) return { ok: false, problems: [seen.failure] };
  // No date (or an impossible one): the record never becomes an event, whatever the templates say.
  return refuse('bad_request', `${result.skip.detail} Wybierz inny rekord do podglądu.`, `This record cannot become a calendar event (${result.skip.reason}) — pick another record for the preview.`);
}

/** Compiles one kind's draft alone; its problems name the part and line. */
function compileKind(kind: RecordKind, texts: TemplateTexts): TemplateProblem[] {
  const compiled = compileTemplates({ [kind]: pickTexts(texts) });
  return compiled.ok ? [] : compiled.errors.map(toProblem);
}

/** Problems a compiler would not report: a part that is not text, or absurdly long. */
function checkTexts(texts: TemplateTexts): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const part of TEMPLATE_PARTS) {
    const text: unknown = (texts as unknown as Record<string, unknown>)[part];
    if (typeof text !== 'string') problems.push({ part, line: null, message: 'Brak szablonu (oczekiwano tekstu) — wpisz szablon albo zostaw puste pole.' });
    else if (text.length > MAX_TEMPLATE_LENGTH) problems.push({ part, line: null, message: `Szablon ma ${text.length} znaków, a można najwyżej ${MAX_TEMPLATE_LENGTH} — skróć go.` });
  }
  return problems;
}

/** Only the three parts, so nothing else a client sent is ever stored or compiled. */
function pickTexts(texts: TemplateTexts): TemplateTexts {
  return { subject: texts.subject, body: texts.body, location: texts.location };
}

/** `serwis:zlecenie.body` → part `body`. */
function toProblem(error: TemplateError): TemplateProblem {
  const part = error.template.slice(error.template.lastIndexOf('.') + 1);
  return { part: (TEMPLATE_PARTS as readonly string[]).includes(part) ? part as TemplatePart : 'body', line: error.line, message: error.message };
}

function describeProblem(p: TemplateProblem): string {
  return p.line === null ? `${p.part}: ${p.message}` : `${p.part}, linia ${p.line}: ${p.message}`;
}

function refuse(code: TemplateRefusal['refused']['code'], message: string, messageEn: string): TemplateRefusal {
  return { ok: false, refused: { code, message, messageEn } };
}

function unknownKind(kind: string, kinds: readonly RecordKind[]): TemplateRefusal {
  return refuse('not_found', `Nie ma szablonów dla rodzaju „${kind}” (są: ${kinds.join(', ')}).`, `There are no templates for kind "${kind}" (there are: ${kinds.join(', ')}).`);
}

/**
 * Results of the admin's extra queries for one row, as the sync gives them to templates
 * ({{dodatkowe.<name>}}). A failing query is shown to the template as its error sentence, so the
 * preview still renders and the admin sees what is wrong.
 */
export async function readExtraForPreview(reader: SourceReader, queries: readonly ExtraQuery[], row: SourceRow): Promise<Record<string, unknown>> {
  const extra: Record<string, unknown> = {};
  for (const q of queries) {
    try {
      extra[q.name] = await reader.runExtraQuery(q.sql, extraQueryParams(row, q));
    } catch (err) {
      extra[q.name] = `Zapytanie dodatkowe „${q.name}” nie powiodło się: ${describeError(err)}`;
    }
  }
  return extra;
}
