import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderEvent } from '../../server/render/render-event.ts';
import type { RenderContext, RenderResult } from '../../server/render/render-event.ts';
import { compileTemplates } from '../../server/render/templates.ts';
import { DEFAULT_TEMPLATES_PL } from '../../server/render/default-templates.ts';
import type { LookRule, RecordFilter } from '../../server/config/schema.ts';
import type { CalendarEvent, SourceRow } from '../../server/domain/types.ts';
import { makeOrderRow } from './sample-rows.ts';

const compiled = compileTemplates(DEFAULT_TEMPLATES_PL);
if (!compiled.ok) throw new Error('default templates must compile');
const BASE: RenderContext = { compiled: compiled.compiled, timeZone: 'Europe/Warsaw', defaultDurationMinutes: 60 };
const NO_FILTER: RecordFilter = { states: null, stages: null, people: null, numberPrefixes: null, daysBack: null, daysAhead: null };

function rule(partial: Partial<Omit<LookRule, 'when'>> & { when?: Partial<LookRule['when']> }): LookRule {
  return {
    remove: false, category: null, color: null, showAs: null, subjectPrefix: null, ...partial,
    when: { states: [], stages: [], draft: null, done: null, ...partial.when },
  };
}
function render(row: SourceRow, ctx: Partial<RenderContext> = {}): RenderResult {
  return renderEvent(row, 'jan@firma.pl', { ...BASE, ...ctx });
}
function eventOf(r: RenderResult): CalendarEvent {
  if (!('desired' in r)) throw new Error(`expected an event, got: ${JSON.stringify(r.skip)}`);
  return r.desired.event;
}
function skipDetail(r: RenderResult): string {
  if (!('skip' in r)) throw new Error('expected a skip');
  assert.equal(r.skip.reason, 'filtered');
  return r.skip.detail;
}

test('a look rule on the state sets category, show-as and subject prefix; other states keep the built-in look', () => {
  const looks = { 'serwis:zlecenie': [rule({ when: { states: ['w realizacji'] }, category: 'Pilne', showAs: 'tentative', subjectPrefix: '⚡ ' })] };
  const matched = eventOf(render(makeOrderRow(), { looks }));
  assert.equal(matched.showAs, 'tentative');
  assert.ok(matched.subject.startsWith('⚡ ZS/12/2026'), matched.subject);
  assert.deepEqual(matched.categories, ['Optima Serwis', 'W realizacji', 'Pilne']);
  const other = eventOf(render(makeOrderRow({ fields: { stan: 'Do realizacji', stanKod: 0 } }), { looks }));
  assert.equal(other.showAs, 'busy');
  assert.deepEqual(other.categories, ['Optima Serwis', 'Do realizacji']);
});

test('a status change changes the category and show-as (same record, two states)', () => {
  const looks = { 'serwis:zlecenie': [rule({ when: { states: ['Zrealizowane'] }, category: 'Gotowe', showAs: 'free' })] };
  const before = eventOf(render(makeOrderRow(), { looks }));
  const after = eventOf(render(makeOrderRow({ fields: { stan: 'Zrealizowane', stanKod: 2 } }), { looks }));
  assert.deepEqual([before.showAs, after.showAs], ['busy', 'free']);
  assert.ok(!before.categories.includes('Gotowe'));
  assert.ok(after.categories.includes('Gotowe'));
});

test('a rule with remove: true takes the record off the calendar and names the rule', () => {
  const looks = { 'serwis:zlecenie': [rule({ when: { stages: ['ANUL'] }, remove: true })] };
  const detail = skipDetail(render(makeOrderRow({ fields: { etap: 'anul' } }), { looks }));
  assert.match(detail, /looks\.serwis:zlecenie\[0\] \(remove: true\)/);
  assert.ok('desired' in render(makeOrderRow({ fields: { etap: 'PRZYJETE' } }), { looks }));
});

test('filters: state, stage, person and number prefix allow-lists say what left the record out', () => {
  const placed = (f: Partial<RecordFilter>) => ({ 'serwis:zlecenie': { filter: { ...NO_FILTER, ...f }, path: 'filters.serwis:zlecenie' } });
  assert.match(skipDetail(render(makeOrderRow(), { filters: placed({ states: ['Zrealizowane'] }) })), /stan „W realizacji” nie jest na liście filters\.serwis:zlecenie\.states/);
  assert.match(skipDetail(render(makeOrderRow(), { filters: placed({ people: ['pracownik:99'] }) })), /spoza listy filters\.serwis:zlecenie\.people/);
  assert.match(skipDetail(render(makeOrderRow(), { filters: placed({ numberPrefixes: ['SRW/'] }) })), /numberPrefixes/);
  assert.ok('desired' in render(makeOrderRow(), { filters: placed({ numberPrefixes: ['zs/'], states: ['w realizacji'] }) }));
});

