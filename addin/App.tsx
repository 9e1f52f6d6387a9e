/**
 * The taskpane: which record the open event is, its sync status and "resync now", the consent
 * banner when the server cannot write this person's calendar, and Settings for admins. Office.js
 * reaches this component only through the functions it is given (addin/office/ holds the calls).
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Button, FluentProvider, makeStyles, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner,
  Tab, TabList, Text, tokens, webLightTheme,
} from '@fluentui/react-components';
import type { MeResponse, RecordResponse } from '../shared/addin-api.ts';
import type { AddinApi, RecordQuery } from './api/client.ts';
import { isApiError } from './api/client.ts';
import type { SelectedItem } from './office/read-selected-item.ts';
import { I18nContext, type I18n } from './i18n/i18n-context.ts';
import { getMessages, type Language } from './i18n/messages.ts';
import { describeFailure } from './i18n/format.ts';
import { RecordView } from './views/RecordView.tsx';
import { SyncStatusView } from './views/SyncStatusView.tsx';
import { ResyncButton } from './views/ResyncButton.tsx';
import { ConsentBanner } from './views/ConsentBanner.tsx';
import { NotFromOptima } from './views/NotFromOptima.tsx';

// Admins only: kept out of the first bundle.
const SettingsView = lazy(() => import(/* webpackChunkName: "settings" */ './views/SettingsView.tsx'));

const useStyles = makeStyles({
  root: { minHeight: '100vh', boxSizing: 'border-box', padding: tokens.spacingHorizontalM, display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM, maxWidth: '640px' },
  title: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  column: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
});

export interface AppProps {
  readonly api: AddinApi;
  readonly language: Language;
  /** Reads the item open in Outlook; `null` outside Outlook. */
  readonly readItem: (() => Promise<SelectedItem>) | null;
  /** Subscribes to selection changes; returns the unsubscribe function. */
  readonly watchItem: (onChange: () => void) => () => void;
}

type PaneState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'info'; readonly text: string }
  | { readonly phase: 'error'; readonly text: string }
  | { readonly phase: 'not-found'; readonly text: string }
  | { readonly phase: 'record'; readonly record: Extract<RecordResponse, { found: true }> };

type ConsentState = 'missing' | 'lapsed' | null;

/** The whole pane, inside Fluent's provider and the chosen message catalogue. */
export function App({ api, language, readItem, watchItem }: AppProps) {
  const i18n = useMemo<I18n>(() => ({ language, t: getMessages(language) }), [language]);
  return (
    <FluentProvider theme={webLightTheme} lang={language === 'pl' ? 'pl-PL' : 'en'}>
      <I18nContext.Provider value={i18n}>
        <Pane api={api} language={language} readItem={readItem} watchItem={watchItem} />
      </I18nContext.Provider>
    </FluentProvider>
  );
}

function Pane({ api, language, readItem, watchItem }: AppProps) {
  const t = getMessages(language);
  const styles = useStyles();
  const [pane, setPane] = useState<PaneState>({ phase: 'loading' });
  const [me, setMe] = useState<MeResponse | null>(null);
  const [consent, setConsent] = useState<ConsentState>(null);
  const [tab, setTab] = useState<'record' | 'settings'>('record');
  const loadCount = useRef(0);

  const load = useCallback(async () => {
    const attempt = ++loadCount.current;
    const stale = () => attempt !== loadCount.current;
    if (!readItem) {
      setPane({ phase: 'info', text: t.noOffice });
      return;
    }
    setPane({ phase: 'loading' });
    const mePromise = api.getMe().then(
      (answer) => {
        if (stale()) return;
        setMe(answer);
        setConsent(answer.consent === 'missing' || answer.consent === 'lapsed' ? answer.consent : null);
      },
      (error: unknown) => {
        if (!stale() && isApiError(error) && error.code === 'consent_required') setConsent('missing');
      },
    );
    const item = await readItem();
    const next = await readPane(item);
    await mePromise;
    if (!stale()) setPane(next);
  }, [api, readItem, t]);

  async function readPane(item: SelectedItem): Promise<PaneState> {
    if (item.kind === 'none') return { phase: 'info', text: t.noItem };
    if (item.kind === 'not-appointment') return { phase: 'not-found', text: t.notFromOptima };
    if (item.kind === 'unsaved') return { phase: 'not-found', text: t.newItem };
    const query: RecordQuery = item.sourceKey
      ? { sourceKey: item.sourceKey }
      : { eventId: item.eventId ?? '', idType: item.idType };
    try {
      const answer = await api.getRecord(query);
      if (!answer.found) return { phase: 'not-found', text: (language === 'pl' ? answer.message : answer.messageEn) || t.notFromOptima };
      return { phase: 'record', record: answer };
    } catch (error) {
      if (isApiError(error) && error.code === 'not_found') return { phase: 'not-found', text: t.notFromOptima };
      if (isApiError(error) && error.code === 'consent_required') setConsent('missing');
      return { phase: 'error', text: describeFailure(error, t, language) };
    }
  }

  useEffect(() => {
    void load();
    return watchItem(() => void load());
  }, [load, watchItem]);

  const sourceKey = pane.phase === 'record' ? pane.record.sourceKey : null;
  return (
    <main className={styles.root} aria-busy={pane.phase === 'loading'}>
      <h1 className={styles.title}>{t.appTitle}</h1>
      {consent ? (
        <ConsentBanner
          api={api}
          consent={consent}
          serverMessage={language === 'pl' ? me?.consentMessage ?? null : null}
          onRenewed={() => { setConsent(null); void load(); }}
        />
      ) : null}
      {me?.isAdmin ? (
        <TabList selectedValue={tab} onTabSelect={(_, data) => setTab(data.value as 'record' | 'settings')} aria-label={t.appTitle}>
          <Tab value="record">{t.tabRecord}</Tab>
          <Tab value="settings" data-testid="settings-tab">{t.tabSettings}</Tab>
        </TabList>
      ) : null}
      {tab === 'settings' && me?.isAdmin ? (
        <Suspense fallback={<Spinner label={t.loading} />}>
          <SettingsView api={api} sourceKey={sourceKey} />
        </Suspense>
      ) : (
        <div className={styles.column}>{renderRecordTab()}</div>
      )}
    </main>
  );

  function renderRecordTab() {
    switch (pane.phase) {
      case 'loading':
        return <Spinner label={t.loading} />;
      case 'info':
        return <Text role="status">{pane.text}</Text>;
      case 'not-found':
        return <NotFromOptima text={pane.text} />;
      case 'error':
        return (
          <MessageBar intent="error" layout="multiline" data-testid="pane-error">
            <MessageBarBody>
              <MessageBarTitle>{t.errorTitle}</MessageBarTitle>{' '}
              {pane.text}
            </MessageBarBody>
            <MessageBarActions>
              <Button onClick={() => void load()}>{t.retry}</Button>
            </MessageBarActions>
          </MessageBar>
        );
      case 'record':
        return (
          <>
            <RecordView record={pane.record.record} />
            <SyncStatusView sync={pane.record.sync}>
              <ResyncButton api={api} sourceKey={pane.record.sourceKey} onDone={() => void refreshRecord(pane.record.sourceKey)} />
            </SyncStatusView>
          </>
        );
    }
  }

  /** After a resync: read the record again without blanking the pane, so the outcome stays visible. */
  async function refreshRecord(key: string) {
    try {
      const answer = await api.getRecord({ sourceKey: key });
      if (answer.found) setPane({ phase: 'record', record: answer });
    } catch {
      // The outcome message already says what happened; the old view stays.
    }
  }
}
