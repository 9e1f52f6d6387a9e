-- Identyfikatory wszystkich czynności serwisowych w zakresie synchronizacji (do wykrywania usunięć).
-- Ids of every in-scope service activity (deletion detection). One column, one join (the scope lives on the order).
--
-- Zakres taki sam jak w serwis-czynnosci-changed.sql:
--   zlecenie: SrZ_Bufor = 0 zawsze; SrZ_Bufor od 1 do @maxBufor (bufor) gdy @maxBufor >= 1; ujemne nigdy.
--   czynność: @onlyReserved = 1 -> tylko SrY_RezerwujCzas = 1; @onlyReserved = 0 -> wszystkie.
-- Parametry: @maxBufor smallint (0 = bez buforu, 32767 = z buforem), @onlyReserved int (1 albo 0).
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
SELECT
  y.SrY_SrYId
FROM CDN.SrsCzynnosci AS y
INNER JOIN CDN.SrsZlecenia AS z ON z.SrZ_SrZId = y.SrY_SrZId
WHERE z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
  AND (y.SrY_RezerwujCzas = 1 OR @onlyReserved = 0)
