-- Zadania (i, wg konfiguracji, kontakty) CRM (CDN.CRMKontakty) zmienione od znacznika @since (CRK_TS_Mod, włącznie).
-- CRM tasks (and, per config, contacts) modified at or after the watermark @since, oldest first.
-- Uczestnicy (CDN.CrmUczestnicy) są czytani osobno: crm-uczestnicy-changed.sql. Wzorca cyklu (CRK_Cykl*) nie czytamy.
-- Klient: CRK_PodmiotTyp/CRK_PodID złączone z CDN.PodmiotyView po parze (typ, id) — kontrahent, bank,
-- pracownik, wspólnik albo urząd. Etap: CRK_EtapRealizacji w CDN.DefEtapy z DEt_Typ = 2 (etapy CRM).
-- Oba złączenia LEFT: zadanie bez klienta albo etapu zostaje.
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
--   @since             datetime  czas ścienny Optimy; pełny odczyt = najmniejsza data
--   @withContacts      int  0 = tylko zadania (domyślnie), 1 = zadania i kontakty
--   @withCancelled     int  0 = bez anulowanych (domyślnie), 1 = z anulowanymi
--   @occurrencesApart  int  0 = zadania cykliczne jako jedno wydarzenie (domyślnie), 1 = bez zadań z wystąpieniami
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
-- Możesz nadpisać ten plik własnym (konfiguracja: ścieżka do pliku); nazwy kolumn wyniku muszą zostać.
SELECT
  k.CRK_CRKId,
  k.CRK_Zadanie,
  k.CRK_NumerPelny,
  k.CRK_Temat,
  k.CRK_Opis,
  k.CRK_Lokalizacja,
  k.CRK_DataDok,
  k.CRK_TerminOd,
  k.CRK_TerminDo,
  k.CRK_OpiekunTyp,
  k.CRK_OpiekunId,
  k.CRK_Bufor,
  k.CRK_Anulowany,
  k.CRK_Priorytet,
  k.CRK_Przypomnienie,
  k.CRK_CzasPrzypomnienia,
  k.CRK_EtapRealizacji,
  e.DEt_Kod,
  e.DEt_Opis,
  k.CRK_PodmiotTyp,
  k.CRK_PodID,
  k.CRK_OsobaNazwisko,
  p.Pod_Kod,
  p.Pod_Nazwa1,
  p.Pod_Nazwa2,
  p.Pod_Ulica,
  p.Pod_NrDomu,
  p.Pod_NrLokalu,
  p.Pod_KodPocztowy,
  p.Pod_Miasto,
  p.Pod_Poczta,
  p.Pod_Telefon1,
  p.Pod_Email,
  k.CRK_TS_Mod
FROM CDN.CRMKontakty AS k
LEFT JOIN CDN.PodmiotyView AS p ON p.Pod_PodmiotTyp = k.CRK_PodmiotTyp AND p.Pod_PodId = k.CRK_PodID
LEFT JOIN CDN.DefEtapy AS e ON e.DEt_DEtId = k.CRK_EtapRealizacji AND e.DEt_Typ = 2
WHERE k.CRK_TS_Mod >= @since
  AND (k.CRK_Zadanie = 1 OR @withContacts = 1)
  AND (k.CRK_TerminOd > '1900-01-01' OR (k.CRK_Zadanie = 0 AND k.CRK_DataDok > '1900-01-01'))
  AND ((k.CRK_Bufor >= 0 AND COALESCE(k.CRK_Anulowany, 0) = 0) OR @withCancelled = 1)
  AND (@occurrencesApart = 0 OR NOT EXISTS (SELECT c.CRC_CRCId FROM CDN.CrmKontaktyCykl AS c WHERE c.CRC_CRKId = k.CRK_CRKId))
ORDER BY k.CRK_TS_Mod, k.CRK_CRKId
