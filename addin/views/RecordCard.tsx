/**
 * The card every kind of record shares: a heading that says what the record is, badges for its
 * state, a lead line (what to do, the topic), and its fields — empty ones left out, long text
 * wrapped so the pane works at 320 px.
 */
import type { ReactNode } from 'react';
import { Badge, Body1Strong, Card, makeStyles, Subtitle1, Text, tokens } from '@fluentui/react-components';

const useStyles = makeStyles({
  list: { display: 'grid', gridTemplateColumns: 'minmax(0, 1fr)', rowGap: tokens.spacingVerticalS, margin: 0 },
  term: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  value: { margin: 0, overflowWrap: 'anywhere' },
  // Fluent's Text sets its own white-space: descriptions keep Optima's line breaks.
  text: { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' },
  heading: { margin: 0, overflowWrap: 'anywhere' },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', columnGap: tokens.spacingHorizontalS, rowGap: tokens.spacingVerticalXS },
  lead: { margin: 0, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' },
});

export interface RecordField {
  /** Stable name for tests and styling (`data-field`). */
  readonly key: string;
  readonly label: string;
  /** null, undefined or '' = nothing to show: the row is left out. */
  readonly value: ReactNode;
  /** The value is a block of its own (a list), not a line of text. */
  readonly block?: boolean;
}

export interface RecordBadge {
  readonly text: string;
  readonly color?: 'brand' | 'informative' | 'success' | 'warning' | 'danger' | 'subtle';
}

export interface RecordCardProps {
  /** The record's kind (`data-kind`), e.g. `crm:zadanie`. */
  readonly kind: string;
  /** What the record is, e.g. "Zadanie CRM ZAD/5/2026". */
  readonly heading: string;
  readonly badges?: readonly (RecordBadge | null)[];
  /** The one line a person reads first (what to do, the topic); null = none. */
  readonly lead?: string | null;
  readonly fields: readonly RecordField[];
}

/** One record as a Fluent card with a definition list of its non-empty fields. */
export function RecordCard({ kind, heading, badges = [], lead = null, fields }: RecordCardProps) {
  const styles = useStyles();
  const shown = fields.filter((f) => f.value !== null && f.value !== undefined && f.value !== '');
  return (
    <Card data-testid="record-view" data-kind={kind} aria-labelledby="record-heading">
      <div className={styles.header}>
        <Subtitle1 as="h2" id="record-heading" className={styles.heading}>
          {heading}
        </Subtitle1>
        {badges.map((badge) =>
          badge ? (
            <Badge key={badge.text} appearance="tint" color={badge.color ?? 'brand'}>
              {badge.text}
            </Badge>
          ) : null,
        )}
      </div>
      {lead ? (
        <p className={styles.lead} data-field="lead">
          <Body1Strong>{lead}</Body1Strong>
        </p>
      ) : null}
      <dl className={styles.list}>
        {shown.map(({ key, label, value, block }) => (
          <div key={key} data-field={key}>
            <dt className={styles.term}>{label}</dt>
            <dd className={styles.value}>
              {block ? value : <Text className={styles.text}>{value}</Text>}
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
