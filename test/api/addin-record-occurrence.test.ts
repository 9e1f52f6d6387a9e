/**
 * The add-in's record view of an occurrence of a recurring CRM task (crm:wystapienie), through the
 * production routes: the parent task's topic and number, the occurrence's own term, the parent's
 * id, and the task's participants, as Optima holds them. Its own file: it needs the sync to read
 * CDN.CrmKontaktyCykl and CDN.CrmUczestnicy.
 */
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { CrmRecordView, RecordResponse } from '../../shared/addin-api.ts';
import type { EntraEmulator } from '../emulators/entra/entra-emulator.ts';
import { ADDIN_ADMIN, createAddinFixture, createTokenIssuer, startAddinEntra, type AddinFixture } from '../support/addin-api-fixture.ts';
import { readOptimaCrmOccurrences, readOptimaCrmParticipants, readOptimaCrmTasks } from '../support/optima-records.ts';

let entra: EntraEmulator;
let tokenFor: ReturnType<typeof createTokenIssuer>;
let fx: AddinFixture;

before(async () => {
  entra = await startAddinEntra();
  tokenFor = createTokenIssuer(entra);
  fx = createAddinFixture(entra, { configure: (raw) => { raw.sync = { ...raw.sync, kinds: ['serwis:zlecenie', 'crm:zadanie', 'crm:wystapienie'] }; } });
  const { report } = await fx.f.runtime.runOnce();
  assert.equal(report.failed, 0);
});
after(async () => {
  await fx?.close();
  await entra?.close();
});

it('an occurrence shows its parent task, its own term, the parent id and the participants; a stranger gets 403', async () => {
  const db = fx.f.demo.companyDbPath;
  const participants = readOptimaCrmParticipants(db);
  const links = [...fx.f.store().loadLinks('crm:wystapienie').values()];
  assert.ok(links.length > 0, 'the demo synced occurrences of recurring tasks');
  // One whose task has participants, so the list is checked too.
  const occurrences = readOptimaCrmOccurrences(db);
  const link = links.find((l) => participants.some((p) => p.taskId === occurrences.find((o) => `crm:wystapienie:${o.id}` === l.sourceKey)?.taskId)) ?? links[0]!;
  const occurrence = occurrences.find((o) => `crm:wystapienie:${o.id}` === link.sourceKey);
  assert.ok(occurrence);
  const task = readOptimaCrmTasks(db).find((t) => t.id === occurrence.taskId);
  assert.ok(task);

  const res = await request(fx.app).get('/api/addin/records').query({ eventId: link.remoteId, idType: 'rest' }).set('Authorization', `Bearer ${tokenFor(link.mailbox)}`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const body = res.body as RecordResponse;
  assert.ok(body.found, JSON.stringify(body));
  const view = body.record as CrmRecordView;
  assert.equal(view.kind, 'crm:wystapienie');
  assert.equal(view.wystapienie, true);
  assert.equal(view.zadanieId, task.id);
  assert.equal(view.numer, task.number);
  assert.equal(view.temat, task.topic);
  assert.equal(view.terminOd, occurrence.from, 'the occurrence\'s own term, not the task\'s');
  assert.equal(view.terminDo, occurrence.to);
  const ofTask = participants.filter((p) => p.taskId === task.id);
  assert.equal(view.uczestnicy.length, ofTask.length);
  for (const p of ofTask) {
    const shown = view.uczestnicy.find((u) => u.nazwisko === (p.name ?? p.acronym));
    assert.ok(shown, `participant ${p.name ?? p.acronym} is listed`);
    assert.equal(shown.organizator, p.organizer);
    assert.equal(shown.email?.toLowerCase() ?? null, p.email?.toLowerCase() ?? null);
  }

  const refused = await request(fx.app).get('/api/addin/records').query({ sourceKey: link.sourceKey }).set('Authorization', `Bearer ${tokenFor('ktos.inny@firma.pl')}`);
  assert.equal(refused.status, 403);
  const admin = await request(fx.app).get('/api/addin/records').query({ sourceKey: link.sourceKey }).set('Authorization', `Bearer ${tokenFor(ADDIN_ADMIN)}`);
  assert.equal((admin.body as RecordResponse).found, true);
});
