-- Suma kontrolna identyfikatorów zleceń w zakresie synchronizacji: jeden wiersz zamiast 100 000.
-- Checksum of in-scope service-order ids: one row instead of every id.
--
-- Bezczynne odpytanie porównuje (liczba, suma) z tym, czego oczekuje po poprzednim przebiegu i po
-- zmienionych wierszach; tylko przy niezgodności (coś usunięto lub wypadło z zakresu) czyta
-- pełną listę z serwis-zlecenia-ids.sql. CAST do BIGINT: SUM(int) w SQL Server przepełnia się.
--
-- Zakres taki sam jak w serwis-zlecenia-changed.sql:
--   SrZ_Bufor = 0 zawsze; SrZ_Bufor od 1 do @maxBufor (bufor/szkic) gdy @maxBufor >= 1; ujemne nigdy.
-- Parametr: @maxBufor smallint (0 = bez buforu, 32767 = z buforem).
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  COUNT(z.SrZ_SrZId) AS IdCount,
  SUM(CAST(z.SrZ_SrZId AS BIGINT)) AS IdSum
FROM CDN.SrsZlecenia AS z
WHERE z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
