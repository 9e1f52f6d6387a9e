-- Identyfikatory wszystkich zleceń serwisowych w zakresie synchronizacji (do wykrywania usunięć).
-- Ids of every in-scope service order (deletion detection). Must stay cheap: one column, no joins.
--
-- Zakres taki sam jak w serwis-zlecenia-changed.sql:
--   SrZ_Bufor = 0 zawsze; SrZ_Bufor od 1 do @maxBufor (bufor/szkic) gdy @maxBufor >= 1; ujemne nigdy.
-- Parametr: @maxBufor smallint (0 = bez buforu, 32767 = z buforem).
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  z.SrZ_SrZId
FROM CDN.SrsZlecenia AS z
WHERE z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
