-- Jedna czynność serwisowa (CDN.SrsCzynnosci) po identyfikatorze @id — dla dodatku Outlooka
-- (podgląd rekordu, "synchronizuj teraz"). Kolumny wyniku takie same jak w serwis-czynnosci-changed.sql.
-- One service activity by its id @id, for the Outlook add-in; the same result columns as serwis-czynnosci-changed.sql.
--
-- Zakres taki sam jak w serwis-czynnosci-changed.sql (zlecenie: SrZ_Bufor od 0 do @maxBufor;
-- czynność: SrY_RezerwujCzas = 1, gdy @onlyReserved = 1). Czynność poza zakresem daje zero wierszy (jak usunięta).
--
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @id            int       SrY_SrYId
--   @maxBufor      smallint  0 = bez buforu, 32767 = z buforem (domyślnie)
--   @onlyReserved  int       1 = tylko z rezerwacją czasu w terminarzu (domyślnie), 0 = wszystkie
--
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
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
WHERE y.SrY_SrYId = @id
  AND z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
  AND (y.SrY_RezerwujCzas = 1 OR @onlyReserved = 0)
