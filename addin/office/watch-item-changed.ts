/// <reference types="office-js" />
/**
 * Follows the selected item where the client fires `ItemChanged` (Mailbox 1.5). Appointment panes
 * cannot be pinned (reference §1.5), so this is defensive: the pane works without it.
 */

/** Calls `onChange` whenever Outlook says another item is selected; returns a function to stop. */
export function watchItemChanged(onChange: () => void): () => void {
  const mailbox = Office.context?.mailbox;
  if (!mailbox || typeof mailbox.addHandlerAsync !== 'function') return () => {};
  if (Office.context.requirements && !Office.context.requirements.isSetSupported('Mailbox', '1.5')) return () => {};
  mailbox.addHandlerAsync(Office.EventType.ItemChanged, onChange);
  return () => {
    if (typeof mailbox.removeHandlerAsync === 'function') mailbox.removeHandlerAsync(Office.EventType.ItemChanged);
  };
}
