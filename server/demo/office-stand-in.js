// Office.js stand-in for the DEMO (reference/outlook-addin.md §10): the real built taskpane runs
// in an iframe of the demo page, outside Outlook, so this script plays the part of office.js.
// It plays one appointment in read (attendee) mode, and signs in through the demo server, which
// asks the local Entra emulator for a user token (GET /api/demo/token?mailbox=…).
// Configured by `window.__officeStandInConfig`, set by the demo server in /demo/taskpane:
//   { displayLanguage, mailbox, name, item: { itemId, subject, start, end, location } }
// Knowingly simpler than Outlook: no dialogs, no NAA host bridge, custom properties are a plain
// object, no pinning (the page reopens the pane for another event).
// A copy of the parts of test/browser/office-stand-in.js the demo needs: the demo is product
// code and must not load test files.
(() => {
  const config = window.__officeStandInConfig || {};

  const AsyncResultStatus = { Succeeded: 'succeeded', Failed: 'failed' };
  const later = (fn) => setTimeout(fn, 0);
  const succeeded = (value, asyncContext) => ({ status: AsyncResultStatus.Succeeded, value, asyncContext });
  const failed = (code, name, message, asyncContext) => ({ status: AsyncResultStatus.Failed, value: undefined, error: { code, name, message }, asyncContext });
  // Office.js passes (options, callback) or (callback); the callback is always last.
  const splitArgs = (args) => {
    const callback = args.find((a) => typeof a === 'function');
    const options = args.find((a) => a && typeof a === 'object') || {};
    return { callback, asyncContext: options.asyncContext };
  };

  function makeItem(spec) {
    if (!spec) return null;
    const bag = {};
    const customProperties = {
      get: (name) => bag[name],
      set: (name, value) => { bag[name] = value; },
      remove: (name) => { delete bag[name]; },
      getAll: () => ({ ...bag }),
      saveAsync: (...args) => { const { callback, asyncContext } = splitArgs(args); if (callback) later(() => callback(succeeded(undefined, asyncContext))); },
    };
    return {
      itemType: 'appointment',
      itemId: spec.itemId,
      subject: spec.subject,
      location: spec.location || '',
      start: new Date(spec.start),
      end: new Date(spec.end),
      loadCustomPropertiesAsync: (...args) => {
        const { callback, asyncContext } = splitArgs(args);
        later(() => callback(succeeded(customProperties, asyncContext)));
      },
    };
  }

  const sets = { Mailbox: '1.8', IdentityAPI: '1.3' };
  const compareVersions = (a, b) => {
    const pa = String(a).split('.').map(Number);
    const pb = String(b).split('.').map(Number);
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] || 0) - (pb[i] || 0);
      if (d !== 0) return d;
    }
    return 0;
  };

  const mailbox = {
    item: makeItem(config.item),
    userProfile: { emailAddress: config.mailbox || '', displayName: config.name || config.mailbox || '', timeZone: 'Central European Standard Time' },
    diagnostics: { hostName: 'OutlookWebApp', hostVersion: '16.0.0.0', OWAView: 'OneColumn' },
    // EWS ids are standard base64, REST ids URL-safe base64 (what Outlook's conversion amounts to).
    convertToRestId: (id) => String(id).replace(/\//g, '-').replace(/\+/g, '_'),
    addHandlerAsync: (_eventType, _handler, ...args) => {
      const { callback, asyncContext } = splitArgs(args);
      if (callback) later(() => callback(succeeded(undefined, asyncContext)));
    },
    removeHandlerAsync: (_eventType, ...args) => {
      const { callback, asyncContext } = splitArgs(args);
      if (callback) later(() => callback(succeeded(undefined, asyncContext)));
    },
  };

  /** Signs in as the event's mailbox: the demo server asks the Entra emulator for an SSO-shaped token. */
  async function getAccessToken() {
    let response;
    try {
      response = await fetch(`/api/demo/token?mailbox=${encodeURIComponent(config.mailbox || '')}`, { cache: 'no-store' });
    } catch {
      throw { code: 13003, name: 'SSO', message: 'The demo server does not answer.' };
    }
    if (!response.ok) throw { code: 13001, name: 'SSO', message: 'The demo server issued no token for this mailbox.' };
    const body = await response.json();
    return body.token;
  }

  window.Office = {
    HostType: { Outlook: 'Outlook' },
    PlatformType: { OfficeOnline: 'OfficeOnline', PC: 'PC', Mac: 'Mac' },
    EventType: { ItemChanged: 'olkItemSelectedChanged' },
    AsyncResultStatus,
    MailboxEnums: {
      ItemType: { Message: 'message', Appointment: 'appointment' },
      RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' },
    },
    context: {
      displayLanguage: config.displayLanguage || 'pl-PL',
      mailbox,
      requirements: {
        isSetSupported: (name, minVersion) => sets[name] !== undefined && compareVersions(sets[name], minVersion || '1.1') >= 0,
      },
      ui: {
        displayDialogAsync: (_url, ...args) => { const { callback, asyncContext } = splitArgs(args); if (callback) later(() => callback(failed(12007, 'Dialog', 'Dialogs are not played by the demo.', asyncContext))); },
        messageParent: () => {},
      },
    },
    auth: { getAccessToken },
    onReady: (callback) => {
      const info = { host: 'Outlook', platform: 'OfficeOnline' };
      return new Promise((resolve) => later(() => { if (callback) callback(info); resolve(info); }));
    },
  };
})();
