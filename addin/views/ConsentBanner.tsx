/** The one-click renewal of the server's permission to write this person's calendar. */
import { useState } from 'react';
import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner } from '@fluentui/react-components';
import type { AddinApi } from '../api/client.ts';
import { useI18n } from '../i18n/i18n-context.ts';

export interface ConsentBannerProps {
  readonly api: AddinApi;
  readonly consent: 'missing' | 'lapsed';
  /** The server's own sentence about the consent, if it sent one. */
  readonly serverMessage: string | null;
  /** Called after the server accepted the consent, to read everything again. */
  readonly onRenewed: () => void;
}

/** A warning bar with one button: fresh SSO token → POST /consent → reload. */
export function ConsentBanner({ api, consent, serverMessage, onRenewed }: ConsentBannerProps) {
  const { t } = useI18n();
  const [phase, setPhase] = useState<'idle' | 'working' | 'failed'>('idle');

  async function renew() {
    setPhase('working');
    try {
      await api.giveConsent();
      setPhase('idle');
      onRenewed();
    } catch {
      setPhase('failed');
    }
  }

  return (
    <MessageBar intent={phase === 'failed' ? 'error' : 'warning'} layout="multiline" data-testid="consent-banner">
      <MessageBarBody>
        <MessageBarTitle>{t.consentTitle}</MessageBarTitle>{' '}
        {phase === 'failed' ? t.consentFailed : serverMessage ?? (consent === 'lapsed' ? t.consentLapsed : t.consentMissing)}
      </MessageBarBody>
      <MessageBarActions>
        <Button appearance="primary" onClick={renew} disabled={phase === 'working'}>
          {phase === 'working' ? <Spinner size="tiny" label={t.consentWorking} /> : t.consentButton}
        </Button>
      </MessageBarActions>
    </MessageBar>
  );
}
