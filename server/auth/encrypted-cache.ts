import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';

/**
 * Each person's msal-node token cache (refresh token, account, access token), encrypted at rest
 * with AES-256-GCM in one file per person under `cacheDir`. The 32-byte key lives in its own file
 * (`keyPath`), created on first use with mode 0600 (on Windows: restrict the folder's ACL to the
 * service account instead).
 *
 * BACKUP: keep the key file OUT of the data folder (`state.db`, caches) and back it up separately,
 * with different access. A backup holding both the caches and the key holds everyone's refresh
 * tokens; losing the key only means every person must open the add-in once more to sign in again.
 *
 * The file is bound to its person (the mailbox is authenticated data), so copying one person's
 * file over another's does not decrypt. Nothing here logs; errors never quote cache contents.
 */
export interface EncryptedCacheStore {
  /** msal-node cache plugin that loads and saves this person's cache (encrypted) around every access. */
  pluginFor(mailbox: string): ICachePlugin;
  /** The decrypted serialized msal cache, or null when this person has none. Throws `CacheError`. */
  read(mailbox: string): string | null;
  write(mailbox: string, serializedCache: string): void;
  remove(mailbox: string): void;
  /** Absolute path of this person's encrypted file (for diagnostics; it holds no clear text). */
  fileOf(mailbox: string): string;
}

export interface EncryptedCacheOptions {
  /** Folder of the per-person cache files (created when missing). */
  readonly cacheDir: string;
  /** Key file, kept apart from the data folder; created (0600) on first use. */
  readonly keyPath: string;
}

/** The cache or its key cannot be used; `message` is an operator sentence naming the fix. */
export interface CacheError {
  readonly kind: 'cache-error';
  readonly code: 'cache-key-invalid' | 'cache-key-mismatch' | 'cache-corrupt' | 'cache-io';
  readonly message: string;
}

/** True for a thrown `CacheError` value. */
export function isCacheError(value: unknown): value is CacheError {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'cache-error';
}

const FORMAT = 'optima-sync-token-cache';
const KEY_BYTES = 32;
const IV_BYTES = 12;

interface EncryptedFile {
  readonly format: typeof FORMAT;
  readonly v: 1;
  readonly alg: 'A256GCM';
  readonly iv: string;
  readonly tag: string;
  readonly data: string;
}

/** Opens (and on first use creates) the encrypted per-person cache store. */
export function createEncryptedCacheStore(options: EncryptedCacheOptions): EncryptedCacheStore {
  let key: Buffer | null = null;
  // Read lazily: `auth status` lists people without needing the key.
  const keyOf = () => (key ??= loadOrCreateCacheKey(options.keyPath));
  const fileOf = (mailbox: string) => path.join(options.cacheDir, `${fileNameOf(mailbox)}.cache.json`);

  const read = (mailbox: string): string | null => {
    let text: string;
    try {
      text = readFileSync(fileOf(mailbox), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw cacheError('cache-io', `Nie można odczytać pliku pamięci tokenów ${fileOf(mailbox)} (${(err as NodeJS.ErrnoException).code ?? 'błąd'}) — sprawdź uprawnienia konta usługi do folderu.`);
    }
    return decrypt(keyOf(), mailbox, text, fileOf(mailbox), options.keyPath);
  };

  const write = (mailbox: string, serializedCache: string): void => {
    mkdirSync(options.cacheDir, { recursive: true, mode: 0o700 });
    writeFileAtomic(fileOf(mailbox), `${JSON.stringify(encrypt(keyOf(), mailbox, serializedCache))}\n`);
  };

  return {
    read,
    write,
    fileOf,
    remove: (mailbox) => rmSync(fileOf(mailbox), { force: true }),
    pluginFor(mailbox) {
      return {
        async beforeCacheAccess(context: TokenCacheContext) {
          const text = read(mailbox);
          if (text !== null) context.tokenCache.deserialize(text);
        },
        async afterCacheAccess(context: TokenCacheContext) {
          if (context.cacheHasChanged) write(mailbox, context.tokenCache.serialize());
        },
      };
    },
  };
}

/**
 * Reads the 32-byte key (base64 text) from `keyPath`, or creates it there with mode 0600 when the
 * file does not exist. Throws a `CacheError` when the file exists but holds no valid key.
 */
export function loadOrCreateCacheKey(keyPath: string): Buffer {
  mkdirSync(path.dirname(keyPath), { recursive: true, mode: 0o700 });
  const fresh = randomBytes(KEY_BYTES);
  try {
    // `wx`: never overwrite a key another process has just created.
    writeFileSync(keyPath, `${fresh.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(keyPath, 0o600);
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw cacheError('cache-io', `Nie można utworzyć pliku klucza pamięci tokenów ${keyPath} (${(err as NodeJS.ErrnoException).code ?? 'błąd'}) — sprawdź ścieżkę i uprawnienia do folderu.`);
    }
  }
  const key = Buffer.from(readFileSync(keyPath, 'utf8').trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw cacheError('cache-key-invalid', `Plik klucza pamięci tokenów ${keyPath} nie zawiera poprawnego klucza — przywróć go z kopii zapasowej; bez niego każda osoba musi ponownie otworzyć dodatek w Outlooku.`);
  }
  return key;
}

function encrypt(key: Buffer, mailbox: string, plain: string): EncryptedFile {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(associatedData(mailbox));
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { format: FORMAT, v: 1, alg: 'A256GCM', iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function decrypt(key: Buffer, mailbox: string, text: string, file: string, keyPath: string): string {
  let parsed: Partial<EncryptedFile>;
  try {
    parsed = JSON.parse(text) as Partial<EncryptedFile>;
  } catch {
    parsed = {};
  }
  if (parsed.format !== FORMAT || parsed.v !== 1 || !parsed.iv || !parsed.tag || typeof parsed.data !== 'string') {
    throw cacheError('cache-corrupt', `Plik pamięci tokenów ${file} jest uszkodzony — usuń go; osoba ${mailbox} musi ponownie otworzyć dodatek Optima w Outlooku.`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(parsed.iv, 'base64'));
    decipher.setAAD(associatedData(mailbox));
    decipher.setAuthTag(Buffer.from(parsed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(parsed.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw cacheError(
      'cache-key-mismatch',
      `Nie można odszyfrować pamięci tokenów osoby ${mailbox}: klucz ${keyPath} nie pasuje do pliku (np. klucz utworzono na nowo). Przywróć właściwy plik klucza z kopii zapasowej albo osoba musi ponownie otworzyć dodatek Optima w Outlooku.`,
    );
  }
}

/** Binds a file to its person: the mailbox is authenticated but not stored in clear. */
function associatedData(mailbox: string): Buffer {
  return Buffer.from(`${FORMAT}:v1:${mailbox.toLowerCase()}`);
}

/** A file name that holds no address and no characters Windows refuses. */
function fileNameOf(mailbox: string): string {
  return createHash('sha256').update(mailbox.toLowerCase()).digest('hex').slice(0, 32);
}

/** Writes then renames, so a crash never leaves half a file where a good one was. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  renameSync(temp, file);
}

function cacheError(code: CacheError['code'], message: string): CacheError {
  return { kind: 'cache-error', code, message };
}
