import type { ConfigError } from './config-error.ts';

/**
 * The operator's view of a broken configuration: how many problems, then one line each with the
 * setting's path, where it is in the file, and what to do. Polish; ends without a newline.
 */
export function formatConfigErrors(errors: readonly ConfigError[], filePath?: string): string {
  const file = filePath ? ` (plik ${filePath})` : '';
  const head = `Konfiguracja zawiera ${errors.length} ${pluralBledy(errors.length)}${file} — popraw ${errors.length === 1 ? 'go' : 'je'} i uruchom program ponownie:`;
  const lines = errors.map((e, i) => {
    // A file-level error (syntax) already names its line in the sentence.
    if (e.path === '') return `  ${i + 1}. ${e.message}`;
    const where = e.line !== undefined ? ` (linia ${e.line}${e.column !== undefined ? `, kolumna ${e.column}` : ''})` : '';
    return `  ${i + 1}. ${e.path}${where}: ${e.message}`;
  });
  return [head, ...lines].join('\n');
}

/** 1 błąd, 2–4 błędy, 5–21 błędów, 22–24 błędy, ... */
function pluralBledy(n: number): string {
  if (n === 1) return 'błąd';
  const lastTwo = n % 100;
  const last = n % 10;
  return last >= 2 && last <= 4 && !(lastTwo >= 12 && lastTwo <= 14) ? 'błędy' : 'błędów';
}
