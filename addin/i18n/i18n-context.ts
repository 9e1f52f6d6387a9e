/** The chosen catalogue, handed to every view through React context. */
import { createContext, useContext } from 'react';
import { getMessages, type Language, type Messages } from './messages.ts';

export interface I18n {
  readonly language: Language;
  readonly t: Messages;
}

export const I18nContext = createContext<I18n>({ language: 'pl', t: getMessages('pl') });

/** The catalogue and language of the pane. */
export function useI18n(): I18n {
  return useContext(I18nContext);
}
