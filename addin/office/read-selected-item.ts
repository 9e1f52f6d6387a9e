/// <reference types="office-js" />
/**
 * Which Optima record the open appointment is: the source-key stamp where the add-in can read it
 * (custom properties, reference/outlook-addin.md §5.5), else the event's id for the server to
 * translate. Works in read (attendee) and organizer (compose) mode; `mailbox.item` may be null.
 */

/** Key inside the add-in's custom-property blob (`cecp-<manifest Id>`) that holds the source key. */
export const SOURCE_KEY_PROPERTY = 'sourceKey';

export type SelectedItem =
  | { readonly kind: 'none' }
  | { readonly kind: 'not-appointment' }
  | { readonly kind: 'unsaved'; readonly mode: 'organizer' }
  | {
      readonly kind: 'appointment';
      readonly mode: 'read' | 'organizer';
      readonly sourceKey: string | null;
      readonly eventId: string | null;
      readonly idType: 'ews' | 'rest';
    };

/** Reads the item open in Outlook now. Never throws: Office failures become the `none` shapes. */
export async function readSelectedItem(): Promise<SelectedItem> {
  const mailbox = Office.context?.mailbox;
  const item = mailbox?.item as (Office.AppointmentRead & Office.AppointmentCompose) | null | undefined;
  if (!mailbox || !item) return { kind: 'none' };
  if (item.itemType !== Office.MailboxEnums.ItemType.Appointment) return { kind: 'not-appointment' };
  // Compose (organizer) forms have no itemId; that is how the mode is told apart (§5.2).
  const mode = item.itemId === undefined ? 'organizer' : 'read';
  const ewsId = mode === 'read' ? item.itemId : await readComposeItemId(item);
  if (ewsId === null) return { kind: 'unsaved', mode: 'organizer' };
  const sourceKey = await readSourceKeyStamp(item);
  const restId = convertToRestId(mailbox, ewsId);
  return { kind: 'appointment', mode, sourceKey, eventId: restId ?? ewsId, idType: restId === null ? 'ews' : 'rest' };
}

function readComposeItemId(item: Office.AppointmentCompose): Promise<string | null> {
  if (typeof item.getItemIdAsync !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    // ItemNotSaved: a new appointment being written, which cannot come from Optima.
    item.getItemIdAsync((result) => resolve(result.status === Office.AsyncResultStatus.Succeeded && result.value ? result.value : null));
  });
}

function readSourceKeyStamp(item: Office.AppointmentRead | Office.AppointmentCompose): Promise<string | null> {
  if (typeof item.loadCustomPropertiesAsync !== 'function') return Promise.resolve(null);
  return new Promise((resolve) => {
    item.loadCustomPropertiesAsync((result) => {
      if (result.status !== Office.AsyncResultStatus.Succeeded) return resolve(null);
      const value: unknown = result.value.get(SOURCE_KEY_PROPERTY);
      resolve(typeof value === 'string' && value.trim() !== '' ? value.trim() : null);
    });
  });
}

function convertToRestId(mailbox: Office.Mailbox, ewsId: string): string | null {
  // Not on Android/iOS (§5.2); the server translates an EWS id too.
  if (typeof mailbox.convertToRestId !== 'function') return null;
  try {
    return mailbox.convertToRestId(ewsId, Office.MailboxEnums.RestVersion.v2_0) || null;
  } catch {
    return null;
  }
}
