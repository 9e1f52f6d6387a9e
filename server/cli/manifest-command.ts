import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  DEFAULT_BASE_URL, PLACEHOLDER_CLIENT_ID, checkBaseUrl, checkClientId, deriveManifestUrls, renderManifest,
} from '../addin/render-manifest.ts';
import { formatManifestProblems, validateManifest } from '../addin/validate-manifest.ts';
import { readConfig } from '../config/read-config.ts';
import { EXIT, findConfigPath } from './cli-support.ts';

export interface ManifestCommandOptions {
  /** The server's https address as Outlook will reach it (default https://localhost:3000). */
  readonly url?: string;
  /** Entra app's Application (client) ID; default: `microsoft.clientId` from the config, else a placeholder. */
  readonly clientId?: string;
  /** File to write; default: standard output. */
  readonly out?: string;
  readonly configPath?: string;
  readonly write?: (text: string) => void;
  readonly writeNotice?: (text: string) => void;
}

/**
 * `optima-sync manifest [--url https://serwer:3443] [--client-id GUID] [--out manifest.xml]`:
 * writes the Outlook add-in manifest with every URL on the admin's server. Exit 0 when written,
 * 2 for a bad URL or client id, 1 when the file cannot be written.
 */
export function runManifest(options: ManifestCommandOptions): number {
  const write = options.write ?? ((text: string) => { process.stdout.write(text); });
  const notice = options.writeNotice ?? ((text: string) => { process.stderr.write(text); });
  const base = checkBaseUrl(options.url ?? DEFAULT_BASE_URL);
  if (!base.ok) {
    notice(`błąd: ${base.message}\n`);
    return EXIT.usage;
  }
  const clientId = options.clientId ?? clientIdFromConfig(options.configPath);
  if (clientId) {
    const problem = checkClientId(clientId);
    if (problem) {
      notice(`błąd: ${problem}\n`);
      return EXIT.usage;
    }
  } else {
    notice(`uwaga: brak --client-id i microsoft.clientId w konfiguracji — WebApplicationInfo dostaje zastępczy identyfikator ${PLACEHOLDER_CLIENT_ID}. Podaj --client-id <Identyfikator aplikacji (klienta) z Entra ID>, zanim wdrożysz manifest.\n`);
  }
  const xml = renderManifest({ baseUrl: base.baseUrl, clientId: clientId ?? PLACEHOLDER_CLIENT_ID });
  const problems = validateManifest(xml);
  if (problems.length > 0) {
    // Only a URL the template cannot represent (e.g. over 2048 characters) gets here.
    notice(`błąd: wygenerowany manifest nie przechodzi sprawdzenia:\n${formatManifestProblems(problems)}\n`);
    return EXIT.usage;
  }
  const urls = deriveManifestUrls(base.baseUrl, (clientId ?? PLACEHOLDER_CLIENT_ID).toLowerCase());
  if (!options.out) {
    write(xml);
  } else {
    const file = path.resolve(options.out);
    try {
      writeFileSync(file, xml);
    } catch (err) {
      notice(`błąd: nie można zapisać ${file}: ${err instanceof Error ? err.message : String(err)} — sprawdź ścieżkę i uprawnienia do folderu.\n`);
      return EXIT.failed;
    }
    write(`Zapisano manifest: ${file}\n`);
  }
  notice([
    `Okienko zadań: ${urls.taskpane}`,
    `Identyfikator URI aplikacji do uwidocznienia w Entra ID: ${urls.resource} (zakres access_as_user)`,
    `Przekierowanie SPA dla NAA: brk-multihub://${new URL(base.baseUrl).host}`,
    'Wdrożenie: docs/addin-deploy.pl.md',
    '',
  ].join('\n'));
  return EXIT.ok;
}

/** The client id from a readable config, or null (no config, or it does not validate). */
function clientIdFromConfig(explicit: string | undefined): string | null {
  const file = findConfigPath(explicit);
  if (!file || !existsSync(file)) return null;
  const result = readConfig(file);
  return result.ok ? result.config.microsoft.clientId : null;
}
