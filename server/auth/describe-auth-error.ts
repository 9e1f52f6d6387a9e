/**
 * Turns an error from `@azure/msal-node` (or the network under it) into an operator sentence in
 * Polish that names the fix. Codes follow Entra's AADSTS numbers (reference/graph-calendar.md §11).
 */

export interface AuthErrorDescription {
  /** `AADSTS7000215`, `network`, `untrusted_authority`, ... */
  readonly code: string;
  /** True when retrying later can help (network, Entra unavailable); false when a fix is needed. */
  readonly transient: boolean;
  readonly message: string;
}

interface AadstsEntry {
  readonly transient: boolean;
  readonly message: string;
}

const CREDENTIALS = 'Entra ID → Rejestracje aplikacji → aplikacja synchronizacji → Certyfikaty i wpisy tajne';
const RENEW_IN_ADDIN =
  'Osoba musi otworzyć dodatek Optima w Outlooku i kliknąć „Udziel zgody”; do tego czasu jej kalendarz nie jest synchronizowany.';

/** Known AADSTS codes (number without the prefix) → what the operator should do. */
const AADSTS: Readonly<Record<string, AadstsEntry>> = {
  '7000215': {
    transient: false,
    message: `Nieprawidłowy sekret klienta. Wpisz w konfiguracji WARTOŚĆ sekretu (kolumna „Wartość”), a nie jego identyfikator („Identyfikator wpisu tajnego”) — ${CREDENTIALS}.`,
  },
  '7000222': {
    transient: false,
    message: `Sekret klienta wygasł. Utwórz nowy sekret (${CREDENTIALS}) i wpisz go w konfiguracji albo przejdź na certyfikat.`,
  },
  '700027': {
    transient: false,
    message: `Entra ID odrzucił podpis certyfikatu: certyfikat nie jest dodany do aplikacji, wygasł albo klucz prywatny nie pasuje do odcisku. Wgraj plik .cer w ${CREDENTIALS} i sprawdź odcisk SHA-256 w konfiguracji.`,
  },
  '7000218': {
    transient: false,
    message: `Żądanie tokenu nie zawierało poświadczeń aplikacji. Podaj w konfiguracji certyfikat albo sekret klienta (${CREDENTIALS}).`,
  },
  '700016': {
    transient: false,
    message:
      'Aplikacji o podanym identyfikatorze (clientId) nie ma w tej dzierżawie. Sprawdź w konfiguracji identyfikator aplikacji (klienta) i dzierżawy — oba są na stronie „Przegląd” rejestracji aplikacji w Entra ID.',
  },
  '90002': {
    transient: false,
    message:
      'Nie znaleziono dzierżawy. Sprawdź identyfikator dzierżawy (tenantId) w konfiguracji: GUID ze strony „Przegląd” w Entra ID albo domena, np. firma.onmicrosoft.com; dla chmur krajowych sprawdź też adres logowania.',
  },
  '65001': {
    transient: false,
    message:
      'Brak zgody na uprawnienia aplikacji. Administrator musi udzielić zgody: Entra ID → Rejestracje aplikacji → Uprawnienia interfejsu API → „Udziel zgody administratora”; w trybie delegowanym osoba może też wyrazić zgodę w dodatku Outlooka.',
  },
  '50076': {
    transient: false,
    message: `Wymagane jest uwierzytelnianie wieloskładnikowe (MFA). ${RENEW_IN_ADDIN}`,
  },
  '50079': {
    transient: false,
    message: `Osoba musi zarejestrować uwierzytelnianie wieloskładnikowe (MFA). ${RENEW_IN_ADDIN}`,
  },
  '700082': {
    transient: false,
    message: `Token odświeżania wygasł z powodu długiej nieaktywności. ${RENEW_IN_ADDIN}`,
  },
  '70008': {
    transient: false,
    message: `Token odświeżania wygasł albo został unieważniony. ${RENEW_IN_ADDIN}`,
  },
  '50173': {
    transient: false,
    message: `Zgoda została unieważniona (np. po zmianie hasła). ${RENEW_IN_ADDIN}`,
  },
  '70011': {
    transient: false,
    message:
      'Entra ID odrzucił zakres uprawnień (scope). Sprawdź adres Microsoft Graph w konfiguracji — zakres to „<adres Graph>/.default” i nie może być łączony z innymi.',
  },
  '500011': {
    transient: false,
    message:
      'Usługi Microsoft Graph nie ma w tej dzierżawie pod podanym adresem. Sprawdź adres Graph w konfiguracji (chmura globalna, US Gov albo Chiny muszą pasować do adresu logowania).',
  },
  '50013': {
    transient: false,
    message: 'Token dodatku przekazany do wymiany (on-behalf-of) jest nieważny. Otwórz dodatek w Outlooku ponownie, żeby przekazał świeży token.',
  },
  '500133': {
    transient: false,
    message: 'Token dodatku przekazany do wymiany (on-behalf-of) wygasł. Otwórz dodatek w Outlooku ponownie, żeby przekazał świeży token.',
  },
  '53003': {
    transient: false,
    message:
      'Dostęp zablokowały zasady dostępu warunkowego (Conditional Access). Administrator musi dopuścić aplikację synchronizacji albo adres IP serwera w zasadach dostępu warunkowego Entra ID.',
  },
  '700024': {
    transient: false,
    message:
      'Asercja klienta jest poza okresem ważności. Sprawdź zegar serwera synchronizacji (włącz synchronizację czasu w Windows) i ważność certyfikatu.',
  },
};

