/**
 * Taskpane entry: waits for Office.js, picks the language, wires SSO and the API client, renders.
 */
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { createApiClient } from './api/client.ts';
import { pickLanguage } from './i18n/messages.ts';
import { createTokenProvider, readSsoConfig } from './office/create-token-provider.ts';
import { readSelectedItem } from './office/read-selected-item.ts';
import { readDisplayLanguage, waitForOffice } from './office/wait-for-office.ts';
import { watchItemChanged } from './office/watch-item-changed.ts';

const OFFICE_READY_TIMEOUT_MS = 10_000;

async function start(): Promise<void> {
  const host = await waitForOffice(OFFICE_READY_TIMEOUT_MS);
  const language = pickLanguage(host?.displayLanguage ?? readDisplayLanguage());
  document.documentElement.lang = language;
  const api = createApiClient(createTokenProvider(readSsoConfig(location.search)));
  const container = document.getElementById('root');
  if (!container) return;
  createRoot(container).render(
    <App
      api={api}
      language={language}
      readItem={host ? readSelectedItem : null}
      watchItem={host ? watchItemChanged : () => () => {}}
    />,
  );
}

void start();
