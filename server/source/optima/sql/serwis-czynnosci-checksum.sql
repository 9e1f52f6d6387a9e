-- Suma kontrolna identyfikatorów czynności w zakresie synchronizacji: jeden wiersz zamiast wszystkich.
-- Checksum of in-scope service-activity ids: one row instead of every id.
--
-- Bezczynne odpytanie porównuje (liczba, suma) z tym, czego oczekuje po poprzednim przebiegu i po
-- zmienionych wierszach; tylko przy niezgodności czyta pełną listę z serwis-czynnosci-ids.sql.
-- CAST do BIGINT: SUM(int) w SQL Server przepełnia się.
--
-- Ważne: SrsCzynnosci nie ma TS_Mod. Czynność dodana, usunięta albo odznaczona w Terminarzu Optimy
-- bez zapisu zlecenia nie zmienia SrZ_TS_Mod — zmienia za to tę sumę (liczba lub suma id), więc
-- usunięcie wykryje najbliższe odpytanie. Zmianę samej treści czynności (termin, serwisant) bez
-- zmiany znacznika zlecenia naprawia nocny pełny przebieg.
-- Activities have no TS_Mod: this checksum catches deletions and scope changes made from the
-- Terminarz without saving the order; content edits made there heal in the nightly full pass.
--
-- Zakres taki sam jak w serwis-czynnosci-changed.sql.
-- Parametry: @maxBufor smallint (0 = bez buforu, 32767 = z buforem), @onlyReserved int (1 albo 0).
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  COUNT(y.SrY_SrYId) AS IdCount,
  SUM(CAST(y.SrY_SrYId AS BIGINT)) AS IdSum
FROM CDN.SrsCzynnosci AS y
INNER JOIN CDN.SrsZlecenia AS z ON z.SrZ_SrZId = y.SrY_SrZId
WHERE z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
  AND (y.SrY_RezerwujCzas = 1 OR @onlyReserved = 0)
