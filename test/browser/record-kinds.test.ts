/**
 * The built taskpane in Chromium showing a service activity, a CRM task and an occurrence of a
 * recurring task (fake add-in API, Office.js stand-in): the heading says what the record is, the
 * fields that matter are there in Polish and English, empty ones are hidden, nothing is wider
 * than a 320 px pane. Screenshots go to test-artifacts/.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { ACTIVITY_SOURCE_KEY, CRM_SOURCE_KEY, OCCURRENCE_SOURCE_KEY } from './fake-addin-api.ts';
import { createFakePanes, listRecordRequests } from './fake-pane-session.ts';
import { ensureTaskpaneBuilt, launchChromium, saveScreenshot, type AppointmentSpec } from './taskpane-browser.ts';

interface StandInWindow {
  __officeStandIn: { selectItem(mode: string, item: unknown): void };
}

let browser: Browser;
const panes = createFakePanes(() => browser);
const open = panes.open;
const recordRequests = listRecordRequests;

before(async () => {
  ensureTaskpaneBuilt();
  browser = await launchChromium();
});

after(async () => {
  await panes.closeAll();
  await browser?.close();
});

/** An appointment the sync stamped with `sourceKey`. */
function stampedWith(sourceKey: string, subject: string): AppointmentSpec {
  return { itemId: `AAMkAD/${sourceKey}`, subject, start: '2026-03-12T08:30:00Z', end: '2026-03-12T10:00:00Z', customProperties: { sourceKey } };
}

/** Label → text of each shown field of the record card, and which fields are there. */
async function readFields(page: Page): Promise<Map<string, string>> {
  const rows = await page.getByTestId('record-view').locator('[data-field]').evaluateAll((nodes) =>
    nodes.map((n) => [(n as HTMLElement).dataset.field ?? '', (n as HTMLElement).innerText] as const));
  return new Map(rows);
}

/** Nothing in the pane is wider than Outlook's narrowest pane. */
async function assertFitsWidth(page: Page): Promise<void> {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `the pane scrolls sideways: ${width} px wide`);
}

