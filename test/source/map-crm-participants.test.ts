import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attachCrmParticipants, mapCrmParticipants, selectCrmTaskId } from '../../server/source/optima/map-crm-participants.ts';
import type { SourceRow } from '../../server/domain/types.ts';

/** A row as crm-uczestnicy-*.sql returns it. */
function participant(patch: Record<string, unknown>): Record<string, unknown> {
  return {
    CrU_CrUId: 1, CrU_CrKId: 10, CrU_PodmiotTyp: 3, CrU_PodmiotId: 1,
    CrU_Akronim: 'JKOWALSKI', CrU_Nazwisko: 'Jan Kowalski', CrU_Email: 'jan.kowalski@firma.pl', CrU_Organizator: 0,
    ...patch,
  };
}

function record(kind: SourceRow['kind'], id: number, fields: Record<string, unknown> = {}): SourceRow {
  return { key: `${kind}:${id}`, kind, id, modifiedAt: '2026-05-14 15:00:00.000', start: '2026-05-20T09:00:00', end: null, owner: null, fields: { temat: 'X', ...fields }, columns: {} };
}

test('participants are grouped by task in the query\'s order; name from CrU_Nazwisko, else the acronym; e-mail lower case or null', () => {
  const byTask = mapCrmParticipants([
    participant({ CrU_CrUId: 1, CrU_Organizator: 1 }),
    participant({ CrU_CrUId: 2, CrU_Nazwisko: '  ', CrU_Akronim: 'GSOBCZAK', CrU_Email: '' }),
    participant({ CrU_CrUId: 3, CrU_Nazwisko: 'Katarzyna Nowak', CrU_Email: ' KATARZYNA.NOWAK@Firma.PL ' }),
    participant({ CrU_CrUId: 4, CrU_CrKId: 11, CrU_Nazwisko: 'Ewa Zielińska', CrU_Email: 'ewa@klient.pl; biuro@klient.pl' }),
    participant({ CrU_CrUId: 5, CrU_CrKId: 11, CrU_Nazwisko: null, CrU_Akronim: null, CrU_Email: 'Sam@Adres.pl' }),
    participant({ CrU_CrUId: 6, CrU_CrKId: 11, CrU_Nazwisko: '', CrU_Akronim: '', CrU_Email: null }),
  ]);
  assert.deepEqual(byTask.get(10), [
    { name: 'Jan Kowalski', email: 'jan.kowalski@firma.pl', organizer: true },
    { name: 'GSOBCZAK', email: null, organizer: false },
    { name: 'Katarzyna Nowak', email: 'katarzyna.nowak@firma.pl', organizer: false },
  ]);
  assert.deepEqual(byTask.get(11), [
    { name: 'Ewa Zielińska', email: null, organizer: false },
    { name: 'sam@adres.pl', email: 'sam@adres.pl', organizer: false },
  ], 'two addresses in one field are not one address; a participant with nothing to show is left out');
  assert.equal(byTask.has(12), false);
});

test('a participant row without its task id is refused with the column to return', () => {
  assert.throws(() => mapCrmParticipants([participant({ CrU_CrKId: null })]), /CrU_CrKId/);
  assert.throws(() => mapCrmParticipants([participant({ CrU_CrKId: undefined })]), /brak kolumny/);
});

test('a task gets its own participants, an occurrence its task\'s; both as Participant[] and as template fields', () => {
  const byTask = mapCrmParticipants([participant({ CrU_Organizator: 1 }), participant({ CrU_CrUId: 2, CrU_Nazwisko: 'GSOBCZAK', CrU_Email: '' })]);
  const task = attachCrmParticipants(record('crm:zadanie', 10), byTask);
  assert.deepEqual(task.participants, byTask.get(10));
  assert.deepEqual(task.fields.uczestnicy, [
    { nazwisko: 'Jan Kowalski', email: 'jan.kowalski@firma.pl', organizator: true },
    { nazwisko: 'GSOBCZAK', email: null, organizator: false },
  ]);
  assert.equal(task.fields.temat, 'X', 'the other fields stay');
  const occurrence = attachCrmParticipants(record('crm:wystapienie', 3, { zadanieId: 10, wystapienie: true }), byTask);
  assert.deepEqual(occurrence.participants, byTask.get(10));
  assert.equal(selectCrmTaskId(occurrence), 10);
  const lonely = attachCrmParticipants(record('crm:zadanie', 99), byTask);
  assert.deepEqual(lonely.participants, []);
  assert.deepEqual(lonely.fields.uczestnicy, []);
  assert.equal(selectCrmTaskId(record('serwis:zlecenie', 10)), null);
});
