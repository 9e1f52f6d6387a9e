import { buildRuntime } from '../main.ts';
import { listCompanies } from '../sync/companies.ts';
import { describeError } from '../domain/describe-error.ts';
import { indexPeopleEmails } from '../sync/route-mailbox.ts';
import { EXIT, formatTable, loadConfigOrReport } from './cli-support.ts';

interface CheckRow {
  readonly what: string;
  readonly ok: boolean;
  readonly detail: string;
}

/**
 * `optima-sync check`: the configuration, the source tables and columns, sign-in, and each
 * mailbox's calendar — a table with what to fix. Creates the target calendar where missing
 * (that is the write the sync would make first anyway).
 */
export async function runCheck(options: { configPath?: string }): Promise<number> {
  const config = loadConfigOrReport(options.configPath);
  if (!config) return EXIT.config;
  const rows: CheckRow[] = [{ what: 'konfiguracja', ok: true, detail: 'poprawna' }];
  let runtime;
  try {
    runtime = buildRuntime(config, { graphMaxRetries: 0 });
  } catch (err) {
    rows.push({ what: 'szablony', ok: false, detail: describeError(err) });
    return print(rows);
  }
  const { target } = runtime.deps;
  const emails: string[] = [];
  // Every company: its tables, and its people's e-mails (employees live in each company's database).
  for (const company of listCompanies(runtime.deps)) {
    const label = company.code === '' ? 'Optima' : `Optima (${company.code})`;
    try {
      const problems = await company.reader.checkSchema();
      rows.push(problems.length === 0
        ? { what: `${label}: tabele i kolumny`, ok: true, detail: 'wszystkie obecne' }
        : { what: `${label}: tabele i kolumny`, ok: false, detail: problems.map((p) => p.message).join('; ') });
      if (config.mailboxes.useOptimaEmail) emails.push(...indexPeopleEmails(await company.reader.readPeople(), company.code).values());
    } catch (err) {
      rows.push({ what: `${label}: połączenie`, ok: false, detail: describeError(err) });
    }
  }
  const mailboxes = [...new Set([config.mailboxes.default, ...Object.values(config.mailboxes.map), ...emails].filter((m): m is string => !!m))].sort();
  // One app token serves every mailbox: once sign-in fails, trying the others only repeats the
  // same error after the same retries (minutes with many mailboxes and an unreachable Entra ID).
  let signInError: string | null = null;
  for (const mailbox of mailboxes) {
    if (signInError !== null) {
      rows.push({ what: `skrzynka ${mailbox}`, ok: false, detail: 'nie sprawdzono — najpierw popraw logowanie do Microsoft 365 (wiersz wyżej).' });
      continue;
    }
    try {
      await target.ensureCalendar(mailbox, config.calendar.name);
      rows.push({ what: `skrzynka ${mailbox}`, ok: true, detail: `kalendarz „${config.calendar.name}” dostępny do zapisu` });
    } catch (err) {
      const detail = describeError(err);
      if (/AADSTS|logowa/i.test(detail)) signInError = detail;
      rows.push({ what: `skrzynka ${mailbox}`, ok: false, detail });
    }
  }
  rows.splice(1, 0, { what: 'logowanie Microsoft 365', ok: signInError === null && mailboxes.length > 0, detail: mailboxes.length === 0 ? 'brak skrzynek do sprawdzenia — ustaw mailboxes.default lub mailboxes.map' : signInError ?? 'token uzyskany' });
  await runtime.close();
  return print(rows);
}

function print(rows: readonly CheckRow[]): number {
  process.stdout.write(`${formatTable(['sprawdzenie', 'wynik', 'szczegóły / co poprawić'], rows.map((r) => [r.what, r.ok ? 'OK' : 'BŁĄD', r.detail]))}\n`);
  return rows.every((r) => r.ok) ? EXIT.ok : EXIT.failed;
}
