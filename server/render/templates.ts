import Handlebars from 'handlebars';
import type { RecordKind } from '../domain/types.ts';
import { registerHelpers } from './helpers.ts';
import type { HandlebarsEnvironment } from './helpers.ts';

/**
 * Event templates per kind of record: `subject` and `location` are plain text (compiled without
 * HTML escaping, cleaned of control characters later), `body` is an HTML fragment with every
 * value escaped. Each compile gets its own Handlebars environment, so helpers or a broken set
 * never leak between template sets (the admin's live preview compiles drafts next to the live set).
 */

export interface KindTemplates {
  readonly subject: string;
  readonly body: string;
  readonly location: string;
}

export type TemplatePart = keyof KindTemplates;

export const TEMPLATE_PARTS: readonly TemplatePart[] = ['subject', 'body', 'location'];

/** Templates by record kind; a kind without templates cannot be rendered. */
export type TemplateSet = Readonly<Partial<Record<RecordKind, KindTemplates>>>;

export type RenderTemplate = (context: unknown) => string;

export interface CompiledKindTemplates {
  readonly subject: RenderTemplate;
  readonly body: RenderTemplate;
  readonly location: RenderTemplate;
}

export interface CompiledTemplates {
  readonly kinds: Readonly<Partial<Record<RecordKind, CompiledKindTemplates>>>;
}

/** A template problem: which template (`serwis:zlecenie.subject`), which line (1-based), what. */
export interface TemplateError {
  readonly template: string;
  readonly line: number | null;
  readonly message: string;
}

export type CompileTemplatesResult =
  | { readonly ok: true; readonly compiled: CompiledTemplates }
  | { readonly ok: false; readonly errors: readonly TemplateError[] };

/** Compiles every template of the set; a broken one is reported with its name and line. */
export function compileTemplates(set: TemplateSet): CompileTemplatesResult {
  const hb = Handlebars.create();
  registerHelpers(hb);
  const errors: TemplateError[] = [];
  const kinds: Partial<Record<RecordKind, CompiledKindTemplates>> = {};
  for (const [kind, templates] of Object.entries(set) as [RecordKind, KindTemplates | undefined][]) {
    if (templates === undefined) continue;
    const compiled: Partial<Record<TemplatePart, RenderTemplate>> = {};
    for (const part of TEMPLATE_PARTS) {
      const name = `${kind}.${part}`;
      const source: unknown = templates[part];
      if (typeof source !== 'string') {
        errors.push({ template: name, line: null, message: 'Brak szablonu (oczekiwano tekstu)' });
        continue;
      }
      const result = compileOne(hb, name, source, part !== 'body');
      if ('errors' in result) errors.push(...result.errors);
      else compiled[part] = result.render;
    }
    if (compiled.subject && compiled.body && compiled.location) {
      kinds[kind] = { subject: compiled.subject, body: compiled.body, location: compiled.location };
    }
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, compiled: { kinds } };
}

/** One operator sentence for a template problem, naming the template, the line and the fix. */
export function describeTemplateError(error: TemplateError): string {
  const where = error.line === null ? error.template : `${error.template}, linia ${error.line}`;
  return `Błąd w szablonie ${where}: ${error.message} — popraw szablon w ustawieniach szablonów.`;
}

/** Turns anything a template threw (at compile or render time) into a TemplateError. */
export function readTemplateError(template: string, thrown: unknown): TemplateError {
  const raw = thrown instanceof Error ? thrown.message : String(thrown);
  const withLine = thrown as { lineNumber?: unknown };
  let line: number | null = typeof withLine.lineNumber === 'number' ? withLine.lineNumber : null;
  const parse = /^(?:Parse|Lexical) error on line (\d+)[:.]\s*/.exec(raw);
  if (parse) {
    line = Number(parse[1]);
    return { template, line, message: `Błąd składni:\n${raw.slice(parse[0].length)}` };
  }
  // Handlebars appends " - line:column" to its own exceptions; the line is reported separately.
  return { template, line, message: raw.replace(/ - \d+:\d+$/, '') };
}

type CompiledOne = { readonly render: RenderTemplate } | { readonly errors: readonly TemplateError[] };

function compileOne(hb: HandlebarsEnvironment, name: string, source: string, plainText: boolean): CompiledOne {
  let ast: hbs.AST.Program;
  try {
    ast = hb.parse(source);
  } catch (e) {
    return { errors: [readTemplateError(name, e)] };
  }
  const problems = findUnsupported(ast, new Set(Object.keys(hb.helpers))).map((p) => ({ template: name, ...p }));
  if (problems.length > 0) return { errors: problems };
  const options = { noEscape: plainText, strict: false };
  try {
    // precompile runs the full compiler now; compile() alone would defer errors to the first render.
    hb.precompile(source, options);
    const template = hb.compile(source, options);
    return { render: (context) => template(context) };
  } catch (e) {
    return { errors: [readTemplateError(name, e)] };
  }
}

// Handlebars' own fallbacks: registered, but not something a template author calls.
const INTERNAL_HELPERS: ReadonlySet<string> = new Set(['helperMissing', 'blockHelperMissing']);

interface AstNode {
  readonly type?: unknown;
  readonly loc?: { readonly start?: { readonly line?: number } };
  readonly path?: { readonly type?: string; readonly original?: unknown; readonly data?: boolean; readonly depth?: number; readonly parts?: readonly string[] };
  readonly params?: readonly unknown[];
  readonly hash?: unknown;
  readonly name?: { readonly original?: unknown };
}

/**
 * Finds what would only fail when a record is rendered: calls to helpers that do not exist and
 * partials/decorators (there is nowhere to register them). Catching these at save time keeps a
 * typo from turning every record into a skip.
 */
function findUnsupported(root: unknown, helpers: ReadonlySet<string>): { line: number | null; message: string }[] {
  const found: { line: number | null; message: string }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const node = value as AstNode;
    const line = node.loc?.start?.line ?? null;
    if (node.type === 'PartialStatement' || node.type === 'PartialBlockStatement') {
      found.push({ line, message: `Częściowe szablony ({{> ${String(node.name?.original ?? '')}}}) nie są obsługiwane` });
    } else if (node.type === 'Decorator' || node.type === 'DecoratorBlock') {
      found.push({ line, message: 'Dekoratory ({{* …}}) nie są obsługiwane' });
    } else if (node.type === 'MustacheStatement' || node.type === 'SubExpression' || node.type === 'BlockStatement') {
      const path = node.path;
      const isCall = (node.params?.length ?? 0) > 0 || node.hash !== undefined;
      const simple = path?.type === 'PathExpression' && !path.data && path.depth === 0 && path.parts?.length === 1;
      if (isCall && simple && typeof path.original === 'string' && !helpers.has(path.original)) {
        const known = [...helpers].filter((h) => !INTERNAL_HELPERS.has(h)).sort();
        found.push({ line, message: `Nieznany helper „${path.original}” (dostępne: ${known.join(', ')})` });
      }
    }
    for (const [key, child] of Object.entries(value)) if (key !== 'loc') visit(child);
  };
  visit(root);
  return found;
}
