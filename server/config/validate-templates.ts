import Handlebars from 'handlebars';
import type { Checks } from './check-fields.ts';
import { readSection, readText } from './check-fields.ts';
import { joinConfigPath } from './config-error.ts';
import type { TemplateOverride, TemplatesConfig } from './schema.ts';
import { RECORD_KINDS } from './schema.ts';

/** `templates` (global) and `source.companies[i].templates` (one company's, over the global ones). */
export function validateTemplates(c: Checks, raw: unknown, path: string): TemplatesConfig | null {
  const s = readSection(c, raw, path, RECORD_KINDS);
  if (!s) return null;
  const out: Record<string, TemplateOverride> = {};
  for (const kind of RECORD_KINDS) {
    if (s[kind] === undefined || s[kind] === null) continue;
    const kindPath = joinConfigPath(path, kind);
    const t = readSection(c, s[kind], kindPath, ['subject', 'body', 'location']);
    if (!t) continue;
    const override: { subject?: string; body?: string; location?: string } = {};
    for (const part of ['subject', 'body', 'location'] as const) {
      const text = readText(c, t, kindPath, part, { check: checkTemplate });
      if (text !== undefined) override[part] = text;
    }
    out[kind] = override;
  }
  return out;
}

/** Syntax only (pairs of braces, closed blocks); unknown fields are the renderer's to report. */
function checkTemplate(text: string): string | null {
  try {
    Handlebars.parse(text);
    return null;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = /on line (\d+)/.exec(message)?.[1];
    const caret = /\n(-*)\^/.exec(message)?.[1];
    const where = line ? ` w linii ${line}${caret !== undefined ? `, kolumnie ${caret.length + 1}` : ''}` : '';
    return `Błąd składni szablonu${where} — sprawdź, czy nawiasy {{ }} są parami i czy każde {{#if}}/{{#each}} ma zamknięcie {{/if}}/{{/each}}.`;
  }
}

