import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQueryParams, selectKindQueries, FULL_READ_SINCE } from '../../server/source/optima/build-query-params.ts';
import { QUERY_NAMES, QUERY_PARAMS } from '../../server/source/optima/optima-queries.ts';
import type { RecordKind } from '../../server/domain/types.ts';
import { isSourceError } from '../../server/source/source-error.ts';

test('activity queries get the order scope and the "reserved in the Terminarz" switch, default on', () => {
  const scope = { includeDrafts: true };
  assert.deepEqual(buildQueryParams('serwis-czynnosci-changed', { since: null, scope }), { since: FULL_READ_SINCE, maxBufor: 32767, onlyReserved: 1 });
  assert.deepEqual(buildQueryParams('serwis-czynnosci-ids', { scope: { includeDrafts: false, onlyReservedActivities: false } }), { maxBufor: 0, onlyReserved: 0 });
  assert.deepEqual(buildQueryParams('serwis-czynnosci-by-id', { id: 7, scope }), { id: 7, maxBufor: 32767, onlyReserved: 1 });
  // Every query gets exactly the parameters its file declares.
  for (const name of ['serwis-czynnosci-changed', 'serwis-czynnosci-by-id', 'serwis-czynnosci-ids', 'serwis-czynnosci-checksum', 'serwis-zlecenia-changed', 'serwis-zlecenia-ids'] as const) {
    const params = buildQueryParams(name, { since: null, id: 1, scope });
    assert.deepEqual(Object.keys(params).sort(), [...QUERY_PARAMS[name]].sort(), name);
  }
});

test('CRM task queries get the contacts, cancelled and occurrences-apart switches, all off by default', () => {
  const scope = { includeDrafts: true };
  assert.deepEqual(buildQueryParams('crm-zadania-changed', { since: null, scope }), { since: FULL_READ_SINCE, withContacts: 0, withCancelled: 0, occurrencesApart: 0 });
  assert.deepEqual(
    buildQueryParams('crm-zadania-ids', { scope: { includeDrafts: false, crmContacts: true, crmCancelled: true, crmOccurrences: true } }),
    { withContacts: 1, withCancelled: 1, occurrencesApart: 1 },
  );
  assert.deepEqual(buildQueryParams('crm-zadania-by-id', { id: 7, scope }), { id: 7, withContacts: 0, withCancelled: 0, occurrencesApart: 0 });
});

test('occurrence and participant queries get the CRM scope of their tasks; participants by id only the task id', () => {
  const scope = { includeDrafts: true, crmContacts: true, crmOccurrences: true, crmParticipants: true };
  assert.deepEqual(buildQueryParams('crm-wystapienia-changed', { since: null, scope }), { since: FULL_READ_SINCE, withContacts: 1, withCancelled: 0 });
  assert.deepEqual(buildQueryParams('crm-wystapienia-by-id', { id: 9, scope }), { id: 9, withContacts: 1, withCancelled: 0 });
  assert.deepEqual(buildQueryParams('crm-uczestnicy-changed', { since: '2026-05-01 10:00:00', scope }), { since: '2026-05-01 10:00:00.000', withContacts: 1, withCancelled: 0 });
  assert.deepEqual(buildQueryParams('crm-uczestnicy-by-id', { id: 4, scope }), { id: 4 });
  assert.throws(() => buildQueryParams('crm-uczestnicy-by-id', { scope }), /crm:wystapienie:<numer>/);
});

test('every built-in query gets exactly the parameters its file declares', () => {
  const scopes = [{ includeDrafts: true }, { includeDrafts: false, onlyReservedActivities: false, crmContacts: true, crmCancelled: true, crmOccurrences: true, crmParticipants: true }];
  for (const scope of scopes) {
    for (const name of QUERY_NAMES) {
      const params = buildQueryParams(name, { since: null, id: 1, scope });
      assert.deepEqual(Object.keys(params).sort(), [...QUERY_PARAMS[name]].sort(), name);
    }
  }
});

test('each syncable kind has its four queries; an unknown kind fails loudly naming sync.kinds', () => {
  assert.equal(selectKindQueries('serwis:zlecenie').changed, 'serwis-zlecenia-changed');
  assert.deepEqual(selectKindQueries('serwis:czynnosc'), {
    changed: 'serwis-czynnosci-changed', byId: 'serwis-czynnosci-by-id', ids: 'serwis-czynnosci-ids', checksum: 'serwis-czynnosci-checksum', idColumn: 'SrY_SrYId',
  });
  assert.equal(selectKindQueries('crm:zadanie').idColumn, 'CRK_CRKId');
  assert.deepEqual(selectKindQueries('crm:wystapienie'), {
    changed: 'crm-wystapienia-changed', byId: 'crm-wystapienia-by-id', ids: 'crm-wystapienia-ids', checksum: 'crm-wystapienia-checksum', idColumn: 'CRC_CRCId',
  });
  assert.throws(() => selectKindQueries('crm:kontakt' as RecordKind), (e: unknown) => isSourceError(e) && e.data.code === 'unsupported-kind' && /sync\.kinds/.test(e.message));
});
