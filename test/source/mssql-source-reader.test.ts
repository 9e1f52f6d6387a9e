import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import mssql from 'mssql';
import { createMssqlSourceReader, toMssqlInput, type MssqlPoolLike, type MssqlRequestLike } from '../../server/source/mssql-source-reader.ts';
import { builtinQueryPath } from '../../server/source/optima/optima-queries.ts';
import { isSourceError } from '../../server/source/source-error.ts';

/**
 * No SQL Server here: the adapter runs against a recording stand-in for the mssql pool (what it
 * sends: SQL text, parameter names, types and values) and, for connection errors, against the
 * real mssql driver pointed at a closed port.
 */

interface Sent {
  readonly database: string | undefined;
  readonly sql: string;
  readonly inputs: Record<string, { type: unknown; value: unknown }>;
}

function recordingPools(answer: (sent: Sent) => Record<string, unknown>[]) {
  const sent: Sent[] = [];
  const opened: string[] = [];
  const openPool = async (config: mssql.config): Promise<MssqlPoolLike> => {
    opened.push(String(config.database));
    return {
      request(): MssqlRequestLike {
        const inputs: Sent['inputs'] = {};
        const request: MssqlRequestLike = {
          input(name, type, value) {
            inputs[name] = { type, value };
            return request;
          },
          async query(sql) {
            const s = { database: config.database, sql, inputs };
            sent.push(s);
            return { recordset: answer(s) };
          },
        };
        return request;
      },
      async close() {},
    };
  };
  return { sent, opened, openPool };
}

const company: mssql.config = { server: 'optima.local', database: 'CDN_Firma', user: 'sync', password: 'S3kret!Haslo' };
const config: mssql.config = { server: 'optima.local', database: 'CDN_KNF_Konfiguracja', user: 'sync', password: 'S3kret!Haslo' };

test('the watermark travels as a datetime parameter holding the Optima wall clock', async () => {
  const { sent, openPool } = recordingPools(() => []);
  const reader = createMssqlSourceReader({ company, config, openPool });
  await reader.readChangedRows('serwis:zlecenie', '2026-03-29 02:30:00.007');
  assert.equal(sent.length, 1);
  assert.equal(sent[0].database, 'CDN_Firma');
  assert.equal(sent[0].sql, readFileSync(builtinQueryPath('serwis-zlecenia-changed'), 'utf8'), 'the same .sql file as on SQLite');
  const since = sent[0].inputs.since;
  assert.ok(since.value instanceof Date);
  assert.equal(since.value.toISOString(), '2026-03-29T02:30:00.007Z', 'UTC fields = wall clock (useUTC)');
  assert.equal((since.type as { type: unknown }).type, mssql.DateTime, 'datetime, not datetime2, to compare exactly with datetime columns');
  assert.equal(sent[0].inputs.maxBufor.value, 32767, 'drafts included by default');
});

test('a full read starts at the lowest datetime; excluding drafts sets @maxBufor to 0', async () => {
  const { sent, openPool } = recordingPools(() => []);
  const reader = createMssqlSourceReader({ company, config, openPool, scope: { includeDrafts: false } });
  await reader.readChangedRows('serwis:zlecenie', null);
  await reader.readSourceIds('serwis:zlecenie');
  assert.equal((sent[0].inputs.since.value as Date).toISOString(), '1753-01-01T00:00:00.000Z');
  assert.equal(sent[0].inputs.maxBufor.value, 0);
  assert.deepEqual(Object.keys(sent[1].inputs), ['maxBufor']);
  assert.equal(sent[1].inputs.maxBufor.value, 0);
});

test('rows with mssql Dates map to the same SourceRow as SQLite text', async () => {
  const { openPool } = recordingPools(() => [
    { SrZ_SrZId: 5, SrZ_TS_Mod: new Date(Date.UTC(2026, 9, 25, 2, 30, 0, 3)), SrZ_DataRealizacji: new Date(Date.UTC(2026, 9, 25, 2, 30)), SrZ_ProwadzacyTyp: 8, SrZ_ProwadzacyId: 2, SrZ_Stan: 0 },
  ]);
  const reader = createMssqlSourceReader({ company, config, openPool });
  const [row] = await reader.readChangedRows('serwis:zlecenie', null);
  assert.equal(row.modifiedAt, '2026-10-25 02:30:00.003');
  assert.equal(row.start, '2026-10-25T02:30:00');
  assert.deepEqual(row.owner, { type: 'operator', id: 2 });
  assert.deepEqual(reader.stats, { queries: 1, rowsRead: 1 });
});

