import type { Checks } from './check-fields.ts';
import { quote, readChoice, readSection, readText, readTextList } from './check-fields.ts';
import { joinConfigPath } from './config-error.ts';
import type { CertificateConfig, DelegatedConfig, MicrosoftConfig } from './schema.ts';
import { CONFIG_DEFAULTS, MICROSOFT_GRAPH_HOSTS, MICROSOFT_LOGIN_HOSTS } from './schema.ts';

const MICROSOFT_KEYS = ['tenantId', 'clientId', 'clientSecret', 'clientSecretExpiresAt', 'certificate', 'authority', 'graphBaseUrl', 'knownAuthorities', 'graphHosts', 'graphResource', 'mode', 'delegated'];
const DELEGATED_KEYS = ['cacheDir', 'keyPath'];
const CERTIFICATE_KEYS = ['path', 'thumbprintSha256', 'passphrase'];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const HOST_PORT = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*(:\d{1,5})?$/i;
const HOST = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** The `microsoft` section: the app registration and where Entra ID and Graph are. */
export function validateMicrosoft(c: Checks, raw: unknown, path: string): MicrosoftConfig | null {
  const s = readSection(c, raw, path, MICROSOFT_KEYS,
    'dodaj sekcję microsoft z tenantId, clientId i certyfikatem (albo clientSecret) aplikacji zarejestrowanej w Entra ID.');
  if (!s) return null;
  const tenantId = readText(c, s, path, 'tenantId', {
    required: 'wpisz identyfikator katalogu (Directory / tenant ID) z Entra ID albo domenę, np. firma.onmicrosoft.com.',
    check: (v) => GUID.test(v) || DOMAIN.test(v) ? null
      : ['common', 'organizations', 'consumers'].includes(v.toLowerCase())
        ? `Wartość ${quote(v)} nie wskazuje katalogu firmy — wpisz identyfikator katalogu (Directory / tenant ID) z Entra ID → Przegląd.`
        : 'Oczekiwano identyfikatora katalogu (GUID, np. 72f988bf-86f1-41af-91ab-2d7cd011db47) albo domeny firmy (np. firma.onmicrosoft.com) — skopiuj go z Entra ID → Przegląd.',
  });
  const clientId = readText(c, s, path, 'clientId', {
    required: 'wpisz identyfikator aplikacji (Application ID) z Entra ID (Rejestracje aplikacji → Przegląd).',
    check: (v) => GUID.test(v) ? null : 'Oczekiwano identyfikatora aplikacji w postaci GUID (np. 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0) — skopiuj Application (client) ID z Entra ID.',
  });
  const clientSecret = readText(c, s, path, 'clientSecret', { secret: true });
  const certificate = s.certificate === undefined || s.certificate === null
    ? undefined
    : validateCertificate(c, s.certificate, joinConfigPath(path, 'certificate'));
  const certificateAbsent = s.certificate === undefined || s.certificate === null;
  const secretAbsent = s.clientSecret === undefined || s.clientSecret === null || (typeof s.clientSecret === 'string' && s.clientSecret.trim() === '');
  if (certificateAbsent && secretAbsent) {
    c.add(joinConfigPath(path, 'certificate'), 'Brak poświadczeń aplikacji — podaj certificate (zalecane: path do pliku PEM) albo clientSecret.');
  }
  if (!certificateAbsent && !secretAbsent) {
    c.add(joinConfigPath(path, 'clientSecret'), 'Podano jednocześnie certificate i clientSecret — zostaw jedno (zalecany certyfikat), żeby było jasne, którym program się loguje.');
  }
  const authority = readUrl(c, s, path, 'authority', false) ?? CONFIG_DEFAULTS.microsoft.authority;
  const graphBaseUrl = readUrl(c, s, path, 'graphBaseUrl', true) ?? CONFIG_DEFAULTS.microsoft.graphBaseUrl;
  const graphResource = readUrl(c, s, path, 'graphResource', false);
  const mode = readChoice(c, s, path, 'mode', ['application', 'delegated'] as const) ?? 'application';
  const delegated = validateDelegated(c, s.delegated, joinConfigPath(path, 'delegated'), mode);
  const clientSecretExpiresAt = readText(c, s, path, 'clientSecretExpiresAt', {
    check: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)) ? null
      : 'Oczekiwano daty w postaci RRRR-MM-DD (Entra ID pokazuje ją przy sekrecie, kolumna „Wygasa”).',
  });
  const knownAuthorities = readTextList(c, s, path, 'knownAuthorities',
    (v) => HOST_PORT.test(v) ? null : 'Oczekiwano nazwy hosta z opcjonalnym portem, bez https:// (np. login.emulator.local:8443).');
  const graphHosts = readTextList(c, s, path, 'graphHosts',
    (v) => HOST.test(v) ? null : 'Oczekiwano samej nazwy hosta, bez https:// i portu (np. graph.emulator.local).');
  if (tenantId === undefined || clientId === undefined || certificate === null) return null;
  return {
    tenantId, clientId, clientSecret: clientSecret ?? null, certificate: certificate ?? null, authority, graphBaseUrl,
    knownAuthorities: knownAuthorities ?? defaultKnownAuthorities(authority),
    graphHosts: graphHosts ?? defaultGraphHosts(graphBaseUrl),
    graphResource: graphResource ?? new URL(graphBaseUrl).origin,
    mode, delegated, clientSecretExpiresAt: clientSecretExpiresAt ?? null,
  };
}

