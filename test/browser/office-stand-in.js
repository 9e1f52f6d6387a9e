// Office.js stand-in for browser tests (reference/outlook-addin.md §10). Injected with
// page.addInitScript before the bundle, in place of the CDN office.js, which cannot load here.
// It plays one Outlook appointment in read (attendee) or organizer (compose) mode, or no item.
// Configured by `window.__officeStandInConfig` (set by an earlier init script):
//   { displayLanguage, token, mode: 'read' | 'organizer' | 'none', addinId, item: { itemId, subject,
//     start, end, location, customProperties, extendedProperties }, sets: { Mailbox: '1.8', ... } }
// Custom properties come either as a plain object (`customProperties`) or, as Outlook stores
// them, from the item's MAPI properties (`extendedProperties`: Graph id → value, e.g. what the
// sync wrote): like Office.js, the stand-in reads the ONE JSON string in the property named
// `cecp-<addinId>` of PS_PUBLIC_STRINGS (reference/graph-calendar.md §4) and nothing else.
// Knowingly simpler than Outlook: no dialogs (displayDialogAsync fails), no NAA host bridge,
// and saveAsync on custom properties only updates the stand-in's object.
(() => {
  const config = window.__officeStandInConfig || {};
  const calls = { getAccessToken: [], itemChangedHandlers: [], loadCustomProperties: 0 };

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

  function makeCustomProperties(bag) {
    return {
      get: (name) => bag[name],
      set: (name, value) => { bag[name] = value; },
      remove: (name) => { delete bag[name]; },
      getAll: () => ({ ...bag }),
      saveAsync: (...args) => { const { callback, asyncContext } = splitArgs(args); if (callback) later(() => callback(succeeded(undefined, asyncContext))); },
    };
  }

  const PS_PUBLIC_STRINGS = '00020329-0000-0000-c000-000000000046';
  // Graph's id form `String {guid} Name name`: the type and GUID compare ignoring case, the name exactly.
  const parsePropertyId = (id) => {
    const m = /^(\w+)\s+\{([0-9a-fA-F-]{36})\}\s+Name\s+(.+)$/.exec(String(id).trim());
    return m ? { type: m[1].toLowerCase(), guid: m[2].toLowerCase(), name: m[3] } : null;
  };

  /** What Office.js would load for this item: the add-in's own `cecp-<Id>` blob, parsed; else {}. */
  function readCustomPropertiesBlob(extendedProperties) {
    const wanted = `cecp-${config.addinId || ''}`;
    for (const [id, value] of Object.entries(extendedProperties || {})) {
      const parsed = parsePropertyId(id);
      if (!parsed || parsed.type !== 'string' || parsed.guid !== PS_PUBLIC_STRINGS || parsed.name !== wanted) continue;
      try {
        const bag = JSON.parse(value);
        return bag && typeof bag === 'object' && !Array.isArray(bag) ? bag : {};
      } catch {
        return {};
      }
    }
    return {};
  }

  function makeItem(mode, spec) {
    if (mode === 'none' || !spec) return null;
    const bag = { ...readCustomPropertiesBlob(spec.extendedProperties), ...(spec.customProperties || {}) };
    const common = {
      itemType: 'appointment',
      loadCustomPropertiesAsync: (...args) => {
        const { callback, asyncContext } = splitArgs(args);
        calls.loadCustomProperties += 1;
        later(() => callback(succeeded(makeCustomProperties(bag), asyncContext)));
      },
    };
    if (mode === 'read') {
      return {
        ...common,
        itemId: spec.itemId,
        subject: spec.subject,
        location: spec.location || '',
        start: new Date(spec.start),
        end: new Date(spec.end),
      };
    }
    // Organizer (compose) form: no itemId, fields are objects with getAsync (§5.2).
    const field = (value) => ({
      getAsync: (...args) => { const { callback, asyncContext } = splitArgs(args); later(() => callback(succeeded(value, asyncContext))); },
      setAsync: (...args) => { const { callback, asyncContext } = splitArgs(args); if (callback) later(() => callback(succeeded(undefined, asyncContext))); },
    });
    let savedId = spec.saved === false ? null : spec.itemId;
    return {
      ...common,
      subject: field(spec.subject),
      location: field(spec.location || ''),
      start: field(new Date(spec.start)),
      end: field(new Date(spec.end)),
      getItemIdAsync: (...args) => {
        const { callback, asyncContext } = splitArgs(args);
        later(() => callback(savedId ? succeeded(savedId, asyncContext) : failed(9052, 'ItemNotSaved', 'The item has not been saved.', asyncContext)));
      },
      saveAsync: (...args) => {
        const { callback, asyncContext } = splitArgs(args);
        savedId = savedId || spec.itemId || `AAMk-new-${Date.now()}`;
        if (callback) later(() => callback(succeeded(savedId, asyncContext)));
      },
    };
  }

  const sets = config.sets || { Mailbox: '1.8', IdentityAPI: '1.3' };
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
    item: makeItem(config.mode || 'read', config.item),
    userProfile: { emailAddress: config.mailbox || 'jan.kowalski@example.com', displayName: 'Jan Kowalski', timeZone: 'Central European Standard Time' },
    diagnostics: { hostName: 'OutlookWebApp', hostVersion: '16.0.0.0', OWAView: 'OneColumn' },
    convertToRestId: (id) => String(id).replace(/\//g, '-').replace(/\+/g, '_'),
    addHandlerAsync: (eventType, handler, ...args) => {
      const { callback, asyncContext } = splitArgs(args);
      if (eventType === 'olkItemSelectedChanged') calls.itemChangedHandlers.push(handler);
      if (callback) later(() => callback(succeeded(undefined, asyncContext)));
    },
    removeHandlerAsync: (eventType, ...args) => {
      const { callback, asyncContext } = splitArgs(args);
      if (eventType === 'olkItemSelectedChanged') calls.itemChangedHandlers.length = 0;
      if (callback) later(() => callback(succeeded(undefined, asyncContext)));
    },
  };

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
        isSetSupported: (name, minVersion) => sets[name] !== undefined && sets[name] !== null && compareVersions(sets[name], minVersion || '1.1') >= 0,
      },
      ui: {
        displayDialogAsync: (url, ...args) => { const { callback, asyncContext } = splitArgs(args); if (callback) later(() => callback(failed(12007, 'Dialog', 'Dialogs are not played by the stand-in.', asyncContext))); },
        messageParent: () => {},
      },
    },
    auth: {
      getAccessToken: (options) => {
        calls.getAccessToken.push(options || {});
        return config.token ? Promise.resolve(config.token) : Promise.reject({ code: 13001, name: 'SSO', message: 'Not signed in.' });
      },
    },
    onReady: (callback) => {
      const info = { host: 'Outlook', platform: 'OfficeOnline' };
      return new Promise((resolve) => later(() => { if (callback) callback(info); resolve(info); }));
    },
  };
  // office.js nulls these (reference §5.1); the pane must not depend on them.
  window.history.pushState = null;
  window.history.replaceState = null;

  window.__officeStandIn = {
    calls,
    /** Selects another item (or none) and fires ItemChanged like a pinned pane would. */
    selectItem(mode, spec) {
      mailbox.item = makeItem(mode, spec);
      for (const handler of calls.itemChangedHandlers) handler({ type: 'olkItemSelectedChanged' });
    },
  };
})();
