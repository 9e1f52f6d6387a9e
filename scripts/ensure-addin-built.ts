/**
 * Runs before `npm start`: builds the Outlook add-in's taskpane (dist/addin) when it is missing or
 * older than its sources, so the demo can open it. Skipped with a notice where webpack is not
 * installed (a production install with --omit=dev serves a taskpane built beforehand).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'addin', 'taskpane.html');

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

const sources = [...listFiles(path.join(root, 'addin')), ...listFiles(path.join(root, 'shared')), path.join(root, 'webpack.config.js')];
const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
if (existsSync(built) && statSync(built).mtimeMs >= newest) process.exit(0);

let webpackCli: string;
try {
  webpackCli = createRequire(import.meta.url).resolve('webpack/bin/webpack.js');
} catch {
  process.stdout.write('Dodatek Outlooka nie jest zbudowany, a webpack nie jest zainstalowany (npm install bez --omit=dev) — pomijam budowanie.\n');
  process.exit(0);
}
process.stdout.write('Buduję dodatek Outlooka (dist/addin)…\n');
execFileSync(process.execPath, [webpackCli, '--mode', 'production'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
