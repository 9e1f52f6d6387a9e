-- Suma kontrolna identyfikatorów zadań CRM w zakresie: jeden wiersz zamiast wszystkich (bezczynne odpytanie).
-- Checksum of in-scope CRM task ids. CAST do BIGINT: SUM(int) w SQL Server przepełnia się.
--
-- Zakres (scope), ten sam we wszystkich plikach crm-zadania-*.sql:
--   rodzaj:   CRK_Zadanie = 1 (zadanie) zawsze; kontakty (CRK_Zadanie = 0) tylko gdy @withContacts = 1.
--   termin:   zadanie bez CRK_TerminOd (NULL albo pusta data Optimy 1899-12-30) nie ma miejsca w kalendarzu;
--             kontakt bez terminu bierze CRK_DataDok. '1900-01-01': dzień i miesiąc równe, więc SQL Server
--             czyta go tak samo przy każdym DATEFORMAT; w SQLite nie da się go zamienić na liczbę, więc
--             porównanie z tekstem 'RRRR-MM-DD ...' jest tekstowe ('19000101' byłoby liczbą i zawsze mniejsze).
--   anulowane (CRK_Bufor = -1 albo CRK_Anulowany = 1): tylko gdy @withCancelled = 1 (konfiguracja
--             crm.cancelled = 'mark'); przy 'remove' (domyślnie) wypadają z zakresu, więc ich wydarzenia znikają.
--   zamknięte (CRK_Bufor = 0) są w zakresie: konfiguracja decyduje, czy je oznaczyć, czy usunąć.
--   cykliczne: gdy @occurrencesApart = 1 (wystąpienia synchronizowane osobno jako crm:wystapienie,
--             crm-wystapienia-*.sql), zadanie, które ma choć jeden wiersz w CDN.CrmKontaktyCykl, wypada
--             z zakresu — jego wydarzeniami są wystąpienia. Przy 0 (domyślnie) jest jednym wydarzeniem.
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @withContacts      int  0 = tylko zadania (domyślnie), 1 = zadania i kontakty
--   @withCancelled     int  0 = bez anulowanych (domyślnie), 1 = z anulowanymi
--   @occurrencesApart  int  0 = zadania cykliczne jako jedno wydarzenie (domyślnie), 1 = bez zadań z wystąpieniami
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  COUNT(k.CRK_CRKId) AS IdCount,
  SUM(CAST(k.CRK_CRKId AS BIGINT)) AS IdSum
FROM CDN.CRMKontakty AS k
WHERE k.CRK_CRKId > 0
  AND (k.CRK_Zadanie = 1 OR @withContacts = 1)
  AND (k.CRK_TerminOd > '1900-01-01' OR (k.CRK_Zadanie = 0 AND k.CRK_DataDok > '1900-01-01'))
  AND ((k.CRK_Bufor >= 0 AND COALESCE(k.CRK_Anulowany, 0) = 0) OR @withCancelled = 1)
  AND (@occurrencesApart = 0 OR NOT EXISTS (SELECT c.CRC_CRCId FROM CDN.CrmKontaktyCykl AS c WHERE c.CRC_CRKId = k.CRK_CRKId))
