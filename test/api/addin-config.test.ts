import { it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateConfig } from '../../server/config/validate-config.ts';

const CLIENT = '7d1e2f30-4a5b-4c6d-8e9f-a0b1c2d3e4f5';

function raw(addin?: unknown): Record<string, unknown> {
  return {
    source: { type: 'sqlite', sqlite: { companyDb: 'firma.db', configDb: 'konfig.db' } },
    microsoft: { tenantId: '3f0c8a52-6a4b-4c8e-9d3e-0a1b2c3d4e5f', clientId: CLIENT, clientSecret: 'fixture-client-secret-1234' },
    mailboxes: { default: 'serwis@firma.pl' },
    ...(addin === undefined ? {} : { addin }),
  };
}

it('without an addin section the client id and api://<clientId> are the audiences, OptimaSync.Admin the admin role', () => {
  const result = validateConfig(raw());
  assert.ok(result.ok);
  assert.deepEqual(result.config.addin, { audiences: [CLIENT, `api://${CLIENT}`], adminRole: 'OptimaSync.Admin', adminGroupIds: [], adminMailboxes: [] });
});

it('addin.audience (the Application ID URI) is accepted besides the client id; lists are read and lower-cased', () => {
  const result = validateConfig(raw({
    audience: `api://serwer.firma.pl/${CLIENT}`, adminRole: 'Serwis.Admin',
    adminGroupIds: ['0F1E2D3C-4B5A-4978-8A9B-0C1D2E3F4A5B'], adminMailboxes: ['Kierownik@Firma.pl'],
  }));
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  assert.deepEqual(result.config.addin.audiences, [`api://serwer.firma.pl/${CLIENT}`, CLIENT, `api://${CLIENT}`]);
  assert.equal(result.config.addin.adminRole, 'Serwis.Admin');
  assert.deepEqual(result.config.addin.adminGroupIds, ['0f1e2d3c-4b5a-4978-8a9b-0c1d2e3f4a5b']);
  assert.deepEqual(result.config.addin.adminMailboxes, ['kierownik@firma.pl']);
});

it('mistakes in the addin section are reported with their path and the fix', () => {
  const result = validateConfig(raw({ audience: 'serwer.firma.pl', adminGroupIds: ['Administratorzy'], adminMailboxes: ['kierownik'], adminRoles: 'x' }));
  assert.equal(result.ok, false);
  const errors = result.ok ? [] : result.errors;
  const byPath = new Map(errors.map((e) => [e.path, e.message]));
  assert.match(byPath.get('addin.audience') ?? '', /api:\/\//);
  assert.match(byPath.get('addin.adminGroupIds[0]') ?? [...byPath.keys()].join(','), /GUID/);
  assert.match(byPath.get('addin.adminMailboxes[0]') ?? [...byPath.keys()].join(','), /e-mail/);
  assert.ok([...byPath.keys()].some((p) => p.includes('adminRoles')), 'an unknown key is reported');
});

it('config.example.yaml documents the addin section and still validates with it uncommented', () => {
  const text = readFileSync(new URL('../../config.example.yaml', import.meta.url), 'utf8');
  const block = text.slice(text.indexOf('# addin:'));
  assert.match(block, /audience/);
  assert.match(block, /adminGroupIds/);
  const uncommented = block.split('\n').filter((l) => l.startsWith('# addin:') || l.startsWith('#   ') && !l.startsWith('#   #')).map((l) => l.slice(2)).join('\n');
  const addin = (parse(uncommented) as { addin: unknown }).addin;
  const result = validateConfig(raw(addin));
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
});
