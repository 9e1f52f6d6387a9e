/// <reference types="office-js" />
/**
 * The only gate to Office.js. `Office.onReady` never resolves when office.js is blocked or the
 * page is opened outside Outlook, so a timeout turns that into a state the pane can explain.
 */

export interface OfficeHost {
  /** Outlook's display language, e.g. `pl-PL`. */
  readonly displayLanguage: string;
}

/** Waits for Office.js; `null` when it is missing, not in Outlook, or not ready in `timeoutMs`. */
export async function waitForOffice(timeoutMs: number): Promise<OfficeHost | null> {
  if (typeof Office === 'undefined' || typeof Office.onReady !== 'function') return null;
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const ready = Office.onReady().then((info) => (info.host === null ? null : { displayLanguage: readDisplayLanguage() }));
  return Promise.race([ready, timeout]);
}

/** Outlook's display language; the browser's when Office does not say. */
export function readDisplayLanguage(): string {
  const fromOffice = typeof Office !== 'undefined' ? Office.context?.displayLanguage : undefined;
  return fromOffice || navigator.language || 'pl-PL';
}
