/**
 * The built taskpane in Chromium against the REAL server (the embedded demo: Optima database,
 * Entra and Graph emulators, production composition root). The Office.js stand-in plays an
 * appointment synced into a demo mailbox and signs in with a token from the Entra emulator; the
 * tests look at what the person sees in the pane and at the events in the Graph emulator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { DEMO_DEFAULT_MAILBOX } from '../../server/demo/start-demo.ts';
import { openOptimaDemoDatabase, updateOrder } from '../../server/demo/optima-demo-writes.ts';
import { ARTIFACTS_DIR, ensureTaskpaneBuilt, launchChromium, openTaskpane, saveScreenshot } from './taskpane-browser.ts';
import { startRealWorld, toAppointment, type RealWorld } from './real-server-world.ts';

let world: RealWorld;
let browser: Browser;
let technician: string;
const pages: Page[] = [];

before(async () => {
  ensureTaskpaneBuilt();
  [world, browser] = await Promise.all([startRealWorld(), launchChromium()]);
  const withEvents = world.demo.people
    .flatMap((p) => (p.email ? [p.email.toLowerCase()] : []))
    .filter((m) => m !== DEMO_DEFAULT_MAILBOX && world.syncedEvents(m).length >= 2);
  assert.ok(withEvents[0], 'the demo synced events into a technician\'s calendar');
  technician = withEvents[0];
});

after(async () => {
  for (const page of pages) await page.context().close();
  await browser?.close();
  await world?.close();
});

/** Opens the server's own /addin/taskpane.html as `mailbox`, playing `event` in read mode. */
async function openAs(mailbox: string, item: ReturnType<typeof toAppointment>, displayLanguage = 'pl-PL'): Promise<Page> {
  const page = await openTaskpane(browser, `${world.origin}/addin`, { displayLanguage, token: world.tokenFor(mailbox), mode: 'read', item });
  pages.push(page);
  return page;
}

