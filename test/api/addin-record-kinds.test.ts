/**
 * The add-in's record view for every synced kind (supertest against the production routes): a
 * service activity and a CRM task show their own fields, read from Optima now; another person's
 * record is refused; a kind the sync leaves out and a record gone from Optima get a sentence.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { Link, RecordKind } from '../../server/domain/types.ts';
import { listDemoPeople } from '../../server/demo/optima-db.ts';
import type { CrmRecordView, RecordResponse, ServiceActivityView } from '../../shared/addin-api.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { ADDIN_ADMIN, createAddinFixture, createTokenIssuer, startAddinEntra, type AddinFixture } from '../support/addin-api-fixture.ts';
import { readOptimaActivities, readOptimaCrmTasks } from '../support/optima-records.ts';
import { DEFAULT_MAILBOX } from '../support/sync-fixture.ts';

const STRANGER = 'ktos.inny@firma.pl';
const KINDS: readonly RecordKind[] = ['serwis:zlecenie', 'serwis:czynnosc', 'crm:zadanie'];
/** CRK_Priorytet as Comarch BI labels it. */
const PRIORITY_LABELS: Readonly<Record<number, string>> = { 1: 'Najwyższy', 2: 'Wysoki', 3: 'Niski', 4: 'Najniższy' };

let entra: EntraEmulator;
let tokenFor: ReturnType<typeof createTokenIssuer>;
let fx: AddinFixture;

before(async () => {
  entra = await startAddinEntra();
  tokenFor = createTokenIssuer(entra);
  fx = createAddinFixture(entra, { configure: (raw) => { raw.sync = { ...raw.sync, kinds: [...KINDS] }; } });
  const { report } = await fx.f.runtime.runOnce();
  assert.equal(report.failed, 0, 'the first sync wrote every kind');
});
after(async () => {
  await fx?.close();
  await entra?.close();
});

const getRecord = (query: Record<string, string>, upn: string) =>
  request(fx.app).get('/api/addin/records').query(query).set('Authorization', `Bearer ${tokenFor(upn)}`);

/** A linked record of `kind` in a person's own calendar (not the default mailbox, not an admin's). */
function findLink(kind: RecordKind, accept: (id: number) => boolean = () => true): Link | undefined {
  return [...fx.f.store().loadLinks(kind).values()]
    .find((l) => l.mailbox !== DEFAULT_MAILBOX && l.mailbox !== ADDIN_ADMIN && accept(idOf(l)));
}

function pickLink(kind: RecordKind, accept?: (id: number) => boolean): Link {
  const link = findLink(kind, accept);
  assert.ok(link, `the demo sync linked a ${kind} into a person's calendar`);
  return link;
}

const idOf = (link: Link) => Number(link.sourceKey.split(':').at(-1));
const nameOf = (person: { type: string; id: number } | null) => listDemoPeople().find((p) => p.type === person?.type && p.id === person?.id)?.name;