/**
 * `microsoft.delegated`: where each person's encrypted token cache and its key live. The key is
 * required in delegated mode and must not sit in the data folder (a copied state folder must not
 * carry the means to read the tokens).
 */
function validateDelegated(c: Checks, raw: unknown, path: string, mode: 'application' | 'delegated'): DelegatedConfig | null {
  if (raw === undefined || raw === null) {
    if (mode === 'delegated') c.add(joinConfigPath(path, 'keyPath'), 'W trybie delegated podaj keyPath — ścieżkę pliku klucza szyfrującego tokeny osób, poza folderem danych (np. C:\\ProgramData\\optima-sync-klucz\\tokeny.key); zrób jego kopię osobno.');
    return null;
  }
  const s = readSection(c, raw, path, DELEGATED_KEYS);
  if (!s) return null;
  const cacheDir = readText(c, s, path, 'cacheDir');
  const keyPath = readText(c, s, path, 'keyPath', mode === 'delegated'
    ? { required: 'wpisz ścieżkę pliku klucza szyfrującego tokeny osób, poza folderem danych; program utworzy go przy pierwszym użyciu.' }
    : {});
  return { cacheDir: cacheDir ?? null, keyPath: keyPath ?? null };
}

function validateCertificate(c: Checks, raw: unknown, path: string): CertificateConfig | null {
  const s = readSection(c, raw, path, CERTIFICATE_KEYS);
  if (!s) return null;
  const file = readText(c, s, path, 'path', { required: 'wpisz ścieżkę pliku PEM z kluczem prywatnym i certyfikatem aplikacji, np. ./certs/optima-sync.pem.' });
  const thumbprint = readText(c, s, path, 'thumbprintSha256', {
    check: (v) => /^[0-9a-f]{64}$/i.test(v.replace(/[:\s]/g, '')) ? null
      : 'Oczekiwano odcisku SHA-256 certyfikatu: 64 znaki szesnastkowe (Entra ID pokazuje go przy certyfikacie) — albo usuń to ustawienie, program policzy go z pliku PEM.',
  });
  const passphrase = readText(c, s, path, 'passphrase', { secret: true });
  if (file === undefined) return null;
  return { path: file, thumbprintSha256: thumbprint ? thumbprint.replace(/[:\s]/g, '').toLowerCase() : null, passphrase: passphrase ?? null };
}

/**
 * An https URL. The authority is an origin only (the tenant is appended from `tenantId`); the
 * Graph base may carry a path prefix but not the API version, which the client adds.
 */
function readUrl(c: Checks, s: Readonly<Record<string, unknown>>, parent: string, key: 'authority' | 'graphBaseUrl' | 'graphResource', allowPath: boolean): string | undefined {
  const text = readText(c, s, parent, key, {
    check: (v) => {
      let url: URL;
      try {
        url = new URL(v);
      } catch {
        return `Oczekiwano adresu URL, np. ${key === 'graphResource' ? 'https://graph.microsoft.com' : CONFIG_DEFAULTS.microsoft[key]}.`;
      }
      if (url.protocol !== 'https:') return `Adres musi zaczynać się od https:// — Microsoft (i MSAL) nie przyjmuje połączeń bez szyfrowania; dla emulatora użyj HTTPS i zaufanego certyfikatu.`;
      if (url.username || url.password) return 'Adres nie może zawierać loginu ani hasła — usuń część przed @.';
      if (url.search || url.hash) return 'Adres nie może zawierać ? ani # — wpisz sam adres serwera.';
      const pathname = url.pathname.replace(/\/+$/, '');
      if (!allowPath && pathname !== '') return `Wpisz sam adres serwera logowania, bez ścieżki (np. https://login.microsoftonline.com) — identyfikator katalogu podaj w microsoft.tenantId.`;
      if (/\/(v1\.0|beta)$/i.test(pathname)) return 'Wpisz adres bez wersji API na końcu (bez /v1.0 ani /beta), np. https://graph.microsoft.com.';
      return null;
    },
  });
  if (text === undefined) return undefined;
  const url = new URL(text);
  return allowPath ? `${url.origin}${url.pathname.replace(/\/+$/, '')}` : url.origin;
}

/** MSAL trusts Microsoft's own hosts; any other sign-in host (an emulator) must be listed. */
function defaultKnownAuthorities(authority: string): readonly string[] {
  const url = new URL(authority);
  return MICROSOFT_LOGIN_HOSTS.includes(url.hostname) ? [] : [url.host];
}

/** The Graph client sends tokens only to Graph's own hosts unless told about others. */
function defaultGraphHosts(graphBaseUrl: string): readonly string[] {
  const url = new URL(graphBaseUrl);
  return MICROSOFT_GRAPH_HOSTS.includes(url.hostname) ? [] : [url.hostname];
}
