import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { formatManifestProblems, validateManifest } from '../addin/validate-manifest.ts';
import { EXIT } from './cli-support.ts';

/** What `office-addin-manifest validate` printed and its exit code. */
export interface OnlineValidation {
  readonly code: number;
  readonly output: string;
}

export interface ValidateManifestOptions {
  readonly file: string;
  /** false = only the offline check (no network). */
  readonly online?: boolean;
  /** Runs Microsoft's online validation; injected by tests. */
  readonly runOnline?: (file: string) => Promise<OnlineValidation>;
  readonly write?: (text: string) => void;
}

/**
 * `npm run validate:manifest`: our offline check (reference outlook-addin.md §2), then Microsoft's
 * online `office-addin-manifest validate`. An unreachable validation service is a notice, not a
 * failure, so the command works on machines without internet. Exit 0 = valid, 1 = problems.
 */
export async function runValidateManifest(options: ValidateManifestOptions): Promise<number> {
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  let xml: string;
  try {
    xml = readFileSync(options.file, 'utf8');
  } catch (err) {
    write(`błąd: nie można odczytać ${options.file}: ${err instanceof Error ? err.message : String(err)} — sprawdź ścieżkę (wygeneruj plik: optima-sync manifest --out ${options.file}).\n`);
    return EXIT.failed;
  }
  const problems = validateManifest(xml);
  if (problems.length > 0) {
    write(`Manifest ${options.file}: ${problems.length} problem(y) w sprawdzeniu offline:\n${formatManifestProblems(problems)}\n`);
    return EXIT.failed;
  }
  write(`Manifest ${options.file}: sprawdzenie offline — OK.\n`);
  if (options.online === false) return EXIT.ok;

  const result = await (options.runOnline ?? runOfficeAddinManifest)(options.file);
  const verdict = classifyOnlineValidation(result);
  if (verdict === 'offline' || verdict === 'unavailable') {
    write(`Uwaga: walidacja online (office-addin-manifest validate) pominięta — ${verdict === 'offline'
      ? 'brak połączenia z usługą walidacji Microsoft'
      : 'usługa walidacji Microsoft nie odpowiedziała poprawnie'}; uruchom ponownie na komputerze z dostępem do internetu.\n`);
    return EXIT.ok;
  }
  write(result.output.endsWith('\n') || result.output === '' ? result.output : `${result.output}\n`);
  if (verdict === 'invalid') {
    write('Walidacja online: manifest odrzucony — popraw błędy wypisane powyżej.\n');
    return EXIT.failed;
  }
  write('Walidacja online: OK.\n');
  return EXIT.ok;
}

/** Reads the tool's exit code and output; only its own wording tells "offline" from "invalid". */
export function classifyOnlineValidation(result: OnlineValidation): 'valid' | 'invalid' | 'offline' | 'unavailable' {
  if (/Unable to contact the manifest validation service/i.test(result.output)) return 'offline';
  if (/Unable to validate the manifest/i.test(result.output)) return 'unavailable';
  return result.code === 0 ? 'valid' : 'invalid';
}

/** Runs the installed office-addin-manifest CLI with this Node (its bin file is not always executable). */
function runOfficeAddinManifest(file: string): Promise<OnlineValidation> {
  const main = createRequire(import.meta.url).resolve('office-addin-manifest');
  const cli = main.replace(/lib[\\/]main\.js$/, 'cli.js');
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, 'validate', file], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--')) ?? 'manifest.xml';
  runValidateManifest({ file, online: !args.includes('--offline') }).then(
    (code) => { process.exitCode = code; },
    (err: unknown) => {
      process.stderr.write(`błąd: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT.failed;
    },
  );
}
