import path from 'node:path';
import { buildRuntime, startServer } from '../main.ts';
import { EXIT, createConsoleLogger, findConfigPath, loadConfigOrReport } from './cli-support.ts';

/** `optima-sync start`: the server and its scheduler; with no configuration, the embedded demo. */
export async function runStart(options: { configPath?: string }): Promise<number> {
  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  if (findConfigPath(options.configPath) === null) {
    const dir = path.resolve('data', 'demo');
    process.stdout.write('Brak konfiguracji — uruchamiam wbudowane demo (baza Optimy + emulator Microsoft 365)…\n');
    // Loaded only for the demo: production never imports the emulators.
    const { startDemo } = await import('../demo/start-demo.ts');
    const demo = await startDemo({ dir, port: port ?? 3000, simulatorMs: 4000, forwardLogs: createConsoleLogger('warn') });
    process.stdout.write(`\nDemo działa: ${demo.url}\n  dane: ${dir}\n  konfiguracja demo (wzór): ${demo.configPath}\n  Ctrl+C kończy.\n`);
    await waitForSignal();
    await demo.close();
    return EXIT.ok;
  }
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const runtime = buildRuntime(config, { forwardLogs: createConsoleLogger(config.logs.level) });
  const server = await startServer(runtime, { port });
  process.stdout.write(`optima-sync działa: ${server.url} (synchronizacja co ${config.sync.intervalSeconds} s)\n`);
  await waitForSignal();
  await server.close();
  await runtime.close();
  return EXIT.ok;
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}
