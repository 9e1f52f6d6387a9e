/** Where the event stands against the record: last write, match, pending change, drift, error. */
import type { ReactNode } from 'react';
import { Card, makeStyles, Subtitle2, Text, tokens } from '@fluentui/react-components';
import type { RecordSyncStatus } from '../../shared/addin-api.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { formatInstant } from '../i18n/format.ts';

const useStyles = makeStyles({
  lines: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXS, margin: 0, paddingLeft: 0, listStyleType: 'none' },
  heading: { margin: 0 },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface SyncStatusViewProps {
  readonly sync: RecordSyncStatus;
  readonly children?: ReactNode;
}

/** The sync status as sentences; the region is polite-live so a resync's result is announced. */
export function SyncStatusView({ sync, children }: SyncStatusViewProps) {
  const { t, language } = useI18n();
  const styles = useStyles();
  const lines: string[] = [];
  if (!sync.linked) lines.push(t.notLinked);
  lines.push(`${t.lastSynced}: ${sync.lastSyncedAt ? formatInstant(sync.lastSyncedAt, language) : t.never}`);
  if (sync.linked) lines.push(sync.upToDate ? t.upToDate : t.notUpToDate);
  if (sync.pendingChange) lines.push(t.pending);
  if (sync.drift === 'edited') lines.push(t.driftEdited);
  if (sync.drift === 'deleted') lines.push(t.driftDeleted);
  if (sync.drift === 'unknown') lines.push(t.driftUnknown);
  return (
    <Card data-testid="sync-status" aria-labelledby="sync-heading">
      <Subtitle2 as="h2" id="sync-heading" className={styles.heading}>
        {t.syncTitle}
      </Subtitle2>
      <ul className={styles.lines} aria-live="polite">
        {lines.map((line) => (
          <li key={line}>
            <Text>{line}</Text>
          </li>
        ))}
        {sync.lastError ? (
          <li data-testid="last-error">
            <Text className={styles.error}>
              {t.lastError}: {sync.lastError}
            </Text>
          </li>
        ) : null}
      </ul>
      {children}
    </Card>
  );
}