test('filters: the date window leaves out what ended before daysBack and what starts after daysAhead', () => {
  // The sample order is on 2026-03-30.
  const filters = { 'serwis:zlecenie': { filter: { ...NO_FILTER, daysBack: 10, daysAhead: 20 }, path: 'filters.default' } };
  assert.ok('desired' in render(makeOrderRow(), { filters, today: '2026-04-09' }), '10 days after: still in');
  assert.match(skipDetail(render(makeOrderRow(), { filters, today: '2026-04-10' })), /starszy niż 10 dni \(filters\.default\.daysBack\)/);
  assert.ok('desired' in render(makeOrderRow(), { filters, today: '2026-03-10' }), '20 days before: in');
  assert.match(skipDetail(render(makeOrderRow(), { filters, today: '2026-03-09' })), /później niż za 20 dni/);
  assert.ok('desired' in render(makeOrderRow(), { filters }), 'no clock (preview): no window');
});

test("Optima's own reminder wins over the calendar default; importance and attendees only when set", () => {
  const row: SourceRow = { ...makeOrderRow(), reminderAt: '2026-03-30T07:30:00', importance: 'high' };
  const e = eventOf(render(row, { reminderMinutes: 15 }));
  assert.equal(e.isReminderOn, true);
  assert.equal(e.reminderMinutesBeforeStart, 60);
  assert.equal(e.importance, 'high');
  const plain = eventOf(render(makeOrderRow()));
  assert.equal(plain.reminderMinutesBeforeStart, 15);
  assert.ok(!('importance' in plain) && !('attendees' in plain), 'older events keep the same fields (and render hash)');
});

test('participants become attendees only with the option, with an e-mail, without the owner, each once', () => {
  const row: SourceRow = {
    ...makeOrderRow(), key: 'crm:zadanie:5', kind: 'crm:zadanie', fields: { ...makeOrderRow().fields, stan: 'otwarte' },
    participants: [
      { name: 'Ewa Nowak', email: 'Ewa@Firma.pl', organizer: false },
      { name: 'Jan', email: 'jan@firma.pl', organizer: true },
      { name: 'Bez maila', email: null, organizer: false },
      { name: 'Ewa again', email: 'ewa@firma.pl', organizer: false },
    ],
  };
  assert.ok(!('attendees' in eventOf(render(row))), 'off by default');
  assert.deepEqual(eventOf(render(row, { participantsAsAttendees: true })).attendees, [{ name: 'Ewa Nowak', email: 'ewa@firma.pl' }]);
  assert.deepEqual(eventOf(render({ ...row, participants: [] }, { participantsAsAttendees: true })).attendees, [], 'an empty list removes earlier attendees');
  assert.equal(eventOf(render(row)).importance, 'normal', 'a CRM record without a priority sends normal, so a priority taken back clears it');
});

test('participants are listed in the CRM body by default, and not with crm.participantsInBody: false', () => {
  const row: SourceRow = {
    ...makeOrderRow(), key: 'crm:zadanie:5', kind: 'crm:zadanie',
    fields: { temat: 'Spotkanie', stan: 'otwarte', uczestnicy: [{ nazwisko: 'Ewa Nowak', email: 'ewa@firma.pl', organizator: false }] },
  };
  assert.match(eventOf(render(row)).bodyHtml, /Ewa Nowak/);
  assert.doesNotMatch(eventOf(render(row, { participantsInBody: false })).bodyHtml, /Ewa Nowak/);
});

test("a further company's record is named with its company in messages; the main company's is not", () => {
  const polnoc = makeOrderRow({ key: 'polnoc/serwis:zlecenie:12', fields: { firma: { kod: 'polnoc', nazwa: 'Serwis Północ' } } });
  const main = makeOrderRow({ fields: { firma: { kod: null, nazwa: 'Serwis Demo' } } });
  const filters = { 'serwis:zlecenie': { filter: { ...NO_FILTER, states: ['Zrealizowane'] }, path: 'filters.default' } };
  assert.match(skipDetail(render(polnoc, { filters })), /^Zlecenie ZS\/12\/2026 \(Serwis Północ\) nie trafia/);
  assert.match(skipDetail(render(main, { filters })), /^Zlecenie ZS\/12\/2026 nie trafia/);
});

test('a record outside the filters is reported as filtered, not as missing a mailbox', () => {
  const filters = { 'serwis:zlecenie': { filter: { ...NO_FILTER, daysBack: 10 }, path: 'filters.default' } };
  const old = renderEvent(makeOrderRow({ owner: null }), null, { ...BASE, filters, today: '2027-01-01' });
  assert.match(skipDetail(old), /filters\.default\.daysBack/);
});
