/** "Resync now": the sync cycle for this one record, with progress and the outcome announced. */
import { useState } from 'react';
import { Button, makeStyles, MessageBar, MessageBarBody, MessageBarTitle, Spinner, tokens } from '@fluentui/react-components';
import type { ResyncResponse } from '../../shared/addin-api.ts';
import type { AddinApi } from '../api/client.ts';
import { useI18n } from '../i18n/i18n-context.ts';
import { describeFailure } from '../i18n/format.ts';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, alignItems: 'flex-start' },
  // The outcome is a sentence that names the fix: it wraps at the pane's 320 px instead of running off.
  progress: { alignSelf: 'stretch', minWidth: 0, overflowWrap: 'anywhere' },
});

export interface ResyncButtonProps {
  readonly api: AddinApi;
  readonly sourceKey: string;
  /** Called after every finished resync so the pane can read the record again. */
  readonly onDone: (response: ResyncResponse | null) => void;
}

type ResyncState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running' }
  | { readonly phase: 'done'; readonly response: ResyncResponse }
  | { readonly phase: 'failed'; readonly text: string };

/** The button, then a spinner while the server works, then the outcome in words. */
export function ResyncButton({ api, sourceKey, onDone }: ResyncButtonProps) {
  const { t, language } = useI18n();
  const styles = useStyles();
  const [state, setState] = useState<ResyncState>({ phase: 'idle' });

  async function run() {
    setState({ phase: 'running' });
    try {
      const response = await api.resync(sourceKey);
      setState({ phase: 'done', response });
      onDone(response);
    } catch (error) {
      setState({ phase: 'failed', text: describeFailure(error, t, language) });
      onDone(null);
    }
  }

  const failed = state.phase === 'failed' || (state.phase === 'done' && state.response.outcome === 'failed');
  return (
    <div className={styles.root}>
      <Button appearance="primary" onClick={run} disabled={state.phase === 'running'} aria-describedby="resync-progress">
        {t.resync}
      </Button>
      <div id="resync-progress" className={styles.progress} aria-live="polite" aria-atomic="true" data-testid="resync-progress">
        {state.phase === 'running' ? <Spinner size="tiny" label={t.resyncing} labelPosition="after" /> : null}
        {state.phase === 'done' || state.phase === 'failed' ? (
          <MessageBar intent={failed ? 'error' : 'success'} layout="multiline" data-testid="resync-outcome">
            <MessageBarBody>
              <MessageBarTitle>{failed ? t.resyncFailed : t.resyncDone}</MessageBarTitle>{' '}
              {state.phase === 'done' ? describeOutcome(state.response) : state.text}
            </MessageBarBody>
          </MessageBar>
        ) : null}
      </div>
    </div>
  );

  function describeOutcome(response: ResyncResponse): string {
    const fromServer = language === 'pl' ? response.message : response.messageEn;
    return fromServer || t.outcome[response.outcome];
  }
}