describe('add-in API: records of every kind', () => {
  it('a service activity shows what to do, when, for which customer and order, and who does it', async () => {
    const activities = readOptimaActivities(fx.f.demo.companyDbPath);
    // One with a description and a phone, so those fields are checked too.
    const link = findLink('serwis:czynnosc', (id) => activities.some((a) => a.id === id && a.description !== null && a.order.phone !== null))
      ?? pickLink('serwis:czynnosc');
    const activity = activities.find((a) => a.id === idOf(link));
    assert.ok(activity);
    const queries: Array<Record<string, string>> = [{ sourceKey: link.sourceKey }, { eventId: link.remoteId, idType: 'rest' }];
    for (const query of queries) {
      const res = await getRecord(query, link.mailbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as RecordResponse;
      assert.ok(body.found, JSON.stringify(body));
      assert.equal(body.sourceKey, link.sourceKey);
      const view = body.record as ServiceActivityView;
      assert.equal(view.kind, 'serwis:czynnosc');
      assert.equal(view.id, activity.id);
      assert.equal(view.czynnosc, activity.name);
      assert.equal(view.opis, activity.description);
      assert.equal(view.zakonczona, activity.done);
      assert.equal(view.terminOd, activity.from);
      assert.equal(view.terminDo, activity.to);
      assert.equal(view.zlecenie.numer, activity.order.number);
      assert.ok(view.zlecenie.stan, 'the order state is named');
      assert.equal(view.klient.nazwa, activity.order.customer);
      assert.equal(view.klient.telefon, activity.order.phone);
      assert.deepEqual(view.serwisant && { type: view.serwisant.type, id: view.serwisant.id }, activity.worker);
      assert.equal(view.serwisant?.name, nameOf(activity.worker));
      assert.equal(view.timeZone, 'Europe/Warsaw');
      assert.equal(body.sync.linked, true);
      assert.equal(body.sync.upToDate, true);
    }
  });

  it('a CRM task shows its topic, term, location, priority, state, contact person and owner', async () => {
    const tasks = readOptimaCrmTasks(fx.f.demo.companyDbPath);
    const link = pickLink('crm:zadanie', (id) => tasks.some((t) => t.id === id && t.location !== null && t.contactPerson !== null));
    const task = tasks.find((t) => t.id === idOf(link));
    assert.ok(task);
    const queries: Array<Record<string, string>> = [{ sourceKey: link.sourceKey }, { eventId: link.remoteId, idType: 'ews' }];
    for (const query of queries) {
      const res = await getRecord(query, link.mailbox);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      const body = res.body as RecordResponse;
      assert.ok(body.found, JSON.stringify(body));
      const view = body.record as CrmRecordView;
      assert.equal(view.kind, 'crm:zadanie');
      assert.equal(view.id, task.id);
      assert.equal(view.numer, task.number);
      assert.equal(view.rodzaj, task.task ? 'Zadanie' : 'Kontakt');
      assert.equal(view.temat, task.topic);
      assert.equal(view.opis, task.description);
      assert.equal(view.lokalizacja, task.location);
      assert.equal(view.terminOd, task.from);
      assert.equal(view.terminDo, task.to);
      assert.equal(view.stan, task.bufor === 0 ? 'zamknięte' : 'otwarte');
      assert.equal(view.priorytet, PRIORITY_LABELS[task.priority]);
      assert.equal(view.osoba, task.contactPerson);
      assert.equal(view.opiekun?.name, nameOf(task.owner));
      assert.equal(view.wystapienie, false);
      assert.equal(view.zadanieId, null);
      assert.ok(Array.isArray(view.uczestnicy));
      assert.equal(body.sync.upToDate, true);
    }
  });

  it("refuses another person's activity and CRM task with 403; an admin reads them", async () => {
    for (const kind of ['serwis:czynnosc', 'crm:zadanie'] as const) {
      const link = pickLink(kind);
      const queries: Array<Record<string, string>> = [{ sourceKey: link.sourceKey }, { eventId: link.remoteId, idType: 'rest' }];
      for (const query of queries) {
        const refused = await getRecord(query, STRANGER);
        assert.equal(refused.status, 403, `${kind} ${JSON.stringify(query)}`);
        assert.equal(refused.body.error.code, 'forbidden');
        assert.match(refused.body.error.message, /innej osoby/);
      }
      const admin = await getRecord({ sourceKey: link.sourceKey }, ADDIN_ADMIN);
      assert.equal(admin.status, 200);
      assert.equal((admin.body as RecordResponse).found, true);
    }
  });

  it('a CRM task deleted in Optima gets a sentence that names it, not an error', async () => {
    const link = pickLink('crm:zadanie');
    fx.f.openOptima().prepare('DELETE FROM CRMKontakty WHERE CRK_CRKId = ?').run(idOf(link));
    const res = await getRecord({ sourceKey: link.sourceKey }, link.mailbox);
    assert.equal(res.status, 200);
    assert.equal(res.body.found, false);
    assert.match(res.body.message, new RegExp(`^Zadania CRM ${link.sourceKey} nie ma już w Optimie`));
    assert.match(res.body.messageEn, /^The CRM task .* is no longer in Optima/);
  });
});

describe('add-in API: a kind the sync leaves out', () => {
  let ordersOnly: AddinFixture;
  before(() => { ordersOnly = createAddinFixture(entra); });
  after(() => ordersOnly.close());

  it('says the record comes from Optima but its kind is not synced, and names the setting', async () => {
    for (const key of ['crm:zadanie:3', 'serwis:czynnosc:5', 'crm:wystapienie:7']) {
      const res = await request(ordersOnly.app).get('/api/addin/records').query({ sourceKey: key }).set('Authorization', `Bearer ${tokenFor(ADDIN_ADMIN)}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.found, false, key);
      assert.match(res.body.message, /pochodzi z Optimy .* nie są teraz synchronizowane .*sync\.kinds/);
      assert.match(res.body.messageEn, /not synced now .*sync\.kinds/);
    }
    const other = await request(ordersOnly.app).get('/api/addin/records').query({ sourceKey: 'kalendarz:prywatny:1' }).set('Authorization', `Bearer ${tokenFor(ADDIN_ADMIN)}`);
    assert.match(other.body.message, /nie pochodzi z Optimy/);
  });
});
