/**
 * The add-in's API contract (routes under `/api/addin/`). Every route needs
 * `Authorization: Bearer <token from Office SSO / nested app authentication>`; the server checks
 * issuer, audience, signature (tenant keys), expiry and tenant. A person sees only records linked
 * to events in their own mailbox; template routes need the admin role.
 * No Node and no DOM types here: the server and the taskpane both import this file.
 */

/** Error body of every refused or failed call. `code` is stable; the messages are for people. */
export interface AddinError {
  readonly error: {
    readonly code: AddinErrorCode;
    readonly message: string;
    readonly messageEn: string;
    /** For `consent_required` with an MFA / conditional-access challenge from Entra. */
    readonly claims?: string;
  };
}

export type AddinErrorCode =
  | 'unauthenticated' // no token, or not a valid one (forged, expired, wrong audience, other tenant)
  | 'forbidden' // valid token, but not allowed (another person's record, not an admin)
  | 'not_found'
  | 'bad_request'
  | 'consent_required' // delegated mode: the person must (re)consent through SSO
  | 'busy' // a sync is running; try again shortly
  | 'internal';

/** `GET /api/addin/config` — public (no token): what the taskpane needs to sign in. No secrets. */
export interface AddinPublicConfig {
  /** Entra application (client) id. */
  readonly clientId: string;
  /** Directory (tenant) id or verified domain. */
  readonly tenantId: string;
  /** MSAL authority: sign-in host plus tenant, e.g. `https://login.microsoftonline.com/<tenant>`. */
  readonly authority: string;
  /** The scope the taskpane asks for: `<Application ID URI>/access_as_user`. */
  readonly apiScope: string;
}

/** `GET /api/addin/me` */
export interface MeResponse {
  readonly mailbox: string;
  readonly name: string;
  readonly isAdmin: boolean;
  readonly mode: 'application' | 'delegated';
  /** Delegated mode: whether the server can write this person's calendar now. */
  readonly consent: 'ok' | 'missing' | 'lapsed' | 'not-needed';
  readonly consentMessage: string | null;
}

/** `GET /api/addin/records?sourceKey=…` or `?eventId=…&idType=ews|rest` (the item open in Outlook). */
export type RecordResponse =
  | { readonly found: false; readonly message: string; readonly messageEn: string }
  | { readonly found: true; readonly sourceKey: string; readonly record: RecordView; readonly sync: RecordSyncStatus };

/** What the taskpane shows for the record behind an event; `kind` tells which layout. */
export type RecordView = ServiceOrderView | ServiceActivityView | CrmRecordView;

export interface PersonView {
  readonly type: 'pracownik' | 'operator';
  readonly id: number;
  readonly name: string | null;
}

export interface ServiceOrderView {
  readonly kind: 'serwis:zlecenie';
  readonly id: number;
  readonly numer: string | null;
  readonly stan: string | null;
  readonly stanKod: number | null;
  readonly etap: string | null;
  readonly bufor: boolean;
  readonly klient: {
    readonly nazwa: string | null;
    readonly adres: string | null;
    readonly telefon: string | null;
    readonly email: string | null;
  };
  readonly osobaKontaktowa: { readonly nazwisko: string | null; readonly telefon: string | null };
  readonly urzadzenie: string | null;
  readonly kategoria: string | null;
  readonly opis: string | null;
  readonly prowadzacy: PersonView | null;
  /** Local wall-clock times `YYYY-MM-DDTHH:mm:ss` in `timeZone`. */
  readonly dataPrzyjecia: string | null;
  readonly dataRealizacji: string | null;
  readonly dataZamkniecia: string | null;
  readonly timeZone: string;
}

/** One service activity (CDN.SrsCzynnosci) as its technician needs it, with its order's essentials. */
export interface ServiceActivityView {
  readonly kind: 'serwis:czynnosc';
  readonly id: number;
  /** What to do: the activity's service/article name (or code). */
  readonly czynnosc: string | null;
  readonly opis: string | null;
  readonly zakonczona: boolean;
  /** Local wall-clock times `YYYY-MM-DDTHH:mm:ss` in `timeZone`. */
  readonly terminOd: string | null;
  readonly terminDo: string | null;
  readonly serwisant: PersonView | null;
  readonly zlecenie: { readonly numer: string | null; readonly stan: string | null; readonly opis: string | null };
  readonly klient: { readonly nazwa: string | null; readonly adres: string | null; readonly telefon: string | null };
  readonly osobaKontaktowa: { readonly nazwisko: string | null; readonly telefon: string | null };
  readonly urzadzenie: string | null;
  readonly timeZone: string;
}