const NETWORK_CODES = new Set(['network_error', 'no_network_connectivity']);
/** msal-node could not read the tenant's openid-configuration: a network failure or a wrong tenant/authority look the same. */
const DISCOVERY_CODES = new Set(['endpoints_resolution_error', 'openid_config_error']);

/** Describes an msal-node / network error without ever quoting a secret or a token. */
export function describeAuthError(err: unknown): AuthErrorDescription {
  const fields = readErrorFields(err);
  const aadsts = findAadstsNumber(fields);
  if (aadsts !== null) {
    const known = AADSTS[aadsts];
    // The code goes into the sentence too: it is what Microsoft's docs and support search by.
    if (known) return { code: `AADSTS${aadsts}`, transient: known.transient, message: `${known.message} (AADSTS${aadsts})` };
    const transient = fields.status !== null && fields.status >= 500;
    return {
      code: `AADSTS${aadsts}`,
      transient,
      message: `Logowanie aplikacji w Entra ID nie powiodło się (AADSTS${aadsts}, ${fields.errorCode || 'błąd'}). Sprawdź opis kodu na https://login.microsoftonline.com/error?code=${aadsts} i konfigurację aplikacji w Entra ID.`,
    };
  }
  if (NETWORK_CODES.has(fields.errorCode) || isNodeNetworkError(err)) {
    return {
      code: 'network',
      transient: true,
      message:
        'Nie można połączyć się z usługą logowania Microsoft. Sprawdź połączenie serwera z internetem, DNS, serwer proxy i zaporę (HTTPS do adresu logowania z konfiguracji, domyślnie login.microsoftonline.com) — synchronizacja ponowi próbę.',
    };
  }
  if (DISCOVERY_CODES.has(fields.errorCode)) {
    return {
      code: fields.errorCode,
      transient: true,
      message:
        'Nie udało się odczytać konfiguracji logowania dzierżawy. Sprawdź identyfikator dzierżawy (tenantId) i adres logowania w konfiguracji, a potem połączenie serwera z usługą logowania Microsoft (DNS, proxy, zapora).',
    };
  }
  if (fields.errorCode === 'untrusted_authority' || fields.errorCode === 'authority_uri_insecure' || fields.errorCode === 'url_parse_error') {
    return {
      code: fields.errorCode,
      transient: false,
      message:
        'Adres logowania (authority) w konfiguracji jest nieprawidłowy albo niezaufany. Użyj adresu https://login.microsoftonline.com (albo adresu chmury krajowej) bez identyfikatora dzierżawy na końcu.',
    };
  }
  if (fields.errorCode === 'temporarily_unavailable' || (fields.status !== null && fields.status >= 500)) {
    return {
      code: fields.errorCode || 'temporarily_unavailable',
      transient: true,
      message: 'Usługa logowania Microsoft jest chwilowo niedostępna — synchronizacja ponowi próbę.',
    };
  }
  return {
    code: fields.errorCode || 'unknown',
    transient: false,
    message: `Nie udało się uzyskać tokenu dostępu z Entra ID (${fields.errorCode || 'nieznany błąd'}). Sprawdź identyfikator dzierżawy, aplikacji i poświadczenia w konfiguracji.`,
  };
}

interface ErrorFields {
  readonly errorCode: string;
  readonly errorNo: string | null;
  readonly text: string;
  readonly status: number | null;
}

function readErrorFields(err: unknown): ErrorFields {
  if (typeof err !== 'object' || err === null) return { errorCode: '', errorNo: null, text: String(err), status: null };
  const e = err as Record<string, unknown>;
  const errorNo = e.errorNo === undefined || e.errorNo === null || e.errorNo === '' ? null : String(e.errorNo);
  const text = [e.errorMessage, e.message].filter((x) => typeof x === 'string').join(' ');
  return {
    errorCode: typeof e.errorCode === 'string' ? e.errorCode : '',
    errorNo,
    text,
    status: typeof e.status === 'number' ? e.status : null,
  };
}

function findAadstsNumber(fields: ErrorFields): string | null {
  if (fields.errorNo !== null && /^\d+$/.test(fields.errorNo)) return fields.errorNo;
  const match = /AADSTS(\d+)/.exec(fields.text);
  return match ? match[1] : null;
}

function isNodeNetworkError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const cause = (err as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : (err as { code?: unknown }).code;
  return typeof code === 'string' && /^(ECONN|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR)/.test(code);
}

/**
 * The sentence for a person whose delegated sync is paused: names the person first (the admin
 * reads a list of people), then what happened and that they must renew in the add-in.
 */
export function describePausedPerson(mailbox: string, cause: AuthErrorDescription): AuthErrorDescription {
  const renew = cause.message.includes('dodatek') ? '' : ` ${RENEW_IN_ADDIN}`;
  return {
    code: cause.code,
    transient: false,
    message: `Synchronizacja kalendarza osoby ${mailbox} jest wstrzymana (${cause.code}). ${cause.message}${renew}`,
  };
}
