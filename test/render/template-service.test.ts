import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogEvent } from '../../server/domain/logger.ts';
import type { TemplateTexts } from '../../shared/addin-api.ts';
import { createTemplateService, type TemplateService, type TemplateServiceOptions } from '../../server/render/template-service.ts';
import { DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import { openTemplateStore, type TemplateStore } from '../../server/state/template-store.ts';
import { collectEvents, createSyncFixture, demoMailboxes, orderKey, readOptimaOrders, isDated, isInScope, type SyncFixture } from '../support/sync-fixture.ts';
import { makeOrderRow } from './sample-rows.ts';

const KIND = 'serwis:zlecenie';
const DEFAULTS = DEFAULT_TEMPLATES_PL[KIND] as TemplateTexts;
const NOW = new Date('2026-05-15T10:00:00Z');

function makeService(store: TemplateStore, overrides: Partial<TemplateServiceOptions> = {}): TemplateService {
  const created = createTemplateService({
    store, kinds: [KIND], base: DEFAULT_TEMPLATES_PL,
    render: { timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60, reminderMinutes: 15 },
    now: () => NOW, ...overrides,
  });
  if (!created.ok) throw new Error(`service not created: ${JSON.stringify(created.errors)}`);
  return created.service;
}

function withService(body: (service: TemplateService, store: TemplateStore) => void | Promise<void>): () => Promise<void> {
  return async () => {
    const store = openTemplateStore(':memory:');
    try {
      await body(makeService(store), store);
    } finally {
      store.close();
    }
  };
}

const EDITED: TemplateTexts = {
  subject: 'Serwis {{numer}} <b>{{klient.nazwa}}</b>',
  body: '<h1>{{numer}}</h1>\n<p>{{opis}}</p>',
  location: 'Adres: {{klient.adres}}',
};

/** `{{#if}}` opened on line 2 and never closed. */
const BROKEN_BODY = '<p>{{numer}}</p>\n{{#if opis}}\n<p>{{opis}}</p>\n';

test('nothing saved: the configured texts are in force, marked default, with no history', withService((service) => {
  const answer = service.getTemplates();
  assert.deepEqual(answer.kinds[KIND], { texts: DEFAULTS, isDefault: true, version: null });
  assert.deepEqual(answer.history, []);
}));

test('a save puts the texts in force as version 1 and records who saved it', withService((service, store) => {
  const before = service.current();
  const result = service.save(KIND, EDITED, ' Anna@Firma.pl ');
  assert.deepEqual(result, { ok: true, version: 1 });
  assert.notEqual(service.current(), before, 'a new set is in force');
  assert.deepEqual(service.current().set[KIND], EDITED);
  const answer = service.getTemplates();
  assert.deepEqual(answer.kinds[KIND], { texts: EDITED, isDefault: false, version: 1 });
  assert.deepEqual(answer.history, [{ version: 1, kind: KIND, savedAt: NOW.toISOString(), savedBy: 'anna@firma.pl', texts: EDITED }]);
  assert.equal(store.listVersions().length, 1);
}));

test('a broken template is refused with its part and line; nothing is saved and the old set stays', withService((service, store) => {
  const before = service.current();
  const result = service.save(KIND, { ...EDITED, body: BROKEN_BODY }, 'anna@firma.pl');
  assert.equal(result.ok, false);
  assert.ok('problems' in result);
  assert.equal(result.problems.length, 1);
  const [problem] = result.problems;
  assert.equal(problem.part, 'body');
  // Handlebars notices the missing {{/if}} where the text ends.
  assert.equal(problem.line, BROKEN_BODY.split('\n').length);
  assert.match(problem.message, /Błąd składni/);
  assert.equal(service.current(), before, 'the set in force did not change');
  assert.deepEqual(store.listVersions(), []);
  assert.equal(service.getTemplates().kinds[KIND]?.isDefault, true);
}));

test('an unknown helper is refused at the line it is on, naming the part', withService((service) => {
  const result = service.save(KIND, { ...EDITED, location: 'Adres\n{{wielkie klient.adres}}' }, 'anna@firma.pl');
  assert.ok('problems' in result && !result.ok);
  assert.deepEqual(result.problems.map((p) => [p.part, p.line]), [['location', 2]]);
  assert.match(result.problems[0].message, /Nieznany helper „wielkie”/);
}));

test('revert saves the old texts as a new version; an unknown version is refused', withService((service) => {
  service.save(KIND, EDITED, 'anna@firma.pl');
  service.save(KIND, { ...EDITED, subject: 'Inny {{numer}}' }, 'anna@firma.pl');
  const back = service.revert(KIND, 1, 'jan@firma.pl');
  assert.deepEqual(back, { ok: true, version: 3 });
  assert.deepEqual(service.current().set[KIND], EDITED);
  const answer = service.getTemplates();
  assert.deepEqual(answer.kinds[KIND], { texts: EDITED, isDefault: false, version: 3 });
  assert.deepEqual(answer.history.map((v) => [v.version, v.savedBy]), [[3, 'jan@firma.pl'], [2, 'anna@firma.pl'], [1, 'anna@firma.pl']]);
  const missing = service.revert(KIND, 9, 'jan@firma.pl');
  assert.ok('refused' in missing);
  assert.equal(missing.refused.code, 'not_found');
  assert.match(missing.refused.message, /wersji 9/);
}));

test('an unknown kind is refused as not found', withService((service) => {
  const result = service.save('crm:zadanie', EDITED, 'anna@firma.pl');
  assert.ok('refused' in result);
  assert.equal(result.refused.code, 'not_found');
  assert.ok(result.refused.messageEn.length > 0);
}));

test('preview renders the record with the draft texts, escaping the body only; nothing is saved', withService((service, store) => {
  const row = makeOrderRow({ fields: { opis: '<script>alert("x")</script> & reszta', klient: { nazwa: 'A&B <Serwis>', adres: 'ul. Długa 1' } } });
  const result = service.preview(KIND, EDITED, row);
  assert.ok(result.ok && 'event' in result);
  assert.equal(result.event.subject, `Serwis ${row.fields.numer} <b>A&B <Serwis></b>`);
  assert.equal(result.event.location, 'Adres: ul. Długa 1');
  assert.ok(result.event.bodyHtml.includes(`<h1>${row.fields.numer}</h1>`));
  assert.ok(result.event.bodyHtml.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; reszta'), result.event.bodyHtml);
  assert.ok(!result.event.bodyHtml.includes('<script>'));
  assert.equal(result.event.start, row.start);
  assert.equal(result.event.timeZone, 'Europe/Warsaw');
  assert.deepEqual(store.listVersions(), []);
  assert.equal(service.getTemplates().kinds[KIND]?.isDefault, true);
}));

test('preview of a broken draft answers with the problems, of a failing render with the part', withService((service) => {
  const broken = service.preview(KIND, { ...EDITED, body: BROKEN_BODY }, makeOrderRow());
  assert.ok(!broken.ok && 'problems' in broken);
  assert.deepEqual(broken.problems.map((p) => [p.part, p.line]), [['body', BROKEN_BODY.split('\n').length]]);
  // {{#each}} without a list compiles but throws when rendered.
  const failing = service.preview(KIND, { ...EDITED, subject: '{{#each}}x{{/each}}' }, makeOrderRow());
  assert.ok(!failing.ok && 'problems' in failing);
  assert.equal(failing.problems[0].part, 'subject');
  assert.match(failing.problems[0].message, /#each/);
}));

test('preview of a record without a date is refused with a sentence that says to pick another', withService((service) => {
  const result = service.preview(KIND, EDITED, makeOrderRow({ start: null }));
  assert.ok('refused' in result);
  assert.equal(result.refused.code, 'bad_request');
  assert.match(result.refused.message, /inny rekord/);
}));

test('a saved version that no longer compiles is set aside with a warning; the configured texts run', () => {
  const store = openTemplateStore(':memory:');
  try {
    store.saveVersion({ kind: KIND, texts: { ...EDITED, body: BROKEN_BODY }, savedBy: 'anna@firma.pl', savedAt: NOW.toISOString() });
    const logged: LogEvent[] = [];
    const service = makeService(store, { logger: { log: (e) => { logged.push(e); } } });
    assert.deepEqual(service.current().set[KIND], DEFAULTS);
    assert.equal(service.getTemplates().kinds[KIND]?.version, null);
    assert.ok(logged.some((e) => e.level === 'warn' && /wersja 1/.test(e.message)), JSON.stringify(logged));
  } finally {
    store.close();
  }
});

// ── The runtime: the next sync applies a save, a revert, and a restart keeps them ─────────────

async function withFixture(body: (f: SyncFixture) => Promise<void>): Promise<void> {
  const f = createSyncFixture({ orders: 24 });
  try {
    await body(f);
  } finally {
    await f.close();
  }
}

function subjects(f: SyncFixture): Map<string, string> {
  return new Map([...collectEvents(f.target, demoMailboxes())].map(([key, e]) => [key, e.event.subject]));
}

test('a save makes the next run a full pass that updates every event; a broken save changes nothing', async () => {
  await withFixture(async (f) => {
    const first = await f.runtime.runOnce();
    assert.equal(first.report.error, null);
    const before = subjects(f);
    assert.ok(before.size > 5, `events were created (${before.size})`);

    const idle = await f.runtime.runOnce();
    assert.equal(idle.report.mode, 'incremental');
    assert.equal(idle.report.updated, 0);

    const refused = f.runtime.templates.save(KIND, { ...EDITED, body: BROKEN_BODY }, 'anna@firma.pl');
    assert.equal(refused.ok, false);
    const unchanged = await f.runtime.runOnce();
    assert.equal(unchanged.report.updated, 0, 'old templates still in force');
    assert.deepEqual(subjects(f), before);

    const fingerprint = f.runtime.settings.renderFingerprint;
    const saved = f.runtime.templates.save(KIND, { ...DEFAULTS, subject: 'ZMIANA {{numer}}' }, 'anna@firma.pl');
    assert.deepEqual(saved, { ok: true, version: 1 });
    assert.notEqual(f.runtime.settings.renderFingerprint, fingerprint, 'the fingerprint moved');

    f.clock.advance(60_000);
    const next = await f.runtime.runOnce();
    assert.equal(next.report.error, null);
    assert.equal(next.report.mode, 'full');
    assert.equal(next.report.updated, before.size, 'every event updated');
    assert.equal(next.report.created + next.report.deleted, 0);
    const after = subjects(f);
    assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
    const orders = new Map(readOptimaOrders(f.demo.companyDbPath).filter((o) => isInScope(o) && isDated(o)).map((o) => [orderKey(o.id), o]));
    for (const [key, subject] of after) assert.equal(subject, `ZMIANA ${orders.get(key)?.number}`, key);

    const quiet = await f.runtime.runOnce();
    assert.equal(quiet.report.mode, 'incremental', 'one full pass, then back to incremental');
    assert.equal(quiet.report.updated, 0);
  });
});

test('revert restores the older texts on the next run; a restart keeps the saved templates', async () => {
  await withFixture(async (f) => {
    await f.runtime.runOnce();
    f.runtime.templates.save(KIND, { ...DEFAULTS, subject: 'PIERWSZA {{numer}}' }, 'anna@firma.pl');
    await f.runtime.runOnce();
    f.runtime.templates.save(KIND, { ...DEFAULTS, subject: 'DRUGA {{numer}}' }, 'anna@firma.pl');
    await f.runtime.runOnce();
    assert.ok([...subjects(f).values()].every((s) => s.startsWith('DRUGA ')));

    assert.deepEqual(f.runtime.templates.revert(KIND, 1, 'jan@firma.pl'), { ok: true, version: 3 });
    const reverted = await f.runtime.runOnce();
    assert.equal(reverted.report.mode, 'full');
    const now = subjects(f);
    assert.equal(reverted.report.updated, now.size);
    assert.ok([...now.values()].every((s) => s.startsWith('PIERWSZA ')), [...now.values()].join(' | '));

    const restarted = f.buildAnotherRuntime();
    assert.deepEqual(restarted.templates.getTemplates().kinds[KIND], { texts: { ...DEFAULTS, subject: 'PIERWSZA {{numer}}' }, isDefault: false, version: 3 });
    assert.equal(restarted.settings.renderFingerprint, f.runtime.settings.renderFingerprint);
    const afterRestart = await restarted.runOnce();
    assert.equal(afterRestart.report.error, null);
    assert.equal(afterRestart.report.mode, 'incremental', 'same templates after a restart: no full pass');
    assert.equal(afterRestart.report.updated, 0);
  });
});

test('preview renders a real demo record read from the source with the edited texts', async () => {
  await withFixture(async (f) => {
    const order = readOptimaOrders(f.demo.companyDbPath).find((o) => isInScope(o) && isDated(o));
    assert.ok(order);
    const row = await f.runtime.deps.reader.readRow(KIND, order.id);
    assert.ok(row);
    const result = f.runtime.templates.preview(KIND, { subject: 'Podgląd {{numer}}', body: '<p>{{opis}}</p>', location: '{{klient.adres}}' }, row);
    assert.ok(result.ok && 'event' in result);
    assert.equal(result.event.subject, `Podgląd ${order.number}`);
    assert.ok(result.event.bodyHtml.startsWith('<p>'));
    assert.equal(f.runtime.templates.getTemplates().kinds[KIND]?.isDefault, true, 'a preview saves nothing');
    assert.equal(await f.runtime.deps.reader.readRow(KIND, 987654), null);
  });
});
