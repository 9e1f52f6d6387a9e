-- Suma kontrolna identyfikatorów wystąpień w zakresie: jeden wiersz zamiast wszystkich (bezczynne odpytanie).
-- Checksum of in-scope occurrence ids. CAST do BIGINT: SUM(int) w SQL Server przepełnia się.
-- CrmKontaktyCykl nie ma TS_Mod: wystąpienie dodane, usunięte albo wyłączone z cyklu bez zapisu zadania
-- zmienia tę sumę (liczba lub suma id), więc wykryje je najbliższe odpytanie.
--
-- Zakres (scope), ten sam we wszystkich plikach crm-wystapienia-*.sql:
--   wystąpienie: wiersz CDN.CrmKontaktyCykl z terminem (CRC_TerminOd po '1900-01-01', jak w crm-zadania-*.sql)
--             i NIE wyłączone z cyklu: CRC_CrKWylaczonyId NULL albo 0. Wystąpienie wyłączone do osobnego
--             kontaktu (CRC_CrKWylaczonyId = CRK_CRKId tego kontaktu) synchronizuje się jako ten kontakt
--             (crm:zadanie), więc nigdy dwa razy.
--   zadanie:  to samo co w crm-zadania-*.sql — CRK_Zadanie = 1 zawsze, kontakty tylko gdy @withContacts = 1;
--             anulowane (CRK_Bufor = -1 albo CRK_Anulowany = 1) tylko gdy @withCancelled = 1. Termin samego
--             zadania nie ma znaczenia: każde wystąpienie ma swój.
--   zamknięte (zadanie z CRK_Bufor = 0 albo wystąpienie z CRC_Bufor = 0) są w zakresie: konfiguracja decyduje.
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @withContacts   int  0 = tylko zadania (domyślnie), 1 = zadania i kontakty
--   @withCancelled  int  0 = bez anulowanych (domyślnie), 1 = z anulowanymi
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  COUNT(c.CRC_CRCId) AS IdCount,
  SUM(CAST(c.CRC_CRCId AS BIGINT)) AS IdSum
FROM CDN.CrmKontaktyCykl AS c
INNER JOIN CDN.CRMKontakty AS k ON k.CRK_CRKId = c.CRC_CRKId
WHERE c.CRC_CRCId > 0
  AND c.CRC_TerminOd > '1900-01-01'
  AND COALESCE(c.CRC_CrKWylaczonyId, 0) = 0
  AND (k.CRK_Zadanie = 1 OR @withContacts = 1)
  AND ((k.CRK_Bufor >= 0 AND COALESCE(k.CRK_Anulowany, 0) = 0) OR @withCancelled = 1)