/** Open, closed (CRK_Bufor 0) or cancelled (CRK_Bufor −1 / CRK_Anulowany). */
export type CrmState = 'otwarte' | 'zamknięte' | 'anulowane';

export interface CrmParticipantView {
  readonly nazwisko: string;
  readonly email: string | null;
  readonly organizator: boolean;
}

/**
 * A CRM task or contact (CDN.CRMKontakty), or one occurrence of a recurring task
 * (CDN.CrmKontaktyCykl: the parent task's fields with the occurrence's own term).
 */
export interface CrmRecordView {
  readonly kind: 'crm:zadanie' | 'crm:wystapienie';
  readonly id: number;
  readonly numer: string | null;
  readonly rodzaj: 'Zadanie' | 'Kontakt';
  readonly temat: string | null;
  readonly opis: string | null;
  readonly lokalizacja: string | null;
  readonly stan: CrmState | null;
  /** The CRM stage (DefEtapy, DEt_Typ = 2) as Optima names it. */
  readonly etap: string | null;
  /** Optima's priority label (Polish) and its code (1 highest … 4 lowest), so a pane can name it in its language. */
  readonly priorytet: string | null;
  readonly priorytetKod: number | null;
  /** Local wall-clock times `YYYY-MM-DDTHH:mm:ss` in `timeZone`. */
  readonly terminOd: string | null;
  readonly terminDo: string | null;
  /** When Optima reminds (local wall clock), or null when it sets no reminder. */
  readonly przypomnienie: string | null;
  readonly opiekun: PersonView | null;
  readonly klient: { readonly nazwa: string | null; readonly adres: string | null; readonly telefon: string | null; readonly email: string | null };
  /** The contact person (CRK_OsobaNazwisko). */
  readonly osoba: string | null;
  readonly uczestnicy: readonly CrmParticipantView[];
  /** True for an occurrence of a recurring task; `zadanieId` is then the parent task's id. */
  readonly wystapienie: boolean;
  readonly zadanieId: number | null;
  readonly timeZone: string;
}

export interface RecordSyncStatus {
  /** Whether a link (source key ↔ event) exists. */
  readonly linked: boolean;
  readonly mailbox: string | null;
  /** When the event was last written by the sync (ISO instant). */
  readonly lastSyncedAt: string | null;
  /** The event shows what the record says now (render hash equal). */
  readonly upToDate: boolean;
  /** A change in Optima waits for the next run. */
  readonly pendingChange: boolean;
  /** Whether someone changed the event in Outlook since the sync wrote it. */
  readonly drift: 'none' | 'edited' | 'deleted' | 'unknown';
  /** The last error for this record, in words, or null. */
  readonly lastError: string | null;
}

/** `POST /api/addin/records/resync` body `{ sourceKey }`: the sync cycle for this one record. */
export interface ResyncResponse {
  readonly outcome: 'created' | 'updated' | 'moved' | 'deleted' | 'unchanged' | 'skipped' | 'failed' | 'held';
  readonly message: string;
  readonly messageEn: string;
  readonly sync: RecordSyncStatus;
}

export type TemplatePart = 'subject' | 'body' | 'location';

export interface TemplateTexts {
  readonly subject: string;
  readonly body: string;
  readonly location: string;
}

export interface TemplateVersion {
  readonly version: number;
  readonly kind: string;
  readonly savedAt: string;
  readonly savedBy: string;
  readonly texts: TemplateTexts;
}

/** `GET /api/addin/templates` (admin) */
export interface TemplatesResponse {
  readonly kinds: Readonly<Record<string, { readonly texts: TemplateTexts; readonly isDefault: boolean; readonly version: number | null }>>;
  readonly history: readonly TemplateVersion[];
}

export interface TemplateProblem {
  readonly part: TemplatePart;
  readonly line: number | null;
  readonly message: string;
}

/** `POST /api/addin/templates/preview` body `{ kind, texts, sourceKey }` (admin) */
export type PreviewResponse =
  | { readonly ok: true; readonly event: { readonly subject: string; readonly bodyHtml: string; readonly location: string; readonly start: string; readonly end: string; readonly timeZone: string } }
  | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/** `PUT /api/addin/templates/:kind` body `TemplateTexts` (admin); `POST …/:kind/revert` body `{ version }`. */
export type SaveTemplatesResponse =
  | { readonly ok: true; readonly version: number }
  | { readonly ok: false; readonly problems: readonly TemplateProblem[] };

/** `POST /api/addin/consent` (the SSO token in the header is redeemed on-behalf-of). */
export interface ConsentResponse {
  readonly consent: 'ok';
  readonly mailbox: string;
}
