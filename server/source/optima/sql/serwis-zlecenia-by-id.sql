-- Jedno zlecenie serwisowe (CDN.SrsZlecenia) po identyfikatorze @id — dla dodatku Outlooka
-- (podgląd rekordu, "synchronizuj teraz"). Kolumny wyniku takie same jak w serwis-zlecenia-changed.sql.
-- One service order by its id @id, for the Outlook add-in; the same result columns as serwis-zlecenia-changed.sql.
--
-- Zakres (scope), ten sam co w serwis-zlecenia-ids.sql:
--   SrZ_Bufor = 0              zlecenie zatwierdzone                 -> zawsze
--   SrZ_Bufor od 1 do @maxBufor zlecenie w buforze (szkic)            -> gdy @maxBufor >= 1
--   SrZ_Bufor < 0              anulowane (jeśli Optima tego używa)   -> nigdy
-- Zlecenie poza zakresem daje zero wierszy (jak usunięte).
--
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @id        int       SrZ_SrZId
--   @maxBufor  smallint  0 = bez buforu, 32767 = z buforem (domyślnie)
--
-- Przenośny podzbiór SQL: działa bez zmian na SQL Server i na SQLite (demo, testy):
-- tylko @parametry, złączenia ANSI, CASE, COALESCE; bez TOP/LIMIT, bez '+', bez funkcji dat, bez SELECT *.
-- Możesz nadpisać ten plik własnym (konfiguracja: ścieżka do pliku); nazwy kolumn wyniku muszą zostać.
SELECT
  z.SrZ_SrZId,
  z.SrZ_NumerPelny,
  z.SrZ_NumerString,
  z.SrZ_NumerNr,
  z.SrZ_Opis,
  z.SrZ_Stan,
  z.SrZ_Bufor,
  z.SrZ_Priorytet,
  z.SrZ_Wykonano,
  z.SrZ_DataDok,
  z.SrZ_DataPrzyjecia,
  z.SrZ_DataRealizacji,
  z.SrZ_DataZamkniecia,
  z.SrZ_ProwadzacyTyp,
  z.SrZ_ProwadzacyId,
  z.SrZ_PodmiotTyp,
  z.SrZ_PodmiotId,
  z.SrZ_PodNazwa1,
  z.SrZ_PodNazwa2,
  z.SrZ_PodNazwa3,
  z.SrZ_PodKraj,
  z.SrZ_PodWojewodztwo,
  z.SrZ_PodUlica,
  z.SrZ_PodNrDomu,
  z.SrZ_PodNrLokalu,
  z.SrZ_PodKodPocztowy,
  z.SrZ_PodMiasto,
  z.SrZ_PodPoczta,
  z.SrZ_PodAdres2,
  z.SrZ_OdbiorcaTyp,
  z.SrZ_OdbID,
  z.SrZ_OdbNazwa1,
  z.SrZ_OdbNazwa2,
  z.SrZ_OdbNazwa3,
  z.SrZ_OdbUlica,
  z.SrZ_OdbNrDomu,
  z.SrZ_OdbNrLokalu,
  z.SrZ_OdbKodPocztowy,
  z.SrZ_OdbMiasto,
  z.SrZ_OdbPoczta,
  z.SrZ_OdbTelefon,
  z.SrZ_Telefon,
  z.SrZ_Email,
  z.SrZ_ZlecajacyNazwisko,
  z.SrZ_ZlecajacyTelefon,
  z.SrZ_EtapId,
  z.SrZ_EtapOpis,
  z.SrZ_EtapData,
  e.DEt_Kod,
  e.DEt_Opis,
  z.SrZ_KatID,
  k.Kat_KodOgolny,
  k.Kat_KodSzczegol,
  k.Kat_Opis,
  z.SrZ_SrUId,
  u.SrU_Kod,
  u.SrU_Nazwa,
  z.SrZ_OpeModKod,
  z.SrZ_OpeModNazwisko,
  z.SrZ_TS_Zal,
  z.SrZ_TS_Mod
FROM CDN.SrsZlecenia AS z
LEFT JOIN CDN.DefEtapy AS e ON e.DEt_DEtId = z.SrZ_EtapId
LEFT JOIN CDN.Kategorie AS k ON k.Kat_KatID = z.SrZ_KatID
LEFT JOIN CDN.SrsUrzadzenia AS u ON u.SrU_SrUId = z.SrZ_SrUId
WHERE z.SrZ_SrZId = @id
  AND z.SrZ_Bufor >= 0
  AND z.SrZ_Bufor <= @maxBufor
