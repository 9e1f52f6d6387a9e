import type { TargetError } from '../calendar-target.ts';

/** What we know about one failed Graph call (reference/graph-calendar.md §7). */
export interface GraphFailure {
  readonly status: number | null;
  readonly code: string;
  /** Graph's own message (English, safe to quote: it never holds tokens). */
  readonly graphMessage: string;
  readonly requestId: string | null;
  readonly retryAfterMs: number | null;
  readonly mailbox: string;
}

/**
 * Classifies a Graph failure as transient or permanent and writes the operator sentence (Polish)
 * that names the fix. Status/code pairs follow reference/graph-calendar.md §7.
 */
export function describeGraphError(f: GraphFailure): TargetError {
  const { transient, message } = explain(f);
  const where = [f.status !== null ? `HTTP ${f.status}` : null, f.code || null, f.requestId ? `request-id ${f.requestId}` : null]
    .filter((x) => x !== null)
    .join(', ');
  return {
    kind: 'target-error',
    status: f.status,
    code: f.code,
    message: where ? `${message} (Graph: ${where})` : message,
    transient,
    retryAfterMs: f.retryAfterMs,
    requestId: f.requestId,
  };
}

function explain(f: GraphFailure): { transient: boolean; message: string } {
  const m = f.mailbox;
  const code = f.code;
  if (code === 'MailboxNotEnabledForRESTAPI' || code === 'MailboxNotSupportedForRESTAPI') {
    return permanent(
      `Użytkownik ${m} nie ma skrzynki Exchange Online (brak licencji z Exchange Online albo skrzynka lokalna). Przypisz mu licencję z Exchange Online albo zmień adres w mapowaniu pracowników.`,
    );
  }
  if (code === 'ErrorInvalidUser' || (f.status === 404 && /requested user/i.test(f.graphMessage))) {
    return permanent(`W dzierżawie nie ma użytkownika ${m}. Sprawdź adres e-mail pracownika w Optimie albo w mapowaniu skrzynek.`);
  }
  if (f.status === 403 && /Access to OData is disabled/i.test(f.graphMessage)) {
    return permanent(
      `Skrzynka ${m} jest poza zakresem, do którego aplikacja ma dostęp (zasady dostępu aplikacji / RBAC for Applications w Exchange Online). Dodaj osobę do grupy objętej zakresem (New-ApplicationAccessPolicy albo New-ManagementScope) i sprawdź Test-ServicePrincipalAuthorization; zmiana działa po 30 min – 2 h.`,
    );
  }
  if (f.status === 403 && code === 'ErrorQuotaExceeded') return permanent(`Skrzynka ${m} jest pełna. Zwolnij w niej miejsce albo zwiększ limit.`);
  if (f.status === 403) {
    return permanent(
      `Aplikacja nie ma prawa pisać w kalendarzu ${m}. Nadaj uprawnienie Calendars.ReadWrite (aplikacyjne, ze zgodą administratora, albo rolę „Application Calendars.ReadWrite” w RBAC for Applications) i sprawdź, czy skrzynka jest w zakresie.`,
    );
  }
  if (f.status === 401) {
    return permanent(
      `Microsoft Graph odrzucił token dostępu dla ${m} (problem z logowaniem aplikacji). Sprawdź identyfikator dzierżawy i aplikacji, poświadczenia, adres Graph zgodny z chmurą logowania oraz zegar serwera.`,
    );
  }
  if (code === 'TimeZoneNotSupportedException') {
    return permanent(
      `Outlook nie obsługuje strefy czasowej z konfiguracji. Ustaw strefę IANA z listy Microsoftu (np. Europe/Warsaw) albo nazwę Windows (np. Central European Standard Time). Szczegóły: ${f.graphMessage}`,
    );
  }
  if (code === 'ErrorInvalidIdMalformed') {
    return permanent('Zapisany identyfikator zdarzenia jest uszkodzony. Przebuduj stan (pełna synchronizacja odnajdzie zdarzenia po znaczniku).');
  }
  if (f.status === 404) {
    return permanent(`Zdarzenia albo kalendarza nie ma już w skrzynce ${m} (usunięte w Outlooku?). Pełna synchronizacja utworzy je ponownie.`);
  }
  if (f.status === 409) return permanent(`Konflikt w skrzynce ${m}: ${f.graphMessage}. Sprawdź, czy nie istnieje już kalendarz o tej nazwie.`);
  if (f.status === 412) {
    return permanent(`Zdarzenie w skrzynce ${m} zostało w międzyczasie zmienione w Outlooku. Następny przebieg porówna je i zaktualizuje.`);
  }
  if (f.status === 507 || code === 'ErrorQuotaExceeded') return permanent(`Skrzynka ${m} jest pełna. Zwolnij w niej miejsce albo zwiększ limit.`);
  if (f.status === 400) {
    return permanent(
      `Microsoft Graph odrzucił dane zdarzenia dla ${m}: ${f.graphMessage}. Popraw szablon albo konfigurację (pola, kategorie, strefa czasowa).`,
    );
  }
  if (f.status === 429) {
    return transient(`Microsoft Graph ogranicza liczbę zapytań dla skrzynki ${m} (429). Synchronizacja ponowi próbę; jeśli to częste, zmniejsz równoległość.`);
  }
  if (f.status === null) {
    return transient(
      `Brak połączenia z Microsoft Graph (${f.graphMessage || 'błąd sieci'}). Sprawdź połączenie serwera z internetem, DNS, proxy i zaporę (HTTPS do adresu Graph z konfiguracji); synchronizacja ponowi próbę.`,
    );
  }
  if (f.status >= 500) return transient(`Microsoft Graph jest chwilowo niedostępny (${f.status}). Synchronizacja ponowi próbę.`);
  return permanent(`Microsoft Graph odrzucił żądanie dla ${m}: ${f.graphMessage || 'bez opisu'}.`);
}

function permanent(message: string): { transient: boolean; message: string } {
  return { transient: false, message };
}

function transient(message: string): { transient: boolean; message: string } {
  return { transient: true, message };
}
