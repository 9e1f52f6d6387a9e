import { test } from 'node:test';
import assert from 'node:assert/strict';
import express, { type Express, type RequestHandler } from 'express';
import request from 'supertest';
import type { AddinError, PreviewResponse, SaveTemplatesResponse, TemplatesResponse, TemplateTexts } from '../../shared/addin-api.ts';
import { createAddinTemplatesRouter } from '../../server/api/addin-templates.ts';
import { readExtraForPreview } from '../../server/render/template-service.ts';
import { DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import { collectEvents, createSyncFixture, demoMailboxes, isDated, isInScope, orderKey, readOptimaOrders, type SyncFixture } from '../support/sync-fixture.ts';

const KIND = 'serwis:zlecenie';
const BASE = '/api/addin/templates';
const ADMIN = 'admin@firma.pl';
const DEFAULTS = DEFAULT_TEMPLATES_PL[KIND] as TemplateTexts;

/**
 * Stand-in for server/api/addin-auth.ts: the caller is named by a header; only `admin@…` is an
 * admin. Refuses like the real one (403 forbidden with both messages).
 */
const fakeRequireAdmin: RequestHandler = (req, res, next) => {
  const mailbox = String(req.headers['x-test-user'] ?? '');
  const isAdmin = mailbox.startsWith('admin@');
  res.locals.user = { mailbox, isAdmin };
  if (!isAdmin) {
    const body: AddinError = { error: { code: 'forbidden', message: 'Zmiana szablonów wymaga roli administratora.', messageEn: 'Changing templates needs the admin role.' } };
    res.status(403).json(body);
    return;
  }
  next();
};

async function withApp(body: (app: Express, f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture({ orders: 16 });
  const app = express();
  app.use(BASE, createAddinTemplatesRouter({
    service: f.runtime.templates, requireAdmin: fakeRequireAdmin,
    readRow: (kind, id) => f.runtime.deps.reader.readRow(kind, id),
    readExtra: (row) => readExtraForPreview(f.runtime.deps.reader, f.runtime.settings.extraQueries, row),
  }));
  try {
    await body(app, f);
  } finally {
    await f.close();
  }
}

function firstDatedOrder(f: SyncFixture) {
  const order = readOptimaOrders(f.demo.companyDbPath).find((o) => isInScope(o) && isDated(o));
  assert.ok(order, 'the demo has a dated order');
  return order;
}

test('a non-admin gets 403 on every route and changes nothing', async () => {
  await withApp(async (app, f) => {
    const as = (r: request.Test) => r.set('x-test-user', 'technik@firma.pl');
    const responses = [
      await as(request(app).get(BASE)),
      await as(request(app).post(`${BASE}/preview`)).send({ kind: KIND, texts: DEFAULTS, sourceKey: orderKey(1) }),
      await as(request(app).put(`${BASE}/${KIND}`)).send({ ...DEFAULTS, subject: 'X' }),
      await as(request(app).post(`${BASE}/${KIND}/revert`)).send({ version: 1 }),
    ];
    for (const res of responses) {
      assert.equal(res.status, 403);
      assert.equal((res.body as AddinError).error.code, 'forbidden');
    }
    assert.equal(f.runtime.templates.getTemplates().history.length, 0);
  });
});

test('GET lists the templates in force and the history', async () => {
  await withApp(async (app) => {
    const res = await request(app).get(BASE).set('x-test-user', ADMIN);
    assert.equal(res.status, 200);
    const body = res.body as TemplatesResponse;
    assert.deepEqual(body.kinds[KIND], { texts: DEFAULTS, isDefault: true, version: null });
    assert.deepEqual(body.history, []);
  });
});

test('preview renders the chosen real record with the edited texts, escaped in the body', async () => {
  await withApp(async (app, f) => {
    const order = firstDatedOrder(f);
    const texts = { subject: 'Wizyta {{numer}}', body: '<b>{{numer}}</b> {{opis}}', location: 'Tu: {{klient.adres}}' };
    const res = await request(app).post(`${BASE}/preview`).set('x-test-user', ADMIN).send({ kind: KIND, texts, sourceKey: orderKey(order.id) });
    assert.equal(res.status, 200);
    const body = res.body as PreviewResponse;
    assert.ok(body.ok);
    assert.equal(body.event.subject, `Wizyta ${order.number}`);
    const escaped = (order.description ?? '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;').replace(/`/g, '&#x60;').replace(/=/g, '&#x3D;');
    assert.equal(body.event.bodyHtml, `<b>${order.number}</b> ${escaped}`);
    assert.ok(body.event.location.startsWith('Tu:'));

    const broken = await request(app).post(`${BASE}/preview`).set('x-test-user', ADMIN)
      .send({ kind: KIND, texts: { ...texts, subject: 'A\n{{#if numer}}B' }, sourceKey: orderKey(order.id) });
    assert.equal(broken.status, 200);
    assert.deepEqual((broken.body as PreviewResponse & { ok: false }).problems.map((p) => [p.part, p.line]), [['subject', 2]]);

    const missing = await request(app).post(`${BASE}/preview`).set('x-test-user', ADMIN).send({ kind: KIND, texts, sourceKey: orderKey(987654) });
    assert.equal(missing.status, 404);
    assert.equal((missing.body as AddinError).error.code, 'not_found');

    const wrongKey = await request(app).post(`${BASE}/preview`).set('x-test-user', ADMIN).send({ kind: KIND, texts, sourceKey: 'crm:zadanie:5' });
    assert.equal(wrongKey.status, 400);
    assert.equal((wrongKey.body as AddinError).error.code, 'bad_request');
    assert.ok((wrongKey.body as AddinError).error.messageEn.length > 0);
  });
});

test('PUT saves (refusing a broken template at its line), the next run updates the events, revert restores', async () => {
  await withApp(async (app, f) => {
    await f.runtime.runOnce();
    const before = collectEvents(f.target, demoMailboxes());
    assert.ok(before.size > 0);

    const broken = await request(app).put(`${BASE}/${KIND}`).set('x-test-user', ADMIN).send({ ...DEFAULTS, body: '<p>\n{{#if opis}}\n{{opis}}' });
    assert.equal(broken.status, 200);
    const refused = broken.body as SaveTemplatesResponse;
    assert.ok(!refused.ok);
    assert.equal(refused.problems[0].part, 'body');
    assert.equal(refused.problems[0].line, 3);
    assert.equal(f.runtime.templates.getTemplates().history.length, 0, 'nothing saved');

    // The kind in the path as a client sends it (encoded colon).
    const saved = await request(app).put(`${BASE}/${encodeURIComponent(KIND)}`).set('x-test-user', ADMIN).send({ ...DEFAULTS, subject: 'NOWY {{numer}}' });
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body, { ok: true, version: 1 });
    const listed = (await request(app).get(BASE).set('x-test-user', ADMIN)).body as TemplatesResponse;
    assert.deepEqual(listed.kinds[KIND], { texts: { ...DEFAULTS, subject: 'NOWY {{numer}}' }, isDefault: false, version: 1 });
    assert.equal(listed.history[0].savedBy, ADMIN);

    const run = await f.runtime.runOnce();
    assert.equal(run.report.mode, 'full');
    assert.equal(run.report.updated, before.size);
    assert.ok([...collectEvents(f.target, demoMailboxes()).values()].every((e) => e.event.subject.startsWith('NOWY ')));

    const bad = await request(app).post(`${BASE}/${KIND}/revert`).set('x-test-user', ADMIN).send({ version: 'one' });
    assert.equal(bad.status, 400);
    const unknown = await request(app).post(`${BASE}/${KIND}/revert`).set('x-test-user', ADMIN).send({ version: 7 });
    assert.equal(unknown.status, 404);

    // Back to the built-in texts: save them as a version, then revert to it after another change.
    await request(app).put(`${BASE}/${KIND}`).set('x-test-user', ADMIN).send(DEFAULTS);
    await request(app).put(`${BASE}/${KIND}`).set('x-test-user', ADMIN).send({ ...DEFAULTS, subject: 'INNY {{numer}}' });
    const reverted = await request(app).post(`${BASE}/${KIND}/revert`).set('x-test-user', ADMIN).send({ version: 2 });
    assert.deepEqual(reverted.body, { ok: true, version: 4 });
    const back = await f.runtime.runOnce();
    assert.equal(back.report.error, null);
    const after = collectEvents(f.target, demoMailboxes());
    for (const [key, e] of after) assert.equal(e.event.subject, before.get(key)?.event.subject, key);
  });
});

test('bad requests: an unknown kind, texts missing, malformed JSON — each an AddinError', async () => {
  await withApp(async (app) => {
    const unknownKind = await request(app).put(`${BASE}/crm:zadanie`).set('x-test-user', ADMIN).send(DEFAULTS);
    assert.equal(unknownKind.status, 404);
    assert.equal((unknownKind.body as AddinError).error.code, 'not_found');
    const noTexts = await request(app).put(`${BASE}/${KIND}`).set('x-test-user', ADMIN).send({ subject: 'x' });
    assert.equal(noTexts.status, 400);
    assert.equal((noTexts.body as AddinError).error.code, 'bad_request');
    const malformed = await request(app).put(`${BASE}/${KIND}`).set('x-test-user', ADMIN).set('content-type', 'application/json').send('{"subject": ');
    assert.equal(malformed.status, 400);
    assert.equal((malformed.body as AddinError).error.code, 'bad_request');
    const previewNoKey = await request(app).post(`${BASE}/preview`).set('x-test-user', ADMIN).send({ kind: KIND, texts: DEFAULTS });
    assert.equal(previewNoKey.status, 400);
  });
});
