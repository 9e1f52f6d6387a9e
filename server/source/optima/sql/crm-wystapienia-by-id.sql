-- Jedno wystąpienie zadania cyklicznego CRM po identyfikatorze @id (CRC_CRCId) — dla dodatku Outlooka.
-- One occurrence by its id @id; the same result columns as crm-wystapienia-changed.sql. Out of scope gives zero rows.
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
--   @id             int  CRC_CRCId
--   @withContacts   int  0 = tylko zadania (domyślnie), 1 = zadania i kontakty
--   @withCancelled  int  0 = bez anulowanych (domyślnie), 1 = z anulowanymi
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  c.CRC_CRCId,
  c.CRC_TerminOd,
  c.CRC_TerminDo,
  c.CRC_Przypomnienie,
  c.CRC_CzasPrzypomnienia,
  c.CRC_Bufor,
  c.CRC_Aktywny,
  k.CRK_CRKId,
  k.CRK_Zadanie,
  k.CRK_NumerPelny,
  k.CRK_Temat,
  k.CRK_Opis,
  k.CRK_Lokalizacja,
  k.CRK_DataDok,
  k.CRK_OpiekunTyp,
  k.CRK_OpiekunId,
  k.CRK_Bufor,
  k.CRK_Anulowany,
  k.CRK_Priorytet,
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
FROM CDN.CrmKontaktyCykl AS c
INNER JOIN CDN.CRMKontakty AS k ON k.CRK_CRKId = c.CRC_CRKId
LEFT JOIN CDN.PodmiotyView AS p ON p.Pod_PodmiotTyp = k.CRK_PodmiotTyp AND p.Pod_PodId = k.CRK_PodID
LEFT JOIN CDN.DefEtapy AS e ON e.DEt_DEtId = k.CRK_EtapRealizacji AND e.DEt_Typ = 2
WHERE c.CRC_CRCId = @id
  AND c.CRC_TerminOd > '1900-01-01'
  AND COALESCE(c.CRC_CrKWylaczonyId, 0) = 0
  AND (k.CRK_Zadanie = 1 OR @withContacts = 1)
  AND ((k.CRK_Bufor >= 0 AND COALESCE(k.CRK_Anulowany, 0) = 0) OR @withCancelled = 1)
