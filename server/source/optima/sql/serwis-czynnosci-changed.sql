-- Czynności serwisowe (CDN.SrsCzynnosci) zleceń zmienionych od znacznika @since.
-- Service activities of the service orders changed since the watermark @since.
--
-- Wykrywanie zmian: SrsCzynnosci nie ma kolumny TS_Mod, więc znacznikiem czynności jest
-- SrZ_TS_Mod jej zlecenia (zapis zlecenia w Optimie, także z czynnościami, zmienia ten znacznik).
-- Czynność zmieniona z Terminarza Optimy może NIE zmienić znacznika zlecenia: taką zmianę
-- naprawia nocny pełny przebieg, a usunięcie lub wypadnięcie z zakresu — suma kontrolna
-- (serwis-czynnosci-checksum.sql) już przy najbliższym odpytaniu.
-- Change detection: activities have no TS_Mod; the parent order's SrZ_TS_Mod stands in for it.
--
-- Zakres (scope), ten sam co w serwis-czynnosci-ids.sql:
--   zlecenie: SrZ_Bufor = 0 zawsze; SrZ_Bufor od 1 do @maxBufor (bufor) gdy @maxBufor >= 1; ujemne nigdy.
--   czynność: @onlyReserved = 1 -> tylko SrY_RezerwujCzas = 1 (to, co pokazuje Terminarz Optimy);
--             @onlyReserved = 0 -> wszystkie czynności.
--   Czynności zakończone (SrY_Zakonczona = 1) są w zakresie: konfiguracja decyduje, czy je oznaczyć, czy usunąć.
--
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @since         datetime  czas ścienny Optimy, porównanie >= (włącznie); pełny odczyt = najmniejsza data
--   @maxBufor      smallint  0 = bez buforu, 32767 = z buforem (domyślnie)
--   @onlyReserved  int       1 = tylko z rezerwacją czasu w terminarzu (domyślnie), 0 = wszystkie
--
-- Przenośny podzbiór SQL: działa bez zmian na SQL Server i na SQLite (demo, testy):
-- tylko @parametry, złączenia ANSI, CASE, COALESCE; bez TOP/LIMIT, bez '+', bez funkcji dat, bez SELECT *.
-- Możesz nadpisać ten plik własnym (konfiguracja: ścieżka do pliku); nazwy kolumn wyniku muszą zostać.
SELECT
  y.SrY_SrYId,
  y.SrY_SrZId,
  y.SrY_Lp,
  y.SrY_TwrKod,
  y.SrY_TwrNazwa,
  y.SrY_Opis,
  y.SrY_SerwisantTyp,
  y.SrY_SerwisantId,
  y.SrY_TerminOd,
  y.SrY_TerminDo,
  y.SrY_DataWykonania,
  y.SrY_Zakonczona,
  y.SrY_RezerwujCzas,
  y.SrY_Przypomnienie,
  y.SrY_CzasPrzypomnienia,
  z.SrZ_NumerPelny,
  z.SrZ_Opis,
  z.SrZ_Stan,
  z.SrZ_Bufor,
  z.SrZ_ProwadzacyTyp,
  z.SrZ_ProwadzacyId,
  z.SrZ_PodNazwa1,
  z.SrZ_PodNazwa2,
  z.SrZ_PodNazwa3,
  z.SrZ_PodUlica,
  z.SrZ_PodNrDomu,
  z.SrZ_PodNrLokalu,
  z.SrZ_PodKodPocztowy,
  z.SrZ_PodMiasto,
  z.SrZ_PodPoczta,
  z.SrZ_Telefon,
  z.SrZ_Email,
  z.SrZ_ZlecajacyNazwisko,
  z.SrZ_ZlecajacyTelefon,
  u.SrU_Kod,
  u.SrU_Nazwa,
  z.SrZ_TS_Mod
FROM CDN.SrsCzynnosci AS y
INNER JOIN CDN.SrsZlecenia AS z ON z.SrZ_SrZId = y.SrY_SrZId
LEFT JOIN CDN.SrsUrzadzenia AS u ON u.SrU_SrUId = z.SrZ_SrUId
WHERE z.SrZ_TS_Mod >= @since
  AND z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
  AND (y.SrY_RezerwujCzas = 1 OR @onlyReserved = 0)
ORDER BY z.SrZ_TS_Mod, y.SrY_SrYId
