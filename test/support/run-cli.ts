import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';

/** The CLI entry point, run as a user runs it: `node server/cli/optima-sync.ts ...`. */
export const CLI_PATH = fileURLToPath(new URL('../../server/cli/optima-sync.ts', import.meta.url));

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in `cwd` (no inherited OPTIMA_SYNC_CONFIG), collecting its output. */
export function runCli(args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<CliResult> {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  delete env.OPTIMA_SYNC_CONFIG;
  delete env.PORT;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`optima-sync ${args.join(' ')} did not finish in ${options.timeoutMs ?? 30_000} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 30_000);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

/** Writes `./optima-sync.yaml` in `dir` (the file the CLI finds by itself) and returns its path. */
export function writeYamlConfig(dir: string, raw: unknown): string {
  const file = join(dir, 'optima-sync.yaml');
  writeFileSync(file, stringify(raw));
  return file;
}
