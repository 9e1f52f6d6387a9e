-- Uczestnicy (CDN.CrmUczestnicy) zadań CRM zmienionych od znacznika @since — dołączani do zadań
-- (crm:zadanie) i do każdego wystąpienia zadania cyklicznego (crm:wystapienie), gdy konfiguracja tego chce.
-- Participants of the CRM tasks changed at or after @since, attached to tasks and to their occurrences.
-- Czytane tylko, gdy crm-zadania-changed.sql albo crm-wystapienia-changed.sql zwróciło choć jeden wiersz.
--
-- Zakres: zadania wg tych samych @withContacts i @withCancelled co crm-zadania-*.sql, bez warunku terminu
-- i bez wyłączania zadań cyklicznych — to nadzbiór: zadanie cykliczne poza crm-zadania ma swoich uczestników
-- dla wystąpień; nadmiarowe wiersze program pomija.
-- CrmUczestnicy nie ma TS_Mod: uczestnik dodany bez zapisu zadania pojawi się po nocnym pełnym przebiegu.
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @since          datetime  czas ścienny Optimy, porównanie >= (włącznie)
--   @withContacts   int  0 = tylko zadania (domyślnie), 1 = zadania i kontakty
--   @withCancelled  int  0 = bez anulowanych (domyślnie), 1 = z anulowanymi
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
-- Możesz nadpisać ten plik własnym (konfiguracja: ścieżka do pliku); nazwy kolumn wyniku muszą zostać.
SELECT
  u.CrU_CrUId,
  u.CrU_CrKId,
  u.CrU_PodmiotTyp,
  u.CrU_PodmiotId,
  u.CrU_Akronim,
  u.CrU_Nazwisko,
  u.CrU_Email,
  u.CrU_Organizator
FROM CDN.CrmUczestnicy AS u
INNER JOIN CDN.CRMKontakty AS k ON k.CRK_CRKId = u.CrU_CrKId
WHERE k.CRK_TS_Mod >= @since
  AND (k.CRK_Zadanie = 1 OR @withContacts = 1)
  AND ((k.CRK_Bufor >= 0 AND COALESCE(k.CRK_Anulowany, 0) = 0) OR @withCancelled = 1)
ORDER BY u.CrU_CrKId, u.CrU_CrUId