describe('taskpane against the real server', { timeout: 60_000 }, () => {
  it('shows the service order behind a synced event: number, customer, phone; no Settings for a technician', async () => {
    const event = world.syncedEvents(technician)[0]!;
    const order = world.readOrder(event);
    const page = await openAs(technician, toAppointment(event));
    const record = page.getByTestId('record-view');
    await record.waitFor();
    await page.getByRole('heading', { name: `Zlecenie serwisowe ${order.number}` }).waitFor();
    assert.ok((await record.innerText()).includes(order.customer), `the pane names the customer ${order.customer}`);
    const phone = page.getByRole('link', { name: order.phone });
    assert.equal(await phone.getAttribute('href'), `tel:${order.phone.replace(/[^\d+]/g, '')}`);
    await page.getByText('Wydarzenie zgadza się z Optimą.').waitFor();
    assert.equal(await page.getByRole('tab', { name: 'Ustawienia' }).count(), 0, 'a technician sees no Settings');
    await saveScreenshot(page, 'real-record-technician-pl');
  });

  it('resyncs one order after it changed in Optima: that event in the calendar changes, no other', async () => {
    const [event, other] = world.syncedEvents(technician);
    const order = world.readOrder(event!);
    const otherOrder = world.readOrder(other!);
    const page = await openAs(technician, toAppointment(event!));
    await page.getByTestId('record-view').waitFor();

    const description = `Wymiana zaworu bezpieczeństwa (zmiana ${Date.now() % 100_000})`;
    const writer = openOptimaDemoDatabase(world.demo.companyDbPath);
    try {
      assert.ok(updateOrder(writer, order.id, { SrZ_Opis: description }));
      assert.ok(updateOrder(writer, otherOrder.id, { SrZ_Opis: 'Zmiana, której nikt nie zsynchronizował ręcznie' }));
    } finally {
      writer.close();
    }
    await page.getByRole('button', { name: 'Synchronizuj teraz' }).click();
    const outcome = page.getByTestId('resync-outcome');
    await outcome.waitFor();
    assert.match(await outcome.innerText(), /Gotowe/);

    const after = world.syncedEvents(technician);
    const updated = after.find((e) => e.id === event!.id);
    assert.ok(updated?.subject.includes(description), `the event's subject carries the new description (was "${event!.subject}", is "${updated?.subject}")`);
    assert.equal(after.find((e) => e.id === other!.id)?.subject, other!.subject, 'the order nobody resynced waits for the next sync');
    await page.getByTestId('record-view').getByText(description).waitFor();
    await saveScreenshot(page, 'real-resync-done-pl');
  });

  it('says in one friendly sentence that an event typed in Outlook is not from Optima', async () => {
    const event = await world.createPrivateEvent(technician, 'Dentysta');
    const page = await openAs(technician, toAppointment(event));
    const card = page.getByTestId('not-from-optima');
    await card.waitFor();
    assert.match(await card.innerText(), /^To wydarzenie nie pochodzi z Optimy\b/);
    assert.equal(await page.getByTestId('pane-error').count(), 0);
    await saveScreenshot(page, 'real-not-from-optima-pl');
  });

  it('lets an admin change the subject template: preview, save, and the next sync rewrites the events', async () => {
    const event = world.syncedEvents(DEMO_DEFAULT_MAILBOX)[0];
    assert.ok(event, 'the admin\'s mailbox has synced events');
    const order = world.readOrder(event);
    const page = await openAs(DEMO_DEFAULT_MAILBOX, toAppointment(event));
    await page.getByTestId('record-view').waitFor();
    await page.getByRole('tab', { name: 'Ustawienia' }).click();
    const preview = page.getByTestId('preview-subject');
    await preview.waitFor();

    await page.getByRole('textbox', { name: 'Temat' }).fill('Wizyta {{numer}} · {{klient.nazwa}}');
    await page.getByText(`Wizyta ${order.number} · ${order.customer}`, { exact: true }).waitFor();
    assert.equal(await preview.innerText(), `Wizyta ${order.number} · ${order.customer}`);
    await page.getByRole('button', { name: 'Zapisz' }).click();
    await page.getByText('Zapisano wersję 1. Następna synchronizacja zaktualizuje wydarzenia.').waitFor();
    await saveScreenshot(page, 'real-settings-saved-pl');

    const run = await world.syncNow();
    assert.equal(run.failed, 0);
    const mailboxes = [DEMO_DEFAULT_MAILBOX, technician];
    for (const mailbox of mailboxes) {
      const events = world.syncedEvents(mailbox);
      assert.ok(events.length > 0);
      for (const e of events) {
        const o = world.readOrder(e);
        assert.equal(e.subject, `Wizyta ${o.number} · ${o.customer}`, `${mailbox}: event of ${o.number}`);
      }
    }
  });

  it('demo page: clicking an event opens the real taskpane beside the list, signed in as that mailbox', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'pl-PL', timezoneId: 'Europe/Warsaw' });
    const page = await context.newPage();
    pages.push(page);
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      return url.hostname === '127.0.0.1' ? route.continue() : route.abort();
    });
    await page.addInitScript(() => localStorage.setItem('lang', 'pl'));
    await page.goto(`${world.origin}/`);
    const first = page.locator(`li[data-mailbox="${DEMO_DEFAULT_MAILBOX}"]`).first();
    await first.waitFor();
    const subject = await first.innerText();
    await first.click();
    const pane = page.frameLocator('#taskpane');
    await pane.getByTestId('record-view').waitFor();
    assert.match(await page.locator('#pane-who').innerText(), new RegExp(DEMO_DEFAULT_MAILBOX.replace('.', '\\.')));
    const number = subject.match(/SRW\/\d+\/\d+/)?.[0];
    assert.ok(number, `the listed subject names an order: "${subject}"`);
    await pane.getByRole('heading', { name: `Zlecenie serwisowe ${number}` }).waitFor();
    await pane.getByRole('tab', { name: 'Ustawienia' }).waitFor();
    // What fits on the screen: the pane is fixed at the right edge, as in Outlook.
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-taskpane-pl.png') });

    // Settings come in a chunk of their own, loaded from /addin/ although the pane is /demo/taskpane.
    await pane.getByRole('tab', { name: 'Ustawienia' }).click();
    await pane.getByRole('heading', { name: 'Szablony wydarzeń' }).waitFor();
    await pane.getByTestId('preview-subject').waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS_DIR, 'demo-page-settings-pl.png') });

    // The page's language switch reopens the pane in that language (Outlook's display language).
    await page.locator('#lang').selectOption('en');
    await pane.getByRole('heading', { name: `Service order ${number}` }).waitFor();
    await pane.getByRole('tab', { name: 'Settings' }).waitFor();
  });

  it('demo sign-in: tokens only for the demo\'s mailboxes, and the pane says so when an event is gone', async () => {
    const refused = await fetch(`${world.origin}/api/demo/token?mailbox=${encodeURIComponent('ktos@obcy.pl')}`);
    assert.equal(refused.status, 404);
    const token = await fetch(`${world.origin}/api/demo/token?mailbox=${encodeURIComponent(technician)}`);
    const me = await fetch(`${world.origin}/api/addin/me`, { headers: { Authorization: `Bearer ${((await token.json()) as { token: string }).token}` } });
    assert.deepEqual(await me.json().then((m: { mailbox: string; isAdmin: boolean }) => [m.mailbox, m.isAdmin]), [technician, false]);
    const gone = await fetch(`${world.origin}/demo/taskpane?mailbox=${encodeURIComponent(technician)}&eventId=AAkALg-no-such-event`);
    assert.equal(gone.status, 404);
    assert.match(await gone.text(), /Tego wydarzenia nie ma już w kalendarzu/);
  });
});
