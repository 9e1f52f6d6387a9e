import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets } from '../../server/state/redact.ts';

const JWT = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxMjM0NTY3ODkwIn0.';

test('values under secret-named keys are replaced, at any depth and in arrays', () => {
  const input = {
    tenantId: 'contoso.onmicrosoft.com', clientSecret: 'x~y', refresh_token: 'r', Authorization: 'Basic abc',
    mssql: { user: 'sa', password: 'P@ss' }, certificate: { passphrase: 'pp', path: 'cert.pem' },
    items: [{ id_token: 'i', name: 'ok' }], passwordSet: true, apiKey: 12345,
  };
  assert.deepEqual(redactSecrets(input), {
    tenantId: 'contoso.onmicrosoft.com', clientSecret: '[redacted]', refresh_token: '[redacted]', Authorization: '[redacted]',
    mssql: { user: 'sa', password: '[redacted]' }, certificate: { passphrase: '[redacted]', path: 'cert.pem' },
    items: [{ id_token: '[redacted]', name: 'ok' }], passwordSet: true, apiKey: '[redacted]',
  });
  assert.equal(input.clientSecret, 'x~y', 'the input is not modified');
});

test('token-looking text is redacted inside strings, the rest of the sentence stays', () => {
  assert.equal(redactSecrets(`Token ${JWT} odrzucony`), 'Token [redacted] odrzucony');
  assert.equal(redactSecrets('grant_type=client_credentials&client_secret=abc.def~1&scope=x'), 'grant_type=client_credentials&client_secret=[redacted]&scope=x');
  assert.equal(redactSecrets('Server=optima;User Id=sa;Password=Tajne123;'), 'Server=optima;User Id=sa;Password=[redacted];');
  assert.equal(redactSecrets('body {"access_token":"abc","expires_in":3599}'), 'body {"access_token":"[redacted]","expires_in":3599}');
  assert.equal(redactSecrets('Zlecenie SRW/12/2026 dla Jan Kowalski'), 'Zlecenie SRW/12/2026 dla Jan Kowalski');
});

test('errors become plain records with a redacted message; cycles do not hang', () => {
  const err = Object.assign(new Error(`401 with ${JWT}`), { code: 'InvalidAuthenticationToken', statusCode: 401 });
  assert.deepEqual(redactSecrets({ error: err }), { error: { name: 'Error', message: '401 with [redacted]', code: 'InvalidAuthenticationToken', statusCode: 401 } });
  const loop: Record<string, unknown> = { name: 'a' };
  loop.self = loop;
  assert.deepEqual(redactSecrets(loop), { name: 'a', self: '[circular]' });
});