test('people: employees from the company database, operators from the configuration database', async () => {
  const { sent, opened, openPool } = recordingPools((s) =>
    s.database === 'CDN_KNF_Konfiguracja'
      ? [{ Ope_OpeID: 2, Ope_Kod: 'KNOWAK', Ope_Nazwisko: 'Katarzyna Nowak', Ope_Email: 'Katarzyna.Nowak@serwis-demo.pl', Ope_Nieaktywny: 0 }]
      : [{ PRA_PraId: 1, PRA_Kod: 'JK', PRE_PreId: 1, PRE_DataOd: new Date(Date.UTC(2023, 0, 1)), PRE_Imie1: 'Jan', PRE_Nazwisko: 'Kowalski', PRE_HDKEmail: 'jan.kowalski@serwis-demo.pl' }],
  );
  const reader = createMssqlSourceReader({ company, config, openPool });
  const people = await reader.readPeople();
  assert.deepEqual(opened.sort(), ['CDN_Firma', 'CDN_KNF_Konfiguracja'], 'one pool per database');
  assert.deepEqual(sent.map((s) => s.database), ['CDN_Firma', 'CDN_KNF_Konfiguracja']);
  assert.deepEqual(people.map((p) => [p.type, p.id, p.email]), [['pracownik', 1, 'jan.kowalski@serwis-demo.pl'], ['operator', 2, 'katarzyna.nowak@serwis-demo.pl']]);
  assert.equal(reader.stats.queries, 2);
});

test('schema check asks INFORMATION_SCHEMA with the table names as parameters', async () => {
  const { sent, openPool } = recordingPools((s) =>
    s.database === 'CDN_KNF_Konfiguracja'
      ? ['Ope_OpeID', 'Ope_Kod', 'Ope_Nazwisko', 'Ope_Email', 'Ope_Nieaktywny'].map((c) => ({ TABLE_NAME: 'Operatorzy', COLUMN_NAME: c.toUpperCase() }))
      : [{ TABLE_NAME: 'SrsZlecenia', COLUMN_NAME: 'SrZ_SrZId' }],
  );
  const reader = createMssqlSourceReader({ company, config, openPool });
  const problems = await reader.checkSchema();
  assert.equal(sent.length, 2);
  assert.match(sent[0].sql, /INFORMATION_SCHEMA\.COLUMNS/);
  assert.ok(Object.values(sent[0].inputs).some((i) => i.value === 'SrsZlecenia'));
  assert.doesNotMatch(sent[0].sql, /SrsZlecenia/, 'names travel as parameters');
  assert.ok(problems.some((p) => p.table === 'CDN.SrsZlecenia' && p.column === 'SrZ_TS_Mod'));
  assert.ok(problems.some((p) => p.table === 'CDN.PracEtaty' && p.column === null));
  assert.ok(!problems.some((p) => p.table === 'CDN.Operatorzy'), 'column names compare case-insensitively');
  assert.match(problems[0].message, /bazie firmowej Optimy 'CDN_Firma' na serwerze 'optima\.local'/);
});

test('parameter conversion: each JS value gets a SQL Server type', () => {
  const typeOf = (v: unknown) => (toMssqlInput('p', v).type as { type: unknown }).type;
  assert.equal(typeOf(new Date()), mssql.DateTime);
  assert.equal(typeOf(12), mssql.Int);
  assert.equal(typeOf(2 ** 40), mssql.BigInt);
  assert.equal(typeOf(1.5), mssql.Float);
  assert.equal(typeOf(true), mssql.Bit);
  assert.equal(typeOf('Łódź'), mssql.NVarChar);
  assert.equal(toMssqlInput('p', undefined).value, null);
  assert.throws(() => toMssqlInput('p', { a: 1 }), /@p.*nieobsługiwany typ/);
});

test('an unreachable SQL Server is a clear error naming the server and the setting, without the password', async () => {
  const reader = createMssqlSourceReader({
    company: { ...company, server: '127.0.0.1', port: 1, connectionTimeout: 3000, options: { trustServerCertificate: true } },
    config,
  });
  for (let attempt = 0; attempt < 2; attempt++) {
    await assert.rejects(reader.readSourceIds('serwis:zlecenie'), (error: unknown) => {
      assert.ok(isSourceError(error));
      assert.equal(error.data.code, 'source-unreachable');
      assert.match(error.message, /Nie można połączyć się z bazą firmową Optimy 'CDN_Firma' na serwerze '127\.0\.0\.1:1'.*source\.mssql \(server, port, companyDatabase\)/);
      assert.doesNotMatch(error.message, /S3kret/);
      assert.equal(error.data.transient, true, 'a refused connection may work on the next run');
      return true;
    });
  }
  await reader.close();
});