describe('taskpane: service activities and CRM records', { timeout: 60_000 }, () => {
  it('shows a service activity: what to do, when, where, a phone to call, and its order (Polish)', async () => {
    const { page, api } = await open({ mode: 'read', item: stampedWith(ACTIVITY_SOURCE_KEY, 'Przegląd okresowy pieca') });
    await page.getByRole('heading', { name: 'Czynność serwisowa' }).waitFor();
    const fields = await readFields(page);
    assert.equal(fields.get('lead'), 'Przegląd okresowy pieca');
    assert.equal(fields.get('termin'), 'Termin\n12 mar 2026, 09:30–11:00');
    assert.match(fields.get('klient') ?? '', /^Klient\nPiekarnia Złoty Kłos sp\. z o\.o\.$/);
    assert.match(fields.get('adres') ?? '', /ul\. Długa 5, 30-001 Kraków/);
    assert.match(fields.get('zlecenie') ?? '', /^Zlecenie\nSRW\/2026\/0042$/);
    assert.match(fields.get('stanZlecenia') ?? '', /^Stan zlecenia\nW realizacji$/);
    assert.match(fields.get('opis') ?? '', /wjazd od ulicy Krótkiej/);
    assert.match(fields.get('serwisant') ?? '', /Jan Kowalski/);
    assert.equal(fields.has('urzadzenie'), false, 'an empty value is not shown');
    assert.equal(await page.getByRole('link', { name: '+48 12 345 67 89' }).getAttribute('href'), 'tel:+48123456789');
    assert.equal(await page.getByRole('link', { name: '600 100 200' }).getAttribute('href'), 'tel:600100200');
    assert.equal(await page.getByTestId('record-view').getAttribute('data-kind'), 'serwis:czynnosc');
    await assertFitsWidth(page);
    assert.deepEqual(recordRequests(api).map((r) => r.path), [`/api/addin/records?sourceKey=${encodeURIComponent(ACTIVITY_SOURCE_KEY)}`]);
    await page.getByRole('button', { name: 'Synchronizuj teraz' }).waitFor();
    await saveScreenshot(page, 'record-activity-pl');
  });

  it('shows a service activity in English', async () => {
    const { page } = await open({ mode: 'organizer', displayLanguage: 'en-US', item: stampedWith(ACTIVITY_SOURCE_KEY, 'Przegląd') });
    await page.getByRole('heading', { name: 'Service activity' }).waitFor();
    const fields = await readFields(page);
    assert.equal(fields.get('termin'), 'When\n12 Mar 2026, 09:30–11:00');
    assert.match(fields.get('zlecenie') ?? '', /^Order\nSRW\/2026\/0042$/);
    assert.match(fields.get('stanZlecenia') ?? '', /^Order status\nW realizacji$/);
    assert.match(fields.get('serwisant') ?? '', /^Technician\nJan Kowalski$/);
    assert.match(fields.get('telefon') ?? '', /^Phone\n/);
    await saveScreenshot(page, 'record-activity-en');
  });

  it('shows a CRM task: topic, when, customer, place, priority, stage, participants, notes (Polish)', async () => {
    const { page } = await open({ mode: 'read', item: stampedWith(CRM_SOURCE_KEY, 'Spotkanie handlowe') });
    await page.getByRole('heading', { name: 'Zadanie CRM ZAD/812/2026' }).waitFor();
    const card = page.getByTestId('record-view');
    assert.equal(await card.getByText('Otwarte', { exact: true }).count(), 1, 'the state badge');
    const fields = await readFields(page);
    assert.equal(fields.get('lead'), 'Spotkanie handlowe — prezentacja nowej linii pieców');
    assert.equal(fields.get('termin'), 'Termin\n13 mar 2026, 10:00–11:30');
    assert.equal(fields.get('przypomnienie'), 'Przypomnienie\n13 mar 2026, 09:45');
    assert.equal(fields.get('klient'), 'Klient\nHurtownia Bławatek');
    assert.equal(fields.get('osoba'), 'Osoba kontaktowa\nEwa Zielińska');
    assert.equal(fields.get('lokalizacja'), 'Miejsce\nSala konferencyjna A');
    assert.equal(fields.get('priorytet'), 'Priorytet\nWysoki');
    assert.equal(fields.get('etap'), 'Etap\nNegocjacje');
    assert.equal(fields.get('opis'), 'Opis\nPrzygotować cennik i katalog.\nZapytać o termin kolejnego przeglądu.', 'line breaks kept');
    assert.equal(fields.get('opiekun'), 'Opiekun\nJan Kowalski');
    const participants = card.locator('[data-field="uczestnicy"] li');
    assert.deepEqual(await participants.allInnerTexts(), [
      'Jan Kowalski (organizator) · jan.kowalski@example.com',
      'Ewa Zielińska · ewa@blawatek.pl',
      'Piotr Wiśniewski',
    ]);
    assert.equal(await page.getByRole('link', { name: '12 300 40 50' }).getAttribute('href'), 'tel:123004050');
    assert.equal(await page.getByRole('link', { name: 'biuro@blawatek.pl' }).getAttribute('href'), 'mailto:biuro@blawatek.pl');
    assert.equal(await page.getByRole('link', { name: 'ewa@blawatek.pl' }).getAttribute('href'), 'mailto:ewa@blawatek.pl');
    await assertFitsWidth(page);
    await saveScreenshot(page, 'record-crm-task-pl');
  });

  it('shows a CRM task in English, then follows ItemChanged to an occurrence of a recurring task', async () => {
    const { page } = await open({ mode: 'read', displayLanguage: 'en-GB', item: stampedWith(CRM_SOURCE_KEY, 'Spotkanie handlowe') });
    await page.getByRole('heading', { name: 'CRM task ZAD/812/2026' }).waitFor();
    const card = page.getByTestId('record-view');
    assert.equal(await card.getByText('Open', { exact: true }).count(), 1);
    const fields = await readFields(page);
    assert.equal(fields.get('termin'), 'When\n13 Mar 2026, 10:00–11:30');
    assert.equal(fields.get('priorytet'), 'Priority\nHigh');
    assert.equal(fields.get('lokalizacja'), 'Location\nSala konferencyjna A');
    assert.match(fields.get('uczestnicy') ?? '', /^Participants\nJan Kowalski \(organizer\)/);
    await saveScreenshot(page, 'record-crm-task-en');

    await page.evaluate((item) => (window as unknown as StandInWindow).__officeStandIn.selectItem('read', item), stampedWith(OCCURRENCE_SOURCE_KEY, 'Telefon'));
    await page.getByRole('heading', { name: 'Occurrence of a recurring task ZAD/15/2026' }).waitFor();
    const occurrence = await readFields(page);
    assert.equal(occurrence.get('lead'), 'Cotygodniowy telefon do klienta', 'the topic as Optima has it');
    assert.equal(occurrence.get('termin'), 'When\n16 Mar 2026, 08:00–08:15');
    assert.equal(occurrence.get('priorytet'), 'Priority\nLowest');
    for (const empty of ['lokalizacja', 'etap', 'uczestnicy', 'przypomnienie']) assert.equal(occurrence.has(empty), false, `${empty} is empty and hidden`);
    await saveScreenshot(page, 'record-crm-occurrence-en');
  });

  it('names an occurrence of a recurring task in Polish', async () => {
    const { page } = await open({ mode: 'organizer', item: stampedWith(OCCURRENCE_SOURCE_KEY, 'Telefon') });
    await page.getByRole('heading', { name: 'Wystąpienie zadania cyklicznego ZAD/15/2026' }).waitFor();
    assert.equal((await readFields(page)).get('priorytet'), 'Priorytet\nNajniższy');
    await saveScreenshot(page, 'record-crm-occurrence-pl');
  });
});
