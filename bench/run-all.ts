import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: runs every `*.bench.ts` in this folder, one after another in name order, each
 * in its own Node process (so one benchmark's heap and JIT state never colour the next), and
 * passes their output through. Exits non-zero only when a benchmark crashed; timings are printed
 * as ratios, never judged here.
 */

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const files = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).sort();

/** Runs one benchmark file with the same Node and returns its exit code. */
function runBenchFile(file: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(benchDir, file)], { stdio: 'inherit', env: process.env });
    child.on('error', (err) => {
      console.error(`Could not start ${file}: ${err.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const crashed: string[] = [];
for (const file of files) {
  console.log(`\n━━ ${file} ${'━'.repeat(Math.max(3, 76 - file.length))}`);
  const code = await runBenchFile(file);
  if (code !== 0) crashed.push(`${file} (exit ${code})`);
}
if (files.length === 0) console.log(`No *.bench.ts files in ${benchDir}.`);
if (crashed.length > 0) {
  console.error(`\nBenchmarks that did not finish: ${crashed.join(', ')} — see their output above.`);
  process.exitCode = 1;
}
