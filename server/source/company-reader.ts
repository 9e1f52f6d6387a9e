import type { SourceRow } from '../domain/types.ts';
import type { SourceReader } from './source-reader.ts';

/** Which Optima company a reader reads: `code` '' is the main company (keys without a prefix). */
export interface CompanyLabel {
  readonly code: string;
  readonly name: string | null;
}

/**
 * A reader whose rows say which company they come from: source keys `<code>/<kind>:<id>` (the
 * same id in two companies never collides; the main company keeps `<kind>:<id>`), and
 * `{{firma.kod}}` / `{{firma.nazwa}}` for templates. Everything else is the inner reader's.
 */
export function createCompanyReader(reader: SourceReader, company: CompanyLabel): SourceReader {
  const prefix = company.code === '' ? '' : `${company.code}/`;
  const firma = { kod: company.code === '' ? null : company.code, nazwa: company.name };
  const label = (row: SourceRow): SourceRow => ({ ...row, key: `${prefix}${row.key}`, fields: { ...row.fields, firma } });
  return {
    ...reader,
    stats: reader.stats,
    readChangedRows: async (kind, since) => (await reader.readChangedRows(kind, since)).map(label),
    readRow: async (kind, id) => {
      const row = await reader.readRow(kind, id);
      return row ? label(row) : null;
    },
  };
}
