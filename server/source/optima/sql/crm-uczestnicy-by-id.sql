-- Uczestnicy jednego zadania CRM (@id = CRK_CRKId; dla wystąpienia: id jego zadania) — dla dodatku
-- Outlooka i "synchronizuj teraz". Kolumny jak w crm-uczestnicy-changed.sql.
-- Participants of one CRM task (@id = CRK_CRKId, for an occurrence its task's id).
-- Parametry (podawane osobno, nigdy wklejane w tekst):
--   @id  int  CRK_CRKId
-- Przenośny podzbiór SQL (SQL Server i SQLite bez zmian).
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
WHERE u.CrU_CrKId = @id
ORDER BY u.CrU_CrUId
