import type { RecordKind } from '../domain/types.ts';
import type { SourceReader } from '../source/source-reader.ts';
import type { IdsCache, PeopleCache } from './collect-changes.ts';

/**
 * Several Optima companies in one install, in one place: which companies a run reads, and how a
 * company code becomes a stream name, a source-key prefix and a render context. The main company
 * has the code '' (keys and streams without a prefix, as before companies existed).
 */

/**
 * One company: its reader (a further company's rows keyed `<code>/<kind>:<id>`) and its own
 * process-long caches (its employees and ids are its own; operators are shared through the
 * configuration database).
 */
export interface CompanySource {
  readonly code: string;
  readonly reader: SourceReader;
  readonly people: PeopleCache;
  readonly ids: IdsCache;
}

/** What a run holds about companies: the main one's reader and caches, and the further ones. */
export interface CompanyDeps {
  readonly reader: SourceReader;
  readonly people: PeopleCache;
  readonly ids: IdsCache;
  /** Further Optima companies (config `source.companies`). */
  readonly companies?: readonly CompanySource[];
}

/** The main company as a CompanySource (code ''), then the further ones. */
export function listCompanies(deps: CompanyDeps): readonly CompanySource[] {
  return [{ code: '', reader: deps.reader, people: deps.people, ids: deps.ids }, ...(deps.companies ?? [])];
}

/** Codes of the further companies (what source keys may start with). */
export function listCompanyCodes(deps: CompanyDeps): readonly string[] {
  return (deps.companies ?? []).map((c) => c.code);
}

/** Watermarks, links, full passes and approvals are kept per stream: `<kind>` or `<code>/<kind>`. */
export function streamName(company: string, kind: RecordKind): string {
  return `${keyPrefixOf(company)}${kind}`;
}

/** What a company's source keys start with: '' for the main company, `<code>/` for the others. */
export function keyPrefixOf(company: string): string {
  return company === '' ? '' : `${company}/`;
}

/** The render settings a company's records use: its own templates and filters, else the main ones. */
export function selectRenderContext<T>(settings: { readonly render: T; readonly companyRender?: ReadonlyMap<string, T> }, company: string): T {
  return company === '' ? settings.render : settings.companyRender?.get(company) ?? settings.render;
}
