/**
 * Phone numbers and e-mail addresses as links that start a call or a message. Each returns null
 * for an empty value, so a record card can hide the row.
 */
import type { ReactNode } from 'react';
import { Link } from '@fluentui/react-components';

/** `tel:` link with the number's digits (and a leading +); the text stays as Optima wrote it. */
export function renderPhone(phone: string | null): ReactNode {
  return phone ? <Link href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{phone}</Link> : null;
}

export function renderEmail(email: string | null): ReactNode {
  return email ? <Link href={`mailto:${email}`}>{email}</Link> : null;
}

/** "Anna Nowak, 600 100 200" with the number as a link; null when both are empty. */
export function renderContactPerson(name: string | null, phone: string | null): ReactNode {
  if (!name && !phone) return null;
  return (
    <>
      {name}
      {name && phone ? ', ' : null}
      {renderPhone(phone)}
    </>
  );
}
