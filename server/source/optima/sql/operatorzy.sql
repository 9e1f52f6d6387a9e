-- Operatorzy Optimy (osoby typu 8 w kolumnach "kto", np. SrZ_ProwadzacyTyp = 8) z adresem e-mail.
-- Optima operators (person type 8) with their e-mail, for mailbox routing.
--
-- Uwaga: CDN.Operatorzy jest w bazie KONFIGURACYJNEJ (domyślnie CDN_KNF_Konfiguracja), nie w bazie firmy.
-- Ope_Email jest pustym napisem, gdy operator nie ma adresu.
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian). Bez parametrów.
SELECT
  o.Ope_OpeID,
  o.Ope_Kod,
  o.Ope_Nazwisko,
  o.Ope_Email,
  o.Ope_Nieaktywny
FROM CDN.Operatorzy AS o
ORDER BY o.Ope_OpeID
