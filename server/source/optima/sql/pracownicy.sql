-- Pracownicy (osoby typu 3 w kolumnach "kto", np. SrZ_ProwadzacyTyp = 3) z adresem e-mail.
-- Employees (person type 3) with their e-mail, for mailbox routing.
--
-- CDN.PracKod    jeden wiersz na pracownika (PRA_PraId = id używane w SrZ_ProwadzacyId)
-- CDN.Pracidx    imię i nazwisko z kartoteki
-- CDN.PracEtaty  datowane wersje danych (PRE_DataOd/PRE_DataDo); e-mail kontaktowy to PRE_HDKEmail.
-- Zwracamy wszystkie wersje etatu; program wybiera najnowszą na pracownika
-- (największe PRE_DataOd, potem PRE_PreId), bo "ostatni wiersz w grupie" nie ma przenośnego zapisu.
-- Gdy PRE_HDKEmail jest pusty, program bierze PRA_EPEmail (login e-Pracownika).
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian). Bez parametrów.
SELECT
  k.PRA_PraId,
  k.PRA_Kod,
  k.PRA_Archiwalny,
  k.PRA_EPEmail,
  i.PRI_Typ,
  i.PRI_Imie1,
  i.PRI_Nazwisko,
  e.PRE_PreId,
  e.PRE_DataOd,
  e.PRE_DataDo,
  e.PRE_Imie1,
  e.PRE_Nazwisko,
  e.PRE_HDKEmail
FROM CDN.PracKod AS k
LEFT JOIN CDN.Pracidx AS i ON i.PRI_PraId = k.PRA_PraId
LEFT JOIN CDN.PracEtaty AS e ON e.PRE_PraId = k.PRA_PraId
ORDER BY k.PRA_PraId, e.PRE_DataOd, e.PRE_PreId
