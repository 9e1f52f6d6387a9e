import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEncryptedCacheStore, isCacheError, loadOrCreateCacheKey } from '../../server/auth/encrypted-cache.ts';
import type { CacheError } from '../../server/auth/encrypted-cache.ts';

let dir: string;
let cacheDir: string;
let keyPath: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'enc-cache-'));
  cacheDir = path.join(dir, 'data', 'people');
  keyPath = path.join(dir, 'keys', 'cache.key');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const CACHE = JSON.stringify({ RefreshToken: { k: { secret: '1.AXrefresh-token-value-abc' } }, Account: { a: { username: 'anna@firma.pl' } } });

function cacheErrorOf(action: () => unknown): CacheError {
  try {
    action();
  } catch (err) {
    assert.ok(isCacheError(err), `expected a CacheError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a CacheError');
}

describe('encrypted per-person token cache', () => {
  it('round-trips a cache; the file holds neither the token nor the address; a person without a file reads null', () => {
    const store = createEncryptedCacheStore({ cacheDir, keyPath });
    store.write('Anna@Firma.pl', CACHE);
    assert.equal(store.read('anna@firma.pl'), CACHE);
    const text = readFileSync(store.fileOf('anna@firma.pl'), 'utf8');
    assert.ok(!text.includes('refresh-token-value') && !text.includes('anna'));
    assert.ok(!path.basename(store.fileOf('anna@firma.pl')).includes('anna'));
    assert.equal(store.read('jan@firma.pl'), null);
    assert.equal(statSync(store.fileOf('anna@firma.pl')).mode & 0o777, 0o600);
  });

  it('creates the key once (0600) and reuses it: a second store, as after a restart, decrypts', () => {
    createEncryptedCacheStore({ cacheDir, keyPath }).write('anna@firma.pl', CACHE);
    assert.equal(statSync(keyPath).mode & 0o777, 0o600);
    const key = readFileSync(keyPath, 'utf8');
    assert.equal(createEncryptedCacheStore({ cacheDir, keyPath }).read('anna@firma.pl'), CACHE);
    assert.equal(readFileSync(keyPath, 'utf8'), key, 'the key was not replaced');
    assert.equal(loadOrCreateCacheKey(keyPath).length, 32);
  });

  it('one person’s file copied over another’s does not decrypt', () => {
    const store = createEncryptedCacheStore({ cacheDir, keyPath });
    store.write('anna@firma.pl', CACHE);
    store.write('jan@firma.pl', '{}');
    copyFileSync(store.fileOf('anna@firma.pl'), store.fileOf('jan@firma.pl'));
    assert.equal(cacheErrorOf(() => store.read('jan@firma.pl')).code, 'cache-key-mismatch');
  });

  it('a damaged file and a damaged key file are named, with what to do', () => {
    const store = createEncryptedCacheStore({ cacheDir, keyPath });
    store.write('anna@firma.pl', CACHE);
    writeFileSync(store.fileOf('anna@firma.pl'), 'not json');
    const corrupt = cacheErrorOf(() => store.read('anna@firma.pl'));
    assert.equal(corrupt.code, 'cache-corrupt');
    assert.match(corrupt.message, /anna@firma\.pl.*dodatek/);
    writeFileSync(keyPath, 'short\n');
    const badKey = cacheErrorOf(() => createEncryptedCacheStore({ cacheDir, keyPath }).read('anna@firma.pl'));
    assert.equal(badKey.code, 'cache-key-invalid');
    assert.match(badKey.message, /kopii zapasowej/);
  });
});
