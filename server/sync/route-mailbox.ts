import type { PersonRef } from '../domain/types.ts';
import type { SourcePerson } from '../source/source-reader.ts';

/** How a record's owner becomes a mailbox (config `mailboxes`). */
export interface MailboxRouting {
  readonly defaultMailbox: string | null;
  /** Explicit map, keys `pracownik:<id>` / `operator:<id>`, values mailboxes. */
  readonly map: Readonly<Record<string, string>>;
  /** What to do with a record nobody leads: send it to the default mailbox, or skip it. */
  readonly unassigned: 'default' | 'skip';
  readonly useOptimaEmail: boolean;
}

/**
 * `pracownik:12` / `operator:3`: the person key used in the config map and in the index. An
 * employee of a further company is `<code>/pracownik:12` (employees live in each company's
 * database); operators are shared by all companies (configuration database) and never prefixed.
 */
export function personKey(person: PersonRef, company = ''): string {
  return company !== '' && person.type === 'pracownik' ? `${company}/${person.type}:${person.id}` : `${person.type}:${person.id}`;
}

/** Index of people's e-mails from Optima (one company's list), by person key; blank e-mails are left out. */
export function indexPeopleEmails(people: readonly SourcePerson[], company = ''): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const p of people) {
    const email = p.email?.trim().toLowerCase();
    if (email && email.includes('@')) index.set(personKey(p, company), email);
  }
  return index;
}

/**
 * Mailbox for a record's owner (of company `company`, '' = the main one), in order: the explicit map in config, the person's e-mail in
 * Optima, the default mailbox. Nobody set → the default or null (skipped), per config.
 */
export function resolveMailbox(owner: PersonRef | null, routing: MailboxRouting, emails: ReadonlyMap<string, string>, company = ''): string | null {
  const fallback = routing.defaultMailbox?.toLowerCase() ?? null;
  if (owner === null) return routing.unassigned === 'default' ? fallback : null;
  const key = personKey(owner, company);
  const mapped = routing.map[key];
  if (mapped) return mapped.toLowerCase();
  if (routing.useOptimaEmail) {
    const email = emails.get(key);
    if (email) return email;
  }
  return fallback;
}

/** True when routing needs Optima's people list (so an idle poll can skip reading it). */
export function needsPeople(routing: MailboxRouting): boolean {
  return routing.useOptimaEmail;
}
