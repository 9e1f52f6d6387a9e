/**
 * The demo page and the built taskpane against the REAL server syncing service orders, service
 * activities and CRM tasks: clicking an activity's or a CRM task's event opens the pane on that
 * record's own view (read from Optima), and "Synchronizuj teraz" on a CRM task rewrites its event.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Link, RecordKind } from '../../server/domain/types.ts';
import { openOptimaDemoDatabase } from '../../server/demo/optima-demo-writes.ts';
import { updateCrmTask } from '../../server/demo/optima-demo-crm.ts';
import { readOptimaActivities, readOptimaCrmTasks } from '../support/optima-records.ts';
import { ARTIFACTS_DIR, ensureTaskpaneBuilt, launchChromium } from './taskpane-browser.ts';
import { startRealWorld, type RealWorld } from './real-server-world.ts';

let world: RealWorld;
let browser: Browser;
const pages: Page[] = [];

before(async () => {
  ensureTaskpaneBuilt();
  [world, browser] = await Promise.all([startRealWorld({ kinds: ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie'] }), launchChromium()]);
});

after(async () => {
  for (const page of pages) await page.context().close();
  await browser?.close();
  await world?.close();
});

/** A synced record of `kind` whose event the demo page lists. */
function pickLink(kind: RecordKind): Link {
  const link = [...world.demo.runtime.store.loadLinks(kind).values()][0];
  assert.ok(link, `the demo synced a ${kind}`);
  return link;
}

/** The demo page in Polish with the event of `link` clicked: the pane beside the list. */
async function openOnDemoPage(link: Link): Promise<{ page: Page; pane: FrameLocator }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
  const page = await context.newPage();
  pages.push(page);
  await page.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  await page.addInitScript(() => localStorage.setItem('lang', 'pl'));
  await page.goto(`${world.origin}/`);
  const item = page.locator(`li[data-mailbox="${link.mailbox}"][data-id="${link.remoteId}"]`);
  await item.click();
  const pane = page.frameLocator('#taskpane');
  await pane.getByTestId('record-view').waitFor();
  return { page, pane };
}

const idOf = (link: Link) => Number(link.sourceKey.split(':').at(-1));

describe('record views of every kind against the real server', { timeout: 90_000 }, () => {
  it('the demo page opens a service activity in the pane: what to do, its order, the technician', async () => {
    const link = pickLink('serwis:czynnosc');
    const activity = readOptimaActivities(world.demo.companyDbPath).find((a) => a.id === idOf(link));
    assert.ok(activity);
    const { page, pane } = await openOnDemoPage(link);
    await pane.getByRole('heading', { name: 'Czynność serwisowa' }).waitFor();
    const card = pane.getByTestId('record-view');
    assert.equal(await card.locator('[data-field="lead"]').innerText(), activity.name);
    assert.equal(await card.locator('[data-field="zlecenie"] dd').innerText(), activity.order.number);
    await pane.getByText('Wydarzenie zgadza się z Optimą.').waitFor();
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-activity-pl.png') });
  });

  it('the demo page opens a CRM task; after a change in Optima, resync from the pane rewrites its event', async () => {
    const link = pickLink('crm:zadanie');
    const task = readOptimaCrmTasks(world.demo.companyDbPath).find((t) => t.id === idOf(link));
    assert.ok(task);
    const { page, pane } = await openOnDemoPage(link);
    await pane.getByRole('heading', { name: `${task.task ? 'Zadanie CRM' : 'Kontakt CRM'} ${task.number}` }).waitFor();
    const card = pane.getByTestId('record-view');
    assert.equal(await card.locator('[data-field="lead"]').innerText(), task.topic);
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-crm-task-pl.png') });

    const topic = `Telefon w sprawie oferty (zmiana ${Date.now() % 100_000})`;
    const writer = openOptimaDemoDatabase(world.demo.companyDbPath);
    try {
      assert.ok(updateCrmTask(writer, task.id, { CRK_Temat: topic }));
    } finally {
      writer.close();
    }
    await pane.getByRole('button', { name: 'Synchronizuj teraz' }).click();
    await pane.getByTestId('resync-outcome').getByText(/Gotowe/).waitFor();
    await card.locator('[data-field="lead"]').getByText(topic).waitFor();
    const event = world.syncedEvents(link.mailbox).find((e) => e.id === link.remoteId);
    assert.ok(event?.subject.includes(topic), `the event's subject carries the new topic (is "${event?.subject}")`);
  });
});
