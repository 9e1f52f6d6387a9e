import assert from 'node:assert/strict';
import type { RunSummary, StatusResponse } from '../../shared/api-types.ts';

/**
 * What the end-to-end tests ask the running demo server, as a script or a person would: the
 * JSON API over HTTP. `baseUrl` is the server's URL (e.g. `demo.url`).
 */
export function demoServerApi(baseUrl: () => string) {
  async function api<T>(method: 'GET' | 'POST', route: string): Promise<T> {
    const res = await fetch(`${baseUrl()}${route}`, { method });
    assert.equal(res.status, 200, `${method} ${route} → ${res.status}: ${await res.clone().text()}`);
    return (await res.json()) as T;
  }
  /** One sync through the server's "sync now" (after the run in progress). */
  const syncNow = () => api<RunSummary>('POST', '/api/sync');
  /** Waits until the server's own first run has finished. */
  async function waitForFirstRun(): Promise<StatusResponse> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const status = await api<StatusResponse>('GET', '/api/status');
      if (status.lastRun && !status.running) return status;
      if (Date.now() > deadline) throw new Error('the server made no run within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { api, syncNow, waitForFirstRun };
}
