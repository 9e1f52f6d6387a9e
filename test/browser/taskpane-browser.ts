/**
 * Helpers for the taskpane browser tests: build the bundle when it is missing or older than the
 * sources, launch the system Chromium through playwright-core, and open the taskpane with the
 * Office.js stand-in in place of the CDN script.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_DIR = path.join(ROOT, 'dist', 'addin');
export const ARTIFACTS_DIR = path.join(ROOT, 'test-artifacts');
const STAND_IN = path.join(ROOT, 'test', 'browser', 'office-stand-in.js');

/** Builds dist/addin with webpack unless taskpane.html is newer than every source it comes from. */
export function ensureTaskpaneBuilt(): void {
  const built = path.join(DIST_DIR, 'taskpane.html');
  const sources = [...listFiles(path.join(ROOT, 'addin')), ...listFiles(path.join(ROOT, 'shared')), path.join(ROOT, 'webpack.config.js')];
  const newest = Math.max(...sources.map((file) => statSync(file).mtimeMs));
  if (existsSync(built) && statSync(built).mtimeMs >= newest) return;
  execFileSync(process.execPath, [path.join(ROOT, 'node_modules', 'webpack', 'bin', 'webpack.js'), '--mode', 'production'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // webpack leaves an unchanged output file alone; mark it fresh so the next run does not rebuild.
  const now = new Date();
  utimesSync(built, now, now);
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** The Debian Chromium, headless, without the background traffic a test has no use for. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface AppointmentSpec {
  readonly itemId: string;
  readonly subject: string;
  readonly start: string;
  readonly end: string;
  readonly location?: string;
  readonly customProperties?: Readonly<Record<string, string>>;
  readonly saved?: boolean;
}

export interface StandInConfig {
  readonly displayLanguage: string;
  readonly token: string;
  readonly mode: 'read' | 'organizer' | 'none';
  readonly item?: AppointmentSpec;
  readonly sets?: Readonly<Record<string, string | null>>;
}

/** Opens the taskpane at Outlook's pane width (320 px) with the stand-in playing `config`. */
export async function openTaskpane(browser: Browser, baseUrl: string, config: StandInConfig): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 }, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
  const page = await context.newPage();
  await page.addInitScript((value) => { (window as unknown as { __officeStandInConfig: unknown }).__officeStandInConfig = value; }, config);
  await page.addInitScript({ path: STAND_IN });
  // Nothing leaves the machine: the CDN office.js is replaced by the stand-in above.
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    if (url.hostname === 'appsforoffice.microsoft.com') return route.fulfill({ contentType: 'text/javascript', body: '/* office.js: the stand-in is already loaded */' });
    return route.abort();
  });
  await page.goto(`${baseUrl}/taskpane.html`);
  return page;
}

/** Saves a full-page screenshot under test-artifacts/ (kept as a test artifact, gitignored). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}
